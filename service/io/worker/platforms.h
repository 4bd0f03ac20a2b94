/* SPDX-License-Identifier: Apache-2.0 */
/*
 * platforms.h: what the privacy platforms (Fides, Transcend, Ketch; api_platforms.c) and the
 * business's decision webhook are owed, queued in the outbox (outbox.h) as envelopes.
 *
 * A platform case keeps its reply data (where and how to answer, the consumer's verification
 * link) sealed under a long-term key, not the case key: the answer to a closed case is queued
 * after the close purged the case's key. The reply data is erased once the final answer is
 * queued.
 */
#ifndef IDVERIFY_PLATFORMS_H
#define IDVERIFY_PLATFORMS_H

#include <jansson.h>

#include "agents.h"
#include "casectx.h"
#include "store_platforms.h"

/*
 * The hosts the operator configured as destinations (--fides-url, --transcend-url,
 * --ketch-callback-base, --webhook-url), as the list of an agent's callback_hosts
 * (callback.h): the outbox checks every envelope's URL against it with idv_callback_check,
 * so they may be private addresses (the operator's own network) while any other host must
 * resolve to public addresses only. out->callback_hosts is allocated (free it).
 */
void idv_platforms_destinations(const struct idv_config *cfg, struct idv_agent *out);

/* Seal (or open) a platform case's reply data. */
enum idv_err idv_platform_reply_seal(const char *platform, const char *external_id,
				     json_t *reply, struct idv_buf *out);
json_t *idv_platform_reply_open(const struct idv_platform_case_row *row);

/*
 * The outbox thread's round (outbox.c): every platform case whose outcome changed gets its
 * platform's answer queued (Fides: POST {} to the eligible or not-eligible reply URL with
 * "Authorization: Bearer <reply-to-token>"; Transcend: POST to <sombra>/v1/enrich-identifiers
 * with x-transcend-nonce; Ketch: a <Kind>StatusEvent to every callback with its headers), and,
 * when --webhook-url is set, every decision and close of any case a signed event. Each in one
 * transaction with the state that records it as queued: nothing is queued twice or lost.
 */
void idv_platforms_watch(struct idv_cases *cs);

#endif
