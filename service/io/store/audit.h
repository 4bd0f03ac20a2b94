/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit.h: the audit trail (DESIGN.md 5): who (an actor: "system", "admin", "key:<id>",
 * "case:<reference>", "agent:<id>") did what (an event) to which case, when. Append-only in
 * the store (triggers refuse UPDATE and DELETE) and hash-chained: each entry carries an
 * HMAC-SHA256, under a key derived from the master key ("audit"), over its canonical form
 * (auditrec.h) including the previous entry's MAC. Never personal data: details are ids and
 * codes.
 *
 * An entry is written in the same store transaction as the state change it records:
 * idv_audit_append() inside the caller's idv_store_begin()/commit; idv_audit_record() when the
 * entry is the whole change.
 */
#ifndef IDVERIFY_AUDIT_H
#define IDVERIFY_AUDIT_H

#include <jansson.h>

#include "store.h"

/* Append one entry in the caller's transaction. detail (a JSON object, stolen) may be NULL. */
enum idv_err idv_audit_append(struct idv_store *s, const char *actor, const char *event,
			      const char *case_ref, json_t *detail);

/* Append one entry in a transaction of its own. */
enum idv_err idv_audit_record(struct idv_store *s, const char *actor, const char *event,
			      const char *case_ref, json_t *detail);

struct idv_audit_report {
	int64_t entries;  /* entries checked */
	int64_t bad_seq;  /* the first broken entry (0 when the chain holds) */
	char why[160];
};

/*
 * Recompute the chain. IDV_OK when every entry's MAC, its link to the previous entry and its
 * sequence number hold; IDV_E_CHECKSUM naming the first broken entry otherwise.
 */
enum idv_err idv_audit_verify(struct idv_store *s, struct idv_audit_report *rep);

#endif
