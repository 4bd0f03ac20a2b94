/* SPDX-License-Identifier: Apache-2.0 */
/* verdict.c: a person decides, and the limit on access answers (verdict.h). */
#include "idverify/str.h"
#include "idverify/score_doc.h"
#include "idverify/verdict.h"

static const struct {
	const char *code;
	const char *detail;
} verdict_person[IDV_PERSON__COUNT] = {
	[IDV_PERSON_POWER_OF_ATTORNEY] = {"power_of_attorney",
					  "a power of attorney was given: a reviewer checks it "
					  "(Probate Code 4121-4130)"},
	[IDV_PERSON_PARENT_OR_GUARDIAN] = {"parent_or_guardian",
					   "a parent or guardian filed the request: a reviewer "
					   "checks their identity and the proof of the "
					   "relationship"},
	[IDV_PERSON_TOO_MANY_CANDIDATES] = {"too_many_candidates",
					    "more candidate records than can be compared at once"},
	[IDV_PERSON_TOO_MANY_ATTEMPTS_NAME] = {"too_many_attempts",
					       "too many recent attempts gave this name: a "
					       "reviewer decides (R9)"},
	[IDV_PERSON_TOO_MANY_ATTEMPTS_RECORD] = {"too_many_attempts",
						 "too many recent attempts came closest to this "
						 "record: a reviewer decides (R9)"},
	[IDV_PERSON_AGENT_REGISTRATION] = {"agent_registration",
					   "the agent gave its registration with the Secretary of "
					   "State: a reviewer checks it (Civil Code 1798.140(d))"},
};

static void
verdict_reason(struct idv_decision *d, const char *code, const char *detail)
{
	if (d->nreasons >= IDV_DECISION_MAX_REASONS)
		return;
	idv_strlcpy(d->reasons[d->nreasons].code, code, sizeof d->reasons[0].code);
	idv_strlcpy(d->reasons[d->nreasons].detail, detail, sizeof d->reasons[0].detail);
	d->nreasons++;
}

const char *
idv_person_code(enum idv_person why)
{
	return (unsigned)why < IDV_PERSON__COUNT ? verdict_person[why].code : "unknown";
}

void
idv_verdict_person(struct idv_decision *d, enum idv_person why)
{
	if ((unsigned)why >= IDV_PERSON__COUNT)
		return;
	d->outcome = IDV_OUT_MANUAL_REVIEW;
	verdict_reason(d, verdict_person[why].code, verdict_person[why].detail);
}

int64_t
idv_access_window_start(int64_t now)
{
	return now - IDV_ACCESS_WINDOW_S;
}

bool
idv_access_counts(enum idv_request_type type, const struct idv_decision *d)
{
	bool know = type == IDV_REQ_KNOW_CATEGORIES || type == IDV_REQ_KNOW_SPECIFIC;
	return know && d->outcome == IDV_OUT_VERIFIED && d->has_record;
}

bool
idv_access_limit_reached(struct idv_decision *d, int64_t answered)
{
	if (answered < IDV_ACCESS_MAX_ANSWERS)
		return false;
	verdict_reason(d, "access_limit_reached",
		       "as many requests to know as the business answers were already answered "
		       "for this consumer in the last 12 months (Civil Code 1798.130(b))");
	return true;
}

bool
idv_score_apply_procedure(const struct idv_policy *p, const struct idv_request_facts *f,
			  struct idv_decision *d)
{
	const struct idv_procedure *pr = &p->procedure;
	if (d->outcome == IDV_OUT_NOT_REQUIRED)
		return false;
	if (f->by_agent && !idv_procedure_agent_proof_accepted(pr, f->agent_proof)) {
		d->outcome = IDV_OUT_NOT_VERIFIED;
		score_reason(d, "agent_proof_not_accepted",
			     "the policy does not accept %s as an agent's authority",
			     idv_agent_proof_name(f->agent_proof));
		return false;
	}
	if (f->by_agent && f->agent_proof == IDV_AGENT_PROOF_POWER_OF_ATTORNEY &&
	    d->outcome == IDV_OUT_VERIFIED) {
		idv_verdict_person(d, IDV_PERSON_POWER_OF_ATTORNEY);
		return false;
	}
	enum idv_request_type t = d->request_type;
	if (idv_access_counts(t, d) &&
	    idv_procedure_access_refused(pr, f->access_answered_12_months))
		return idv_access_limit_reached(d, f->access_answered_12_months);
	return false;
}
