/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_drp.c: the Data Rights Protocol 1.0 endpoints for authorized agents (DRP.md) and the
 * consumer's direct part in an agent's request (R24).
 *
 * Every signed body goes through idv_drp_validate (drp.h) in the specification's order, with
 * the Ed25519 key of the agent tied to the bearer token (or, for key setup, named by the
 * URL); a signed body is accepted once: its hash, bound to the endpoint, the agent and the
 * request it acts on, is kept until it expires (at most 15 minutes after it was issued, drp.h)
 * and a replay is refused. A revoke body names the request it revokes (request_id) besides
 * the common claims (issue 19). An exercise becomes a normal case (idv_case_create) with
 * channel "agent" and requester role authorized_agent. The agent holds no credential of the
 * case: its DRP token reads the status and uploads the consumer's signed permission
 * (api_cases.c), nothing else. The consumer is written to at the contact on file with a code
 * (codes.h) that opens their own session on the page of user_verification_url; only that
 * session confirms or refuses the agent (audited as "consumer:<reference>", R24).
 */
#include <time.h>

#include "agents.h"
#include "callback.h"
#include "cases.h"
#include "codes.h"
#include "outbox.h"
#include "api.h"
#include "audit.h"
#include "idverify/drp.h"
#include "log.h"
#include "model.h"
#include "idverify/score.h"
#include "idverify/match.h"
#include "idverify/str.h"
#include "vocab.h"


/* The audit actor of an agent: "agent:<id>" (an id is shorter than IDV_AGENT_ID_MAX). */
#define DRP_ACTOR_MAX (IDV_AGENT_ID_MAX + 8)
static void
drp_actor(const struct idv_agent *agent, char out[DRP_ACTOR_MAX])
{
	if (IDV_NEVER(!idv_fmt(out, DRP_ACTOR_MAX, "agent:%s", agent->id)))
		idv_strlcpy(out, "agent:", DRP_ACTOR_MAX);
}

static void
drp_wake(const struct idv_http_req *req)
{
	if (idv_api_app(req)->outbox != NULL)
		idv_outbox_wake(idv_api_app(req)->outbox);
}

static bool
drp_verify(void *arg, const uint8_t sig[IDV_DRP_SIG_LEN], const uint8_t *msg, size_t len)
{
	const struct idv_agent *a = arg;
	return a != NULL && idv_crypto_ed25519_verify(a->verify_key, sig, msg, len);
}

/* The HTTP status and fatality of a failed validation step (DRP 3.06, 3.07). */
static void
drp_refuse(struct idv_http_resp *resp, enum idv_drp_step step, const char *why)
{
	int status = 400;
	bool fatal = true;
	switch (step) {
	case IDV_DRP_BAD_SIGNATURE:
	case IDV_DRP_WRONG_AGENT:
	case IDV_DRP_WRONG_BUSINESS:
		status = 403;
		break;
	case IDV_DRP_NOT_YET_VALID:
		fatal = false; /* a clock ahead of ours: the same request may be sent again */
		break;
	default:
		break;
	}
	idv_http_drp_error(resp, status, fatal, "%s", why);
}

static bool
drp_configured(struct idv_http_req *req, struct idv_http_resp *resp)
{
	if (idv_api_app(req)->cases == NULL || idv_api_app(req)->agents == NULL || idv_http_config(req)->business_id[0] == 0) {
		idv_http_drp_error(resp, 503, false,
				   "this service does not take DRP requests (no agent directory "
				   "or business id configured)");
		return false;
	}
	return true;
}

/*
 * Validate the request's signed body as kind for agent; on success the claims are in out and
 * the body's hash is recorded against replays. On failure resp holds the answer (an empty 403
 * for key setup, as the specification asks).
 */
static bool
drp_check(struct idv_http_req *req, struct idv_http_resp *resp, enum idv_drp_kind kind,
	  const struct idv_agent *agent, const char *request_id, struct idv_drp_body *out)
{
	size_t len = 0;
	const uint8_t *body = idv_http_body(req, &len);
	uint8_t *scratch = idv_malloc(IDV_B64_DECODED_MAX(len) + 1);
	const uint8_t *json = NULL;
	size_t jlen = 0;
	char why[200];
	bool ok = false;
	int64_t now = (int64_t)time(NULL);
	struct idv_drp_expect exp = {kind, agent->id, idv_http_config(req)->business_id,
				     request_id, now, drp_verify, (void *)(uintptr_t)agent};
	enum idv_drp_step step = idv_drp_validate((const char *)body, len, &exp, scratch,
						  IDV_B64_DECODED_MAX(len) + 1, out, &json,
						  &jlen, why, sizeof why);
	if (step != IDV_DRP_OK) {
		idv_log(IDV_LOG_INFO, "drp.refused", "{s:s,s:s}", "agent", agent->id, "step",
			idv_drp_step_name(step));
		if (kind == IDV_DRP_KEY_SETUP)
			idv_http_text(resp, 403, NULL, "", 0);
		else
			drp_refuse(resp, step, why);
		goto out;
	}
	/* The signature and the JSON it covers, once: no nonce in DRP, so the whole signed body
	 * is remembered until it expires, its hash bound to what it was sent for (the kind, the
	 * agent and the request acted on), so it answers for that request alone. */
	uint8_t h[32];
	struct idv_buf bound;
	idv_buf_init(&bound, IDV_DRP_SIG_LEN + jlen + 512);
	idv_buf_printf(&bound, "idverify/drp-replay/%d/%s/%s/", (int)kind, agent->id,
		       request_id ? request_id : "");
	idv_buf_append(&bound, scratch, IDV_DRP_SIG_LEN + jlen);
	idv_crypto_sha256(bound.data, bound.len, h);
	idv_buf_cleanup(&bound);
	enum idv_err err = idv_store_drp_replay(idv_http_store(req), h, out->expires_at, now);
	if (err == IDV_E_CONFLICT) {
		idv_log(IDV_LOG_INFO, "drp.refused", "{s:s,s:s}", "agent", agent->id, "step",
			"replay");
		if (kind == IDV_DRP_KEY_SETUP)
			idv_http_text(resp, 403, NULL, "", 0);
		else
			idv_http_drp_error(resp, 409, true,
					   "this signed body was received before; sign a new one");
		goto out;
	}
	if (err != IDV_OK) {
		idv_http_drp_error(resp, 500, false, "database error");
		goto out;
	}
	ok = true;
out:
	free(scratch);
	return ok;
}

/* ---- key setup and agent information --------------------------------------------------------- */

void
idv_api_drp_agent_setup(struct idv_http_req *req, struct idv_http_resp *resp)
{
	const char *id = idv_http_param(req, "agent-id");
	struct idv_drp_body *b = idv_calloc(1, sizeof *b);
	uint8_t rnd[32], h[32];
	char token[65];
	if (!drp_configured(req, resp))
		goto out;
	const struct idv_agent *agent = idv_agents_find(idv_api_app(req)->agents, id);
	if (agent == NULL) {
		idv_http_text(resp, 403, NULL, "", 0); /* failure: 403 without a body (DRP 2.05) */
		goto out;
	}
	if (!drp_check(req, resp, IDV_DRP_KEY_SETUP, agent, NULL, b))
		goto out;
	if (idv_crypto_random(rnd, sizeof rnd) != IDV_OK) {
		idv_http_drp_error(resp, 500, false, "random number generator failed");
		goto out;
	}
	idv_hex(rnd, sizeof rnd, token);
	idv_crypto_sha256(token, strlen(token), h);
	struct idv_store *store = idv_http_store(req);
	char actor[DRP_ACTOR_MAX];
	drp_actor(agent, actor);
	enum idv_err err = idv_store_begin(store);
	if (err == IDV_OK) {
		if ((err = idv_store_agent_token_insert(store, h, agent->id, (int64_t)time(NULL))) ==
		    IDV_OK)
			err = idv_audit_append(store, actor, "agent.key_setup", "",
					       json_pack("{s:s}", "drp_version", b->version));
		err = idv_store_end(store, err);
	}
	if (err != IDV_OK) {
		idv_http_drp_error(resp, 500, false, "the token could not be recorded");
		goto out;
	}
	idv_http_json(resp, 200, json_pack("{s:s,s:s}", "agent-id", agent->id, "token", token));
out:
	idv_wipe(rnd, sizeof rnd);
	idv_wipe(token, sizeof token);
	free(b);
}

void
idv_api_drp_agent_get(struct idv_http_req *req, struct idv_http_resp *resp)
{
	if (strcmp(idv_http_agent(req), idv_http_param(req, "agent-id")) != 0) {
		idv_http_drp_error(resp, 403, false,
				   "this token belongs to another agent than the one named");
		return;
	}
	idv_http_json(resp, 200, json_object());
}

/* ---- exercise -------------------------------------------------------------------------------- */

/* The claims object of an exercise (typed claims as POST /v1/requests takes them). */
static json_t *
drp_claims(const struct idv_drp_body *b, char *why, size_t whysz)
{
	json_t *c = json_object();
	char given[128], family[64];
	if (b->name[0] != '\0') {
		if (!idv_drp_split_name(b->name, given, sizeof given, family, sizeof family)) {
			idv_why(why, whysz, "name must hold a given and a family name");
			json_decref(c);
			return NULL;
		}
		json_object_set_new(c, "given_names", json_string(given));
		json_object_set_new(c, "family_name", json_string(family));
	}
	if (b->email[0] != '\0')
		json_object_set_new(c, "email", json_string(b->email));
	if (b->phone_number[0] != '\0')
		json_object_set_new(c, "phone", json_string(b->phone_number));
	if (b->birthdate[0] != '\0')
		json_object_set_new(c, "date_of_birth", json_string(b->birthdate));
	const struct idv_drp_address *a = &b->address;
	if (a->present && (a->street_address[0] || a->locality[0] || a->postal_code[0])) {
		/* OIDC street_address may hold several lines: the first is the street, the rest
		 * the unit. */
		char street[IDV_DRP_TEXT_MAX], *nl;
		idv_strlcpy(street, a->street_address, sizeof street);
		json_t *o = json_object();
		if ((nl = strchr(street, '\n')) != NULL) {
			*nl = '\0';
			json_object_set_new(o, "unit", json_string(nl + 1));
		}
		json_object_set_new(o, "street", json_string(street));
		json_object_set_new(o, "city", json_string(a->locality));
		json_object_set_new(o, "state", json_string(a->region));
		json_object_set_new(o, "postal_code", json_string(a->postal_code));
		json_object_set_new(c, "address", o);
	}
	return c;
}

struct drp_new {
	const struct idv_drp_body *b;
	const char *agent_id;
	const char *request_id;
	struct idv_agent_case_row *ac;
	struct idv_store *store;
	json_t *claims;
};

/* Inside the creation transaction: the agent's side of the case. */
static enum idv_err
drp_within(void *arg, struct idv_case_row *row, const uint8_t dek[IDV_KEY_LEN])
{
	struct drp_new *n = arg;
	struct idv_agent_case_row *ac = n->ac;
	ac->case_id = row->id;
	idv_strlcpy(ac->agent_id, n->agent_id, sizeof ac->agent_id);
	idv_strlcpy(ac->request_id, n->request_id, sizeof ac->request_id);
	idv_strlcpy(ac->agent_request_id, n->b->agent_request_id, sizeof ac->agent_request_id);
	idv_strlcpy(ac->exercise, n->b->exercise, sizeof ac->exercise);
	idv_strlcpy(ac->status_callback, n->b->status_callback, sizeof ac->status_callback);
	ac->created_at = row->received_at;
	if (n->b->power_of_attorney[0] != '\0') {
		ac->has_poa = true;
		enum idv_err err = idv_case_seal(dek, row->reference, "power_of_attorney",
						 n->b->power_of_attorney,
						 strlen(n->b->power_of_attorney), &ac->poa_sealed);
		if (err != IDV_OK)
			return err;
	}
	enum idv_err err = idv_store_agent_case_insert(n->store, ac);
	/* R24: the consumer takes part directly, by a code to the contact on file; not for a
	 * power of attorney (R25, a reviewer checks it) nor an opt-out (no verification) */
	if (err == IDV_OK && !ac->has_poa && strcmp(row->status, IDV_CS_AWAITING_EVIDENCE) == 0)
		err = idv_case_consumer_want(n->store, row->id, n->claims, row->received_at);
	return err;
}

static void
drp_uuid(char out[37])
{
	uint8_t r[16];
	char hex[33];
	if (idv_crypto_random(r, sizeof r) != IDV_OK)
		memset(r, 0, sizeof r);
	r[6] = (uint8_t)((r[6] & 0x0f) | 0x40);
	r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
	idv_hex(r, sizeof r, hex);
	if (IDV_NEVER(!idv_fmt(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
			       hex + 16, hex + 20)))
		out[0] = '\0';
}

void
idv_api_drp_exercise(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_drp_body *b = idv_calloc(1, sizeof *b);
	struct idv_case_row row;
	struct idv_agent_case_row ac;
	json_t *claims = NULL, *clean = NULL;
	char why[256], request_id[37], issued[65], actor[IDV_AGENT_ID_MAX + 8];
	idv_case_row_init(&row);
	idv_agent_case_row_init(&ac);
	if (!drp_configured(req, resp))
		goto out;
	const struct idv_agent *agent = idv_agents_find(idv_api_app(req)->agents, idv_http_agent(req));
	if (agent == NULL) {
		idv_http_drp_error(resp, 403, true,
				   "the agent of this token is no longer in the directory");
		goto out;
	}
	if (!drp_check(req, resp, IDV_DRP_EXERCISE, agent, NULL, b))
		goto out;
	const char *type = idv_drp_request_type(b->exercise);
	bool opt_out = strcmp(type, "opt_out") == 0;
	if (b->status_callback[0] != '\0') {
		/* Checked (and resolved) now, and again before every delivery (callback.h). */
		struct idv_callback_target t;
		enum idv_err cerr = idv_callback_check(idv_http_config(req), agent,
						       b->status_callback, &t, why, sizeof why);
		if (cerr != IDV_OK) {
			idv_log(IDV_LOG_INFO, "drp.callback_refused", "{s:s,s:s}", "agent",
				agent->id, "error", idv_err_str(cerr));
			idv_http_drp_error(resp, 400, cerr != IDV_E_NOTFOUND, "%s", why);
			goto out;
		}
	}
	if (b->regime[0] != '\0' && strcmp(b->regime, "ccpa") != 0) {
		idv_http_drp_error(resp, 400, true, "only the ccpa regime is supported");
		goto out;
	}
	if ((claims = drp_claims(b, why, sizeof why)) == NULL ||
	    (clean = idv_api_claims_clean(claims, !opt_out, why, sizeof why)) == NULL) {
		idv_http_drp_error(resp, 400, true, "the identity claims: %s", why);
		goto out;
	}
	drp_uuid(request_id);
	drp_actor(agent, actor);
	struct drp_new n = {b, agent->id, request_id, &ac, idv_api_app(req)->cases->store, clean};
	/* no token is given out: the case's own (random) token is held by nobody */
	struct idv_case_new in = {type,
				  NULL,
				  idv_vocab_channels.names[IDV_CHANNEL_AGENT],
				  idv_requester_name(IDV_REQUESTER_AUTHORIZED_AGENT),
				  clean,
				  NULL,
				  actor,
				  drp_within,
				  &n};
	enum idv_err err = idv_case_create(idv_api_app(req)->cases, &in, &row, issued);
	idv_wipe(issued, sizeof issued);
	if (err != IDV_OK) {
		idv_http_drp_error(resp, 500, false, "the request could not be recorded");
		goto out;
	}
	idv_log(IDV_LOG_INFO, "drp.exercise", "{s:s,s:s,s:I,s:b}", "agent", agent->id, "exercise",
		b->exercise, "case_id", (json_int_t)row.id, "power_of_attorney", ac.has_poa);
	idv_api_consumer_code_after_create(req, row.reference);
	drp_wake(req);
	idv_http_json(resp, 200, idv_drp_status_json(idv_api_app(req)->cases, &ac, &row, idv_api_app(req)->public_url));
out:
	json_decref(claims);
	json_decref(clean);
	if (b != NULL)
		idv_wipe(b, sizeof *b);
	free(b);
	idv_agent_case_row_cleanup(&ac);
	idv_case_row_cleanup(&row);
}

/* Load the DRP request of {request_id} for the calling agent; resp holds the answer if not. */
static bool
drp_load(struct idv_http_req *req, struct idv_http_resp *resp, struct idv_agent_case_row *ac,
	 struct idv_case_row *row)
{
	const char *id = idv_http_param(req, "request_id");
	if (!drp_configured(req, resp))
		return false;
	if (idv_store_agent_case_by_request(idv_http_store(req), id, ac) != IDV_OK ||
	    idv_store_case_get_id(idv_http_store(req), ac->case_id, row) != IDV_OK) {
		idv_http_drp_error(resp, 404, false, "no such request");
		return false;
	}
	if (strcmp(ac->agent_id, idv_http_agent(req)) != 0) {
		idv_http_drp_error(resp, 403, false, "this request is managed by another agent");
		return false;
	}
	return true;
}

void
idv_api_drp_status(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_agent_case_row ac;
	struct idv_case_row row;
	idv_agent_case_row_init(&ac);
	idv_case_row_init(&row);
	if (drp_load(req, resp, &ac, &row))
		idv_http_json(resp, 200, idv_drp_status_json(idv_api_app(req)->cases, &ac, &row, idv_api_app(req)->public_url));
	idv_agent_case_row_cleanup(&ac);
	idv_case_row_cleanup(&row);
}

struct drp_revoked {
	struct idv_store *store;
	struct idv_agent_case_row *ac;
};

static enum idv_err
drp_mark_revoked(void *arg, struct idv_case_row *row)
{
	struct drp_revoked *r = arg;
	r->ac->revoked_at = row->closed_at;
	return idv_store_agent_case_update(r->store, r->ac);
}

void
idv_api_drp_revoke(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_agent_case_row ac;
	struct idv_case_row row;
	struct idv_drp_body *b = idv_calloc(1, sizeof *b);
	idv_agent_case_row_init(&ac);
	idv_case_row_init(&row);
	if (!drp_load(req, resp, &ac, &row))
		goto out;
	const struct idv_agent *agent = idv_agents_find(idv_api_app(req)->agents, ac.agent_id);
	if (agent == NULL) {
		idv_http_drp_error(resp, 403, true, "this agent is no longer in the directory");
		goto out;
	}
	if (!drp_check(req, resp, IDV_DRP_REVOKE, agent, ac.request_id, b))
		goto out;
	if (row.closed_at != 0 || ac.revoked_at != 0) {
		const char *status, *reason;
		struct idv_drp_case_state st = {row.status, row.closed_at != 0, row.response,
						row.denial_basis, ac.revoked_at != 0, false};
		idv_drp_status_of(&st, &status, &reason);
		if (strcmp(status, "revoked") != 0) {
			idv_http_drp_error(resp, 409, true, "the request is %s already", status);
			goto out;
		}
	} else {
		char actor[DRP_ACTOR_MAX];
		drp_actor(agent, actor);
		row.withdrawn_at = (int64_t)time(NULL);
		struct drp_revoked revoked = {idv_http_store(req), &ac};
		enum idv_err err = idv_case_close(idv_api_app(req)->cases, &row, "withdrawn", NULL, actor,
						  drp_mark_revoked, &revoked);
		if (err != IDV_OK) {
			idv_http_drp_error(resp, 500, false, "the request could not be revoked");
			goto out;
		}
		idv_store_case_get_id(idv_http_store(req), ac.case_id, &row);
		drp_wake(req);
	}
	idv_http_json(resp, 200, idv_drp_status_json(idv_api_app(req)->cases, &ac, &row, idv_api_app(req)->public_url));
out:
	free(b);
	idv_agent_case_row_cleanup(&ac);
	idv_case_row_cleanup(&row);
}

/* ---- the consumer's direct part (R24) ---------------------------------------------------------- */

/*
 * Both routes take the consumer's own session (routes.c: role consumer, the token the code sent
 * to the contact on file is exchanged for): neither the agent's DRP token nor the case token of
 * an agent's web filing can confirm, verify or refuse for the consumer, and the audit entry
 * names the consumer ("consumer:<reference>"). The business may also record what the consumer
 * told it when it reached them another way (no contact on file, codes.h): a reviewer's or
 * admin's key with "reached_by" (how: phone_call, letter, in_person, other), audited under
 * that key with the way, never the contact.
 */
static const char *const drp_reached_by[] = {"phone_call", "letter", "in_person", "other"};

/* The way the business reached the consumer, for a staff caller; NULL with resp filled when
 * missing or unknown. "" for the consumer's own session. */
static const char *
drp_staff_reached(struct idv_http_req *req, struct idv_http_resp *resp)
{
	if (idv_http_role(req) == IDV_ROLE_CONSUMER)
		return "";
	const char *how = json_string_value(json_object_get(idv_http_json_body(req), "reached_by"));
	for (size_t i = 0; how != NULL && i < IDV_ARRAY_LEN(drp_reached_by); i++)
		if (strcmp(how, drp_reached_by[i]) == 0)
			return drp_reached_by[i];
	idv_http_problem(resp, 422, "invalid", "Invalid value",
			 "the business records the consumer's answer with \"reached_by\": how it "
			 "reached them directly (phone_call, letter, in_person, other)");
	return NULL;
}

static json_t *
drp_reached_detail(const char *how)
{
	return how[0] != '\0' ? json_pack("{s:s}", "reached_by", how) : NULL;
}

void
idv_api_request_agent_confirmation(struct idv_http_req *req, struct idv_http_resp *resp)
{
	json_t *body = idv_http_json_body(req);
	json_t *confirm = json_object_get(body, "confirm");
	json_t *claims = json_object_get(body, "claims");
	struct idv_store *store = idv_http_store(req);
	struct idv_case_row row;
	struct idv_agent_case_row ac;
	json_t *clean = NULL;
	uint8_t dek[IDV_KEY_LEN] = {0};
	char why[256];
	idv_case_row_init(&row);
	idv_agent_case_row_init(&ac);
	const char *ref = idv_http_param(req, "reference");
	if (idv_api_app(req)->cases == NULL || idv_store_case_get(store, ref, &row) != IDV_OK) {
		idv_http_problem(resp, 404, "not-found", "Not found", "no request %s", ref);
		goto out;
	}
	/* still undecided: waiting, or reading what the agent sent (its signed permission) */
	if (row.closed_at != 0 || !idv_requester_is(row.requester_role, IDV_REQUESTER_AUTHORIZED_AGENT) ||
	    (strcmp(row.status, IDV_CS_AWAITING_EVIDENCE) != 0 &&
	     strcmp(row.status, IDV_CS_PROCESSING) != 0)) {
		idv_http_problem(resp, 409, "invalid-state", "Not allowed in the current state",
				 "only an open request filed by an authorized agent and still "
				 "awaiting evidence takes the consumer's confirmation");
		goto out;
	}
	const char *how = drp_staff_reached(req, resp);
	if (how == NULL)
		goto out;
	const struct idv_policy *p = &idv_scoring_models(idv_api_app(req)->cases->scoring)->policy;
	bool want_confirm = json_is_true(confirm), want_verify = json_is_object(claims);
	if (want_confirm == want_verify) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "send {\"confirm\": true} to confirm the agent's permission, or "
				 "{\"claims\": {...}} to verify your identity yourself");
		goto out;
	}
	if ((want_confirm && p->agents.consumer_must == IDV_AGENT_CONSUMER_VERIFY) ||
	    (want_verify && p->agents.consumer_must == IDV_AGENT_CONSUMER_CONFIRM)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "this business asks the consumer to %s",
				 p->agents.consumer_must == IDV_AGENT_CONSUMER_VERIFY
					 ? "verify their identity directly (claims)"
					 : "confirm the permission directly (confirm)");
		goto out;
	}
	if (want_verify &&
	    (clean = idv_api_claims_clean(claims, true, why, sizeof why)) == NULL) {
		idv_http_problem(resp, 422, "invalid", "Invalid value", "%s", why);
		goto out;
	}
	enum idv_err err = idv_store_agent_case_get(store, row.id, &ac);
	bool insert = err == IDV_E_NOTFOUND;
	if (insert) { /* filed through POST /v1/requests: no agent row yet */
		ac.case_id = row.id;
		ac.created_at = row.received_at;
	} else if (err != IDV_OK) {
		idv_http_problem_err(resp, err, "the request could not be read");
		goto out;
	}
	int64_t now = (int64_t)time(NULL);
	if (want_confirm) {
		ac.consumer_confirmed_at = now;
	} else {
		/* The consumer's own details replace the agent's: they are what is verified. */
		json_t *classes = NULL;
		struct idv_buf plain;
		idv_buf_init(&plain, 256 * 1024);
		if ((err = idv_case_key_open(&row, dek)) == IDV_OK &&
		    (err = idv_case_open(dek, row.reference, "claims", row.claims_sealed.data,
					 row.claims_sealed.len, &plain)) == IDV_OK) {
			json_t *old = json_loadb((const char *)plain.data, plain.len, 0, NULL);
			classes = json_incref(json_object_get(old, "data_classes"));
			json_decref(old);
		}
		idv_buf_cleanup_wipe(&plain);
		if (classes != NULL)
			json_object_set_new(clean, "data_classes", classes);
		char *text = err == IDV_OK ? json_dumps(clean, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		if (text != NULL) {
			err = idv_case_seal(dek, row.reference, "claims", text, strlen(text),
					    &row.claims_sealed);
			idv_wipe(text, strlen(text));
			free(text);
		} else if (err == IDV_OK) {
			err = IDV_E_NOMEM;
		}
		ac.consumer_verified_at = now;
		if (err != IDV_OK) {
			idv_http_problem_err(resp, err, "the details could not be recorded");
			goto out;
		}
	}
	if ((err = idv_store_begin(store)) != IDV_OK) {
		idv_http_problem_err(resp, err, "database busy");
		goto out;
	}
	if ((err = insert ? idv_store_agent_case_insert(store, &ac)
			  : idv_store_agent_case_update(store, &ac)) == IDV_OK &&
	    /* the row only when its claims changed: a reading may be moving its status on */
	    (err = want_verify ? idv_store_case_update(store, &row) : IDV_OK) == IDV_OK)
		err = idv_audit_append(store, idv_http_actor(req),
				       want_confirm ? "agent.consumer_confirmed"
						    : "agent.consumer_verified",
				       row.reference, drp_reached_detail(how));
	if ((err = idv_store_end(store, err)) != IDV_OK) {
		idv_http_problem_err(resp, err, "the confirmation could not be recorded");
		goto out;
	}
	idv_case_evaluate(idv_api_app(req)->cases, row.reference);
	drp_wake(req);
	idv_store_case_get(store, row.reference, &row);
	idv_http_json(resp, 200, idv_case_view(idv_api_app(req)->cases, &row));
out:
	idv_wipe(dek, sizeof dek);
	json_decref(clean);
	idv_agent_case_row_cleanup(&ac);
	idv_case_row_cleanup(&row);
}

/* The refusal's audit entry, inside the closing transaction. */
struct drp_refusal {
	struct idv_http_req *req;
	const char *how;
};

static enum idv_err
drp_refusal_audit(void *arg, struct idv_case_row *row)
{
	struct drp_refusal *r = arg;
	return idv_audit_append(idv_api_app(r->req)->cases->store, idv_http_actor(r->req),
				"agent.consumer_refused", row->reference, drp_reached_detail(r->how));
}

/*
 * The consumer says they did not authorize the agent: the request is denied (§ 7063(a) lets a
 * business deny an agent's request without the consumer's permission), its verification data
 * purged, and the agent told "denied" with reason suspected_fraud.
 */
void
idv_api_request_agent_refusal(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_store *store = idv_http_store(req);
	struct idv_case_row row;
	idv_case_row_init(&row);
	const char *ref = idv_http_param(req, "reference");
	if (idv_api_app(req)->cases == NULL || idv_store_case_get(store, ref, &row) != IDV_OK) {
		idv_http_problem(resp, 404, "not-found", "Not found", "no request %s", ref);
		goto out;
	}
	if (row.closed_at != 0 || !idv_requester_is(row.requester_role, IDV_REQUESTER_AUTHORIZED_AGENT)) {
		idv_http_problem(resp, 409, "invalid-state", "Not allowed in the current state",
				 "only an open request filed by an authorized agent can be refused");
		goto out;
	}
	struct drp_refusal refusal = {req, drp_staff_reached(req, resp)};
	if (refusal.how == NULL)
		goto out;
	enum idv_err err = idv_case_close(idv_api_app(req)->cases, &row, "denied", "agent_not_authorized",
					  idv_http_actor(req), drp_refusal_audit, &refusal);
	if (err != IDV_OK) {
		idv_http_problem_err(resp, err, "the refusal could not be recorded");
		goto out;
	}
	drp_wake(req);
	idv_store_case_get(store, row.reference, &row);
	idv_http_json(resp, 200, idv_case_view(idv_api_app(req)->cases, &row));
out:
	idv_case_row_cleanup(&row);
}
