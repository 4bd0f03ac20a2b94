/* SPDX-License-Identifier: Apache-2.0 */
/*
 * platform.h: the words each privacy platform is answered with (api_platforms.c, platforms.c
 * in worker/), from a case's state. Pure: no I/O, no clock.
 *
 * A platform learns only the outcome, never why (which field matched, whether a record
 * exists when verification failed): the same rule as for agents (drp.h, README "HTTP API").
 *
 * - Fides (ethyca/fides, pre-approval webhooks): "eligible" or "not-eligible", once.
 * - Ketch (ketch-com/ketch-forwarder, api/dsr/v1/Status.md and DSRRequestStatusReason.yaml):
 *   status pending / in_progress / completed with a reason; its published status codes have
 *   no "denied": a request idverify denies is "completed" with the reason of the denial.
 * - Transcend (preflight / identity-enrichment webhook): held while the consumer verifies,
 *   then enriched (let through) or "CANCELED".
 */
#ifndef IDVERIFY_PLATFORM_H
#define IDVERIFY_PLATFORM_H

#include "idverify/drp.h"

enum idv_platform_outcome {
	IDV_PO_WAITING,      /* the consumer has still to verify */
	IDV_PO_PROCESSING,   /* evidence is being read */
	IDV_PO_VERIFIED,     /* verified (or no verification needed, R3) */
	IDV_PO_NOT_VERIFIED, /* not verified, abandoned or too many requests */
	IDV_PO_NO_MATCH,     /* closed: no personal information about the consumer */
	IDV_PO_WITHDRAWN,    /* closed by the consumer */
	IDV_PO_OTHER_DENIAL, /* closed, denied on another basis */
	IDV_PO_REVIEW,       /* a person decides (manual review): not final */
};

/* The outcome of a case (need_user is ignored; revoked means withdrawn). */
enum idv_platform_outcome idv_platform_outcome_of(const struct idv_drp_case_state *c);

/* Is the outcome final (nothing follows it for a platform)? */
bool idv_platform_outcome_final(enum idv_platform_outcome o);

/* Fides: "eligible", "not-eligible", or NULL while there is nothing to say. */
const char *idv_platform_fides_word(enum idv_platform_outcome o);

/* Ketch dsr/v1: status and reason (reason NULL: none). */
void idv_platform_ketch_status(enum idv_platform_outcome o, const char **status,
			       const char **reason);

/* Transcend: "CANCELED", "ENRICHED" (the later POST that lets the request go on), "ON_HOLD"
 * while a person decides (transcend-io/examples handleEnrichmentWebhook.ts: a hold "so legal
 * can review it"; the final word follows the reviewer's decision), or NULL. */
const char *idv_platform_transcend_word(enum idv_platform_outcome o);

#endif
