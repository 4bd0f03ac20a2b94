/* SPDX-License-Identifier: Apache-2.0 */
/* decision.c: claims from JSON and decisions to JSON (decision.h). */
#include <math.h>
#include <stdarg.h>

#include "decision.h"
#include "idverify/str.h"

static bool __attribute__((format(printf, 3, 4)))
decision_fail(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	idv_vwhy(why, whysz, fmt, ap);
	va_end(ap);
	return false;
}

bool
idv_json_get_str(json_t *obj, const char *key, char *out, size_t outsz, const char *where, char *why,
	     size_t whysz)
{
	json_t *v = json_object_get(obj, key);
	out[0] = '\0';
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v))
		return decision_fail(why, whysz, "%s.%s must be a string", where, key);
	if (!idv_strlcpy(out, json_string_value(v), outsz))
		return decision_fail(why, whysz, "%s.%s is too long", where, key);
	return true;
}

bool
idv_json_only_keys(json_t *obj, const char *const *keys, size_t n, const char *where, char *why,
		   size_t whysz)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		(void)v;
		bool ok = key[0] == '_';
		for (size_t i = 0; i < n && !ok; i++)
			ok = strcmp(key, keys[i]) == 0;
		if (!ok)
			return decision_fail(why, whysz, "%s: unknown key \"%.40s\"", where, key);
	}
	return true;
}

/* A correct request's fields: point names, or claim keys that belong to a point. */
static bool
decision_correcting_one(const char *s, unsigned *bits, char *why, size_t whysz)
{
	static const struct {
		const char *name;
		enum idv_point pt;
	} map[] = {
		{"name", IDV_PT_NAME}, {"given_names", IDV_PT_NAME}, {"family_name", IDV_PT_NAME},
		{"date_of_birth", IDV_PT_DOB}, {"address", IDV_PT_ADDRESS}, {"street", IDV_PT_ADDRESS},
		{"unit", IDV_PT_ADDRESS}, {"city", IDV_PT_ADDRESS}, {"state", IDV_PT_ADDRESS},
		{"postal_code", IDV_PT_ADDRESS}, {"email", IDV_PT_EMAIL}, {"phone", IDV_PT_PHONE},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(map); i++)
		if (strcmp(s, map[i].name) == 0) {
			*bits |= 1u << map[i].pt;
			return true;
		}
	return decision_fail(why, whysz, "claims.correcting: unknown field \"%.40s\"", s);
}

bool
idv_claims_from_json(json_t *c, struct idv_claims *out, char *why, size_t whysz)
{
	static const char *const keys[] = {"given_names", "family_name", "suffix", "date_of_birth",
					   "email", "phone", "address", "correcting",
					   "data_classes"};
	static const char *const akeys[] = {"street", "unit", "city", "state", "postal_code"};
	memset(out, 0, sizeof *out);
	if (!json_is_object(c))
		return decision_fail(why, whysz, "claims must be an object");
	if (!idv_json_only_keys(c, keys, IDV_ARRAY_LEN(keys), "claims", why, whysz) ||
	    !idv_json_get_str(c, "given_names", out->given_names, sizeof out->given_names, "claims",
			  why, whysz) ||
	    !idv_json_get_str(c, "family_name", out->family_name, sizeof out->family_name, "claims",
			  why, whysz) ||
	    !idv_json_get_str(c, "suffix", out->suffix, sizeof out->suffix, "claims", why, whysz) ||
	    !idv_json_get_str(c, "date_of_birth", out->date_of_birth, sizeof out->date_of_birth,
			  "claims", why, whysz) ||
	    !idv_json_get_str(c, "email", out->email, sizeof out->email, "claims", why, whysz) ||
	    !idv_json_get_str(c, "phone", out->phone, sizeof out->phone, "claims", why, whysz))
		return false;
	json_t *a = json_object_get(c, "address");
	if (a != NULL && !json_is_null(a)) {
		struct idv_address_in *ad = &out->address;
		if (!json_is_object(a))
			return decision_fail(why, whysz, "claims.address must be an object");
		if (!idv_json_only_keys(a, akeys, IDV_ARRAY_LEN(akeys), "claims.address", why,
					whysz) ||
		    !idv_json_get_str(a, "street", ad->street, sizeof ad->street, "claims.address", why,
				  whysz) ||
		    !idv_json_get_str(a, "unit", ad->unit, sizeof ad->unit, "claims.address", why,
				  whysz) ||
		    !idv_json_get_str(a, "city", ad->city, sizeof ad->city, "claims.address", why,
				  whysz) ||
		    !idv_json_get_str(a, "state", ad->state, sizeof ad->state, "claims.address", why,
				  whysz) ||
		    !idv_json_get_str(a, "postal_code", ad->postal_code, sizeof ad->postal_code,
				  "claims.address", why, whysz))
			return false;
	}
	json_t *corr = json_object_get(c, "correcting");
	if (json_is_string(corr)) {
		if (!decision_correcting_one(json_string_value(corr), &out->correcting, why, whysz))
			return false;
	} else if (json_is_array(corr)) {
		size_t i;
		json_t *v;
		json_array_foreach(corr, i, v)
		{
			if (!json_is_string(v))
				return decision_fail(why, whysz,
						     "claims.correcting must hold strings");
			if (!decision_correcting_one(json_string_value(v), &out->correcting, why,
						     whysz))
				return false;
		}
	} else if (corr != NULL && !json_is_null(corr)) {
		return decision_fail(why, whysz,
				     "claims.correcting must be a string or an array");
	}
	return true;
}

enum idv_doc_kind
idv_doc_kind_for_upload(const char *kind)
{
	if (strcmp(kind, "proof_of_residence") == 0)
		return IDV_DOC_PROOF_OF_RESIDENCE;
	if (strcmp(kind, "drivers_license") == 0)
		return IDV_DOC_DRIVERS_LICENSE;
	if (strcmp(kind, "passport") == 0)
		return IDV_DOC_PASSPORT;
	return IDV_DOC_ID_CARD; /* government_id, id_card */
}

static json_t *
decision_num(double v)
{
	return json_real(round(v * 1000.0) / 1000.0);
}

static json_t *
decision_model(const struct idv_decision_model *m)
{
	if (m->name[0] == '\0')
		return json_null();
	return json_pack("{s:s, s:s}", "name", m->name, "version", m->version);
}

json_t *
idv_decision_json(const struct idv_decision *d, bool with_record)
{
	json_t *o = json_object();
	json_object_set_new(o, "outcome", json_string(idv_outcome_name(d->outcome)));
	json_object_set_new(o, "level", json_string(idv_level_name(d->level)));
	json_object_set_new(o, "level_required", json_string(idv_level_name(d->level_required)));
	json_object_set_new(o, "request_type", json_string(idv_request_type_name(d->request_type)));
	if (with_record)
		json_object_set_new(o, "record_id",
				    d->has_record ? json_string(d->record_id) : json_null());
	json_object_set_new(o, "model", decision_model(&d->model));
	json_t *ms = json_array();
	for (size_t i = 0; i < d->nmodels; i++)
		json_array_append_new(ms, decision_model(&d->models[i]));
	json_object_set_new(o, "models_evaluated", ms);
	json_object_set_new(o, "policy", decision_model(&d->policy));
	json_object_set_new(o, "candidates", json_integer((json_int_t)d->ncandidates));
	json_t *pts = json_array();
	for (int t = 0; d->has_points && t < IDV_PT__COUNT; t++) {
		const struct idv_point_result *r = &d->points[t];
		json_array_append_new(
			pts, json_pack("{s:s, s:s, s:o, s:b, s:o, s:s, s:s}", "type",
				       idv_point_name(r->type), "source",
				       idv_point_source_name(r->source), "score",
				       decision_num(r->score), "counted", r->counted, "value",
				       decision_num(r->value), "reason", idv_reason_name(r->reason),
				       "why", r->why != NULL ? r->why : ""));
	}
	json_object_set_new(o, "points", pts);
	json_object_set_new(o, "total", decision_num(d->total));
	json_object_set_new(o, "needed", decision_num(d->needed));
	json_t *rs = json_array();
	for (size_t i = 0; i < d->nreasons; i++)
		json_array_append_new(rs, json_pack("{s:s, s:s}", "code", d->reasons[i].code,
						    "detail", d->reasons[i].detail));
	json_object_set_new(o, "reasons", rs);
	char *expl = idv_malloc(8192);
	idv_decision_explain(d, expl, 8192);
	json_object_set_new(o, "explanation", json_string(expl));
	free(expl);
	return o;
}
