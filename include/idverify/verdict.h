/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verdict.h: the rules applied to the engine's decision (score.h) before it is recorded. Pure:
 * the decision, the counts and "now" are parameters; the caller keeps the store and the clock.
 *
 * A person decides (the outcome becomes manual_review, with a stable reason code) when a power
 * of attorney was given (R25), a parent or guardian filed the request (R27), there are more
 * look-alike records than can be compared at once, or too many attempts were made against one
 * name or record (R9, attempts.h).
 *
 * A business need not answer more than two requests to know from one consumer in 12 months
 * (R38, Civil Code 1798.130(b)): a verified request to know with a matched record counts; the
 * caller counts earlier such answers for the same record since idv_access_window_start(now).
 */
#ifndef IDVERIFY_VERDICT_H
#define IDVERIFY_VERDICT_H

#include "idverify/score.h"

/* Why a person decides. */
enum idv_person {
	IDV_PERSON_POWER_OF_ATTORNEY = 0,    /* "power_of_attorney" (R25) */
	IDV_PERSON_PARENT_OR_GUARDIAN,       /* "parent_or_guardian" (R27) */
	IDV_PERSON_TOO_MANY_CANDIDATES,      /* "too_many_candidates" */
	IDV_PERSON_TOO_MANY_ATTEMPTS_NAME,   /* "too_many_attempts" (R9) against the typed name */
	IDV_PERSON_TOO_MANY_ATTEMPTS_RECORD, /* "too_many_attempts" (R9) against the record */
	IDV_PERSON_AGENT_REGISTRATION,       /* "agent_registration": an agent's Secretary of
						State registration, given as a document */
	IDV_PERSON__COUNT
};

/* The reason code of why ("power_of_attorney", ...); "unknown" when out of range. */
const char *idv_person_code(enum idv_person why);

/*
 * A person decides: d->outcome becomes IDV_OUT_MANUAL_REVIEW and the reason (code and a
 * detail without personal data) is appended when d->reasons has room. The rest of d (the
 * engine's findings, if any) is kept for the reviewer. why out of range: d is unchanged.
 */
void idv_verdict_person(struct idv_decision *d, enum idv_person why);

#define IDV_ACCESS_MAX_ANSWERS 2          /* answers owed per consumer per window (R38) */
#define IDV_ACCESS_WINDOW_S (365 * 86400) /* the window: the 12 months before now */

/* The first second of the window that ends at now (now - IDV_ACCESS_WINDOW_S). */
int64_t idv_access_window_start(int64_t now);

/* Whether decision d of a request of type `type` is an access answer R38 counts: a request to
 * know (categories or specific), verified, with a matched record. */
bool idv_access_counts(enum idv_request_type type, const struct idv_decision *d);

/*
 * R38 applied to an access answer (idv_access_counts) when `answered` such answers were given
 * to the same consumer in the window already: true when the limit is reached, and then the
 * reason "access_limit_reached" is appended to d (the caller refuses the request); false and d
 * unchanged otherwise (also when answered is negative).
 */
bool idv_access_limit_reached(struct idv_decision *d, int64_t answered);

/* What a request brings beyond its evidence, for the procedure's rules (procedure.h). */
struct idv_request_facts {
	bool by_agent;                    /* filed by an authorized agent */
	enum idv_agent_proof agent_proof; /* the proof of authority the agent gave */
	long access_answered_12_months;   /* requests to know already answered for the matched
					   consumer in the last 12 months */
};

/*
 * Apply the policy's procedure to a decision already made (R24, R25, R38): an agent whose proof
 * the procedure does not accept makes the outcome not_verified (agent_proof_not_accepted); a
 * power of attorney sends a verified outcome to a reviewer (power_of_attorney, verdict.h). Returns
 * true when a verified request to know is refused by the access limit (access_limit_reached is
 * added; the outcome stays verified: the person is who they say, the answer is not owed).
 */
bool idv_score_apply_procedure(const struct idv_policy *p, const struct idv_request_facts *f,
			       struct idv_decision *d);

#endif
