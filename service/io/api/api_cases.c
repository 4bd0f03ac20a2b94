/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_cases.c: the requesters' API (create a request, upload documents, sign the declaration,
 * confirm a delete, withdraw, follow the status) and the business's (extend, close).
 * See cases.h for the life of a case.
 */
#include <time.h>

#include "api.h"
#include "codes.h"
#include "audit.h"
#include "cases.h"
#include "workers.h"
#include "idverify/deadline.h"
#include "idverify/procedure.h"
#include "idverify/limits.h"
#include "log.h"
#include "policy.h"
#include "idverify/multipart.h"
#include "idverify/record.h"
#include "recordstore.h"
#include "idverify/reference.h"
#include "idverify/str.h"
#include "messages.h"
#include "vocab.h"

/* The statement signed under penalty of perjury (R17), in each language of the catalogues
 * (messages.h, "declaration.statement"). A new text gets a new version. */
#define DECLARATION_VERSION "2026-11-v1"

/* The language a consumer reads the statement in (?lang=, else Accept-Language, else English)
 * and its text; NULL when no catalogue has one. */
static const char *
api_declaration_text(struct idv_http_req *req, const char *want, const char **lang)
{
	*lang = idv_messages_pick(want, idv_http_header(req, "Accept-Language"));
	if (*lang == NULL)
		*lang = "en";
	return idv_messages_text(*lang, "declaration.statement");
}

static const char *
api_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int64_t
api_now(void)
{
	return (int64_t)time(NULL);
}

static void
api_today(struct idv_date *d)
{
	idv_date_from_days(idv_today_days(), d);
}

/* ---- claims ------------------------------------------------------------------------------- */

/*
 * Validate the claims object and return a clean copy with known keys only. Rules are those of
 * the business's own records (records.h), so typed claims and records compare like with like.
 */
json_t *
idv_api_claims_clean(json_t *claims, bool names_required, char *why, size_t whysz)
{
	static const struct {
		const char *key;
		enum idv_record_col col;
	} top[] = {
		{"given_names", IDV_COL_GIVEN_NAME},
		{"family_name", IDV_COL_FAMILY_NAME},
		{"suffix", IDV_COL_SUFFIX},
		{"date_of_birth", IDV_COL_DATE_OF_BIRTH},
		{"email", IDV_COL_EMAIL},
		{"phone", IDV_COL_PHONE},
	};
	static const struct {
		const char *key;
		enum idv_record_col col;
	} addr[] = {
		{"street", IDV_COL_STREET},
		{"unit", IDV_COL_UNIT},
		{"city", IDV_COL_CITY},
		{"state", IDV_COL_STATE},
		{"postal_code", IDV_COL_POSTAL_CODE},
	};
	if (claims != NULL && !json_is_object(claims)) {
		idv_why(why, whysz, "claims must be an object");
		return NULL;
	}
	struct idv_record_row row = {0};
	row.v[IDV_COL_ID] = "claims";
	row.len[IDV_COL_ID] = 6;
	json_t *clean = json_object();
	const char *key;
	json_t *val;
	json_object_foreach(claims, key, val)
	{
		bool known = strcmp(key, "address") == 0 || strcmp(key, "correcting") == 0;
		for (size_t i = 0; i < IDV_ARRAY_LEN(top) && !known; i++)
			known = strcmp(key, top[i].key) == 0;
		if (!known) {
			idv_why(why, whysz, "claims: unknown field '%.40s'", key);
			goto fail;
		}
	}
	for (size_t i = 0; i < IDV_ARRAY_LEN(top); i++) {
		json_t *v = json_object_get(claims, top[i].key);
		if (v == NULL || json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			idv_why(why, whysz, "claims.%s must be a string", top[i].key);
			goto fail;
		}
		row.v[top[i].col] = json_string_value(v);
		row.len[top[i].col] = json_string_length(v);
		if (json_string_length(v) > 0)
			json_object_set(clean, top[i].key, v);
	}
	json_t *a = json_object_get(claims, "address");
	if (a != NULL && !json_is_null(a)) {
		if (!json_is_object(a)) {
			idv_why(why, whysz, "claims.address must be an object");
			goto fail;
		}
		json_t *ca = json_object();
		json_object_foreach(a, key, val)
		{
			bool known = false;
			for (size_t i = 0; i < IDV_ARRAY_LEN(addr) && !known; i++)
				known = strcmp(key, addr[i].key) == 0;
			if (!known || !(json_is_string(val) || json_is_null(val))) {
				idv_why(why, whysz, "claims.address: bad field '%.40s'", key);
				json_decref(ca);
				goto fail;
			}
		}
		for (size_t i = 0; i < IDV_ARRAY_LEN(addr); i++) {
			json_t *v = json_object_get(a, addr[i].key);
			if (!json_is_string(v))
				continue;
			row.v[addr[i].col] = json_string_value(v);
			row.len[addr[i].col] = json_string_length(v);
			if (json_string_length(v) > 0)
				json_object_set(ca, addr[i].key, v);
		}
		json_object_set_new(clean, "address", ca);
	}
	json_t *corr = json_object_get(claims, "correcting");
	if (corr != NULL) {
		if (!json_is_array(corr)) {
			idv_why(why, whysz, "claims.correcting must be an array of field names");
			goto fail;
		}
		json_object_set(clean, "correcting", corr);
	}
	if (!names_required) {
		if (row.len[IDV_COL_GIVEN_NAME] == 0)
			row.v[IDV_COL_GIVEN_NAME] = "-", row.len[IDV_COL_GIVEN_NAME] = 1;
		if (row.len[IDV_COL_FAMILY_NAME] == 0)
			row.v[IDV_COL_FAMILY_NAME] = "-", row.len[IDV_COL_FAMILY_NAME] = 1;
	}
	enum idv_record_col bad;
	char reason[160];
	if (idv_record_check_row(&row, idv_today_days(), &bad, reason, sizeof reason) != IDV_OK) {
		const char *name = bad == IDV_COL_GIVEN_NAME ? "given_names"
							     : idv_record_columns[bad];
		if (bad == IDV_COL_GIVEN_NAME && strncmp(reason, "given_name ", 11) == 0)
			idv_why(why, whysz, "claims.%s: given_names%s", name, reason + 10);
		else
			idv_why(why, whysz, "claims.%s: %s", name, reason);
		goto fail;
	}
	return clean;
fail:
	json_decref(clean);
	return NULL;
}

/* ---- POST /v1/requests --------------------------------------------------------------------- */

/* Inside the creation transaction: the case waits for a code to channel (codes.h). */
struct api_code_new {
	struct idv_store *store;
	const char *channel;
};

static enum idv_err
api_code_within(void *arg, struct idv_case_row *row, const uint8_t dek[IDV_KEY_LEN])
{
	const struct api_code_new *n = arg;
	(void)dek;
	return idv_case_code_want(n->store, row->id, n->channel, IDV_CODE_PURPOSE_VERIFY,
				  row->received_at);
}

/* An agent's filing: the consumer will be sent a code to the contact on file (codes.h). */
struct api_agent_new {
	struct idv_store *store;
	json_t *claims;
};

static enum idv_err
api_agent_within(void *arg, struct idv_case_row *row, const uint8_t dek[IDV_KEY_LEN])
{
	const struct api_agent_new *n = arg;
	(void)dek;
	return idv_case_consumer_want(n->store, row->id, n->claims, row->received_at);
}

bool
idv_api_agent_caller(const struct idv_http_req *req)
{
	return idv_http_role(req) == IDV_ROLE_AGENT ||
	       strncmp(idv_http_actor(req), "web-agent:", 10) == 0;
}

bool
idv_api_agent_refused(struct idv_http_req *req, struct idv_http_resp *resp, const char *step)
{
	if (!idv_api_agent_caller(req))
		return false;
	idv_http_problem(resp, 403, "forbidden", "Forbidden",
			 "%s is the consumer's own step: an agent's credential cannot take it. The "
			 "consumer does, in their own session, with the code we send to the "
			 "contact we hold for them (11 CCR 7063)",
			 step);
	return true;
}

void
idv_api_request_create(struct idv_http_req *req, struct idv_http_resp *resp)
{
	json_t *body = idv_http_json_body(req);
	const char *type = api_str(body, "request_type");
	const char *level_req = api_str(body, "level");
	const char *channel = api_str(body, "channel");
	json_t *requester = json_object_get(body, "requester");
	const char *role = requester ? api_str(requester, "role") : NULL;
	char why[256];
	json_t *clean = NULL;
	struct idv_case_row row;
	char token[65];
	idv_case_row_init(&row);

	if (!idv_vocab_has(&idv_vocab_request_types, type)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "request_type must be one of %s", idv_vocab_request_types.list);
		goto out;
	}
	if (level_req != NULL && strcmp(level_req, "standard") != 0 &&
	    strcmp(level_req, "heightened") != 0) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "level must be standard or heightened");
		goto out;
	}
	if (channel == NULL)
		channel = "api";
	if (!idv_vocab_has(&idv_vocab_channels, channel)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value", "channel must be one of %s",
				 idv_vocab_channels.list);
		goto out;
	}
	if (role == NULL)
		role = idv_requester_name(IDV_REQUESTER_CONSUMER);
	if (!idv_vocab_has(&idv_vocab_requester_roles, role)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "requester.role must be one of %s",
				 idv_vocab_requester_roles.list);
		goto out;
	}
	bool opt_out = strcmp(type, "opt_out") == 0;
	json_t *claims = json_object_get(body, "claims");
	if (claims == NULL && !opt_out) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "claims are required: at least given_names and family_name");
		goto out;
	}
	if ((clean = idv_api_claims_clean(claims, !opt_out, why, sizeof why)) == NULL) {
		idv_http_problem(resp, 422, "invalid", "Invalid value", "%s", why);
		goto out;
	}
	json_t *classes = json_object_get(body, "data_classes");
	bool classes_ok = classes == NULL || json_is_array(classes);
	for (size_t i = 0; classes_ok && i < json_array_size(classes); i++)
		classes_ok = json_is_string(json_array_get(classes, i)) &&
			     json_string_length(json_array_get(classes, i)) < 32;
	if (!classes_ok || json_array_size(classes) > 16) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "data_classes must be an array of at most 16 class names");
		goto out;
	}
	if (classes != NULL)
		json_object_set(clean, "data_classes", classes);

	/* "contact_code": verify with a one-time code to the e-mail or phone on file (codes.h) */
	const char *cc = api_str(body, "contact_code");
	if (json_object_get(body, "contact_code") != NULL &&
	    (cc == NULL || (strcmp(cc, "email") != 0 && strcmp(cc, "phone") != 0) || opt_out)) {
		idv_http_problem(
			resp, 422, "invalid", "Invalid value",
			"contact_code must be \"email\" or \"phone\" (not for an opt-out)");
		goto out;
	}
	/* An agent's filing: the consumer takes part directly, with a code of their own (R24). */
	bool agent = idv_requester_is(role, IDV_REQUESTER_AUTHORIZED_AGENT) && !opt_out;
	if (agent && cc != NULL) {
		idv_http_problem(
			resp, 422, "invalid", "Invalid value",
			"an authorized agent's request takes no contact_code: the consumer is "
			"sent a code of their own");
		goto out;
	}
	struct api_code_new cn = {idv_http_store(req), cc};
	struct api_agent_new an = {idv_http_store(req), clean};
	struct idv_case_new in = {type,
				  level_req,
				  channel,
				  role,
				  clean,
				  NULL,
				  NULL,
				  agent        ? api_agent_within
				  : cc != NULL ? api_code_within
					       : NULL,
				  agent ? (void *)&an : (void *)&cn};
	enum idv_err err = idv_case_create(idv_api_app(req)->cases, &in, &row, token);
	if (err != IDV_OK) {
		idv_http_problem_err(resp, err, "the request could not be recorded");
		goto out;
	}
	if (agent)
		idv_api_consumer_code_after_create(req, row.reference);
	json_t *view = idv_case_view(idv_api_app(req)->cases, &row);
	/* The agent's token reads the status, uploads the signed permission and withdraws; the
	 * consumer's page carries no token (the consumer opens it with their code). */
	json_object_set_new(view, "token", json_string(token));
	if (agent)
		json_object_set_new(view, "user_verification_url",
				    json_sprintf("%s/requests/%s/agent",
						 idv_api_app(req)->public_url, row.reference));
	idv_wipe(token, sizeof token);
	idv_http_header_fmt(resp, "Location", "/v1/requests/%s", row.reference);
	idv_http_json(resp, 201, view);
out:
	json_decref(clean);
	idv_case_row_cleanup(&row);
}

bool
idv_api_case_load(struct idv_http_req *req, struct idv_http_resp *resp, struct idv_case_row *row)
{
	const char *ref = idv_http_param(req, "reference");
	enum idv_err err = idv_store_case_get(idv_http_store(req), ref, row);
	if (err == IDV_E_NOTFOUND) {
		idv_http_problem(resp, 404, "not-found", "Not found", "no request %s", ref);
		return false;
	}
	if (err != IDV_OK) {
		idv_http_problem_err(resp, err, "the request could not be read");
		return false;
	}
	return true;
}

void
idv_api_request_get(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_case_row row;
	idv_case_row_init(&row);
	/* The requester sees the outcome in words; the business also sees its reasons. */
	if (idv_api_case_load(req, resp, &row))
		idv_http_json(resp, 200,
			      idv_http_role(req) == IDV_ROLE_ADMIN
				      ? idv_case_view_full(idv_api_app(req)->cases, &row)
				      : idv_case_view(idv_api_app(req)->cases, &row));
	idv_case_row_cleanup(&row);
}

static bool
api_case_open(struct idv_case_row *row, struct idv_http_resp *resp)
{
	if (row->closed_at != 0) {
		idv_http_problem(resp, 409, "invalid-state", "Not allowed in the current state",
				 "the request is closed");
		return false;
	}
	return true;
}

/*
 * The frame of a handler on an open case: load the case of {reference} (404, 500), refuse a
 * closed one (409), run step on it (step fills resp) and free the row.
 */
static void
api_on_open_case(struct idv_http_req *req, struct idv_http_resp *resp,
		 void (*step)(struct idv_http_req *, struct idv_http_resp *, struct idv_case_row *))
{
	struct idv_case_row row;
	idv_case_row_init(&row);
	if (idv_api_case_load(req, resp, &row) && api_case_open(&row, resp))
		step(req, resp, &row);
	idv_case_row_cleanup(&row);
}

/* Define the route handler name as api_on_open_case running step. */
#define API_OPEN_CASE_HANDLER(name, step)                                                          \
	void name(struct idv_http_req *req, struct idv_http_resp *resp)                            \
	{                                                                                          \
		api_on_open_case(req, resp, step);                                                 \
	}

/*
 * The end of a change to a case: the problem of err with detail, else 200 with the case as
 * stored now (the business's full view with full).
 */
static void
api_case_done(struct idv_http_req *req, struct idv_http_resp *resp, struct idv_case_row *row,
	      enum idv_err err, const char *detail, bool full)
{
	if (err != IDV_OK) {
		idv_http_problem_err(resp, err, "%s", detail);
		return;
	}
	idv_store_case_get(idv_http_store(req), row->reference, row);
	struct idv_cases *cs = idv_api_app(req)->cases;
	idv_http_json(resp, 200, full ? idv_case_view_full(cs, row) : idv_case_view(cs, row));
}

/* Write the case row and an audit entry (detail stolen) in one transaction. */
static enum idv_err
api_update_audited(struct idv_http_req *req, struct idv_case_row *row, const char *event,
		   json_t *detail)
{
	struct idv_store *store = idv_http_store(req);
	enum idv_err err = idv_store_begin(store);
	if (err != IDV_OK) {
		json_decref(detail);
		return err;
	}
	if ((err = idv_store_case_update(store, row)) == IDV_OK)
		err = idv_audit_append(store, idv_http_actor(req), event, row->reference, detail);
	else
		json_decref(detail);
	return idv_store_end(store, err);
}

/* ---- POST /v1/requests/{reference}/documents ------------------------------------------------ */

/* A document as uploaded: its kind and one or two files (front and back). */
struct docs_upload {
	char kind[32];
	struct idv_part files[2];
	size_t nfiles;
};

/* The multipart form: a field "kind" and one or two non-empty files within max_upload.
 * false with resp filled on anything else. */
static bool
docs_parse(struct idv_http_req *req, struct idv_http_resp *resp, struct docs_upload *u)
{
	struct idv_multipart mp;
	struct idv_part part;
	size_t len = 0;
	const uint8_t *body = idv_http_body(req, &len);
	enum idv_err err = idv_multipart_init(&mp, idv_http_header(req, "Content-Type"), body, len);
	if (err != IDV_OK) {
		idv_http_problem(
			resp, err == IDV_E_UNSUPPORTED ? 415 : 400,
			err == IDV_E_UNSUPPORTED ? "unsupported-media-type" : "malformed",
			err == IDV_E_UNSUPPORTED ? "Unsupported media type" : "Malformed request",
			"documents are sent as multipart/form-data with a field 'kind' and "
			"one or two files");
		return false;
	}
	while ((err = idv_multipart_next(&mp, &part)) == IDV_OK) {
		if (strcmp(part.name, "kind") == 0 && !part.is_file) {
			if (part.len >= sizeof u->kind) {
				idv_http_problem(resp, 422, "invalid", "Invalid value", "bad kind");
				return false;
			}
			memcpy(u->kind, part.data, part.len);
			u->kind[part.len] = '\0';
		} else if (part.is_file || strcmp(part.name, "file") == 0) {
			if (u->nfiles >= 2) {
				idv_http_problem(resp, 422, "invalid", "Invalid value",
						 "at most two files (front and back) per document");
				return false;
			}
			u->files[u->nfiles++] = part;
		}
	}
	if (err != IDV_E_NOTFOUND) {
		idv_http_problem(resp, 400, "malformed", "Malformed request",
				 err == IDV_E_TOOBIG
					 ? "too many parts in the form"
					 : "the multipart body is malformed or truncated");
		return false;
	}
	if (!idv_vocab_has(&idv_vocab_doc_kinds, u->kind)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value", "kind must be one of %s",
				 idv_vocab_doc_kinds.list);
		return false;
	}
	if (u->nfiles == 0) {
		idv_http_problem(resp, 422, "invalid", "Invalid value", "no file was sent");
		return false;
	}
	size_t max = idv_http_config(req)->max_upload;
	for (size_t i = 0; i < u->nfiles; i++) {
		if (u->files[i].len == 0) {
			idv_http_problem(resp, 422, "unreadable", "Document unreadable",
					 "file %zu is empty", i + 1);
			return false;
		}
		if (u->files[i].len > max) {
			idv_http_problem(resp, 413, "too-large", "Content too large",
					 "file %zu is over the limit of %zu bytes", i + 1, max);
			return false;
		}
	}
	return true;
}

/* A bounded queue: past it, come back later rather than wait without end (DESIGN.md 8). */
static bool
docs_admit(struct idv_http_req *req, struct idv_http_resp *resp, size_t nfiles)
{
	unsigned retry_after = 0;
	int64_t queued = 0;
	if (idv_api_app(req)->workers == NULL ||
	    idv_workers_admit(idv_api_app(req)->workers, (unsigned)nfiles, &queued, &retry_after))
		return true;
	idv_http_problem(resp, 503, "queue-full", "Service busy",
			 "%lld documents are waiting to be read; send this one again in about %u "
			 "seconds",
			 (long long)queued, retry_after);
	idv_http_header_fmt(resp, "Retry-After", "%u", retry_after);
	idv_log(IDV_LOG_WARN, "case.queue_full", "{s:I,s:i}", "queued", (json_int_t)queued,
		"retry_after_s", (int)retry_after);
	return false;
}

/* One transaction: each file sealed under the case key as document group.<part> with its
 * reading job, the case moved to processing (or touched: activity for the sweeper), audited. */
static enum idv_err
docs_store(struct idv_http_req *req, struct idv_case_row *row, const uint8_t dek[IDV_KEY_LEN],
	   const struct docs_upload *u, const char *group)
{
	struct idv_store *store = idv_http_store(req);
	enum idv_err err = idv_store_begin(store);
	if (err != IDV_OK)
		return err;
	for (size_t i = 0; i < u->nfiles && err == IDV_OK; i++) {
		struct idv_doc_row d;
		idv_doc_row_init(&d);
		if (!idv_fmt(d.id, sizeof d.id, "%.20s.%u", group, (unsigned)i & 1u))
			err = IDV_E_INVAL;
		d.case_id = row->id;
		idv_strlcpy(d.kind, u->kind, sizeof d.kind);
		d.part = (int)i;
		idv_strlcpy(d.status, "queued", sizeof d.status);
		d.size = (int64_t)u->files[i].len;
		if (err == IDV_OK)
			err = idv_document_content_seal(dek, row->reference, d.id, u->files[i].data,
							u->files[i].len, &d.content_sealed);
		if (err == IDV_OK)
			err = idv_store_doc_insert(store, &d, true);
		idv_doc_row_cleanup(&d);
	}
	if (err == IDV_OK && strcmp(row->status, IDV_CS_AWAITING_EVIDENCE) == 0)
		idv_strlcpy(row->status, IDV_CS_PROCESSING, sizeof row->status);
	if (err == IDV_OK)
		err = idv_store_case_update(store, row);
	if (err == IDV_OK)
		err = idv_audit_append(store, idv_http_actor(req), "document.uploaded",
				       row->reference,
				       json_pack("{s:s,s:s,s:i}", "document", group, "kind",
						 u->kind, "files", (int)u->nfiles));
	return idv_store_end(store, err);
}

/* A DRP agent's token uploads to the requests of that agent only (404 for any other). */
static bool
api_docs_allowed(struct idv_http_req *req, struct idv_http_resp *resp,
		 const struct idv_case_row *row)
{
	struct idv_agent_case_row ac;
	bool ok = idv_http_role(req) != IDV_ROLE_AGENT;
	if (ok)
		return true;
	idv_agent_case_row_init(&ac);
	ok = idv_store_agent_case_get(idv_http_store(req), row->id, &ac) == IDV_OK &&
	     strcmp(ac.agent_id, idv_http_agent(req)) == 0;
	idv_agent_case_row_cleanup(&ac);
	if (!ok) /* as if absent: an agent learns nothing of requests that are not its own */
		idv_http_problem(resp, 404, "not-found", "Not found", "no request %s of this agent",
				 row->reference);
	return ok;
}

/* The kinds of document that prove an agent's authority: the consumer's signed permission, a
 * Secretary of State registration, a power of attorney. */
static bool
docs_agent_proof(const char *kind)
{
	return strcmp(kind, "agent_permission") == 0 || strcmp(kind, "agent_registration") == 0 ||
	       strcmp(kind, "power_of_attorney") == 0;
}

/* Upload documents to an open case (the step of idv_api_request_documents). */
static void
docs_receive(struct idv_http_req *req, struct idv_http_resp *resp, struct idv_case_row *row)
{
	uint8_t dek[IDV_KEY_LEN] = {0}, rnd[8];
	struct docs_upload u = {0};
	char group[24], hex[17];
	enum idv_err err;
	if (strcmp(row->status, IDV_CS_NOT_REQUIRED) == 0) {
		idv_http_problem(resp, 409, "invalid-state", "Not allowed in the current state",
				 "an opt-out request needs no verification and takes no documents");
		goto out;
	}
	if (!api_docs_allowed(req, resp, row))
		goto out;
	if (!docs_parse(req, resp, &u) || !docs_admit(req, resp, u.nfiles))
		goto out;
	/* an agent's credential uploads the proofs of its own authority, nothing else (R24, R25) */
	if (idv_api_agent_caller(req) && !docs_agent_proof(u.kind)) {
		idv_http_problem(resp, 403, "forbidden", "Forbidden",
				 "an agent uploads only the proof of its authority (kind "
				 "agent_permission, agent_registration or power_of_attorney); "
				 "identity documents are the consumer's own, sent in their own "
				 "session");
		goto out;
	}
	if ((err = idv_case_key_open(row, dek)) != IDV_OK) {
		idv_http_problem_err(resp, err, "the case key could not be opened");
		goto out;
	}
	if ((err = idv_crypto_random(rnd, sizeof rnd)) != IDV_OK) {
		idv_http_problem_err(resp, err, "the document could not be named");
		goto out;
	}
	idv_hex(rnd, sizeof rnd, hex);
	if (IDV_NEVER(!idv_fmt(group, sizeof group, "D%s", hex))) {
		idv_http_problem_err(resp, IDV_E_INVAL, "the document could not be named");
		goto out;
	}
	if ((err = docs_store(req, row, dek, &u, group)) != IDV_OK) {
		idv_http_problem_err(resp, err, "the document could not be stored");
		goto out;
	}
	idv_log(IDV_LOG_INFO, "case.document_received", "{s:I,s:s,s:s,s:i}", "case_id",
		(json_int_t)row->id, "document", group, "kind", u.kind, "files", (int)u.nfiles);
	if (idv_api_app(req)->workers != NULL)
		idv_workers_wake(idv_api_app(req)->workers);
	idv_http_header_fmt(resp, "Location", "/v1/requests/%s", row->reference);
	idv_http_json(resp, 202,
		      json_pack("{s:s,s:s,s:i,s:s}", "id", group, "kind", u.kind, "files",
				(int)u.nfiles, "status", "queued"));
out:
	idv_wipe(dek, sizeof dek);
}

API_OPEN_CASE_HANDLER(idv_api_request_documents, docs_receive)

/* ---- declaration, confirmation, withdrawal ------------------------------------------------- */

void
idv_api_declaration_statement(struct idv_http_req *req, struct idv_http_resp *resp)
{
	const char *lang = NULL;
	const char *text = api_declaration_text(req, idv_http_query(req, "lang"), &lang);
	if (text == NULL) {
		idv_http_problem(resp, 503, "unavailable", "Unavailable",
				 "no declaration statement");
		return;
	}
	idv_http_json(resp, 200,
		      json_pack("{s:s,s:s,s:s}", "version", DECLARATION_VERSION, "language", lang,
				"text", text));
}

struct decl_evidence {
	json_t *items;
};

static bool
api_decl_doc(void *arg, const struct idv_doc_row *d)
{
	struct decl_evidence *e = arg;
	json_array_append_new(e->items, json_pack("{s:s,s:s}", "document", d->id, "kind", d->kind));
	return true;
}

/* Sign the declaration of an open case (the step of idv_api_request_declaration). */
static void
decl_sign(struct idv_http_req *req, struct idv_http_resp *resp, struct idv_case_row *row)
{
	json_t *body = idv_http_json_body(req);
	const char *typed = api_str(body, "typed_name");
	const char *version = api_str(body, "statement_version");
	json_t *consent = json_object_get(body, "consent");
	if (idv_api_agent_refused(req, resp, "signing the declaration under penalty of perjury"))
		return;
	if (typed == NULL || json_string_length(json_object_get(body, "typed_name")) < 3 ||
	    strchr(typed, ' ') == NULL) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "typed_name must be your full name as you sign it");
		return;
	}
	if (version == NULL || strcmp(version, DECLARATION_VERSION) != 0) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "statement_version must be %s (GET /v1/declaration-statement)",
				 DECLARATION_VERSION);
		return;
	}
	if (!json_is_true(consent)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "consent must be true: the declaration is signed under penalty of "
				 "perjury");
		return;
	}
	/* the statement in the language it was read in ("language", else the page's) */
	const char *lang = NULL;
	const char *declaration_text = api_declaration_text(req, api_str(body, "language"), &lang);
	if (declaration_text == NULL) {
		idv_http_problem(resp, 503, "unavailable", "Unavailable",
				 "no declaration statement");
		return;
	}
	char ip[64];
	idv_http_client_ip(req, ip, sizeof ip);
	const char *ua = idv_http_header(req, "User-Agent");
	struct decl_evidence ev = {json_array()};
	idv_store_doc_each(idv_http_store(req), row->id, api_decl_doc, &ev);
	uint8_t th[32];
	char thex[65];
	idv_crypto_sha256(declaration_text, strlen(declaration_text), th);
	idv_hex(th, sizeof th, thex);
	int64_t now = api_now();
	json_t *decl = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:o}", "reference",
				 row->reference, "typed_name", typed, "statement_version",
				 DECLARATION_VERSION, "statement_language", lang,
				 "statement_sha256", thex, "signed_at", (json_int_t)now, "ip", ip,
				 "user_agent", ua ? ua : "", "evidence", ev.items);
	char *plain = json_dumps(decl, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(decl);
	/* Declarations are kept with the request record (24 months), beyond the case key. */
	struct idv_buf sealed;
	idv_buf_init(&sealed, 64 * 1024);
	enum idv_err err = plain ? idv_crypto_derived(false, "declarations", plain, strlen(plain),
						      &sealed, "idverify/declaration/%s",
						      row->reference)
				 : IDV_E_NOMEM;
	if (plain != NULL) {
		idv_wipe(plain, strlen(plain));
		free(plain);
	}
	struct idv_store *store = idv_http_store(req);
	if (err == IDV_OK && (err = idv_store_begin(store)) == IDV_OK) {
		if ((err = idv_store_declaration_insert(store, row->id, DECLARATION_VERSION, now,
							sealed.data, sealed.len)) == IDV_OK &&
		    (err = idv_store_case_update(store, row)) == IDV_OK)
			err = idv_audit_append(store, idv_http_actor(req), "declaration.signed",
					       row->reference,
					       json_pack("{s:s,s:s}", "statement_version",
							 DECLARATION_VERSION, "language", lang));
		err = idv_store_end(store, err);
	}
	idv_buf_cleanup(&sealed);
	if (err == IDV_OK) {
		idv_log(IDV_LOG_INFO, "case.declaration_signed", "{s:I,s:s}", "case_id",
			(json_int_t)row->id, "statement_version", DECLARATION_VERSION);
		idv_case_evaluate(idv_api_app(req)->cases, row->reference);
	}
	api_case_done(req, resp, row, err, "the declaration could not be recorded", false);
}

API_OPEN_CASE_HANDLER(idv_api_request_declaration, decl_sign)

/* Confirm the deletion of an open case (the step of idv_api_request_confirm). */
static void
delete_confirm(struct idv_http_req *req, struct idv_http_resp *resp, struct idv_case_row *row)
{
	if (idv_api_agent_refused(req, resp, "confirming the deletion a second time"))
		return;
	if (strcmp(row->request_type, "delete") != 0) {
		idv_http_problem(resp, 409, "invalid-state", "Not allowed in the current state",
				 "only a delete request is confirmed");
		return;
	}
	enum idv_err err = IDV_OK;
	if (row->delete_confirmed_at == 0) {
		row->delete_confirmed_at = api_now();
		err = api_update_audited(req, row, "delete.confirmed", NULL);
	}
	api_case_done(req, resp, row, err, "the confirmation could not be recorded", false);
}

API_OPEN_CASE_HANDLER(idv_api_request_confirm, delete_confirm)

/* Close a case (with its audit entry) and purge it once committed. */
static enum idv_err
api_close(struct idv_http_req *req, struct idv_case_row *row, const char *response,
	  const char *basis)
{
	return idv_case_close(idv_api_app(req)->cases, row, response, basis, idv_http_actor(req),
			      NULL, NULL);
}

/* Withdraw an open case (the step of idv_api_request_withdraw). */
static void
request_withdraw(struct idv_http_req *req, struct idv_http_resp *resp, struct idv_case_row *row)
{
	row->withdrawn_at = api_now();
	enum idv_err err = api_close(req, row, "withdrawn", NULL);
	api_case_done(req, resp, row, err, "the request could not be withdrawn", false);
}

API_OPEN_CASE_HANDLER(idv_api_request_withdraw, request_withdraw)

/* ---- the business: extend, close ------------------------------------------------------------ */

/* Extend the response date of an open case (the step of idv_api_request_extend). */
static void
request_extend(struct idv_http_req *req, struct idv_http_resp *resp, struct idv_case_row *row)
{
	json_t *body = idv_http_json_body(req);
	const char *reason = api_str(body, "reason");
	const char *until = api_str(body, "respond_by");
	if (reason == NULL || strlen(reason) < 5 ||
	    strlen(reason) >= sizeof row->extension_reason) {
		idv_http_problem(
			resp, 422, "invalid", "Invalid value",
			"an extension needs a reason (5 to 255 characters) for the notice");
		return;
	}
	struct idv_deadlines dl;
	struct idv_date today, new_due, out_due;
	api_today(&today);
	idv_date_from_days((int64_t)(row->received_at / 86400), &dl.received);
	if (idv_date_parse(row->respond_by, strlen(row->respond_by), &dl.respond_by) != IDV_OK) {
		idv_http_problem_err(resp, IDV_E_DB, "stored due date unreadable");
		return;
	}
	const struct idv_procedure *proc = idv_scoring_procedure(idv_api_app(req)->cases->scoring);
	if (until == NULL) {
		if (!idv_procedure_extension_limit(proc, &dl.received, &new_due)) {
			idv_http_problem(resp, 409, "extension-refused", "Extension refused",
					 "the business's policy allows no extension");
			return;
		}
	} else if (idv_date_parse(until, strlen(until), &new_due) != IDV_OK) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "respond_by must be a date YYYY-MM-DD");
		return;
	}
	enum idv_err err = idv_procedure_extend(proc, &dl, row->extended, &today, &new_due,
						&out_due);
	if (err == IDV_E_STATE) {
		idv_http_problem(resp, 409, "extension-refused", "Extension refused",
				 row->extended
					 ? "the response date was extended already (once only)"
					 : "the extension must be decided within the first "
					   "response period");
		return;
	}
	if (err != IDV_OK) {
		idv_http_problem(resp, 422, "extension-refused", "Extension refused",
				 "the new date must be after %s and at most %d days after receipt",
				 row->respond_by, proc->extension_max_total_days);
		return;
	}
	idv_date_format(&out_due, row->respond_by);
	row->extended = true;
	idv_strlcpy(row->extension_reason, reason, sizeof row->extension_reason);
	if ((err = api_update_audited(req, row, "case.extended",
				      json_pack("{s:s}", "respond_by", row->respond_by))) !=
	    IDV_OK) {
		idv_http_problem_err(resp, err, "the extension could not be recorded");
		return;
	}
	json_t *view = idv_case_view_full(idv_api_app(req)->cases, row);
	json_object_set_new(view, "extension_reason", json_string(reason));
	idv_http_json(resp, 200, view);
}

API_OPEN_CASE_HANDLER(idv_api_request_extend, request_extend)

/* Close an open case (the step of idv_api_request_close). */
static void
request_close(struct idv_http_req *req, struct idv_http_resp *resp, struct idv_case_row *row)
{
	json_t *body = idv_http_json_body(req);
	const char *response = api_str(body, "response");
	const char *basis = api_str(body, "denial_basis");
	if (!idv_vocab_has(&idv_vocab_responses, response)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "response must be one of %s", idv_vocab_responses.list);
		return;
	}
	bool denied = strcmp(response, "denied") == 0;
	if (denied != (basis != NULL) ||
	    (basis != NULL && !idv_vocab_has(&idv_vocab_denial_bases, basis))) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "a denial needs denial_basis (%s); only a denial has one",
				 idv_vocab_denial_bases.list);
		return;
	}
	bool verified = strcmp(row->status, IDV_CS_VERIFIED) == 0 ||
			strcmp(row->status, IDV_CS_NOT_REQUIRED) == 0;
	if (!denied && !verified) {
		idv_http_problem(resp, 409, "not-verified", "Not verified",
				 "a request can only be fulfilled once verified (status: %s)",
				 row->status);
		return;
	}
	if (!denied && strcmp(row->request_type, "delete") == 0 && row->delete_confirmed_at == 0) {
		idv_http_problem(
			resp, 409, "confirmation-needed", "Confirmation needed",
			"the consumer has not confirmed the deletion yet (two-step delete)");
		return;
	}
	enum idv_err err = api_close(req, row, response, basis);
	api_case_done(req, resp, row, err, "the request could not be closed", true);
}

API_OPEN_CASE_HANDLER(idv_api_request_close, request_close)
