/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_verify.c: `idverify verify --records FILE.csv [--models DIR] [--today YYYY-MM-DD]
 * CASE.json` runs one verification decision offline and prints it as JSON.
 *
 * CASE.json:
 *   {"request_type": "know_categories|know_specific|delete|correct|opt_out",
 *    "level": "standard|heightened" (optional: can raise, never lower, the policy's level),
 *    "data_classes": ["contact_information", ...] (optional, delete/correct),
 *    "claims": {"given_names", "family_name", "suffix", "date_of_birth", "email", "phone",
 *               "address": {"street", "unit", "city", "state", "postal_code"},
 *               "correcting": "address" | ["email", ...] (correct requests, R11)},
 *    "documents": [{"kind": "government_id|proof_of_residence", "files": [paths]}],
 *    "declaration": {"signed": true, "typed_name": "..."},
 *    "agent": {"proof": "signed_permission|power_of_attorney|secretary_of_state_registration"}
 *             (optional: the request was filed by an authorized agent with this proof),
 *    "history": {"access_answered_12_months": N} (optional: requests to know already answered
 *             for this consumer, which serve counts in its database; R38),
 *    "contact_code": {"record_id": "R001"} (optional: a one-time code sent to that record's own
 *             e-mail or phone came back, which serve records when the code is confirmed; the
 *             contact_code point, issue 15)}
 *
 * Document files (paths relative to CASE.json) are read with idv_extract_file(); the files of
 * one document (front and back) are merged. FOR TESTS AND REVIEWERS a document may give, instead
 * of "files", a "fields" object of already-read values, so that scenario sets do not depend on
 * OCR: {"family_name", "given_names", "name_suffix", "date_of_birth", "expiry_date", "street",
 * "unit", "city", "state", "postal_code", "holder_name", "statement_date", "issuer", ...
 * (any field name of document.h), "residence_kind": "utility_bill|...", "document_kind":
 * "drivers_license|id_card|passport", "status": "ok|unreadable", "source": "pdf417|mrz|ocr|
 * pdf_text|barcode", "confidence": 0..1, "checks": {"name": "pass|fail"}}.
 *
 * Output: {"outcome", "level", "level_required", "request_type", "record_id", "model",
 * "models_evaluated", "policy", "candidates", "points": [{"type", "source", "score", "counted",
 * "value", "reason", "why"}], "total", "needed", "reasons": [{"code", "detail"}],
 * "explanation", "refused" (a reason code when the policy's procedure refuses the request
 * although the person was verified, else null), "deadlines": {"received" (--today),
 * "acknowledge_by", "respond_by", "extension_until" (null when the policy allows none)}}. Exit status 0 when a decision was printed, 1 on bad input, 2 on bad usage.
 */
#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <math.h>
#include <time.h>

#include "cmd.h"
#include "decision.h"
#include "idverify/docmerge.h"
#include "extract.h"
#include "idverify/limits.h"
#include "idverify/verdict.h"
#include "model.h"
#include "vocab.h"

#define VERIFY_MAX_RECORDS 2000000u
#define VERIFY_MAX_CANDIDATES 4096u
#define VERIFY_MAX_CLASSES 16u

static void
verify_usage(FILE *out)
{
	fprintf(out,
		"usage: idverify verify --records FILE.csv [--models DIR] [--today YYYY-MM-DD] "
		"CASE.json\n\n"
		"Runs one verification decision against the records and prints it as JSON.\n"
		"  --records FILE  the business's existing customer records (CSV)\n"
		"  --models DIR    policy.json, standard.json, heightened.json, nicknames.csv\n"
		"                  (default: ./models)\n"
		"  --today DATE    the date decisions are made on (default: today, UTC)\n");
}

/* ---- Records ---- */

struct verify_records {
	struct idv_record *v;
	size_t n, cap;
};

static enum idv_err
verify_load_records(const char *path, struct verify_records *out)
{
	enum idv_err result = IDV_OK;
	uint8_t *data = NULL;
	size_t len = 0;
	char scratch[IDV_COL__COUNT * IDV_LIMIT_RECORD_FIELD * 2];
	struct idv_csv_cell cells[64];
	struct idv_csv csv;
	int map[IDV_COL__COUNT];
	size_t n, header_cells = 0;
	enum idv_err e = idv_model_read_file(path, IDV_LIMIT_RECORDS_FILE, &data, &len);
	if (e != IDV_OK) {
		fprintf(stderr, "idverify verify: %s: %s\n", path, idv_err_str(e));
		return e;
	}
	idv_csv_init(&csv, data, len, scratch, sizeof scratch, cells, IDV_ARRAY_LEN(cells));
	if ((e = idv_csv_next(&csv, &n)) != IDV_OK) {
		fprintf(stderr, "idverify verify: %s: no header row\n", path);
		result = e == IDV_E_NOTFOUND ? IDV_E_PARSE : e;
		goto out;
	}
	header_cells = n;
	if ((e = idv_record_header(cells, n, map)) != IDV_OK) {
		fprintf(stderr,
			"idverify verify: %s: bad header (%s; id and family_name are needed)\n",
			path, idv_err_str(e));
		result = e;
		goto out;
	}
	while ((e = idv_csv_next(&csv, &n)) == IDV_OK) {
		if (n != header_cells) {
			fprintf(stderr, "idverify verify: %s:%zu: %zu cells, the header has %zu\n",
				path, csv.row_line, n, header_cells);
			result = IDV_E_PARSE;
			goto out;
		}
		if (out->n >= VERIFY_MAX_RECORDS) {
			result = IDV_E_TOOBIG;
			goto out;
		}
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 256;
			size_t bytes;
			if (idv_size_mul(out->cap, sizeof *out->v, &bytes)) {
				result = IDV_E_TOOBIG;
				goto out;
			}
			out->v = idv_realloc(out->v, bytes);
		}
		enum idv_record_col bad = IDV_COL_ID;
		e = idv_record_from_row(map, cells, n, &out->v[out->n], &bad);
		if (e != IDV_OK) {
			fprintf(stderr, "idverify verify: %s:%zu: column %s: %s\n", path,
				csv.row_line, idv_record_columns[bad], idv_err_str(e));
			result = e;
			goto out;
		}
		out->n++;
	}
	if (e != IDV_E_NOTFOUND) {
		fprintf(stderr, "idverify verify: %s:%zu: %s\n", path, csv.err_line,
			idv_err_str(e));
		result = e;
	}
out:
	free(data);
	return result;
}

/* ---- The case ---- */

/* Error reporting for the JSON helpers of decision.h. */
static bool
verify_str(json_t *obj, const char *key, char *out, size_t outsz, const char *where)
{
	char why[200];
	if (idv_json_get_str(obj, key, out, outsz, where, why, sizeof why))
		return true;
	fprintf(stderr, "idverify verify: %s\n", why);
	return false;
}

static bool
verify_only_keys(json_t *obj, const char *const *keys, size_t n, const char *where)
{
	char why[200];
	if (idv_json_only_keys(obj, keys, n, where, why, sizeof why))
		return true;
	fprintf(stderr, "idverify verify: %s\n", why);
	return false;
}

static bool
verify_doc_fields(json_t *f, const char *kind, struct idv_document *doc)
{
	bool por = strcmp(kind, "proof_of_residence") == 0;
	enum idv_source src = por ? IDV_SRC_PDF_TEXT : IDV_SRC_PDF417;
	float conf = 1.0f;
	json_t *v;
	if (!json_is_object(f)) {
		fprintf(stderr, "idverify verify: documents[].fields must be an object\n");
		return false;
	}
	idv_document_init(doc);
	doc->kind = idv_doc_kind_for_upload(kind);
	if ((v = json_object_get(f, "source")) != NULL) {
		const char *s = json_string_value(v);
		bool found = false;
		for (int i = IDV_SRC_PDF417; s != NULL && i < IDV_SRC__COUNT; i++)
			if (strcmp(s, idv_source_name((enum idv_source)i)) == 0) {
				src = (enum idv_source)i;
				found = true;
			}
		if (!found) {
			fprintf(stderr, "idverify verify: fields.source is not a reader source\n");
			return false;
		}
	}
	if ((v = json_object_get(f, "confidence")) != NULL) {
		if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1) {
			fprintf(stderr, "idverify verify: fields.confidence must be in [0,1]\n");
			return false;
		}
		conf = (float)json_number_value(v);
	}
	const char *key;
	json_object_foreach(f, key, v)
	{
		if (key[0] == '_' || strcmp(key, "source") == 0 || strcmp(key, "confidence") == 0)
			continue;
		if (strcmp(key, "checks") == 0) {
			const char *ck;
			json_t *cv;
			if (!json_is_object(v))
				goto bad;
			json_object_foreach(v, ck, cv)
			{
				const char *r = json_string_value(cv);
				if (r == NULL || (strcmp(r, "pass") != 0 && strcmp(r, "fail") != 0))
					goto bad;
				idv_document_check(doc, ck,
						   strcmp(r, "pass") == 0 ? IDV_CHECK_PASS
									  : IDV_CHECK_FAIL,
						   "given in the test case");
			}
			continue;
		}
		const char *s = json_string_value(v);
		if (s == NULL)
			goto bad;
		if (strcmp(key, "status") == 0) {
			if (strcmp(s, "unreadable") == 0) {
				doc->status = IDV_DOCSTAT_UNREADABLE;
				doc->err = IDV_E_UNREADABLE;
				idv_strlcpy(doc->error_detail, "marked unreadable in the test case",
					    sizeof doc->error_detail);
			} else if (strcmp(s, "ok") != 0) {
				goto bad;
			}
		} else if (strcmp(key, "residence_kind") == 0) {
			doc->residence_kind = idv_residence_kind_lookup(s, strlen(s));
			if (doc->residence_kind == IDV_RES__COUNT)
				goto bad;
		} else if (strcmp(key, "document_kind") == 0) {
			doc->kind = idv_doc_kind_lookup(s, strlen(s));
			if (doc->kind == IDV_DOC__COUNT)
				goto bad;
		} else {
			enum idv_field_id id = idv_field_lookup(key, strlen(key));
			if (id == IDV_F__COUNT)
				goto bad;
			idv_document_set(doc, id, s, strlen(s), src, conf, NULL);
		}
		continue;
bad:
		fprintf(stderr, "idverify verify: documents[].fields.%s is not valid\n", key);
		return false;
	}
	return true;
}

static bool
verify_doc_files(json_t *files, const char *kind, const char *base, int64_t today,
		 const char *models_dir, struct idv_document *doc)
{
	struct idv_extract_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.today_days = today;
	opts.models_dir = models_dir;
	opts.hint = strcmp(kind, "proof_of_residence") == 0 ? IDV_HINT_PROOF_OF_RESIDENCE
							    : IDV_HINT_GOVERNMENT_ID;
	if (!json_is_array(files) || json_array_size(files) == 0) {
		fprintf(stderr, "idverify verify: documents[].files must be a non-empty array\n");
		return false;
	}
	idv_document_init(doc);
	bool any_ok = false;
	struct idv_document *one = idv_malloc(sizeof *one);
	size_t i;
	json_t *v;
	json_array_foreach(files, i, v)
	{
		const char *rel = json_string_value(v);
		char path[4096];
		if (rel == NULL) {
			fprintf(stderr, "idverify verify: documents[].files[%zu] is not a string\n",
				i);
			free(one);
			return false;
		}
		bool fits = rel[0] == '/' ? idv_strlcpy(path, rel, sizeof path)
					  : idv_fmt(path, sizeof path, "%s/%s", base, rel);
		if (!fits) {
			free(one);
			return false;
		}
		enum idv_err e = idv_extract_file(path, &opts, one);
		if (e != IDV_OK) {
			one->status = IDV_DOCSTAT_UNREADABLE;
			one->err = e;
			idv_strlcpy(one->error_detail, idv_err_str(e), sizeof one->error_detail);
		}
		if (one->status == IDV_DOCSTAT_OK) {
			/* Another file of the same document (front and back): one reading. */
			if (any_ok) {
				struct idv_document *merged = idv_malloc(sizeof *merged);
				idv_document_merge(doc, one, merged);
				*doc = *merged;
				free(merged);
			} else {
				*doc = *one;
			}
			any_ok = true;
		} else if (!any_ok && doc->status == IDV_DOCSTAT_OK && i == 0) {
			doc->status = one->status;
			doc->err = one->err;
			idv_strlcpy(doc->error_detail, one->error_detail, sizeof doc->error_detail);
		}
	}
	free(one);
	if (any_ok) {
		doc->status = IDV_DOCSTAT_OK;
		doc->err = IDV_OK;
		doc->error_detail[0] = '\0';
	}
	if (doc->kind == IDV_DOC_UNKNOWN)
		doc->kind = idv_doc_kind_for_upload(kind);
	return true;
}

struct verify_case {
	enum idv_request_type type;
	enum idv_level level;
	const char *classes[VERIFY_MAX_CLASSES];
	size_t nclasses;
	struct idv_claims claims;
	struct idv_declaration decl;
	struct idv_document *docs;
	size_t ndocs;
	struct idv_request_facts facts;
};

/* "agent" and "history": what the procedure's rules need beyond the evidence. */
static bool
verify_parse_facts(json_t *root, struct idv_request_facts *f)
{
	static const char *const akeys[] = {"proof"};
	static const char *const hkeys[] = {"access_answered_12_months"};
	json_t *ag = json_object_get(root, "agent");
	if (ag != NULL && !json_is_null(ag)) {
		const char *proof = json_string_value(json_object_get(ag, "proof"));
		if (!json_is_object(ag) ||
		    !verify_only_keys(ag, akeys, IDV_ARRAY_LEN(akeys), "agent"))
			return false;
		f->by_agent = true;
		f->agent_proof = proof != NULL ? idv_agent_proof_lookup(proof, strlen(proof))
					       : IDV_AGENT_PROOF__COUNT;
		if (f->agent_proof == IDV_AGENT_PROOF__COUNT) {
			fprintf(stderr, "idverify verify: agent.proof must be signed_permission, "
					"power_of_attorney or secretary_of_state_registration\n");
			return false;
		}
	}
	json_t *hi = json_object_get(root, "history");
	if (hi != NULL && !json_is_null(hi)) {
		json_t *n = json_object_get(hi, "access_answered_12_months");
		if (!json_is_object(hi) ||
		    !verify_only_keys(hi, hkeys, IDV_ARRAY_LEN(hkeys), "history") ||
		    !json_is_integer(n) || json_integer_value(n) < 0 ||
		    json_integer_value(n) > 1000) {
			fprintf(stderr,
				"idverify verify: history.access_answered_12_months must be "
				"0 to 1000\n");
			return false;
		}
		f->access_answered_12_months = (long)json_integer_value(n);
	}
	return true;
}

static bool
verify_parse_case(json_t *root, const char *base, int64_t today, const char *models_dir,
		  struct verify_case *vc)
{
	static const char *const keys[] = {"request_type", "level",     "data_classes",
					   "claims",       "documents", "declaration",
					   "agent",        "history",   "contact_code"};
	static const char *const dkeys[] = {"kind", "files", "fields"};
	if (!json_is_object(root) || !verify_only_keys(root, keys, IDV_ARRAY_LEN(keys), "case"))
		return false;
	const char *rt = json_string_value(json_object_get(root, "request_type"));
	vc->type = rt != NULL ? idv_request_type_lookup(rt, strlen(rt)) : IDV_REQ__COUNT;
	if (vc->type == IDV_REQ__COUNT) {
		fprintf(stderr, "idverify verify: request_type must be one of %s\n",
			idv_vocab_request_types.list);
		return false;
	}
	json_t *lv = json_object_get(root, "level");
	vc->level = IDV_LEVEL_NONE;
	if (lv != NULL && !json_is_null(lv)) {
		const char *s = json_string_value(lv);
		vc->level = s != NULL ? idv_level_lookup(s, strlen(s)) : IDV_LEVEL__COUNT;
		if (vc->level != IDV_LEVEL_STANDARD && vc->level != IDV_LEVEL_HEIGHTENED) {
			fprintf(stderr, "idverify verify: level must be standard or heightened\n");
			return false;
		}
	}
	json_t *dc = json_object_get(root, "data_classes");
	if (dc != NULL) {
		size_t i;
		json_t *v;
		if (!json_is_array(dc) || json_array_size(dc) > VERIFY_MAX_CLASSES) {
			fprintf(stderr,
				"idverify verify: data_classes must be an array (at most %u)\n",
				VERIFY_MAX_CLASSES);
			return false;
		}
		json_array_foreach(dc, i, v)
		{
			if (!json_is_string(v))
				return false;
			vc->classes[vc->nclasses++] = json_string_value(v);
		}
	}
	json_t *cl = json_object_get(root, "claims");
	if (vc->type != IDV_REQ_OPT_OUT || cl != NULL) {
		if (cl == NULL) {
			fprintf(stderr, "idverify verify: claims are required\n");
			return false;
		}
		char why[200];
		if (!idv_claims_from_json(cl, &vc->claims, why, sizeof why)) {
			fprintf(stderr, "idverify verify: %s\n", why);
			return false;
		}
	}
	json_t *cc = json_object_get(root, "contact_code");
	if (cc != NULL) {
		static const char *const ckeys[] = {"record_id"};
		if (!json_is_object(cc) ||
		    !verify_only_keys(cc, ckeys, IDV_ARRAY_LEN(ckeys), "contact_code") ||
		    !verify_str(cc, "record_id", vc->claims.contact_record,
				sizeof vc->claims.contact_record, "contact_code"))
			return false;
	}
	json_t *de = json_object_get(root, "declaration");
	if (de != NULL && !json_is_null(de)) {
		static const char *const dekeys[] = {"signed", "typed_name"};
		if (!json_is_object(de) ||
		    !verify_only_keys(de, dekeys, IDV_ARRAY_LEN(dekeys), "declaration") ||
		    !verify_str(de, "typed_name", vc->decl.typed_name, sizeof vc->decl.typed_name,
				"declaration"))
			return false;
		vc->decl.present = true;
		vc->decl.is_signed = json_is_true(json_object_get(de, "signed"));
	}
	if (!verify_parse_facts(root, &vc->facts))
		return false;
	json_t *docs = json_object_get(root, "documents");
	if (docs != NULL && !json_is_null(docs)) {
		if (!json_is_array(docs) || json_array_size(docs) > 8) {
			fprintf(stderr,
				"idverify verify: documents must be an array of at most 8\n");
			return false;
		}
		vc->docs = idv_calloc(json_array_size(docs) + 1, sizeof *vc->docs);
		size_t i;
		json_t *d;
		json_array_foreach(docs, i, d)
		{
			if (!json_is_object(d) ||
			    !verify_only_keys(d, dkeys, IDV_ARRAY_LEN(dkeys), "documents[]"))
				return false;
			const char *kind = json_string_value(json_object_get(d, "kind"));
			if (kind == NULL ||
			    (strcmp(kind, "government_id") != 0 &&
			     strcmp(kind, "proof_of_residence") != 0 &&
			     strcmp(kind, "drivers_license") != 0 && strcmp(kind, "id_card") != 0 &&
			     strcmp(kind, "passport") != 0)) {
				fprintf(stderr,
					"idverify verify: documents[%zu].kind must be "
					"government_id or proof_of_residence\n",
					i);
				return false;
			}
			json_t *fields = json_object_get(d, "fields");
			json_t *files = json_object_get(d, "files");
			bool ok = fields != NULL ? verify_doc_fields(fields, kind, &vc->docs[i])
						 : verify_doc_files(files, kind, base, today,
								    models_dir, &vc->docs[i]);
			if (!ok)
				return false;
			vc->ndocs++;
		}
	}
	return true;
}

/* ---- Candidates ---- */

/* Claims made of what a document says, for blocking only. */
static void
verify_doc_claims(const struct idv_document *d, unsigned correcting, struct idv_claims *c)
{
	static const struct {
		enum idv_field_id id;
		size_t off, size;
	} map[] = {
#define VERIFY_F(fid, member)                                                                      \
	{fid, offsetof(struct idv_claims, member), sizeof(((struct idv_claims *)0)->member)}
		VERIFY_F(IDV_F_GIVEN_NAMES, given_names),
		VERIFY_F(IDV_F_FAMILY_NAME, family_name),
		VERIFY_F(IDV_F_DATE_OF_BIRTH, date_of_birth),
		VERIFY_F(IDV_F_STREET, address.street),
		VERIFY_F(IDV_F_UNIT, address.unit),
		VERIFY_F(IDV_F_CITY, address.city),
		VERIFY_F(IDV_F_STATE, address.state),
		VERIFY_F(IDV_F_POSTAL_CODE, address.postal_code),
#undef VERIFY_F
	};
	memset(c, 0, sizeof *c);
	c->correcting = correcting;
	if (d->status != IDV_DOCSTAT_OK)
		return;
	for (size_t i = 0; i < IDV_ARRAY_LEN(map); i++)
		if (d->fields[map[i].id].present)
			idv_strlcpy((char *)c + map[i].off, d->fields[map[i].id].value,
				    map[i].size);
}

/*
 * Candidate records: those sharing a blocking key with the claims or with what a document
 * says (an ID's date of birth when none was typed). Indexes in record order, no duplicates.
 */
static enum idv_err
verify_select(const struct verify_records *recs, const struct verify_case *vc, size_t *idx,
	      size_t *nidx)
{
	enum idv_err e = IDV_OK;
	size_t nkeys = vc->ndocs + 1;
	struct idv_block_keys *keys = idv_calloc(nkeys, sizeof *keys);
	struct idv_block_keys *rk = idv_malloc(sizeof *rk);
	idv_match_claims_keys(&vc->claims, &keys[0]);
	for (size_t k = 0; k < vc->ndocs; k++) {
		struct idv_claims dc;
		verify_doc_claims(&vc->docs[k], vc->claims.correcting, &dc);
		idv_match_claims_keys(&dc, &keys[k + 1]);
	}
	*nidx = 0;
	/* One pass: each record's keys are computed once. */
	for (size_t i = 0; i < recs->n; i++) {
		idv_match_record_keys(&recs->v[i], rk);
		for (size_t k = 0; k < nkeys; k++) {
			if (!idv_match_keys_overlap(&keys[k], rk))
				continue;
			if (*nidx >= VERIFY_MAX_CANDIDATES) {
				e = IDV_E_TOOBIG;
				goto out;
			}
			idx[(*nidx)++] = i;
			break;
		}
	}
out:
	free(rk);
	free(keys);
	return e;
}

/* ---- Output ---- */

/* ---- The command ---- */

static bool
verify_today(const char *arg, int64_t *out)
{
	struct idv_date d;
	if (arg != NULL) {
		if (idv_date_parse(arg, strlen(arg), &d) != IDV_OK)
			return false;
		*out = idv_date_to_days(&d);
		return true;
	}
	time_t now = time(NULL);
	if (now == (time_t)-1)
		return false;
	*out = (int64_t)(now / 86400);
	return true;
}

/* The due dates of a request received on today under the procedure. */
static json_t *
verify_deadlines(const struct idv_procedure *p, int64_t today)
{
	struct idv_date rec, ext;
	struct idv_deadlines dl;
	char a[11], b[11], c[11], e[11];
	idv_date_from_days(today, &rec);
	if (idv_procedure_deadlines(p, &rec, 0, &dl) != IDV_OK)
		return json_null();
	ext = rec;
	bool can_extend = idv_procedure_extension_limit(p, &rec, &ext);
	idv_date_format(&rec, a);
	idv_date_format(&dl.acknowledge_by, b);
	idv_date_format(&dl.respond_by, c);
	idv_date_format(&ext, e);
	return json_pack("{s:s,s:s,s:s,s:o}", "received", a, "acknowledge_by", b, "respond_by", c,
			 "extension_until", can_extend ? json_string(e) : json_null());
}

struct verify_args {
	const char *records_path, *models_dir, *today_arg, *case_path;
};

/* The command line into a: -1 when it is complete, else the exit status (0 after --help). */
static int
verify_args(int argc, char **argv, struct verify_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			verify_usage(stdout);
			return 0;
		}
		const char **dst = strcmp(arg, "--records") == 0  ? &a->records_path
				   : strcmp(arg, "--models") == 0 ? &a->models_dir
				   : strcmp(arg, "--today") == 0  ? &a->today_arg
								  : NULL;
		if (dst != NULL) {
			if (i + 1 >= argc) {
				verify_usage(stderr);
				return 2;
			}
			*dst = argv[++i];
		} else if (arg[0] == '-' || a->case_path != NULL) {
			verify_usage(stderr);
			return 2;
		} else {
			a->case_path = arg;
		}
	}
	if (a->records_path == NULL || a->case_path == NULL) {
		verify_usage(stderr);
		return 2;
	}
	return -1;
}

/* The case file as JSON (*root, the caller's) parsed into vc; false after saying why. */
static bool
verify_read_case(const struct verify_args *a, int64_t today, json_t **root, struct verify_case *vc)
{
	uint8_t *text = NULL;
	size_t len = 0;
	enum idv_err e = idv_model_read_file(a->case_path, IDV_LIMIT_JSON_BODY * 16, &text, &len);
	if (e != IDV_OK) {
		fprintf(stderr, "idverify verify: %s: %s\n", a->case_path, idv_err_str(e));
		return false;
	}
	json_error_t jerr;
	*root = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (*root == NULL) {
		fprintf(stderr, "idverify verify: %s:%d: %s\n", a->case_path, jerr.line, jerr.text);
		return false;
	}
	char *case_copy = idv_strdup(a->case_path);
	bool ok = verify_parse_case(*root, dirname(case_copy), today, a->models_dir, vc);
	free(case_copy);
	return ok;
}

/* The decision on vc against the records that share a key with it, printed as JSON: the exit
 * status. */
static int
verify_decide(const struct verify_records *recs, const struct verify_case *vc,
	      const struct idv_models *models, int64_t today)
{
	int status = 1;
	size_t *idx = idv_calloc(VERIFY_MAX_CANDIDATES, sizeof *idx);
	size_t ncand = 0;
	struct idv_record *cands = NULL;
	struct idv_decision *d = NULL;
	json_t *outj = NULL;
	if (vc->type != IDV_REQ_OPT_OUT && verify_select(recs, vc, idx, &ncand) != IDV_OK) {
		fprintf(stderr,
			"idverify verify: more than %u candidate records; refusing to "
			"decide on a truncated set\n",
			VERIFY_MAX_CANDIDATES);
		goto out;
	}
	cands = idv_calloc(ncand + 1, sizeof *cands);
	for (size_t i = 0; i < ncand; i++)
		cands[i] = recs->v[idx[i]];
	struct idv_score_input in = {
		.claims = &vc->claims,
		.declaration = &vc->decl,
		.docs = vc->docs,
		.ndocs = vc->ndocs,
		.cands = cands,
		.ncands = ncand,
		.nick = models->nicknames,
		.today_days = today,
	};
	const struct idv_model *lv[IDV_LEVEL__COUNT] = {NULL, &models->standard,
							&models->heightened};
	d = idv_malloc(sizeof *d);
	enum idv_err e = idv_score_request(&models->policy, lv, vc->type, vc->level, vc->classes,
					   vc->nclasses, &in, d);
	if (e != IDV_OK) {
		fprintf(stderr, "idverify verify: %s\n", idv_err_str(e));
		goto out;
	}
	bool refused = idv_score_apply_procedure(&models->policy, &vc->facts, d);
	outj = idv_decision_json(d, true);
	json_object_set_new(outj, "refused",
			    refused ? json_string("access_limit_reached") : json_null());
	json_object_set_new(outj, "deadlines", verify_deadlines(&models->policy.procedure, today));
	char *s = json_dumps(outj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s == NULL)
		goto out;
	printf("%s\n", s);
	free(s);
	status = fflush(stdout) == 0 ? 0 : 1;
out:
	json_decref(outj);
	free(d);
	free(cands);
	free(idx);
	return status;
}

int
idv_cmd_verify(int argc, char **argv)
{
	int status = 1;
	struct verify_args a = {NULL, "models", NULL, NULL};
	struct verify_records recs = {NULL, 0, 0};
	struct idv_models models;
	struct verify_case *vc = NULL;
	json_t *root = NULL;
	char err[512] = "";
	int64_t today;
	memset(&models, 0, sizeof models);
	if ((status = verify_args(argc, argv, &a)) >= 0)
		return status;
	status = 1;
	if (!verify_today(a.today_arg, &today)) {
		fprintf(stderr, "idverify verify: --today must be YYYY-MM-DD\n");
		return 2;
	}
	if (idv_models_load(a.models_dir, &models, err, sizeof err) != IDV_OK) {
		fprintf(stderr, "idverify verify: models: %s\n", err);
		goto out;
	}
	if (verify_load_records(a.records_path, &recs) != IDV_OK)
		goto out;
	vc = idv_calloc(1, sizeof *vc);
	if (verify_read_case(&a, today, &root, vc))
		status = verify_decide(&recs, vc, &models, today);
out:
	json_decref(root);
	if (vc != NULL)
		free(vc->docs);
	free(vc);
	free(recs.v);
	idv_models_cleanup(&models);
	return status;
}
