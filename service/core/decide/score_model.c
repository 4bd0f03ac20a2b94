/* SPDX-License-Identifier: Apache-2.0 */
/*
 * score_model.c: the names of the decision's enums (levels, outcomes, request types, actions,
 * conditions, document classes), the built-in model and policy, and model validation
 * (score.h).
 */
#include <math.h>

#include "idverify/score.h"
#include "idverify/str.h"

/* ---- Names of enums ---- */

static const char *const level_names[IDV_LEVEL__COUNT] = {"none", "standard", "heightened"};
IDV_NAME_LOOKUP_FN(idv_level, enum idv_level, level_names, IDV_LEVEL__COUNT, "none")

static const char *const outcome_names[] = {"verified", "not_verified", "manual_review",
					    "not_required"};
IDV_NAME_FN(idv_outcome, enum idv_outcome, outcome_names, IDV_ARRAY_LEN(outcome_names),
	    "not_verified")

static const char *const request_names[IDV_REQ__COUNT] = {
#define REQUEST_NAME(n, s) s,
	IDV_REQUEST_TYPES(REQUEST_NAME)
#undef REQUEST_NAME
};
IDV_NAME_LOOKUP_FN(idv_request_type, enum idv_request_type, request_names, IDV_REQ__COUNT,
		   "unknown")

static const char *const action_names[IDV_ACT__COUNT] = {
	"ignore",
	"accept",
	"manual_review",
	"not_verified",
};
IDV_NAME_LOOKUP_FN(idv_action, enum idv_action, action_names, IDV_ACT__COUNT, "not_verified")

static const char *const flag_names[IDV_FLAG__COUNT] = {
	"date_of_birth_differs",
	"date_of_birth_day_month_swap",
	"name_differs",
	"suffix_conflict",
	"document_contradicts_claims",
	"document_contradicts_record",
	"residence_holder_differs",
	"recent_move",
	"declaration_name_differs",
	"unreadable_required_document",
	"unreadable_optional_document",
	"document_check_failed",
	"expired_id",
	"ambiguous_candidates",
};
IDV_NAME_LOOKUP_FN(idv_flag, enum idv_flag, flag_names, IDV_FLAG__COUNT, "unknown")

static const char *const dclass_names[IDV_DCLASS__COUNT] = {"government_id", "proof_of_residence"};
IDV_NAME_LOOKUP_FN(idv_doc_class, enum idv_doc_class, dclass_names, IDV_DCLASS__COUNT, "unknown")

static const char *const point_source_names[] = {"none", "form", "document", "form+document"};
IDV_NAME_FN(idv_point_source, enum idv_point_source, point_source_names,
	    IDV_ARRAY_LEN(point_source_names), "none")

/* ---- Models and policies ---- */

void
idv_model_defaults(struct idv_model *m, enum idv_level level)
{
	memset(m, 0, sizeof *m);
	bool high = level == IDV_LEVEL_HEIGHTENED;
	idv_strlcpy(m->name, high ? "builtin-heightened" : "builtin-standard", sizeof m->name);
	idv_strlcpy(m->version, "0", sizeof m->version);
	m->level = high ? IDV_LEVEL_HEIGHTENED : IDV_LEVEL_STANDARD;
	static const struct idv_model_point pts[IDV_PT__COUNT] = {
		[IDV_PT_NAME] = {false, true, true, 0.85, 0.0, 0.0},
		[IDV_PT_DOB] = {true, true, false, 1.0, 1.0, 1.5},
		[IDV_PT_ADDRESS] = {true, true, false, 0.85, 1.0, 1.5},
		[IDV_PT_EMAIL] = {true, true, false, 0.95, 1.0, 1.0},
		[IDV_PT_PHONE] = {true, true, false, 1.0, 1.0, 1.0},
		[IDV_PT_CONTACT_CODE] = {true, true, false, 1.0, 1.0, 1.0},
	};
	memcpy(m->points, pts, sizeof pts);
	m->points_needed = high ? 3.0 : 2.0;
	m->documents_required[IDV_DCLASS_GOVERNMENT_ID] = high;
	m->id_kinds_accepted[IDV_DOC_DRIVERS_LICENSE] = true;
	m->id_kinds_accepted[IDV_DOC_ID_CARD] = true;
	m->id_kinds_accepted[IDV_DOC_PASSPORT] = true;
	for (int k = IDV_RES_UTILITY_BILL; k < IDV_RES_OTHER; k++)
		m->residence_kinds_accepted[k] = true;
	m->residence_max_age_days = 90;
	m->expired_id_grace_days = 0;
	m->declaration_required = high;
	m->ambiguity_margin = 1.0;
	m->min_field_confidence = 0.5;
	static const enum idv_action on[IDV_FLAG__COUNT] = {
		[IDV_FLAG_DOB_DIFFERS] = IDV_ACT_NOT_VERIFIED,
		[IDV_FLAG_DOB_DAY_MONTH_SWAP] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_NAME_DIFFERS] = IDV_ACT_NOT_VERIFIED,
		[IDV_FLAG_SUFFIX_CONFLICT] = IDV_ACT_NOT_VERIFIED,
		[IDV_FLAG_DOC_VS_CLAIMS] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_DOC_VS_RECORD] = IDV_ACT_NOT_VERIFIED,
		[IDV_FLAG_RESIDENCE_HOLDER] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_RECENT_MOVE] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_DECLARATION_NAME] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_UNREADABLE_REQUIRED] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_UNREADABLE_OPTIONAL] = IDV_ACT_IGNORE,
		[IDV_FLAG_DOC_CHECK_FAILED] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_EXPIRED_ID] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_AMBIGUOUS] = IDV_ACT_MANUAL_REVIEW,
	};
	memcpy(m->on, on, sizeof on);
}

static bool
score_unit(double v)
{
	return isfinite(v) && v >= 0.0 && v <= 1.0;
}

enum idv_err
idv_model_validate(const struct idv_model *m, char *why, size_t whysz)
{
	const char *w = NULL;
	if (m->name[0] == '\0' || m->version[0] == '\0')
		w = "name and version are required";
	else if (m->level != IDV_LEVEL_STANDARD && m->level != IDV_LEVEL_HEIGHTENED)
		w = "level must be standard or heightened";
	else if (!isfinite(m->points_needed) || m->points_needed <= 0.0)
		w = "points_needed must be positive";
	else if (!isfinite(m->ambiguity_margin) || m->ambiguity_margin < 0.0)
		w = "ambiguity_margin must not be negative";
	else if (!score_unit(m->min_field_confidence))
		w = "min_field_confidence must be in [0,1]";
	else if (m->residence_max_age_days < 0 || m->expired_id_grace_days < 0)
		w = "day counts must not be negative";
	else if (m->on[IDV_FLAG_AMBIGUOUS] != IDV_ACT_MANUAL_REVIEW &&
		 m->on[IDV_FLAG_AMBIGUOUS] != IDV_ACT_NOT_VERIFIED)
		w = "ambiguous_candidates must be manual_review or not_verified (never a guess)";
	for (int t = 0; w == NULL && t < IDV_PT__COUNT; t++) {
		const struct idv_model_point *p = &m->points[t];
		if (!score_unit(p->threshold) || p->threshold <= 0.0)
			w = "a point threshold is not in (0,1]";
		else if (!isfinite(p->typed_weight) || p->typed_weight < 0.0 ||
			 !isfinite(p->document_weight) || p->document_weight < 0.0)
			w = "a point weight is negative";
	}
	for (int f = 0; w == NULL && f < IDV_FLAG__COUNT; f++)
		if ((unsigned)m->on[f] >= IDV_ACT__COUNT)
			w = "an action is invalid";
	return idv_why_invalid(w, why, whysz);
}

void
idv_policy_defaults(struct idv_policy *p)
{
	memset(p, 0, sizeof *p);
	idv_strlcpy(p->name, "builtin-policy", sizeof p->name);
	idv_strlcpy(p->version, "0", sizeof p->version);
	p->level[IDV_REQ_KNOW_CATEGORIES] = IDV_LEVEL_STANDARD;
	p->level[IDV_REQ_KNOW_SPECIFIC] = IDV_LEVEL_HEIGHTENED;
	p->level[IDV_REQ_DELETE] = IDV_LEVEL_STANDARD;
	p->level[IDV_REQ_CORRECT] = IDV_LEVEL_STANDARD;
	p->level[IDV_REQ_OPT_OUT] = IDV_LEVEL_NONE;
	p->agents.consumer_must = IDV_AGENT_CONSUMER_EITHER;
	p->agents.permission_required = true;
	idv_attempts_rule_defaults(&p->attempts);
	idv_procedure_defaults(&p->procedure);
}

static const char *const score_agent_consumer_names[IDV_AGENT_CONSUMER__COUNT] = {
	"either",
	"verify",
	"confirm",
};

IDV_NAME_LOOKUP_FN(idv_agent_consumer, enum idv_agent_consumer, score_agent_consumer_names,
		   IDV_AGENT_CONSUMER__COUNT, "either")
