/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lifecycle.c: creation, token checks, the requester's view of a case, closing, purge with a
 * deletion receipt, and the sweep (cases.h).
 */
#include <time.h>

#include "agents.h"
#include "audit.h"
#include "cases.h"
#include "codes.h"
#include "idverify/deadline.h"
#include "idverify/procedure.h"
#include "log.h"
#include "policy.h"
#include "model.h"
#include "recordstore.h"
#include "seal.h"
#include "idverify/reference.h"
#include "vocab.h"

/* ---- keys and sealing ---------------------------------------------------------------------- */

/* ---- creation ------------------------------------------------------------------------------ */

enum idv_err
idv_case_create(struct idv_cases *cs, const struct idv_case_new *in, struct idv_case_row *row,
		char token[65])
{
	uint8_t rnd[IDV_REF_RANDOM_BYTES], tok[32], dek[IDV_KEY_LEN] = {0};
	char actor[IDV_CASE_REF_MAX + 16];
	char *plain = NULL;
	enum idv_err err;
	bool opt_out = strcmp(in->request_type, "opt_out") == 0;
	idv_buf_reset(&row->wrapped_key);
	idv_buf_reset(&row->claims_sealed);
	if ((err = idv_crypto_random(rnd, sizeof rnd)) != IDV_OK)
		return err;
	idv_ref_make(rnd, row->reference);
	if (in->token != NULL) {
		if (!idv_strlcpy(token, in->token, 65) || strlen(token) != 64)
			return IDV_E_INVAL;
	} else {
		if ((err = idv_crypto_random(tok, sizeof tok)) != IDV_OK)
			return err;
		idv_hex(tok, sizeof tok, token);
		idv_wipe(tok, sizeof tok);
	}
	idv_crypto_sha256(token, strlen(token), row->token_hash);
	struct idv_date today;
	struct idv_deadlines dl;
	idv_date_from_days(idv_today_days(), &today);
	/* The policy's clock; --respond-days, when given, overrides its response days. */
	if ((err = idv_procedure_deadlines(idv_scoring_procedure(cs->scoring), &today,
					   (int)cs->cfg->respond_days, &dl)) != IDV_OK)
		return err;
	idv_date_format(&dl.acknowledge_by, row->acknowledge_by);
	idv_date_format(&dl.respond_by, row->respond_by);
	idv_strlcpy(row->request_type, in->request_type, sizeof row->request_type);
	idv_strlcpy(row->level,
		    idv_scoring_level(cs->scoring, in->request_type, in->level,
				      json_object_get(in->claims, "data_classes")),
		    sizeof row->level);
	idv_strlcpy(row->channel, in->channel, sizeof row->channel);
	idv_strlcpy(row->requester_role, in->requester_role, sizeof row->requester_role);
	row->received_at = (int64_t)time(NULL);
	idv_strlcpy(row->status, opt_out ? IDV_CS_NOT_REQUIRED : IDV_CS_AWAITING_EVIDENCE,
		    sizeof row->status);
	/* The case's own key, and the claims sealed under it. */
	plain = json_dumps(in->claims, JSON_COMPACT | JSON_SORT_KEYS);
	if (plain == NULL)
		return IDV_E_NOMEM;
	err = idv_case_key_new(row->reference, dek, &row->wrapped_key);
	if (err == IDV_OK)
		err = idv_case_seal(dek, row->reference, "claims", plain, strlen(plain),
				    &row->claims_sealed);
	idv_wipe(plain, strlen(plain));
	free(plain);
	if (err != IDV_OK || (err = idv_store_begin(cs->store)) != IDV_OK)
		goto out;
	/* the requester: the consumer, or an agent that filed through the web form (R24) */
	if (IDV_NEVER(!idv_fmt(actor, sizeof actor,
			       idv_requester_is(row->requester_role, IDV_REQUESTER_AUTHORIZED_AGENT)
				       ? "web-agent:%s"
				       : "case:%s",
			       row->reference))) {
		idv_store_rollback(cs->store);
		err = IDV_E_INVAL;
		goto out;
	}
	if ((err = idv_store_case_insert(cs->store, row)) == IDV_OK &&
	    (in->within == NULL || (err = in->within(in->arg, row, dek)) == IDV_OK))
		err = idv_audit_append(
			cs->store, in->actor ? in->actor : actor, "case.created", row->reference,
			json_pack("{s:s,s:s,s:s,s:s}", "request_type", row->request_type, "level",
				  row->level, "channel", row->channel, "requester_role",
				  row->requester_role));
	if ((err = idv_store_end(cs->store, err)) != IDV_OK)
		goto out;
	idv_log(IDV_LOG_INFO, "case.created", "{s:I,s:s,s:s,s:s}", "case_id", (json_int_t)row->id,
		"request_type", row->request_type, "verification_level", row->level, "channel",
		row->channel);
	/* A request that needs no evidence (or only typed claims) is evaluated at once. */
	if (!opt_out)
		idv_case_evaluate(cs, row->reference);
	err = idv_store_case_get(cs->store, row->reference, row);
out:
	idv_wipe(dek, sizeof dek);
	if (err != IDV_OK)
		idv_wipe(token, 65);
	return err;
}

enum idv_case_holder
idv_case_token_holder(struct idv_store *store, const char *reference, const char *token)
{
	struct idv_case_row row;
	uint8_t h[32];
	enum idv_case_holder who = IDV_HOLDER_NONE;
	idv_case_row_init(&row);
	idv_crypto_sha256(token, strlen(token), h);
	if (idv_store_case_get(store, reference, &row) == IDV_OK) {
		bool agent = idv_requester_is(row.requester_role, IDV_REQUESTER_AUTHORIZED_AGENT);
		if (idv_ct_equal(h, row.token_hash, sizeof h))
			who = agent ? IDV_HOLDER_AGENT : IDV_HOLDER_REQUESTER;
		else if (agent && idv_case_consumer_holds(store, &row, token))
			who = IDV_HOLDER_CONSUMER;
	}
	idv_case_row_cleanup(&row);
	return who;
}

/* ---- evidence ------------------------------------------------------------------------------ */

/* ---- the requester's view ------------------------------------------------------------------ */

static void
cases_iso_time(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;
	gmtime_r(&tt, &tm);
	if (strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

static json_t *
cases_time_or_null(int64_t t)
{
	if (t == 0)
		return json_null();
	char s[32];
	cases_iso_time(t, s);
	return json_string(s);
}

struct view_docs {
	json_t *arr;
	char group[IDV_DOC_ID_MAX];
	json_t *cur;
};

static bool
cases_view_doc(void *arg, const struct idv_doc_row *d)
{
	struct view_docs *v = arg;
	char group[IDV_DOC_ID_MAX];
	idv_doc_group(d->id, group);
	if (v->cur == NULL || strcmp(group, v->group) != 0) {
		v->cur = json_pack("{s:s,s:s,s:[]}", "id", group, "kind", d->kind, "files");
		json_array_append_new(v->arr, v->cur);
		idv_strlcpy(v->group, group, sizeof v->group);
	}
	json_t *f = json_pack("{s:i,s:s,s:I}", "part", d->part, "status", d->status, "size",
			      (json_int_t)d->size);
	if (d->error_type[0] != '\0')
		json_object_set_new(
			f, "error",
			json_pack("{s:s,s:s}", "type", d->error_type, "detail", d->error_detail));
	json_array_append_new(json_object_get(v->cur, "files"), f);
	return true;
}

/*
 * The outcome in plain words and what to do next ("message", "next_step"): all a requester is
 * told about the decision. They depend only on the status, the request and what is still
 * needed (the policy's list), never on the records.
 */
static void
cases_view_words(json_t *o, const struct idv_case_row *row, json_t *required)
{
	static const struct {
		const char *key, *words;
	} needs[] = {
		{"government_id", "a government ID"},
		{"proof_of_residence", "a proof of address"},
		{"declaration", "the signed declaration"},
		{"contact_code", "the code we sent to the e-mail or phone we hold for you"},
	};
	/* What each status tells, unless one of the cases below says more. */
	static const struct {
		const char *status, *msg, *next;
	} words[] = {
		{IDV_CS_AWAITING_EVIDENCE, "we need more from you before we can verify you",
		 "send what is listed under required"},
		{IDV_CS_PROCESSING, "we are reading what you sent", "nothing: check again later"},
		{IDV_CS_VERIFIED, "verified",
		 "nothing: the business will answer by the respond_by date"},
		{IDV_CS_NOT_VERIFIED, "we could not verify you",
		 "you can make a new request with more details or documents"},
		{IDV_CS_MANUAL_REVIEW, "a person is checking your request",
		 "nothing: the result will show here"},
		{IDV_CS_REFUSED,
		 "two requests to know were already answered for you in the last 12 months",
		 "nothing: the law does not oblige the business to answer more often"},
		{IDV_CS_NOT_REQUIRED, "no verification is needed for this request",
		 "nothing: the business will act on it"},
	};
	const char *s = row->status;
	const char *msg = "the request is being processed", *next = "nothing: check again later";
	for (size_t k = 0; k < IDV_ARRAY_LEN(words); k++)
		if (strcmp(s, words[k].status) == 0) {
			msg = words[k].msg;
			next = words[k].next;
		}
	struct idv_buf more;
	idv_buf_init(&more, 255);
	if (strcmp(s, IDV_CS_AWAITING_EVIDENCE) == 0) {
		size_t i;
		json_t *v;
		json_array_foreach(required, i, v)
		{
			const char *k = json_string_value(v), *w = "something more from you";
			for (size_t n = 0; k != NULL && n < IDV_ARRAY_LEN(needs); n++)
				if (strcmp(k, needs[n].key) == 0)
					w = needs[n].words;
			idv_buf_printf(&more, "%s%s", i == 0 ? "" : ", ", w);
		}
	}
	if (row->closed_at != 0) {
		msg = "this request is closed";
		next = "nothing: the business's answer explains what was done";
	} else if (strcmp(s, IDV_CS_AWAITING_EVIDENCE) == 0 && more.len > 0) {
		msg = NULL; /* the list below */
	} else if (strcmp(s, IDV_CS_VERIFIED) == 0 && strcmp(row->request_type, "delete") == 0 &&
		   row->delete_confirmed_at == 0) {
		next = "confirm the deletion";
	}
	if (msg == NULL) {
		char m[300];
		idv_why(m, sizeof m, "we need more evidence: %s", idv_buf_str(&more));
		json_object_set_new(o, "message", json_string(m));
	} else {
		json_object_set_new(o, "message", json_string(msg));
	}
	json_object_set_new(o, "next_step", json_string(next));
	idv_buf_cleanup(&more);
}

static json_t *
cases_view(struct idv_cases *cs, const struct idv_case_row *row, bool full)
{
	char received[32];
	cases_iso_time(row->received_at, received);
	json_t *missing = NULL;
	idv_case_evidence_complete(cs, row, &missing);
	struct view_docs v = {json_array(), "", NULL};
	idv_store_doc_each(cs->store, row->id, cases_view_doc, &v);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "reference",
			      row->reference, "status", row->status, "request_type",
			      row->request_type, "level", row->level, "channel", row->channel,
			      "requester_role", row->requester_role, "received_at", received,
			      "acknowledge_by", row->acknowledge_by, "respond_by", row->respond_by,
			      "extended", row->extended);
	json_object_set_new(o, "required", missing);
	json_object_set_new(o, "documents", v.arr);
	char version[32];
	int64_t signed_at = 0;
	if (idv_store_declaration_get(cs->store, row->id, version, sizeof version, &signed_at,
				      NULL) == IDV_OK)
		json_object_set_new(o, "declaration",
				    json_pack("{s:s,s:o}", "statement_version", version,
					      "signed_at", cases_time_or_null(signed_at)));
	else
		json_object_set_new(o, "declaration", json_null());
	if (row->outcome[0] != '\0') {
		json_t *out = json_pack("{s:s,s:s,s:s,s:o}", "result", row->outcome, "level",
					row->outcome_level[0] ? row->outcome_level : "none",
					"model", row->model, "decided_at",
					cases_time_or_null(row->decided_at));
		/* Reasons, for the business only: they carry no personal data (score.h) but say
		 * which field matched, how many records are candidates and why a point did not
		 * count, which would let anyone probe the records one field at a time. */
		uint8_t dek[IDV_KEY_LEN];
		if (full && row->decision_sealed.len > 0 && idv_case_key_open(row, dek) == IDV_OK) {
			struct idv_buf plain;
			idv_buf_init(&plain, 1024 * 1024);
			if (idv_case_open(dek, row->reference, "decision",
					  row->decision_sealed.data, row->decision_sealed.len,
					  &plain) == IDV_OK) {
				json_t *d = json_loadb((const char *)plain.data, plain.len, 0,
						       NULL);
				json_t *reasons = json_object_get(d, "reasons");
				if (reasons != NULL)
					json_object_set(out, "reasons", reasons);
				json_decref(d);
			}
			idv_buf_cleanup_wipe(&plain);
			idv_wipe(dek, sizeof dek);
		}
		json_object_set_new(o, "outcome", out);
	} else {
		json_object_set_new(o, "outcome", json_null());
	}
	if (strcmp(row->request_type, "delete") == 0)
		json_object_set_new(o, "delete_confirmed_at",
				    cases_time_or_null(row->delete_confirmed_at));
	json_object_set_new(o, "withdrawn_at", cases_time_or_null(row->withdrawn_at));
	if (row->closed_at != 0) {
		json_object_set_new(o, "closed",
				    json_pack("{s:o,s:s,s:s*}", "at",
					      cases_time_or_null(row->closed_at), "response",
					      row->response, "denial_basis",
					      row->denial_basis[0] ? row->denial_basis : NULL));
	} else {
		json_object_set_new(o, "closed", json_null());
	}
	json_object_set_new(o, "purged_at", cases_time_or_null(row->purged_at));
	json_t *agent = idv_case_agent_view(cs, row);
	json_t *reach = agent != NULL && full ? idv_case_consumer_view(cs, row->id) : NULL;
	if (reach != NULL) /* whether the consumer could be written to: the business's only */
		json_object_set_new(agent, "consumer_code", reach);
	if (agent != NULL)
		json_object_set_new(o, "agent", agent);
	json_t *code = row->closed_at == 0 ? idv_case_code_view(cs, row->id, full) : NULL;
	if (code != NULL)
		json_object_set_new(o, "contact_code", code);
	cases_view_words(o, row, json_object_get(o, "required"));
	return o;
}

json_t *
idv_case_view(struct idv_cases *cs, const struct idv_case_row *row)
{
	return cases_view(cs, row, false);
}

json_t *
idv_case_view_full(struct idv_cases *cs, const struct idv_case_row *row)
{
	return cases_view(cs, row, true);
}

/* ---- closing -------------------------------------------------------------------------------- */

enum idv_err
idv_case_close(struct idv_cases *cs, struct idv_case_row *row, const char *response,
	       const char *basis, const char *actor,
	       enum idv_err (*also)(void *arg, struct idv_case_row *row), void *arg)
{
	row->closed_at = (int64_t)time(NULL);
	idv_strlcpy(row->status, IDV_CS_CLOSED, sizeof row->status);
	idv_strlcpy(row->response, response, sizeof row->response);
	idv_strlcpy(row->denial_basis, basis ? basis : "", sizeof row->denial_basis);
	enum idv_err err = idv_store_begin(cs->store);
	if (err != IDV_OK)
		return err;
	if ((err = idv_store_case_update(cs->store, row)) == IDV_OK &&
	    (also == NULL || (err = also(arg, row)) == IDV_OK))
		err = idv_audit_append(
			cs->store, actor, "case.closed", row->reference,
			json_pack("{s:s,s:s*}", "response", response, "denial_basis", basis));
	if ((err = idv_store_end(cs->store, err)) != IDV_OK)
		return err;
	idv_log(IDV_LOG_INFO, "case.closed", "{s:I,s:s,s:s}", "case_id", (json_int_t)row->id,
		"response", response, "denial_basis", basis ? basis : "");
	/* New verification data goes as soon as the case is over (R7). */
	return idv_case_purge(cs, row->id);
}

/* ---- purge --------------------------------------------------------------------------------- */

struct purge_hashes {
	json_t *items;
};

static bool
cases_purge_doc(void *arg, const struct idv_doc_row *d)
{
	struct purge_hashes *p = arg;
	uint8_t h[32];
	char hex[65];
	idv_crypto_sha256(d->result_sealed.data ? (const void *)d->result_sealed.data : "",
			  d->result_sealed.len, h);
	idv_hex(h, sizeof h, hex);
	json_array_append_new(p->items,
			      json_pack("{s:s,s:s,s:I,s:s}", "what", "document", "id", d->id,
					"size", (json_int_t)d->size, "result_sha256", hex));
	return true;
}

static void
cases_hash_item(json_t *items, const char *what, const struct idv_buf *b)
{
	if (b->len == 0)
		return;
	uint8_t h[32];
	char hex[65];
	idv_crypto_sha256(b->data, b->len, h);
	idv_hex(h, sizeof h, hex);
	json_array_append_new(items, json_pack("{s:s,s:s}", "what", what, "sha256", hex));
}

/* An agent's case keeps its DRP ids (the request record) but not the power-of-attorney
 * reference. */
static enum idv_err
cases_purge_agent(struct idv_cases *cs, int64_t case_id)
{
	struct idv_agent_case_row ac;
	idv_agent_case_row_init(&ac);
	enum idv_err err = idv_store_agent_case_get(cs->store, case_id, &ac);
	if (err == IDV_OK && ac.poa_sealed.len > 0) {
		idv_buf_reset(&ac.poa_sealed);
		err = idv_store_agent_case_update(cs->store, &ac);
	}
	idv_agent_case_row_cleanup(&ac);
	return err == IDV_E_NOTFOUND ? IDV_OK : err;
}

enum idv_err
idv_case_purge(struct idv_cases *cs, int64_t case_id)
{
	enum idv_err result;
	struct idv_case_row row;
	idv_case_row_init(&row);
	if ((result = idv_store_begin(cs->store)) != IDV_OK)
		goto out_nolock;
	if ((result = idv_store_case_get_id(cs->store, case_id, &row)) != IDV_OK)
		goto rollback;
	if (row.purged_at != 0 || row.closed_at == 0) {
		result = row.purged_at != 0 ? IDV_OK : IDV_E_STATE;
		goto rollback;
	}
	struct purge_hashes ph = {json_array()};
	idv_store_doc_each(cs->store, case_id, cases_purge_doc, &ph);
	cases_hash_item(ph.items, "claims", &row.claims_sealed);
	cases_hash_item(ph.items, "decision", &row.decision_sealed);
	cases_hash_item(ph.items, "case_key", &row.wrapped_key);
	int64_t ndocs = 0;
	if ((result = idv_store_doc_delete_case(cs->store, case_id, &ndocs)) != IDV_OK) {
		json_decref(ph.items);
		goto rollback;
	}
	if ((result = idv_store_code_delete_case(cs->store, case_id)) != IDV_OK ||
	    (result = cases_purge_agent(cs, case_id)) != IDV_OK) {
		json_decref(ph.items);
		goto rollback;
	}
	idv_buf_cleanup_wipe(&row.wrapped_key);
	idv_buf_cleanup(&row.claims_sealed);
	idv_buf_cleanup(&row.decision_sealed);
	row.purged_at = (int64_t)time(NULL);
	char at[32];
	cases_iso_time(row.purged_at, at);
	json_t *receipt = json_pack("{s:s,s:s,s:o,s:[s,s,s,s]}", "reference", row.reference,
				    "purged_at", at, "destroyed", ph.items, "kept",
				    "request_record", "declarations", "deletion_receipt",
				    "access_count_hash");
	char *body = json_dumps(receipt, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_SORT_KEYS);
	json_decref(receipt);
	uint8_t mac[32];
	if (body == NULL ||
	    (result = idv_crypto_hmac_derived("receipts", body, strlen(body), mac)) != IDV_OK) {
		free(body);
		result = body == NULL ? IDV_E_NOMEM : result;
		goto rollback;
	}
	if ((result = idv_store_case_update(cs->store, &row)) == IDV_OK &&
	    (result = idv_store_receipt_insert(cs->store, case_id, body, mac)) == IDV_OK)
		result = idv_audit_append(cs->store, "system", "case.purged", row.reference,
					  json_pack("{s:I}", "documents", (json_int_t)ndocs));
	free(body);
	if ((result = idv_store_end(cs->store, result)) != IDV_OK)
		goto out_nolock;
	/* Old pages of the WAL still hold the sealed blobs until they are checkpointed. */
	idv_store_checkpoint(cs->store);
	idv_log(IDV_LOG_INFO, "case.purged", "{s:I,s:I}", "case_id", (json_int_t)case_id,
		"documents", (json_int_t)ndocs);
	goto out_nolock;
rollback:
	idv_store_rollback(cs->store);
out_nolock:
	idv_case_row_cleanup(&row);
	return result;
}

/* ---- sweeper ------------------------------------------------------------------------------- */

/* The cases one sweep works on at the most (the rest are swept the next time). */
#define SWEEP_MAX_CASES (1u << 20)

static bool
cases_collect(void *arg, const struct idv_case_row *row)
{
	return idv_ids_push(arg, row->id);
}

enum idv_err
idv_sweep(struct idv_cases *cs, int64_t now, struct idv_sweep_report *rep)
{
	struct idv_ids ids;
	idv_ids_init(&ids, SWEEP_MAX_CASES);
	enum idv_err result = IDV_OK;
	memset(rep, 0, sizeof *rep);
	/* 1. Abandoned: no activity for abandon_days; closed as denied, then purged. */
	int64_t cutoff = now - (int64_t)cs->cfg->abandon_days * 86400;
	if ((result = idv_store_case_each_stale(cs->store, cutoff, cases_collect, &ids)) != IDV_OK)
		goto out;
	for (size_t i = 0; i < ids.n; i++) {
		struct idv_case_row row;
		idv_case_row_init(&row);
		if (idv_store_begin(cs->store) == IDV_OK) {
			enum idv_err err = IDV_E_STATE; /* active again, or gone: not abandoned */
			if (idv_store_case_get_id(cs->store, ids.v[i], &row) == IDV_OK &&
			    row.closed_at == 0 && row.updated_at < cutoff) {
				idv_strlcpy(row.status, IDV_CS_CLOSED, sizeof row.status);
				row.closed_at = now;
				idv_strlcpy(row.response, "denied", sizeof row.response);
				idv_strlcpy(row.denial_basis, "abandoned", sizeof row.denial_basis);
				if ((err = idv_store_case_update(cs->store, &row)) == IDV_OK)
					err = idv_audit_append(
						cs->store, "system", "case.closed", row.reference,
						json_pack("{s:s,s:s}", "response", "denied",
							  "denial_basis", "abandoned"));
			}
			if (idv_store_end(cs->store, err) == IDV_OK)
				rep->abandoned++;
		}
		idv_case_row_cleanup(&row);
	}
	/* 2. Purge every closed case not purged yet (new data: as soon as practical, R7). */
	ids.n = 0;
	if ((result = idv_store_case_each_unpurged(cs->store, cases_collect, &ids)) != IDV_OK)
		goto out;
	for (size_t i = 0; i < ids.n; i++)
		if (idv_case_purge(cs, ids.v[i]) == IDV_OK)
			rep->purged++;
	/* 3. Request records are kept 24 months (R39), or the policy's longer retention_months,
	 * then deleted. */
	struct tm tm;
	time_t t = (time_t)now;
	gmtime_r(&t, &tm);
	tm.tm_mon -= idv_scoring_procedure(cs->scoring)->retention_months;
	int64_t before = (int64_t)timegm(&tm);
	result = idv_store_case_delete_closed_before(cs->store, before, &rep->records_deleted);
	/* 4. Attempt counters (R9) whose window and lock are over are forgotten. */
	const struct idv_attempts_rule *rule = &idv_scoring_models(cs->scoring)->policy.attempts;
	enum idv_err ferr = idv_store_attempts_forget(cs->store, now - rule->window_s, now, NULL);
	if (result == IDV_OK)
		result = ferr;
	/* 5. DRP replay hashes of bodies that have expired (issue 19). */
	ferr = idv_store_drp_replay_trim(cs->store, now);
	if (result == IDV_OK)
		result = ferr;
	if (rep->purged > 0 || rep->records_deleted > 0)
		idv_store_checkpoint(cs->store);
out:
	idv_ids_cleanup(&ids);
	return result;
}
