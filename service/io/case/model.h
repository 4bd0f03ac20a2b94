/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.h: loading the scoring models, the request policy and the nickname table from a models
 * directory (service/io/case/model.c, jansson). The files are the business's documented
 * verification policy (R2): editing them changes decisions without rebuilding.
 *
 *   DIR/policy.json      request type -> level, data class -> level, and for authorized
 *                        agents what the consumer must do directly (struct idv_policy)
 *   DIR/standard.json    the standard-level model (struct idv_model)
 *   DIR/heightened.json  the heightened-level model
 *   DIR/nicknames.csv    nickname,formal pairs (struct idv_nicknames)
 *
 * Loading is strict: every key of a model is required, unknown keys are refused (a typo must
 * not silently fall back to a default), and keys named "description", "why" or starting with
 * '_' are documentation. A policy weaker than the regulations is refused (know_specific below
 * heightened, any other request below standard, opt_out verified). Errors name the file and
 * the key in err (never personal data).
 */
#ifndef IDVERIFY_MODEL_H
#define IDVERIFY_MODEL_H

#include "idverify/score.h"

#define IDV_MODEL_FILE_MAX (256u * 1024u)

/* Parse one model from JSON text; expect is the level it must declare (or IDV_LEVEL_NONE). */
enum idv_err idv_model_parse_json(const char *text, size_t len, enum idv_level expect,
				  struct idv_model *out, char *err, size_t errsz);
enum idv_err idv_model_load_file(const char *path, enum idv_level expect, struct idv_model *out,
				 char *err, size_t errsz);

enum idv_err idv_policy_parse_json(const char *text, size_t len, struct idv_policy *out,
				   char *err, size_t errsz);
enum idv_err idv_policy_load_file(const char *path, struct idv_policy *out, char *err,
				  size_t errsz);

struct idv_models {
	struct idv_policy policy;
	struct idv_model standard;
	struct idv_model heightened;
	struct idv_nicknames *nicknames; /* heap; NULL when nicknames.csv is absent */
};

/* Load everything from dir; nicknames.csv is optional, the three JSON files are not. */
enum idv_err idv_models_load(const char *dir, struct idv_models *out, char *err, size_t errsz);
void idv_models_cleanup(struct idv_models *m);

/* Read a whole file of at most max bytes (NUL-terminated for convenience). */
enum idv_err idv_model_read_file(const char *path, size_t max, uint8_t **data, size_t *len);

#endif
