/* SPDX-License-Identifier: Apache-2.0 */
/* platform.c: a case's outcome in each privacy platform's words (platform.h). */
#include <string.h>

#include "idverify/platform.h"

static bool
platform_is(const char *v, const char *want)
{
	return v != NULL && strcmp(v, want) == 0;
}

enum idv_platform_outcome
idv_platform_outcome_of(const struct idv_drp_case_state *c)
{
	enum idv_platform_outcome o = IDV_PO_PROCESSING;
	if (c->revoked || (c->closed && platform_is(c->response, "withdrawn"))) {
		o = IDV_PO_WITHDRAWN;
	} else if (c->closed) {
		if (platform_is(c->response, "fulfilled") ||
		    platform_is(c->response, "partially_fulfilled"))
			o = IDV_PO_VERIFIED;
		else if (platform_is(c->denial_basis, "no_personal_information"))
			o = IDV_PO_NO_MATCH;
		else if (platform_is(c->denial_basis, "not_verified") ||
			 platform_is(c->denial_basis, "abandoned") ||
			 platform_is(c->denial_basis, "too_many_requests"))
			o = IDV_PO_NOT_VERIFIED;
		else
			o = IDV_PO_OTHER_DENIAL;
	} else if (platform_is(c->status, "verified") ||
		   platform_is(c->status, "no_verification_needed")) {
		o = IDV_PO_VERIFIED;
	} else if (platform_is(c->status, "not_verified") || platform_is(c->status, "refused")) {
		o = IDV_PO_NOT_VERIFIED;
	} else if (platform_is(c->status, "awaiting_evidence")) {
		o = IDV_PO_WAITING;
	} else if (platform_is(c->status, "manual_review")) {
		o = IDV_PO_REVIEW;
	}
	return o;
}

bool
idv_platform_outcome_final(enum idv_platform_outcome o)
{
	return o != IDV_PO_WAITING && o != IDV_PO_PROCESSING && o != IDV_PO_REVIEW;
}

const char *
idv_platform_fides_word(enum idv_platform_outcome o)
{
	if (!idv_platform_outcome_final(o))
		return NULL;
	return o == IDV_PO_VERIFIED ? "eligible" : "not-eligible";
}

void
idv_platform_ketch_status(enum idv_platform_outcome o, const char **status, const char **reason)
{
	*reason = NULL;
	switch (o) {
	case IDV_PO_WAITING:
		*status = "pending";
		*reason = "need_user_verification";
		break;
	case IDV_PO_PROCESSING:
	case IDV_PO_REVIEW:
		*status = "in_progress";
		break;
	case IDV_PO_VERIFIED:
		/* "requested": forwarded for execution (Status.md) */
		*status = "completed";
		*reason = "requested";
		break;
	case IDV_PO_NOT_VERIFIED:
		*status = "completed";
		*reason = "insufficient_verification";
		break;
	case IDV_PO_NO_MATCH:
		*status = "completed";
		*reason = "no_match";
		break;
	case IDV_PO_WITHDRAWN:
	case IDV_PO_OTHER_DENIAL:
	default:
		*status = "completed";
		*reason = "other";
		break;
	}
}

const char *
idv_platform_transcend_word(enum idv_platform_outcome o)
{
	if (o == IDV_PO_REVIEW)
		return "ON_HOLD";
	if (!idv_platform_outcome_final(o))
		return NULL;
	return o == IDV_PO_VERIFIED ? "ENRICHED" : "CANCELED";
}
