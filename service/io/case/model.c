/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.c: loads models/ (policy, standard and heightened models, nicknames) with jansson into
 * the pure structures of score.h (see model.h). Strict: every key required, unknown keys
 * refused, values range-checked; then idv_model_validate() has the last word.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>

#include "idverify/str.h"
#include "model.h"

enum idv_err
idv_model_read_file(const char *path, size_t max, uint8_t **data, size_t *len)
{
	enum idv_err result = IDV_OK;
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;
	*data = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return errno == ENOENT ? IDV_E_NOTFOUND : IDV_E_IO;
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				result = IDV_E_TOOBIG;
				goto out;
			}
			cap = cap ? cap * 2 : 4096;
			buf = idv_realloc(buf, cap + 1);
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
		if (n > max) {
			result = IDV_E_TOOBIG;
			goto out;
		}
	}
	if (ferror(f)) {
		result = IDV_E_IO;
		goto out;
	}
	if (buf == NULL)
		buf = idv_malloc(1);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return result;
}

/* Documentation keys that the strict check lets through. */
static bool
model_doc_key(const char *key)
{
	return key[0] == '_' || strcmp(key, "description") == 0 || strcmp(key, "why") == 0;
}

/* Refuse keys of obj that are not in allowed (nor documentation). */
static bool
model_only_keys(json_t *obj, const char *const *allowed, size_t n, const char *where, char *err,
		size_t errsz)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		(void)v;
		bool ok = model_doc_key(key);
		for (size_t i = 0; i < n && !ok; i++)
			ok = strcmp(key, allowed[i]) == 0;
		if (!ok) {
			idv_why(err, errsz, "%s: unknown key \"%s\"", where, key);
			return false;
		}
	}
	return true;
}

static json_t *
model_get(json_t *obj, const char *key, json_type type, const char *where, char *err,
	  size_t errsz)
{
	json_t *v = json_object_get(obj, key);
	if (v == NULL) {
		idv_why(err, errsz, "%s: missing key \"%s\"", where, key);
		return NULL;
	}
	bool ok = json_typeof(v) == type || (type == JSON_REAL && json_is_integer(v)) ||
		  (type == JSON_TRUE && json_is_boolean(v));
	if (!ok) {
		idv_why(err, errsz, "%s: \"%s\" has the wrong type", where, key);
		return NULL;
	}
	return v;
}

static bool
model_number(json_t *obj, const char *key, double lo, double hi, const char *where, double *out,
	     char *err, size_t errsz)
{
	json_t *v = model_get(obj, key, JSON_REAL, where, err, errsz);
	if (v == NULL)
		return false;
	double d = json_number_value(v);
	if (!isfinite(d) || d < lo || d > hi) {
		idv_why(err, errsz, "%s: \"%s\" must be between %g and %g", where, key, lo, hi);
		return false;
	}
	*out = d;
	return true;
}

static bool
model_int(json_t *obj, const char *key, int lo, int hi, const char *where, int *out, char *err,
	  size_t errsz)
{
	json_t *v = model_get(obj, key, JSON_INTEGER, where, err, errsz);
	if (v == NULL)
		return false;
	json_int_t i = json_integer_value(v);
	if (i < lo || i > hi) {
		idv_why(err, errsz, "%s: \"%s\" must be between %d and %d", where, key, lo, hi);
		return false;
	}
	*out = (int)i;
	return true;
}

static bool
model_bool(json_t *obj, const char *key, const char *where, bool *out, char *err, size_t errsz)
{
	json_t *v = model_get(obj, key, JSON_TRUE, where, err, errsz);
	if (v == NULL)
		return false;
	*out = json_is_true(v);
	return true;
}

static bool
model_string(json_t *obj, const char *key, const char *where, char *out, size_t outsz, char *err,
	     size_t errsz)
{
	json_t *v = model_get(obj, key, JSON_STRING, where, err, errsz);
	if (v == NULL)
		return false;
	const char *s = json_string_value(v);
	if (s[0] == '\0' || !idv_strlcpy(out, s, outsz)) {
		idv_why(err, errsz, "%s: \"%s\" is empty or too long", where, key);
		return false;
	}
	return true;
}

static bool
model_level(json_t *obj, const char *key, const char *where, enum idv_level *out, char *err,
	    size_t errsz)
{
	json_t *v = model_get(obj, key, JSON_STRING, where, err, errsz);
	if (v == NULL)
		return false;
	const char *s = json_string_value(v);
	enum idv_level l = idv_level_lookup(s, strlen(s));
	if (l == IDV_LEVEL__COUNT) {
		idv_why(err, errsz, "%s: \"%s\" must be none, standard or heightened", where, key);
		return false;
	}
	*out = l;
	return true;
}

static bool
model_points(json_t *pts, struct idv_model *m, char *err, size_t errsz)
{
	static const char *const keys[] = {"counts",    "reliable",     "required",
					   "threshold", "typed_weight", "document_weight"};
	const char *names[IDV_PT__COUNT];
	for (int t = 0; t < IDV_PT__COUNT; t++)
		names[t] = idv_point_name((enum idv_point)t);
	if (!model_only_keys(pts, names, IDV_PT__COUNT, "points", err, errsz))
		return false;
	for (int t = 0; t < IDV_PT__COUNT; t++) {
		char where[64];
		int n = snprintf(where, sizeof where, "points.%s", names[t]);
		if (n < 0 || (size_t)n >= sizeof where)
			return false;
		json_t *p = model_get(pts, names[t], JSON_OBJECT, "points", err, errsz);
		if (p == NULL || !model_only_keys(p, keys, IDV_ARRAY_LEN(keys), where, err, errsz))
			return false;
		struct idv_model_point *mp = &m->points[t];
		if (!model_bool(p, "counts", where, &mp->counts, err, errsz) ||
		    !model_bool(p, "reliable", where, &mp->reliable, err, errsz) ||
		    !model_bool(p, "required", where, &mp->required, err, errsz) ||
		    !model_number(p, "threshold", 0.01, 1.0, where, &mp->threshold, err, errsz) ||
		    !model_number(p, "typed_weight", 0.0, 100.0, where, &mp->typed_weight, err, errsz) ||
		    !model_number(p, "document_weight", 0.0, 100.0, where, &mp->document_weight, err,
				  errsz))
			return false;
	}
	return true;
}

/* An array of names, each mapped to an index by lookup (returning n when unknown). */
static bool
model_name_set(json_t *obj, const char *key, const char *where, size_t n,
	       int (*lookup)(const char *, size_t), bool *out, char *err, size_t errsz)
{
	json_t *arr = model_get(obj, key, JSON_ARRAY, where, err, errsz);
	if (arr == NULL)
		return false;
	memset(out, 0, n * sizeof *out);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		int idx = s != NULL ? lookup(s, strlen(s)) : (int)n;
		if (idx < 0 || (size_t)idx >= n) {
			idv_why(err, errsz, "%s.%s: item %zu is not a known name", where, key, i);
			return false;
		}
		out[idx] = true;
	}
	return true;
}

static int
model_lookup_dclass(const char *s, size_t len)
{
	return (int)idv_doc_class_lookup(s, len);
}

static int
model_lookup_idkind(const char *s, size_t len)
{
	static const enum idv_doc_kind ids[] = {IDV_DOC_DRIVERS_LICENSE, IDV_DOC_ID_CARD,
						IDV_DOC_PASSPORT};
	for (size_t i = 0; i < IDV_ARRAY_LEN(ids); i++) {
		const char *nm = idv_doc_kind_name(ids[i]);
		if (strlen(nm) == len && memcmp(nm, s, len) == 0)
			return (int)ids[i];
	}
	return IDV_DOC__COUNT;
}

static int
model_lookup_reskind(const char *s, size_t len)
{
	for (int k = IDV_RES_UTILITY_BILL; k < IDV_RES__COUNT; k++) {
		const char *nm = idv_residence_kind_name((enum idv_residence_kind)k);
		if (strlen(nm) == len && memcmp(nm, s, len) == 0)
			return k;
	}
	return IDV_RES__COUNT;
}

static bool
model_documents(json_t *d, struct idv_model *m, char *err, size_t errsz)
{
	static const char *const keys[] = {
		"required", "government_id_kinds", "proof_of_residence_kinds",
		"proof_of_residence_max_age_days", "expired_id_grace_days", "min_field_confidence",
	};
	const char *w = "documents";
	return model_only_keys(d, keys, IDV_ARRAY_LEN(keys), w, err, errsz) &&
	       model_name_set(d, "required", w, IDV_DCLASS__COUNT, model_lookup_dclass,
			      m->documents_required, err, errsz) &&
	       model_name_set(d, "government_id_kinds", w, IDV_DOC__COUNT, model_lookup_idkind,
			      m->id_kinds_accepted, err, errsz) &&
	       model_name_set(d, "proof_of_residence_kinds", w, IDV_RES__COUNT,
			      model_lookup_reskind, m->residence_kinds_accepted, err, errsz) &&
	       model_int(d, "proof_of_residence_max_age_days", 0, 3660, w,
			 &m->residence_max_age_days, err, errsz) &&
	       model_int(d, "expired_id_grace_days", 0, 3660, w, &m->expired_id_grace_days, err,
			 errsz) &&
	       model_number(d, "min_field_confidence", 0.0, 1.0, w, &m->min_field_confidence, err,
			    errsz);
}

static bool
model_actions(json_t *on, struct idv_model *m, char *err, size_t errsz)
{
	const char *names[IDV_FLAG__COUNT];
	for (int f = 0; f < IDV_FLAG__COUNT; f++)
		names[f] = idv_flag_name((enum idv_flag)f);
	if (!model_only_keys(on, names, IDV_FLAG__COUNT, "on", err, errsz))
		return false;
	for (int f = 0; f < IDV_FLAG__COUNT; f++) {
		json_t *v = model_get(on, names[f], JSON_STRING, "on", err, errsz);
		if (v == NULL)
			return false;
		const char *s = json_string_value(v);
		enum idv_action a = idv_action_lookup(s, strlen(s));
		if (a == IDV_ACT__COUNT) {
			idv_why(err, errsz,
				  "on.%s: must be ignore, accept, manual_review or not_verified",
				  names[f]);
			return false;
		}
		m->on[f] = a;
	}
	return true;
}

enum idv_err
idv_model_parse_json(const char *text, size_t len, enum idv_level expect, struct idv_model *out,
		     char *err, size_t errsz)
{
	static const char *const keys[] = {
		"name", "version", "level", "points_needed", "points", "documents",
		"declaration_required", "ambiguity_margin", "on",
	};
	enum idv_err result = IDV_E_PARSE;
	json_error_t jerr;
	memset(out, 0, sizeof *out);
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		idv_why(err, errsz, "not valid JSON (line %d): %s", jerr.line, jerr.text);
		return IDV_E_PARSE;
	}
	if (!json_is_object(root)) {
		idv_why(err, errsz, "a model is a JSON object");
		goto out;
	}
	json_t *pts, *docs, *on;
	if (!model_only_keys(root, keys, IDV_ARRAY_LEN(keys), "model", err, errsz) ||
	    !model_string(root, "name", "model", out->name, sizeof out->name, err, errsz) ||
	    !model_string(root, "version", "model", out->version, sizeof out->version, err, errsz) ||
	    !model_level(root, "level", "model", &out->level, err, errsz) ||
	    !model_number(root, "points_needed", 0.01, 100.0, "model", &out->points_needed, err,
			  errsz) ||
	    (pts = model_get(root, "points", JSON_OBJECT, "model", err, errsz)) == NULL ||
	    !model_points(pts, out, err, errsz) ||
	    (docs = model_get(root, "documents", JSON_OBJECT, "model", err, errsz)) == NULL ||
	    !model_documents(docs, out, err, errsz) ||
	    !model_bool(root, "declaration_required", "model", &out->declaration_required, err,
			errsz) ||
	    !model_number(root, "ambiguity_margin", 0.0, 100.0, "model", &out->ambiguity_margin, err,
			  errsz) ||
	    (on = model_get(root, "on", JSON_OBJECT, "model", err, errsz)) == NULL ||
	    !model_actions(on, out, err, errsz))
		goto out;
	if (expect != IDV_LEVEL_NONE && out->level != expect) {
		idv_why(err, errsz, "model: level is %s, expected %s", idv_level_name(out->level),
			  idv_level_name(expect));
		result = IDV_E_INVAL;
		goto out;
	}
	char why[128];
	if (idv_model_validate(out, why, sizeof why) != IDV_OK) {
		idv_why(err, errsz, "model: %s", why);
		result = IDV_E_INVAL;
		goto out;
	}
	result = IDV_OK;
out:
	json_decref(root);
	return result;
}

enum idv_err
idv_policy_parse_json(const char *text, size_t len, struct idv_policy *out, char *err,
		      size_t errsz)
{
	static const char *const keys[] = {"name", "version", "request_types", "data_classes",
					   "agents", "attempts"};
	static const char *const akeys[] = {"consumer_must", "permission_required"};
	static const char *const tkeys[] = {"max_attempts", "window_days", "lockout_days"};
	enum idv_err result = IDV_E_PARSE;
	json_error_t jerr;
	memset(out, 0, sizeof *out);
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		idv_why(err, errsz, "not valid JSON (line %d): %s", jerr.line, jerr.text);
		return IDV_E_PARSE;
	}
	json_t *rt, *dc, *ag;
	const char *names[IDV_REQ__COUNT];
	for (int t = 0; t < IDV_REQ__COUNT; t++)
		names[t] = idv_request_type_name((enum idv_request_type)t);
	if (!json_is_object(root) ||
	    !model_only_keys(root, keys, IDV_ARRAY_LEN(keys), "policy", err, errsz) ||
	    !model_string(root, "name", "policy", out->name, sizeof out->name, err, errsz) ||
	    !model_string(root, "version", "policy", out->version, sizeof out->version, err,
			  errsz) ||
	    (rt = model_get(root, "request_types", JSON_OBJECT, "policy", err, errsz)) == NULL ||
	    !model_only_keys(rt, names, IDV_REQ__COUNT, "request_types", err, errsz) ||
	    (dc = model_get(root, "data_classes", JSON_OBJECT, "policy", err, errsz)) == NULL ||
	    (ag = model_get(root, "agents", JSON_OBJECT, "policy", err, errsz)) == NULL ||
	    !model_only_keys(ag, akeys, IDV_ARRAY_LEN(akeys), "agents", err, errsz) ||
	    !model_bool(ag, "permission_required", "agents", &out->agents.permission_required, err,
			errsz))
		goto out;
	json_t *cm = model_get(ag, "consumer_must", JSON_STRING, "agents", err, errsz);
	if (cm == NULL)
		goto out;
	out->agents.consumer_must =
		idv_agent_consumer_lookup(json_string_value(cm), json_string_length(cm));
	if (out->agents.consumer_must == IDV_AGENT_CONSUMER__COUNT) {
		idv_why(err, errsz, "agents.consumer_must must be verify, confirm or either (R24)");
		result = IDV_E_INVAL;
		goto out;
	}
	/* Attempts (R9): optional; the built-in rule when absent. */
	idv_attempts_rule_defaults(&out->attempts);
	json_t *at = json_object_get(root, "attempts");
	if (at != NULL) {
		int max = 0, window = 0, lockout = 0;
		if (!json_is_object(at)) {
			idv_why(err, errsz, "policy: \"attempts\" must be an object");
			goto out;
		}
		if (!model_only_keys(at, tkeys, IDV_ARRAY_LEN(tkeys), "attempts", err, errsz) ||
		    !model_int(at, "max_attempts", 1, 1000, "attempts", &max, err, errsz) ||
		    !model_int(at, "window_days", 1, 366, "attempts", &window, err, errsz) ||
		    !model_int(at, "lockout_days", 1, 366, "attempts", &lockout, err, errsz))
			goto out;
		out->attempts.max_attempts = (uint32_t)max;
		out->attempts.window_s = (int64_t)window * 86400;
		out->attempts.lockout_s = (int64_t)lockout * 86400;
	}
	for (int t = 0; t < IDV_REQ__COUNT; t++)
		if (!model_level(rt, names[t], "request_types", &out->level[t], err, errsz))
			goto out;
	/* Never weaker than the regulations. */
	result = IDV_E_INVAL;
	if (out->level[IDV_REQ_OPT_OUT] != IDV_LEVEL_NONE) {
		idv_why(err, errsz, "request_types.opt_out must be none (R3)");
		goto out;
	}
	if (out->level[IDV_REQ_KNOW_SPECIFIC] != IDV_LEVEL_HEIGHTENED) {
		idv_why(err, errsz, "request_types.know_specific must be heightened (R17)");
		goto out;
	}
	for (int t = 0; t < IDV_REQ__COUNT; t++)
		if (t != IDV_REQ_OPT_OUT && out->level[t] < IDV_LEVEL_STANDARD) {
			idv_why(err, errsz, "request_types.%s must be standard or heightened",
				  names[t]);
			goto out;
		}
	const char *key;
	json_t *v;
	json_object_foreach(dc, key, v) {
		if (model_doc_key(key))
			continue;
		if (out->nclasses >= IDV_POLICY_MAX_CLASSES) {
			idv_why(err, errsz, "data_classes: at most %d", IDV_POLICY_MAX_CLASSES);
			goto out;
		}
		struct idv_policy_class *c = &out->classes[out->nclasses];
		const char *s = json_string_value(v);
		enum idv_level l = s != NULL ? idv_level_lookup(s, strlen(s)) : IDV_LEVEL__COUNT;
		if (l != IDV_LEVEL_STANDARD && l != IDV_LEVEL_HEIGHTENED) {
			idv_why(err, errsz, "data_classes.%s must be standard or heightened", key);
			goto out;
		}
		if (!idv_strlcpy(c->name, key, sizeof c->name)) {
			idv_why(err, errsz, "data_classes: a class name is too long");
			goto out;
		}
		c->level = l;
		out->nclasses++;
	}
	result = IDV_OK;
out:
	json_decref(root);
	return result;
}

static enum idv_err
model_load(const char *path, enum idv_level expect, struct idv_model *m, struct idv_policy *p,
	   char *err, size_t errsz)
{
	uint8_t *data = NULL;
	size_t len = 0;
	enum idv_err e = idv_model_read_file(path, IDV_MODEL_FILE_MAX, &data, &len);
	if (e != IDV_OK) {
		idv_why(err, errsz, "%s: %s", path, idv_err_str(e));
		return e;
	}
	char inner[256] = "";
	if (m != NULL)
		e = idv_model_parse_json((const char *)data, len, expect, m, inner, sizeof inner);
	else
		e = idv_policy_parse_json((const char *)data, len, p, inner, sizeof inner);
	if (e != IDV_OK)
		idv_why(err, errsz, "%s: %s", path, inner);
	free(data);
	return e;
}

enum idv_err
idv_model_load_file(const char *path, enum idv_level expect, struct idv_model *out, char *err,
		    size_t errsz)
{
	return model_load(path, expect, out, NULL, err, errsz);
}

enum idv_err
idv_policy_load_file(const char *path, struct idv_policy *out, char *err, size_t errsz)
{
	return model_load(path, IDV_LEVEL_NONE, NULL, out, err, errsz);
}

static bool
model_path(char *out, size_t outsz, const char *dir, const char *file)
{
	int n = snprintf(out, outsz, "%s/%s", dir, file);
	return n >= 0 && (size_t)n < outsz;
}

enum idv_err
idv_models_load(const char *dir, struct idv_models *out, char *err, size_t errsz)
{
	enum idv_err e;
	char path[4096];
	uint8_t *data = NULL;
	size_t len = 0;
	memset(out, 0, sizeof *out);
	if (!model_path(path, sizeof path, dir, "policy.json")) {
		e = IDV_E_TOOBIG;
		goto fail;
	}
	if ((e = idv_policy_load_file(path, &out->policy, err, errsz)) != IDV_OK)
		goto fail;
	if (!model_path(path, sizeof path, dir, "standard.json")) {
		e = IDV_E_TOOBIG;
		goto fail;
	}
	if ((e = idv_model_load_file(path, IDV_LEVEL_STANDARD, &out->standard, err, errsz)) != IDV_OK)
		goto fail;
	if (!model_path(path, sizeof path, dir, "heightened.json")) {
		e = IDV_E_TOOBIG;
		goto fail;
	}
	if ((e = idv_model_load_file(path, IDV_LEVEL_HEIGHTENED, &out->heightened, err, errsz)) !=
	    IDV_OK)
		goto fail;
	if (!model_path(path, sizeof path, dir, "nicknames.csv")) {
		e = IDV_E_TOOBIG;
		goto fail;
	}
	e = idv_model_read_file(path, IDV_MODEL_FILE_MAX, &data, &len);
	if (e == IDV_E_NOTFOUND)
		return IDV_OK;
	if (e != IDV_OK) {
		idv_why(err, errsz, "%s: %s", path, idv_err_str(e));
		goto fail;
	}
	out->nicknames = idv_malloc(sizeof *out->nicknames);
	size_t line = 0;
	e = idv_nicknames_parse(data, len, out->nicknames, &line);
	free(data);
	if (e != IDV_OK) {
		idv_why(err, errsz, "%s: line %zu: %s", path, line, idv_err_str(e));
		goto fail;
	}
	return IDV_OK;
fail:
	idv_models_cleanup(out);
	return e;
}

void
idv_models_cleanup(struct idv_models *m)
{
	IDV_FREE(m->nicknames);
}
