/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evaluate.h: the decision on a case once its evidence is complete (evaluate.c): claims, the
 * documents as read, the signed declaration and the candidate records go to the decision engine
 * (score.h); outcome, level, model and reasons are recorded, sealed, with the status change.
 */
#ifndef IDVERIFY_EVALUATE_H
#define IDVERIFY_EVALUATE_H

#include "casectx.h"

/* Score the case if its evidence is complete and it is not decided yet. */
enum idv_err idv_case_evaluate(struct idv_cases *cs, const char *reference);

#endif
