/* SPDX-License-Identifier: Apache-2.0 */
/*
 * decision.h: the JSON forms shared by `idverify verify` and the service: claims in, the
 * decision out (outcome, level, model, points, reasons, explanation). jansson.
 */
#ifndef IDVERIFY_DECISION_H
#define IDVERIFY_DECISION_H

#include <jansson.h>

#include "idverify/score.h"

/* obj[key] as a string into out ("" when absent or null). False with a reason in why when it
 * is not a string or does not fit; where names the object in the reason ("claims"). */
bool idv_json_get_str(json_t *obj, const char *key, char *out, size_t outsz, const char *where,
		      char *why, size_t whysz);
/* False with a reason when obj has a key not in keys[0..n) (keys starting with '_' are
 * comments and allowed). */
bool idv_json_only_keys(json_t *obj, const char *const *keys, size_t n, const char *where,
			char *why, size_t whysz);

/*
 * Claims from their JSON object {given_names, family_name, suffix, date_of_birth, email, phone,
 * address: {street, unit, city, state, postal_code}, correcting: "field" or ["field", ...]}.
 * On failure returns false with a reason (naming the key, never the value) in why.
 */
bool idv_claims_from_json(json_t *c, struct idv_claims *out, char *why, size_t whysz);

/* The document kind assumed for an upload of kind "government_id", "proof_of_residence",
 * "drivers_license", "passport", "id_card" when the reader could not tell. */
enum idv_doc_kind idv_doc_kind_for_upload(const char *kind);

/* A new JSON object describing a decision (caller json_decref()s it). with_record adds the
 * matched record's id, which only the business (and `idverify verify`) sees. */
json_t *idv_decision_json(const struct idv_decision *d, bool with_record);

#endif
