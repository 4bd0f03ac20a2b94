/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.h: the models and policy a running service decides with (policy.c), loaded once at
 * start; read-only and shared by every thread afterwards.
 */
#ifndef IDVERIFY_POLICY_H
#define IDVERIFY_POLICY_H

#include <jansson.h>

#include "casectx.h"

enum idv_err idv_scoring_load(const char *models_dir, struct idv_scoring **out, char *why,
			      size_t whysz);
void idv_scoring_free(struct idv_scoring *s);
/* The level a request type needs under the policy: "standard", "heightened" or "none". */
const char *idv_scoring_level(struct idv_scoring *s, const char *request_type,
			      const char *requested, json_t *data_classes);
/* The loaded models and policy (read-only; valid until idv_scoring_free). */
struct idv_models;
const struct idv_models *idv_scoring_models(const struct idv_scoring *s);
/* The business's procedure (policy.json "procedure"): clock, access limit, agent proofs,
 * retention, never disclosed (idverify/procedure.h). */
struct idv_procedure;
const struct idv_procedure *idv_scoring_procedure(const struct idv_scoring *s);
/* What a level needs: documents by class, declaration. */
void idv_scoring_requirements(struct idv_scoring *s, const char *level, bool *government_id,
			      bool *proof_of_residence, bool *declaration);

#endif
