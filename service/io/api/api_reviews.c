/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_reviews.c: the reviewers' API (DESIGN.md 1). The queue of cases in manual review, oldest
 * due first; a claim on a case that lapses when not acted on; the case's evidence with
 * sensitive values masked (document numbers show their last 4 characters, dates of birth the
 * year, street lines nothing, e-mail addresses the first letter and domain, telephone numbers
 * their last 4 digits) beside the decision's points and reasons, and the claims, what each
 * document says and the matched record side by side with a match indicator per field; a
 * reveal of one value for a stated purpose; the uploaded image itself; the decision. A
 * heightened case needs two different reviewers who agree: the first decision waits for the
 * second. Every claim, reveal, image view and decision is in the audit trail.
 */
#include <time.h>

#include "idverify/address.h"
#include "agents.h"
#include "api.h"
#include "audit.h"
#include "cases.h"
#include "decision.h"
#include "idverify/limits.h"
#include "idverify/match.h"
#include "idverify/name.h"
#include "idverify/procedure.h"
#include "policy.h"
#include "recordstore.h"
#include "idverify/sniff.h"
#include "idverify/str.h"

#define RV_MAX_DOCS 16
#define RV_MATCH 0.85

static int64_t
rv_now(void)
{
	return (int64_t)time(NULL);
}

static json_t *
rv_time(int64_t t)
{
	char s[32];
	struct tm tm;
	time_t tt = (time_t)t;
	if (t == 0)
		return json_null();
	gmtime_r(&tt, &tm);
	if (strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(s);
}

/* ---- masking ------------------------------------------------------------------------------ */

/* field's value as a reviewer sees it; pr is the business's procedure (policy.json), whose
 * never-disclosed kinds are masked whole. */
static json_t *
rv_mask(const struct idv_procedure *pr, const char *field, const char *value)
{
	char out[IDV_FIELD_VALUE_MAX + 8];
	size_t n = value ? strlen(value) : 0;
	bool fits = true;
	if (n == 0)
		return json_null();
	/* a kind the procedure never discloses shows nothing of itself, but a document number's
	 * last four characters (the reviewer's only handle on which card it is) */
	if (pr != NULL && idv_procedure_never_discloses(pr, field) &&
	    idv_secret_kind_of_field(field) != IDV_SECRET_DOCUMENT_NUMBER)
		return json_string("***");
	if (strcmp(field, "date_of_birth") == 0) {
		fits = idv_fmt(out, sizeof out, "%.4s-**-**", value);
	} else if (strcmp(field, "document_number") == 0) {
		idv_mask_number(value, out, sizeof out);
	} else if (strcmp(field, "street") == 0 || strcmp(field, "unit") == 0) {
		idv_strlcpy(out, "***", sizeof out);
	} else if (strcmp(field, "email") == 0) {
		const char *at = strchr(value, '@');
		fits = idv_fmt(out, sizeof out, "%c***%s", value[0], at ? at : "");
	} else if (strcmp(field, "phone") == 0) {
		size_t keep = n > 4 ? 4 : 0, k = 0;
		for (; k < n - keep && k + 1 < sizeof out; k++)
			out[k] = '*';
		out[k] = '\0';
		if (keep)
			fits = idv_fmt(out + k, sizeof out - k, "%s", value + n - keep);
	} else {
		return json_string(value);
	}
	/* A value too long to mask in full is not shown at all rather than shown cut. */
	return fits ? json_string(out) : json_string("***");
}

/* ---- loading a case's evidence --------------------------------------------------------------- */

struct rv_doc {
	char id[IDV_DOC_ID_MAX];
	char kind[24];
	char status[16];
	int part;
	bool read; /* doc holds the reading */
	struct idv_document doc;
};

struct rv_ctx {
	struct idv_case_row row;
	uint8_t dek[IDV_KEY_LEN];
	bool have_key;
	json_t *claims;   /* the typed claims object */
	json_t *decision; /* the engine's decision */
	json_t *record;   /* the matched record, by column; NULL when none */
	struct idv_claims c;
	struct idv_record rec;
	struct rv_doc *docs;
	size_t ndocs;
	const struct idv_procedure *pr; /* the business's procedure: what is never disclosed */
};

static bool
rv_doc_each(void *arg, const struct idv_doc_row *d)
{
	struct rv_ctx *x = arg;
	if (x->ndocs >= RV_MAX_DOCS)
		return false;
	struct rv_doc *r = &x->docs[x->ndocs++];
	idv_strlcpy(r->id, d->id, sizeof r->id);
	idv_strlcpy(r->kind, d->kind, sizeof r->kind);
	idv_strlcpy(r->status, d->status, sizeof r->status);
	r->part = d->part;
	if (x->have_key && d->result_sealed.len > 0)
		r->read = idv_document_unseal(x->dek, x->row.reference, d->id, &d->result_sealed,
					      &r->doc) == IDV_OK;
	return true;
}

static bool
rv_record_found(void *arg, const char *id, const uint8_t *sealed, size_t len)
{
	struct rv_ctx *x = arg;
	if (idv_records_open(id, sealed, len, &x->record) != IDV_OK)
		x->record = NULL;
	return false;
}

static void
rv_ctx_cleanup(struct rv_ctx *x)
{
	json_decref(x->claims);
	json_decref(x->decision);
	json_decref(x->record);
	if (x->docs != NULL)
		idv_wipe(x->docs, RV_MAX_DOCS * sizeof *x->docs);
	free(x->docs);
	idv_wipe(x->dek, sizeof x->dek);
	idv_wipe(&x->c, sizeof x->c);
	idv_wipe(&x->rec, sizeof x->rec);
	idv_case_row_cleanup(&x->row);
}

static json_t *
rv_open_json(struct rv_ctx *x, const char *label, const struct idv_buf *sealed)
{
	struct idv_buf plain;
	json_t *o = NULL;
	if (!x->have_key || sealed->len == 0)
		return NULL;
	idv_buf_init(&plain, 1024 * 1024);
	if (idv_case_open(x->dek, x->row.reference, label, sealed->data, sealed->len, &plain) ==
	    IDV_OK)
		o = json_loadb((const char *)plain.data, plain.len, 0, NULL);
	idv_buf_cleanup_wipe(&plain);
	return o;
}

/* Load the case of {reference} with its evidence; on failure resp holds the answer. */
static bool
rv_load(struct idv_http_req *req, struct idv_http_resp *resp, struct rv_ctx *x)
{
	struct idv_store *store = idv_http_store(req);
	memset(x, 0, sizeof *x);
	idv_case_row_init(&x->row);
	if (!idv_api_case_load(req, resp, &x->row))
		return false;
	x->have_key = idv_case_key_open(&x->row, x->dek) == IDV_OK;
	x->pr = idv_scoring_procedure(idv_api_app(req)->cases->scoring);
	x->claims = rv_open_json(x, "claims", &x->row.claims_sealed);
	x->decision = rv_open_json(x, "decision", &x->row.decision_sealed);
	char why[160];
	if (x->claims != NULL && !idv_claims_from_json(x->claims, &x->c, why, sizeof why))
		memset(&x->c, 0, sizeof x->c);
	const char *rid = json_string_value(json_object_get(x->decision, "record_id"));
	if (rid != NULL)
		idv_store_record_get(store, rid, rv_record_found, x);
	for (int k = 0; x->record != NULL && k < IDV_COL__COUNT; k++) {
		json_t *v = json_object_get(x->record, idv_record_columns[k]);
		if (json_is_string(v))
			idv_record_set(&x->rec, (enum idv_record_col)k, json_string_value(v),
				       json_string_length(v));
	}
	x->docs = idv_calloc(RV_MAX_DOCS, sizeof *x->docs);
	idv_store_doc_each(store, x->row.id, rv_doc_each, x);
	return true;
}

/* ---- claims ------------------------------------------------------------------------------ */

/* Does the caller hold an unexpired claim on the case? Renews it when it does. */
static bool
rv_holds_claim(struct idv_http_req *req, struct idv_http_resp *resp, int64_t case_id)
{
	struct idv_store *store = idv_http_store(req);
	char holder[64], who[64];
	int64_t exp = 0, now = rv_now();
	const char *me = idv_http_actor(req);
	if (idv_store_review_claim_get(store, case_id, who, sizeof who, &exp) != IDV_OK ||
	    strcmp(who, me) != 0 || exp <= now) {
		idv_http_problem(
			resp, 409, "claim-needed", "Claim needed",
			"claim the case first (POST /v1/reviews/{reference}/claim); a claim "
			"lapses after %u minutes without action",
			idv_http_config(req)->review_claim_min);
		return false;
	}
	idv_store_review_claim(store, case_id, me, now,
			       now + (int64_t)idv_http_config(req)->review_claim_min * 60, holder,
			       sizeof holder, &exp);
	return true;
}

static bool
rv_in_review(const struct idv_case_row *row, struct idv_http_resp *resp)
{
	if (row->closed_at != 0 || strcmp(row->status, IDV_CS_MANUAL_REVIEW) != 0) {
		idv_http_problem(resp, 409, "invalid-state", "Not allowed in the current state",
				 "the request is not in manual review (status: %s)", row->status);
		return false;
	}
	return true;
}

/* ---- the queue --------------------------------------------------------------------------- */

struct rv_decisions {
	json_t *arr;
	size_t n;
};

static bool
rv_decision_each(void *arg, const char *reviewer, const char *decision, int64_t at)
{
	struct rv_decisions *d = arg;
	d->n++;
	if (d->arr != NULL)
		json_array_append_new(d->arr, json_pack("{s:s,s:s,s:o}", "reviewer", reviewer,
							"decision", decision, "at", rv_time(at)));
	return true;
}

struct rv_queue {
	struct idv_store *store;
	const char *state;
	const char *me;
	int64_t now;
	json_t *items;
};

static bool
rv_queue_each(void *arg, const struct idv_case_row *row)
{
	struct rv_queue *q = arg;
	char who[64] = "";
	int64_t exp = 0;
	bool claimed = idv_store_review_claim_get(q->store, row->id, who, sizeof who, &exp) ==
			       IDV_OK &&
		       exp > q->now;
	struct rv_decisions d = {NULL, 0};
	idv_store_review_decision_each(q->store, row->id, rv_decision_each, &d);
	const char *state = claimed ? "claimed" : d.n > 0 ? "awaiting_second" : "unclaimed";
	if (strcmp(q->state, "all") != 0 &&
	    !(strcmp(q->state, "mine") == 0 && claimed && strcmp(who, q->me) == 0) &&
	    strcmp(q->state, state) != 0)
		return true;
	json_array_append_new(
		q->items,
		json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s*,s:o,s:I}", "reference", row->reference,
			  "request_type", row->request_type, "level", row->level, "requester_role",
			  row->requester_role, "channel", row->channel, "received_at",
			  rv_time(row->received_at), "respond_by", row->respond_by, "claimed_by",
			  claimed ? who : NULL, "claim_expires_at",
			  claimed ? rv_time(exp) : json_null(), "decisions", (json_int_t)d.n));
	json_object_set_new(json_array_get(q->items, json_array_size(q->items) - 1), "state",
			    json_string(state));
	return true;
}

void
idv_api_reviews_queue(struct idv_http_req *req, struct idv_http_resp *resp)
{
	static const char *const states[] = {"all", "unclaimed", "claimed", "mine",
					     "awaiting_second"};
	const char *state = idv_http_query(req, "state");
	bool ok = state == NULL;
	for (size_t i = 0; i < IDV_ARRAY_LEN(states) && !ok; i++)
		ok = strcmp(state, states[i]) == 0;
	if (!ok) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "state must be all, unclaimed, claimed, mine or awaiting_second");
		return;
	}
	struct rv_queue q = {idv_http_store(req), state ? state : "all", idv_http_actor(req),
			     rv_now(), json_array()};
	enum idv_err err = idv_store_case_each_status(q.store, IDV_CS_MANUAL_REVIEW, rv_queue_each,
						      &q);
	if (err != IDV_OK) {
		json_decref(q.items);
		idv_http_problem_err(resp, err, "the queue could not be read");
		return;
	}
	idv_http_json(resp, 200, json_pack("{s:o}", "reviews", q.items));
}

struct rv_decided {
	const char *who;
	bool yes;
};

static bool
rv_decided_each(void *arg, const char *reviewer, const char *decision, int64_t at)
{
	struct rv_decided *d = arg;
	(void)decision;
	(void)at;
	d->yes |= strcmp(reviewer, d->who) == 0;
	return !d->yes;
}

/* Has reviewer recorded a decision on the case? */
static bool
rv_decided_by(struct idv_store *store, int64_t case_id, const char *reviewer)
{
	struct rv_decided d = {reviewer, false};
	idv_store_review_decision_each(store, case_id, rv_decided_each, &d);
	return d.yes;
}

void
idv_api_reviews_claim(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_store *store = idv_http_store(req);
	struct idv_case_row row;
	char holder[64] = "";
	int64_t hexp = 0, now = rv_now();
	int64_t exp = now + (int64_t)idv_http_config(req)->review_claim_min * 60;
	idv_case_row_init(&row);
	if (!idv_api_case_load(req, resp, &row) || !rv_in_review(&row, resp))
		goto out;
	/* A reviewer who decided a heightened case already cannot hold it again: the claim
	 * (renewed by every reveal and image view) would keep the second reviewer out. */
	if (rv_decided_by(store, row.id, idv_http_actor(req))) {
		idv_http_problem(resp, 409, "second-reviewer-needed", "Second reviewer needed",
				 "you decided this case already; a heightened case needs a second, "
				 "different reviewer");
		goto out;
	}
	enum idv_err err;
	if ((err = idv_store_begin(store)) != IDV_OK) {
		idv_http_problem_err(resp, err, "database busy");
		goto out;
	}
	err = idv_store_review_claim(store, row.id, idv_http_actor(req), now, exp, holder,
				     sizeof holder, &hexp);
	if (err == IDV_OK)
		err = idv_audit_append(
			store, idv_http_actor(req), "review.claimed", row.reference,
			json_pack("{s:I}", "minutes",
				  (json_int_t)idv_http_config(req)->review_claim_min));
	if ((err = idv_store_end(store, err)) != IDV_OK) {
		if (err == IDV_E_CONFLICT) {
			json_t *t = rv_time(hexp);
			idv_http_problem(resp, 409, "claimed", "Claimed by another reviewer",
					 "%s holds this case until %s", holder,
					 json_string_value(t));
			json_decref(t);
		} else {
			idv_http_problem_err(resp, err, "the claim could not be recorded");
		}
		goto out;
	}
	idv_http_json(resp, 200,
		      json_pack("{s:s,s:s,s:o}", "reference", row.reference, "claimed_by",
				idv_http_actor(req), "expires_at", rv_time(exp)));
out:
	idv_case_row_cleanup(&row);
}

/* ---- the case, masked and side by side ------------------------------------------------------ */

static json_t *
rv_indicator(const struct idv_match *m)
{
	return json_pack("{s:f,s:s,s:b}", "score", (double)(int)(m->score * 1000.0) / 1000.0,
			 "reason", idv_reason_name(m->reason), "match", m->score >= RV_MATCH);
}

/* The five comparable data points of one source. */
struct rv_point_values {
	const char *given, *middle, *family, *suffix, *dob, *email, *phone;
	struct idv_address_in addr;
	bool has_addr;
};

static void
rv_values_claims(const struct idv_claims *c, struct rv_point_values *v)
{
	memset(v, 0, sizeof *v);
	v->given = c->given_names;
	v->family = c->family_name;
	v->suffix = c->suffix;
	v->dob = c->date_of_birth;
	v->email = c->email;
	v->phone = c->phone;
	v->addr = c->address;
	v->has_addr = c->address.street[0] || c->address.city[0] || c->address.postal_code[0];
}

static void
rv_values_record(const struct idv_record *r, struct rv_point_values *v)
{
	memset(v, 0, sizeof *v);
	v->given = r->given_name;
	v->middle = r->middle_name;
	v->family = r->family_name;
	v->suffix = r->suffix;
	v->dob = r->date_of_birth;
	v->email = r->email;
	v->phone = r->phone;
	v->addr = r->address;
	v->has_addr = r->address.street[0] || r->address.city[0] || r->address.postal_code[0];
}

static const char *
rv_docfield(const struct idv_document *d, enum idv_field_id f)
{
	return d->fields[f].present ? d->fields[f].value : "";
}

static void
rv_values_doc(const struct idv_document *d, struct rv_point_values *v)
{
	memset(v, 0, sizeof *v);
	v->given = rv_docfield(d, IDV_F_GIVEN_NAMES);
	v->family = rv_docfield(d, IDV_F_FAMILY_NAME);
	v->suffix = rv_docfield(d, IDV_F_NAME_SUFFIX);
	v->dob = rv_docfield(d, IDV_F_DATE_OF_BIRTH);
	v->email = "";
	v->phone = "";
	idv_strlcpy(v->addr.street, rv_docfield(d, IDV_F_STREET), sizeof v->addr.street);
	idv_strlcpy(v->addr.unit, rv_docfield(d, IDV_F_UNIT), sizeof v->addr.unit);
	idv_strlcpy(v->addr.city, rv_docfield(d, IDV_F_CITY), sizeof v->addr.city);
	idv_strlcpy(v->addr.state, rv_docfield(d, IDV_F_STATE), sizeof v->addr.state);
	idv_strlcpy(v->addr.postal_code, rv_docfield(d, IDV_F_POSTAL_CODE),
		    sizeof v->addr.postal_code);
	v->has_addr = v->addr.street[0] || v->addr.city[0] || v->addr.postal_code[0];
}

static bool
rv_present(const struct rv_point_values *v, enum idv_point pt)
{
	switch (pt) {
	case IDV_PT_NAME: return (v->family && v->family[0]) || (v->given && v->given[0]);
	case IDV_PT_DOB: return v->dob && v->dob[0];
	case IDV_PT_ADDRESS: return v->has_addr;
	case IDV_PT_EMAIL: return v->email && v->email[0];
	case IDV_PT_PHONE: return v->phone && v->phone[0];
	default: return false;
	}
}

/* Compare one data point of two sources; false when either side lacks it. */
static bool
rv_compare(const struct rv_point_values *a, const struct rv_point_values *b, enum idv_point pt,
	   struct idv_match *m)
{
	if (!rv_present(a, pt) || !rv_present(b, pt))
		return false;
	switch (pt) {
	case IDV_PT_NAME: {
		struct idv_name na, nb;
		if (idv_name_parse(a->given, a->middle, a->family, a->suffix, &na) != IDV_OK ||
		    idv_name_parse(b->given, b->middle, b->family, b->suffix, &nb) != IDV_OK)
			return false;
		idv_name_compare(&na, &nb, NULL, m);
		return true;
	}
	case IDV_PT_DOB: idv_match_dob(a->dob, b->dob, m); return true;
	case IDV_PT_EMAIL: idv_match_email(a->email, b->email, m); return true;
	case IDV_PT_PHONE: idv_match_phone(a->phone, b->phone, m); return true;
	case IDV_PT_ADDRESS: {
		struct idv_address xa, xb;
		if (idv_address_normalize(&a->addr, &xa) != IDV_OK ||
		    idv_address_normalize(&b->addr, &xb) != IDV_OK)
			return false;
		idv_address_compare(&xa, &xb, m);
		return true;
	}
	default: return false;
	}
}

/* The masked display of one data point of a source. */
static json_t *
rv_display(const struct idv_procedure *pr, const struct rv_point_values *v, enum idv_point pt)
{
	char buf[512];
	if (!rv_present(v, pt))
		return json_null();
	switch (pt) {
	case IDV_PT_NAME:
		if (!idv_fmt(buf, sizeof buf, "%s%s%s%s%s%s%s", v->given ? v->given : "",
			     v->middle && v->middle[0] ? " " : "", v->middle ? v->middle : "",
			     v->family && v->family[0] ? " " : "", v->family ? v->family : "",
			     v->suffix && v->suffix[0] ? " " : "", v->suffix ? v->suffix : ""))
			return json_null();
		return json_string(buf);
	case IDV_PT_DOB: return rv_mask(pr, "date_of_birth", v->dob);
	case IDV_PT_EMAIL: return rv_mask(pr, "email", v->email);
	case IDV_PT_PHONE: return rv_mask(pr, "phone", v->phone);
	case IDV_PT_ADDRESS:
		return json_pack("{s:o,s:o,s:s,s:s,s:s}", "street",
				 rv_mask(pr, "street", v->addr.street), "unit",
				 rv_mask(pr, "unit", v->addr.unit), "city", v->addr.city, "state",
				 v->addr.state, "postal_code", v->addr.postal_code);
	default: return json_null();
	}
}

static json_t *
rv_comparison(const struct rv_ctx *x)
{
	struct rv_point_values cv, rv, dv;
	json_t *arr = json_array();
	rv_values_claims(&x->c, &cv);
	rv_values_record(&x->rec, &rv);
	bool have_rec = x->record != NULL;
	for (int pt = 0; pt < IDV_PT__COUNT; pt++) {
		struct idv_match m;
		if (pt == IDV_PT_CONTACT_CODE)
			continue; /* not a value to compare: the decision's points say it */
		json_t *o = json_pack("{s:s,s:o,s:o}", "field", idv_point_name((enum idv_point)pt),
				      "claim", rv_display(x->pr, &cv, (enum idv_point)pt), "record",
				      have_rec ? rv_display(x->pr, &rv, (enum idv_point)pt)
					       : json_null());
		json_object_set_new(o, "claim_vs_record",
				    have_rec && rv_compare(&cv, &rv, (enum idv_point)pt, &m)
					    ? rv_indicator(&m)
					    : json_null());
		json_t *docs = json_array();
		for (size_t i = 0; i < x->ndocs; i++) {
			if (!x->docs[i].read)
				continue;
			rv_values_doc(&x->docs[i].doc, &dv);
			if (!rv_present(&dv, (enum idv_point)pt))
				continue;
			json_t *d = json_pack("{s:s,s:o}", "document", x->docs[i].id, "value",
					      rv_display(x->pr, &dv, (enum idv_point)pt));
			json_object_set_new(d, "vs_claim",
					    rv_compare(&dv, &cv, (enum idv_point)pt, &m)
						    ? rv_indicator(&m)
						    : json_null());
			json_object_set_new(d, "vs_record",
					    have_rec && rv_compare(&dv, &rv, (enum idv_point)pt, &m)
						    ? rv_indicator(&m)
						    : json_null());
			json_array_append_new(docs, d);
		}
		json_object_set_new(o, "documents", docs);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *
rv_documents(const struct rv_ctx *x)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < x->ndocs; i++) {
		const struct rv_doc *r = &x->docs[i];
		json_t *o = json_pack("{s:s,s:s,s:i,s:s}", "id", r->id, "kind", r->kind, "part",
				      r->part, "status", r->status);
		if (r->read) {
			json_t *fields = json_object(), *checks = json_array();
			for (int f = 0; f < IDV_F__COUNT; f++) {
				const struct idv_field *fl = &r->doc.fields[f];
				if (!fl->present)
					continue;
				const char *name = idv_field_name((enum idv_field_id)f);
				json_t *jf = json_pack("{s:o,s:s,s:f}", "value",
						       rv_mask(x->pr, name, fl->value), "source",
						       idv_source_name(fl->source), "confidence",
						       (double)fl->confidence);
				/* where it was read, in the page image's pixels (for the console) */
				if (fl->box.w > 0 && fl->box.h > 0)
					json_object_set_new(jf, "box",
							    json_pack("{s:i,s:i,s:i,s:i}", "x",
								      fl->box.x, "y", fl->box.y,
								      "w", fl->box.w, "h",
								      fl->box.h));
				json_object_set_new(fields, name, jf);
			}
			for (size_t k = 0; k < r->doc.nchecks; k++)
				json_array_append_new(
					checks,
					json_pack("{s:s,s:s,s:s}", "name", r->doc.checks[k].name,
						  "result",
						  idv_check_result_name(r->doc.checks[k].result),
						  "detail", r->doc.checks[k].detail));
			json_object_set_new(o, "read_as",
					    json_string(idv_doc_kind_name(r->doc.kind)));
			if (r->doc.page_width > 0 && r->doc.page_height > 0)
				json_object_set_new(o, "page",
						    json_pack("{s:i,s:i,s:i}", "width",
							      r->doc.page_width, "height",
							      r->doc.page_height, "turned",
							      90 * r->doc.page_turns));
			json_t *bcs = json_array();
			for (size_t k = 0; k < r->doc.nbarcodes; k++)
				json_array_append_new(
					bcs,
					json_pack("{s:s,s:I}", "format", r->doc.barcodes[k].format,
						  "length", (json_int_t)r->doc.barcodes[k].length));
			json_object_set_new(o, "barcodes", bcs);
			json_object_set_new(o, "mrz",
					    r->doc.mrz.present
						    ? json_pack("{s:s,s:b}", "format",
								r->doc.mrz.format,
								"check_digits_valid",
								r->doc.mrz.check_digits_valid)
						    : json_null());
			json_object_set_new(o, "fields", fields);
			json_object_set_new(o, "checks", checks);
		}
		char img[160];
		if (idv_fmt(img, sizeof img, "/v1/reviews/%s/documents/%s/image", x->row.reference,
			    r->id))
			json_object_set_new(o, "image", json_string(img));
		json_array_append_new(arr, o);
	}
	return arr;
}

void
idv_api_reviews_get(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct rv_ctx x;
	if (!rv_load(req, resp, &x))
		goto out;
	struct idv_store *store = idv_http_store(req);
	char who[64];
	int64_t exp = 0;
	json_t *claim = json_null();
	bool claimed = idv_store_review_claim_get(store, x.row.id, who, sizeof who, &exp) ==
			       IDV_OK &&
		       exp > rv_now();
	bool mine = claimed && strcmp(who, idv_http_actor(req)) == 0;
	/* A reviewer reads only cases in review; a read without the claim (to decide whether to
	 * take the case) is allowed, read-only; every read is in the audit trail. */
	if (!rv_in_review(&x.row, resp))
		goto out;
	enum idv_err aerr = idv_audit_record(store, idv_http_actor(req), "review.viewed",
					     x.row.reference,
					     json_pack("{s:b}", "claim_held", mine));
	if (aerr != IDV_OK) {
		idv_http_problem_err(resp, aerr, "the read could not be recorded");
		goto out;
	}
	if (claimed) {
		json_decref(claim);
		claim = json_pack("{s:s,s:o}", "by", who, "expires_at", rv_time(exp));
	}
	struct rv_decisions d = {json_array(), 0};
	idv_store_review_decision_each(store, x.row.id, rv_decision_each, &d);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:o}", "reference",
			      x.row.reference, "status", x.row.status, "request_type",
			      x.row.request_type, "level", x.row.level, "requester_role",
			      x.row.requester_role, "channel", x.row.channel, "received_at",
			      rv_time(x.row.received_at), "respond_by", x.row.respond_by, "claim",
			      claim, "reviews", d.arr);
	json_object_set_new(o, "two_reviewers_needed",
			    json_boolean(strcmp(x.row.level, "heightened") == 0));
	json_object_set(o, "decision", x.decision ? x.decision : json_null());
	json_object_set_new(o, "documents", rv_documents(&x));
	json_object_set_new(o, "comparison", rv_comparison(&x));
	json_object_set_new(o, "matched_record", json_boolean(x.record != NULL));
	/* The power-of-attorney reference is in clear only through a reveal (agent.power_of_attorney). */
	json_t *agent = idv_case_agent_view(idv_api_app(req)->cases, &x.row);
	json_object_set_new(o, "agent", agent ? agent : json_null());
	idv_http_json(resp, 200, o);
out:
	rv_ctx_cleanup(&x);
}

/* ---- reveal ---------------------------------------------------------------------------------- */

/* The power-of-attorney reference an agent gave (R25), in clear into buf, or NULL. */
static const char *
rv_poa_value(struct idv_store *store, const struct rv_ctx *x, char *buf, size_t bufsz)
{
	struct idv_agent_case_row ac;
	struct idv_buf poa;
	const char *v = NULL;
	idv_agent_case_row_init(&ac);
	idv_buf_init(&poa, 4096);
	if (x->have_key && idv_store_agent_case_get(store, x->row.id, &ac) == IDV_OK &&
	    ac.poa_sealed.len > 0 &&
	    idv_case_open(x->dek, x->row.reference, "power_of_attorney", ac.poa_sealed.data,
			  ac.poa_sealed.len, &poa) == IDV_OK &&
	    poa.len < bufsz) {
		memcpy(buf, poa.data, poa.len);
		buf[poa.len] = '\0';
		v = buf;
	}
	idv_buf_cleanup_wipe(&poa);
	idv_agent_case_row_cleanup(&ac);
	return v;
}

/* The clear value of a field name ("claims.x", "record.x", "document.<id>.x",
 * "agent.power_of_attorney"), or NULL. */
static const char *
rv_field_value(struct idv_store *store, const struct rv_ctx *x, const char *field, char *buf,
	       size_t bufsz)
{
	if (strcmp(field, "agent.power_of_attorney") == 0)
		return rv_poa_value(store, x, buf, bufsz);
	static const char *const addr[] = {"street", "unit", "city", "state", "postal_code"};
	if (strncmp(field, "claims.", 7) == 0) {
		const char *k = field + 7;
		json_t *v = json_object_get(x->claims, k);
		for (size_t i = 0; v == NULL && i < IDV_ARRAY_LEN(addr); i++)
			if (strcmp(k, addr[i]) == 0)
				v = json_object_get(json_object_get(x->claims, "address"), k);
		if (!json_is_string(v))
			return NULL;
		idv_strlcpy(buf, json_string_value(v), bufsz);
		return buf;
	}
	if (strncmp(field, "record.", 7) == 0) {
		json_t *v = json_object_get(x->record, field + 7);
		if (!json_is_string(v) || strcmp(field + 7, "id") == 0)
			return NULL;
		idv_strlcpy(buf, json_string_value(v), bufsz);
		return buf;
	}
	if (strncmp(field, "document.", 9) == 0) {
		const char *id = field + 9, *dot = strrchr(id, '.');
		/* document ids hold a dot themselves ("D....0"): the field is after the last one */
		if (dot == NULL)
			return NULL;
		size_t idlen = (size_t)(dot - id);
		enum idv_field_id f = idv_field_lookup(dot + 1, strlen(dot + 1));
		if (f == IDV_F__COUNT)
			return NULL;
		for (size_t i = 0; i < x->ndocs; i++)
			if (x->docs[i].read && strlen(x->docs[i].id) == idlen &&
			    memcmp(x->docs[i].id, id, idlen) == 0 &&
			    x->docs[i].doc.fields[f].present) {
				idv_strlcpy(buf, x->docs[i].doc.fields[f].value, bufsz);
				return buf;
			}
	}
	return NULL;
}

static size_t
rv_words(const char *s)
{
	size_t n = 0;
	bool in = false;
	for (; *s; s++) {
		bool letter = idv_isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80;
		if (letter && !in)
			n++;
		in = letter;
	}
	return n;
}

void
idv_api_reviews_reveal(struct idv_http_req *req, struct idv_http_resp *resp)
{
	json_t *body = idv_http_json_body(req);
	const char *field = json_string_value(json_object_get(body, "field"));
	const char *purpose = json_string_value(json_object_get(body, "purpose"));
	struct rv_ctx x;
	char value[512];
	if (!rv_load(req, resp, &x))
		goto out;
	if (field == NULL || strlen(field) > 96) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "field names one value: claims.<key>, record.<column>, "
				 "document.<id>.<field> or agent.power_of_attorney");
		goto out;
	}
	/* what the business's procedure never discloses is never shown in clear, to anyone
	 * (policy.json procedure.never_disclose; R36 and what the business adds) */
	if (x.pr != NULL && idv_procedure_never_discloses(x.pr, field)) {
		idv_http_problem(resp, 403, "forbidden", "Forbidden",
				 "the business's procedure never discloses %s",
				 idv_secret_kind_name(idv_secret_kind_of_field(field)));
		goto out;
	}
	if (purpose == NULL || strlen(purpose) < 15 || strlen(purpose) > 300 ||
	    rv_words(purpose) < 3) {
		idv_http_problem(resp, 422, "purpose-required", "Purpose required",
				 "a reveal needs a stated purpose of at least three words; it is "
				 "recorded in the audit trail");
		goto out;
	}
	if (!rv_in_review(&x.row, resp) || !rv_holds_claim(req, resp, x.row.id))
		goto out;
	if (rv_field_value(idv_http_store(req), &x, field, value, sizeof value) == NULL) {
		idv_http_problem(resp, 404, "not-found", "Not found",
				 "this case has no value for %s", field);
		goto out;
	}
	enum idv_err err = idv_audit_record(
		idv_http_store(req), idv_http_actor(req), "review.revealed", x.row.reference,
		json_pack("{s:s,s:s}", "field", field, "purpose", purpose));
	if (err != IDV_OK) {
		idv_http_problem_err(resp, err, "the reveal could not be recorded");
		goto out;
	}
	idv_http_json(resp, 200, json_pack("{s:s,s:s}", "field", field, "value", value));
out:
	idv_wipe(value, sizeof value);
	rv_ctx_cleanup(&x);
}

/* ---- the image ------------------------------------------------------------------------------- */

void
idv_api_reviews_image(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_store *store = idv_http_store(req);
	const char *docid = idv_http_param(req, "doc");
	struct idv_case_row row;
	struct idv_doc_row d;
	struct idv_buf plain;
	uint8_t dek[IDV_KEY_LEN] = {0};
	idv_case_row_init(&row);
	idv_doc_row_init(&d);
	idv_buf_init(&plain, IDV_LIMIT_UPLOAD_BYTES);
	if (!idv_api_case_load(req, resp, &row) || !rv_in_review(&row, resp) ||
	    !rv_holds_claim(req, resp, row.id))
		goto out;
	if (idv_store_doc_get(store, docid, true, &d) != IDV_OK || d.case_id != row.id ||
	    d.content_sealed.len == 0) {
		idv_http_problem(resp, 404, "not-found", "Not found", "no such document");
		goto out;
	}
	enum idv_err err = idv_case_key_open(&row, dek);
	if (err == IDV_OK)
		err = idv_document_content_open(dek, row.reference, d.id, &d.content_sealed,
						&plain);
	if (err == IDV_OK)
		err = idv_audit_record(store, idv_http_actor(req), "review.document_viewed",
				       row.reference, json_pack("{s:s}", "document", d.id));
	if (err != IDV_OK) {
		idv_http_problem_err(resp, err, "the document could not be opened");
		goto out;
	}
	struct idv_sniff sn;
	idv_sniff(plain.data, plain.len, 0, 0, &sn);
	/* Only the formats an upload may have, each with its own type; never HTML or SVG. */
	const char *ct = sn.format == IDV_FMT_UNKNOWN ? "application/octet-stream"
						      : idv_format_mime(sn.format);
	idv_http_text(resp, 200, ct, (const char *)plain.data, plain.len);
	idv_http_header_add(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
	idv_http_header_add(resp, "Content-Disposition",
			    sn.format == IDV_FMT_PDF ? "attachment; filename=\"document.pdf\""
						     : "inline");
out:
	idv_buf_cleanup_wipe(&plain);
	idv_wipe(dek, sizeof dek);
	idv_doc_row_cleanup(&d);
	idv_case_row_cleanup(&row);
}

/* ---- the decision ---------------------------------------------------------------------------- */

struct rv_tally {
	char reviewers[16][64];
	char latest[16][24];
	size_t n;
};

static bool
rv_tally_each(void *arg, const char *reviewer, const char *decision, int64_t at)
{
	struct rv_tally *t = arg;
	(void)at;
	size_t k = 0;
	while (k < t->n && strcmp(t->reviewers[k], reviewer) != 0)
		k++;
	if (k == t->n) {
		if (t->n == IDV_ARRAY_LEN(t->reviewers))
			return false;
		idv_strlcpy(t->reviewers[k], reviewer, sizeof t->reviewers[k]);
		t->n++;
	}
	idv_strlcpy(t->latest[k], decision, sizeof t->latest[k]); /* each reviewer's latest */
	return true;
}

void
idv_api_reviews_decide(struct idv_http_req *req, struct idv_http_resp *resp)
{
	json_t *body = idv_http_json_body(req);
	const char *decision = json_string_value(json_object_get(body, "decision"));
	const char *reason = json_string_value(json_object_get(body, "reason"));
	struct idv_store *store = idv_http_store(req);
	const char *me = idv_http_actor(req);
	struct rv_ctx x;
	struct idv_buf sealed;
	idv_buf_init(&sealed, 8192);
	if (!rv_load(req, resp, &x))
		goto out;
	if (decision == NULL || (strcmp(decision, IDV_CS_VERIFIED) != 0 &&
				 strcmp(decision, IDV_CS_NOT_VERIFIED) != 0)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "decision must be verified or not_verified");
		goto out;
	}
	if (reason == NULL || strlen(reason) < 10 || strlen(reason) > 2000) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "a decision needs a reason (10 to 2000 characters)");
		goto out;
	}
	if (!rv_in_review(&x.row, resp) || !rv_holds_claim(req, resp, x.row.id))
		goto out;
	bool two = strcmp(x.row.level, "heightened") == 0;
	struct rv_tally t = {0};
	idv_store_review_decision_each(store, x.row.id, rv_tally_each, &t);
	/* One reviewer alone never closes a heightened case, however often they decide. */
	for (size_t i = 0; two && i < t.n; i++)
		if (strcmp(t.reviewers[i], me) == 0) {
			idv_http_problem(resp, 409, "second-reviewer-needed",
					 "Second reviewer needed",
					 "you decided this case already; a heightened case needs a "
					 "second, different reviewer");
			goto out;
		}
	size_t agree = 1;
	for (size_t i = 0; i < t.n; i++)
		if (strcmp(t.reviewers[i], me) != 0 && strcmp(t.latest[i], decision) == 0)
			agree++;
	bool final = !two || agree >= 2;
	enum idv_err err = IDV_OK;
	if (x.have_key)
		err = idv_case_seal(x.dek, x.row.reference, "review-reason", reason, strlen(reason),
				    &sealed);
	if (err != IDV_OK || (err = idv_store_begin(store)) != IDV_OK) {
		idv_http_problem_err(resp, err, "the decision could not be recorded");
		goto out;
	}
	err = idv_store_review_decision_insert(store, x.row.id, me, decision, sealed.data,
					       sealed.len, rv_now());
	if (err == IDV_OK)
		err = idv_store_review_release(store, x.row.id);
	if (err == IDV_OK)
		err = idv_audit_append(
			store, me, "review.decided", x.row.reference,
			json_pack("{s:s,s:b}", "decision", decision, "final", final));
	if (err == IDV_OK && final) {
		/* The reviewer's decision moves the case like the engine's does. */
		idv_strlcpy(x.row.status, decision, sizeof x.row.status);
		idv_strlcpy(x.row.outcome, decision, sizeof x.row.outcome);
		idv_strlcpy(x.row.outcome_level,
			    strcmp(decision, IDV_CS_VERIFIED) == 0 ? x.row.level : "none",
			    sizeof x.row.outcome_level);
		if (IDV_NEVER(!idv_fmt(x.row.model, sizeof x.row.model,
				       "manual review (%zu reviewer%s)", agree,
				       agree > 1 ? "s" : "")))
			idv_strlcpy(x.row.model, "manual review", sizeof x.row.model);
		x.row.decided_at = rv_now();
		err = idv_store_case_update(store, &x.row);
		if (err == IDV_OK)
			err = idv_audit_append(store, me, "case.reviewed", x.row.reference,
					       json_pack("{s:s,s:I}", "status", decision,
							 "reviewers", (json_int_t)agree));
	}
	if ((err = idv_store_end(store, err)) != IDV_OK) {
		idv_http_problem_err(resp, err, "the decision could not be recorded");
		goto out;
	}
	/* Not final: the first decision waits for a second reviewer; a later one disagrees. */
	const char *state = final      ? "decided"
			    : t.n == 0 ? "awaiting_second_reviewer"
				       : "disagreement";
	idv_http_json(resp, final ? 200 : 202,
		      json_pack("{s:s,s:s,s:s,s:b}", "reference", x.row.reference, "state", state,
				"status", x.row.status, "final", final));
out:
	idv_buf_cleanup(&sealed);
	rv_ctx_cleanup(&x);
}
