/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agents.c: the agent directory, the agent part of a case view, and DRP status objects
 * (agents.h). What a case needs because of who filed it is in needs.c.
 */
#include <time.h>

#include "agents.h"
#include "idverify/drp.h"
#include "model.h"
#include "policy.h"
#include "idverify/score.h"
#include "idverify/str.h"
#include "vocab.h"

#define AGENTS_FILE_MAX (4u * 1024u * 1024u)
#define AGENTS_MAX 10000


/* ---- the directory ------------------------------------------------------------------------- */

static bool
agents_id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n >= IDV_AGENT_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(idv_isalnum((unsigned char)id[i]) || id[i] == '_' || id[i] == '-' ||
		      id[i] == '.'))
			return false;
	return true;
}

/* One "host", "host:port", "[v6]" or "[v6]:port" of a callback_hosts list. */
static bool
agents_host_parse(const char *s, struct idv_agent_host *out)
{
	const char *host = s, *port = NULL;
	size_t hlen = strlen(s);
	memset(out, 0, sizeof *out);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close == NULL || (close[1] != '\0' && close[1] != ':'))
			return false;
		host = s + 1;
		hlen = (size_t)(close - s - 1);
		port = close[1] == ':' ? close + 2 : NULL;
	} else {
		const char *colon = strchr(s, ':');
		if (colon != NULL && strchr(colon + 1, ':') == NULL) { /* else a bare IPv6 */
			hlen = (size_t)(colon - s);
			port = colon + 1;
		}
	}
	if (hlen == 0 || hlen >= sizeof out->host)
		return false;
	for (size_t i = 0; i < hlen; i++) {
		unsigned char c = (unsigned char)host[i];
		if (!(idv_isalnum(c) || c == '-' || c == '.' || c == ':'))
			return false;
		out->host[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	out->host[hlen] = '\0';
	uint64_t p = 0;
	if (port != NULL && (idv_parse_u64z(port, 65535, &p) != IDV_OK || p == 0))
		return false;
	out->port = (uint16_t)p;
	return true;
}

static bool
agents_hosts(json_t *list, struct idv_agent *a)
{
	size_t i;
	json_t *h;
	if (list == NULL)
		return true;
	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > IDV_AGENT_CALLBACK_HOSTS_MAX)
		return false;
	a->callback_hosts = idv_calloc(json_array_size(list), sizeof *a->callback_hosts);
	json_array_foreach(list, i, h)
	{
		if (!json_is_string(h) ||
		    !agents_host_parse(json_string_value(h), &a->callback_hosts[i]))
			return false;
		a->ncallback_hosts++;
	}
	return true;
}

enum idv_err
idv_agents_load(const char *path, struct idv_agents *out, char *why, size_t whysz)
{
	uint8_t *data = NULL;
	size_t len = 0;
	json_error_t jerr;
	json_t *root = NULL;
	enum idv_err err;
	memset(out, 0, sizeof *out);
	if ((err = idv_model_read_file(path, AGENTS_FILE_MAX, &data, &len)) != IDV_OK) {
		idv_why(why, whysz, "agent directory %s: %s", path, idv_err_str(err));
		return err;
	}
	root = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &jerr);
	free(data);
	if (root == NULL) {
		idv_why(why, whysz, "agent directory %s: not valid JSON (line %d): %s", path,
			 jerr.line, jerr.text);
		return IDV_E_PARSE;
	}
	json_t *arr = json_is_array(root) ? root : json_object_get(root, "agents");
	if (!json_is_array(arr) || json_array_size(arr) > AGENTS_MAX) {
		idv_why(why, whysz,
			 "agent directory %s: a JSON array of agents, or an object with an "
			 "\"agents\" array (at most %d)", path, AGENTS_MAX);
		err = IDV_E_INVAL;
		goto out;
	}
	out->list = idv_calloc(json_array_size(arr) + 1, sizeof *out->list);
	size_t i;
	json_t *e;
	err = IDV_E_INVAL;
	json_array_foreach(arr, i, e)
	{
		const char *id = json_string_value(json_object_get(e, "id"));
		const char *vk = json_string_value(json_object_get(e, "verify_key"));
		const char *name = json_string_value(json_object_get(e, "name"));
		uint8_t key[48];
		size_t klen = 0;
		if (!json_is_object(e) || id == NULL || !agents_id_ok(id)) {
			idv_why(why, whysz, "agent directory %s: entry %zu: \"id\" is missing or "
					     "not an identifier", path, i);
			goto out;
		}
		if (vk == NULL || idv_b64_decode(vk, strlen(vk), key, sizeof key, &klen) != IDV_OK ||
		    klen != 32) {
			idv_why(why, whysz, "agent directory %s: entry %zu (%s): \"verify_key\" must "
					     "be a base64 Ed25519 public key (32 bytes)", path, i, id);
			goto out;
		}
		if (idv_agents_find(out, id) != NULL) {
			idv_why(why, whysz, "agent directory %s: agent %s appears twice", path, id);
			goto out;
		}
		struct idv_agent *a = &out->list[out->n++];
		idv_strlcpy(a->id, id, sizeof a->id);
		memcpy(a->verify_key, key, 32);
		idv_strlcpy(a->name, name ? name : id, sizeof a->name);
		json_t *sos = json_object_get(e, "secretary_of_state_registration");
		if (sos != NULL && (!json_is_string(sos) || json_string_length(sos) == 0 ||
				    json_string_length(sos) >= sizeof a->sos_registration)) {
			idv_why(why, whysz, "agent directory %s: entry %zu (%s): "
					     "\"secretary_of_state_registration\" must be a string "
					     "of 1 to %zu characters", path, i, id,
				sizeof a->sos_registration - 1);
			goto out;
		}
		if (sos != NULL)
			idv_strlcpy(a->sos_registration, json_string_value(sos),
				    sizeof a->sos_registration);
		if (!agents_hosts(json_object_get(e, "callback_hosts"), a)) {
			idv_why(why, whysz, "agent directory %s: entry %zu (%s): \"callback_hosts\" "
					     "must be an array of 1 to %d \"host\" or \"host:port\" "
					     "strings", path, i, id, IDV_AGENT_CALLBACK_HOSTS_MAX);
			goto out;
		}
	}
	err = IDV_OK;
out:
	json_decref(root);
	if (err != IDV_OK)
		idv_agents_free(out);
	return err;
}

void
idv_agents_free(struct idv_agents *a)
{
	for (size_t i = 0; a->list != NULL && i < a->n; i++)
		free(a->list[i].callback_hosts);
	IDV_FREE(a->list);
	a->n = 0;
}

const struct idv_agent *
idv_agents_find(const struct idv_agents *a, const char *id)
{
	for (size_t i = 0; a != NULL && i < a->n; i++)
		if (strcmp(a->list[i].id, id) == 0)
			return &a->list[i];
	return NULL;
}

/* ---- requirements by requester role ---------------------------------------------------------- */

static json_t *
agents_time(int64_t t)
{
	char s[21];
	if (t == 0)
		return json_null();
	idv_iso8601_format(t, s);
	return json_string(s);
}

json_t *
idv_case_agent_view(struct idv_cases *cs, const struct idv_case_row *row)
{
	if (!idv_requester_is(row->requester_role, IDV_REQUESTER_AUTHORIZED_AGENT))
		return NULL;
	struct idv_agent_case_row ac;
	idv_agent_case_row_init(&ac);
	bool have = idv_store_agent_case_get(cs->store, row->id, &ac) == IDV_OK;
	const struct idv_policy *p = &idv_scoring_models(cs->scoring)->policy;
	const struct idv_agent *who =
		have && ac.agent_id[0] ? idv_agents_find(cs->agents, ac.agent_id) : NULL;
	json_t *o = json_pack("{s:s*,s:s*,s:s*,s:b,s:s,s:b,s:o,s:o}", "agent_id",
			      have && ac.agent_id[0] ? ac.agent_id : NULL, "agent_name",
			      who != NULL && who->name[0] ? who->name : NULL, "drp_request_id",
			      have && ac.request_id[0] ? ac.request_id : NULL, "power_of_attorney",
			      have && ac.has_poa, "consumer_must",
			      idv_agent_consumer_name(p->agents.consumer_must),
			      "permission_required", p->agents.permission_required,
			      "consumer_confirmed_at", agents_time(have ? ac.consumer_confirmed_at : 0),
			      "consumer_verified_at", agents_time(have ? ac.consumer_verified_at : 0));
	idv_agent_case_row_cleanup(&ac);
	return o;
}

/* ---- DRP status ------------------------------------------------------------------------------ */

static const char *
drp_details(const struct idv_case_row *row, const char *status, const char *reason)
{
	if (strcmp(status, "revoked") == 0)
		return "the request was revoked";
	if (strcmp(status, "fulfilled") == 0)
		return "the business has answered the request";
	if (strcmp(status, "denied") == 0 && strcmp(row->denial_basis, "agent_not_authorized") == 0)
		return "the consumer said directly that they did not authorize this request";
	if (strcmp(status, "denied") == 0)
		return strcmp(row->status, IDV_CS_NOT_VERIFIED) == 0
			       ? "the consumer's identity could not be verified"
			       : "the request was denied";
	if (reason != NULL)
		return "the consumer must take part directly (CCPA regulations 7063): we write to "
		       "them with the contact details we hold, and they confirm the permission "
		       "given to the agent or verify their identity at user_verification_url with "
		       "the code we send them";
	if (strcmp(row->status, IDV_CS_MANUAL_REVIEW) == 0)
		return "a reviewer is checking the evidence";
	if (strcmp(row->status, IDV_CS_NOT_REQUIRED) == 0)
		return "no verification is needed for this request; the business is processing it";
	if (strcmp(row->status, IDV_CS_VERIFIED) == 0)
		return "identity verified; the business is processing the request";
	return "the request is being processed";
}

json_t *
idv_drp_status_json(struct idv_cases *cs, const struct idv_agent_case_row *agent,
		    const struct idv_case_row *row, const char *public_url)
{
	const char *status, *reason;
	(void)cs;
	struct idv_drp_case_state st = {
		row->status, row->closed_at != 0, row->response, row->denial_basis,
		agent->revoked_at != 0,
		row->closed_at == 0 && strcmp(row->status, IDV_CS_AWAITING_EVIDENCE) == 0,
	};
	idv_drp_status_of(&st, &status, &reason);
	char expected[32];
	if (!idv_fmt(expected, sizeof expected, "%sT23:59:59Z", row->respond_by))
		expected[0] = '\0'; /* not a date: no promise */
	json_t *o = json_pack("{s:s,s:o,s:s,s:s}", "request_id", agent->request_id, "received_at",
			      agents_time(row->received_at), "expected_by", expected, "status",
			      status);
	if (agent->agent_request_id[0] != '\0')
		json_object_set_new(o, "agent_request_id", json_string(agent->agent_request_id));
	if (reason != NULL)
		json_object_set_new(o, "reason", json_string(reason));
	json_object_set_new(o, "processing_details",
			    json_string(drp_details(row, status, reason)));
	/* The consumer's page, without any credential: the consumer opens it with the code sent
	 * to the contact the business holds (codes.h), which the agent never sees (R24). */
	if (reason != NULL && strcmp(reason, "need_user_verification") == 0) {
		char url[512];
		if (idv_fmt(url, sizeof url, "%s/requests/%s/agent", public_url, row->reference))
			json_object_set_new(o, "user_verification_url", json_string(url));
	}
	if (idv_drp_status_final(status)) {
		int64_t at = row->closed_at ? row->closed_at : agent->revoked_at;
		if (at == 0)
			at = (int64_t)time(NULL);
		/* The request record is kept for 24 months (R39). */
		json_object_set_new(o, "expires_at", agents_time(at + 730 * 86400));
	}
	return o;
}
