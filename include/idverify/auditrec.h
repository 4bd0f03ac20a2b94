/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auditrec.h: the canonical form of one audit-trail entry (DESIGN.md 5), the bytes its HMAC is
 * computed over. Each entry is chained to the previous one: the canonical form includes the
 * previous entry's MAC, so changing, removing or reordering any entry breaks every later link.
 *
 * An entry says who (an actor), what (an event name), which case (a reference, or none) and
 * when, plus a small detail object of ids and codes. Never personal data.
 *
 * Canonical form (version 1): "idverify-audit-v1\n", then for each of seq, at, actor, event,
 * case, detail, hex(prev_mac): the decimal length, ':', the bytes, '\n'. Length-prefixing
 * makes the encoding injective whatever the fields hold. Pure: no allocation, no I/O.
 */
#ifndef IDVERIFY_AUDITREC_H
#define IDVERIFY_AUDITREC_H

#include "idverify/common.h"

#define IDV_AUDIT_MAC_LEN 32
#define IDV_AUDIT_FIELD_MAX 512 /* actor, event, case, detail: bytes each */

struct idv_audit_entry {
	int64_t seq; /* 1, 2, 3 ... without gaps */
	int64_t at;  /* unix seconds */
	const char *actor;    /* "system", "admin", "anonymous" (no credentials), "key:<id>",
				 "case:<reference>", "agent:<id>",
				 "platform:<name>", "consumer:<reference>" (the consumer of an
				 agent's request, in their own session), "web-agent:<reference>"
				 (an agent that filed through POST /v1/requests) */
	const char *event;    /* "case.created", "review.revealed", ... */
	const char *case_ref; /* "" when the entry concerns no case */
	const char *detail;   /* compact JSON of ids and codes, "" when none */
};

/*
 * The canonical bytes of e chained to prev (IDV_AUDIT_MAC_LEN bytes; all zero for the first
 * entry) into out. IDV_E_TOOBIG when out is too small or a field is over IDV_AUDIT_FIELD_MAX;
 * IDV_E_INVAL when a field is NULL or the actor or event is malformed.
 */
enum idv_err idv_audit_canon(const struct idv_audit_entry *e, const uint8_t prev[IDV_AUDIT_MAC_LEN],
			     uint8_t *out, size_t outsz, size_t *len);

/* Room enough for any canonical entry. */
#define IDV_AUDIT_CANON_MAX (32 + 6 * (24 + IDV_AUDIT_FIELD_MAX) + 2 * IDV_AUDIT_MAC_LEN)

/* Actors: "system", "admin", or a prefix ("key:", "case:", "agent:") and 1-128 characters of
 * A-Z a-z 0-9 - _ . ; events: 1-64 characters of a-z 0-9 _ . */
bool idv_audit_actor_valid(const char *actor);
bool idv_audit_event_valid(const char *event);

#endif
