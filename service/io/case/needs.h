/* SPDX-License-Identifier: Apache-2.0 */
/*
 * needs.h: what a case still needs before it can be decided (needs.c).
 */
#ifndef IDVERIFY_NEEDS_H
#define IDVERIFY_NEEDS_H

#include "casectx.h"

/* Is the case's evidence complete, and what is missing (a JSON array of strings)? */
bool idv_case_evidence_complete(struct idv_cases *cs, const struct idv_case_row *row,
				json_t **missing);

/*
 * What a case still needs because of who filed it, appended to missing: for an authorized
 * agent's request (not an opt-out) the consumer's signed permission ("agent_permission", when
 * the policy requires it) and the consumer's own part ("consumer_confirmation",
 * "consumer_verification" or "consumer_confirmation_or_verification"), unless a power of
 * attorney was given (R25); for a parent or guardian, proof of the relationship
 * ("relationship_proof", R27) beside their own identity. *person_decides is set when, once
 * complete, a reviewer must decide instead of the engine (power of attorney, parent or
 * guardian), with the reason code in *why.
 */
void idv_case_role_requirements(struct idv_cases *cs, const struct idv_case_row *row,
				json_t *missing, bool *person_decides, const char **why);

#endif
