/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_platforms.h: what the store keeps for cases filed by privacy platforms (Fides,
 * Transcend, Ketch; api_platforms.c) and for the business's decision webhook (platforms.c in
 * worker/), and the ordering rule of the outbox (one destination's messages in order).
 */
#ifndef IDVERIFY_STORE_PLATFORMS_H
#define IDVERIFY_STORE_PLATFORMS_H

#include "store.h"

#define IDV_PLATFORM_ID_MAX 128

/* A case a platform filed. notified is the last answer queued ("" before the first; an answer
 * that starts with "final:" is never followed by another). */
struct idv_platform_case_row {
	int64_t case_id;
	char platform[16];
	char external_id[IDV_PLATFORM_ID_MAX];
	struct idv_buf reply_sealed; /* empty once the final answer is queued */
	char notified[64];
	int64_t consumer_at; /* the consumer's own details given (api_platforms.c), or 0 */
	int64_t created_at;
};

void idv_platform_case_row_init(struct idv_platform_case_row *row);
void idv_platform_case_row_cleanup(struct idv_platform_case_row *row);

/* IDV_E_CONFLICT when the platform already filed external_id (a replayed call). */
enum idv_err idv_store_platform_case_insert(struct idv_store *s,
					    const struct idv_platform_case_row *row);
enum idv_err idv_store_platform_case_get(struct idv_store *s, int64_t case_id,
					 struct idv_platform_case_row *row);
/* The case a platform filed under external_id: IDV_E_NOTFOUND when none. */
enum idv_err idv_store_platform_case_find(struct idv_store *s, const char *platform,
					  const char *external_id, int64_t *case_id);
/* Writes reply_sealed, notified and consumer_at (by case_id). */
enum idv_err idv_store_platform_case_update(struct idv_store *s,
					    const struct idv_platform_case_row *row);
/* Ids of the platform cases whose final answer is not yet queued, oldest first (at most max;
 * *n receives the count). */
enum idv_err idv_store_platform_case_open(struct idv_store *s, int64_t *ids, size_t max,
					  size_t *n);

/* The decision webhook: ids of cases whose status/response (as "status/response") differs from
 * what webhook_state holds, oldest first, at most max. */
enum idv_err idv_store_webhook_due(struct idv_store *s, int64_t *ids, size_t max, size_t *n);
/* What webhook_state holds for a case ("" when nothing). */
enum idv_err idv_store_webhook_get(struct idv_store *s, int64_t case_id, char *out, size_t outsz);
enum idv_err idv_store_webhook_set(struct idv_store *s, int64_t case_id, const char *state);

/* Is channel one of the platforms' (fides, transcend, ketch)? */
bool idv_platform_channel(const char *channel);

/* Is a pending outbox row for url older than id (then id waits: one destination's messages
 * are delivered in the order they were queued)? *next_at receives that row's next attempt. */
bool idv_store_outbox_blocked(struct idv_store *s, int64_t id, const char *url,
			      int64_t *next_at);

#endif
