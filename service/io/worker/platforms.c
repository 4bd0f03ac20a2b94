/* SPDX-License-Identifier: Apache-2.0 */
/*
 * platforms.c: the answers owed to privacy platforms and the business's decision webhook
 * (platforms.h), queued as outbox envelopes by the outbox thread. The words come from
 * platform.h; a platform is told the outcome only, never the decision's reasons.
 */
#include <curl/curl.h>
#include <time.h>

#include "audit.h"
#include "idverify/platform.h"
#include "idverify/str.h"
#include "log.h"
#include "outboxseal.h"
#include "platforms.h"

#define PLATFORMS_BATCH 256

void
idv_platforms_destinations(const struct idv_config *cfg, struct idv_agent *out)
{
	const char *const urls[] = {cfg->fides_url, cfg->transcend_url, cfg->ketch_callback_base,
				    cfg->webhook_url};
	memset(out, 0, sizeof *out);
	idv_strlcpy(out->id, "configured-destinations", sizeof out->id);
	out->callback_hosts = idv_calloc(IDV_ARRAY_LEN(urls), sizeof *out->callback_hosts);
	for (size_t i = 0; i < IDV_ARRAY_LEN(urls); i++) {
		CURLU *u = urls[i][0] != '\0' ? curl_url() : NULL;
		char *host = NULL, *port = NULL;
		if (u != NULL && curl_url_set(u, CURLUPART_URL, urls[i], 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
			struct idv_agent_host *h = &out->callback_hosts[out->ncallback_hosts];
			const char *p = host;
			size_t n = strlen(host);
			if (n >= 2 && p[0] == '[' && p[n - 1] == ']')
				p++, n -= 2;
			if (n < sizeof h->host) {
				for (size_t k = 0; k < n; k++)
					h->host[k] = (char)idv_tolower((unsigned char)p[k]);
				h->host[n] = '\0';
				unsigned long v = strtoul(port, NULL, 10);
				h->port = v <= 65535 ? (uint16_t)v : 0;
				out->ncallback_hosts++;
			}
		}
		curl_free(host);
		curl_free(port);
		curl_url_cleanup(u);
	}
}

/* Seal or open reply data under the "platforms" key, bound to the platform and its id. */
static enum idv_err
platforms_seal(const char *platform, const char *external_id, const void *p, size_t len,
	       struct idv_buf *out, bool open)
{
	return idv_crypto_derived(open, "platforms", p, len, out, "idverify/platforms/%s/%s",
				  platform, external_id);
}

enum idv_err
idv_platform_reply_seal(const char *platform, const char *external_id, json_t *reply,
			struct idv_buf *out)
{
	char *text = json_dumps(reply, JSON_COMPACT);
	if (text == NULL)
		return IDV_E_NOMEM;
	idv_buf_reset(out);
	enum idv_err err = platforms_seal(platform, external_id, text, strlen(text), out, false);
	idv_wipe(text, strlen(text));
	free(text);
	return err;
}

json_t *
idv_platform_reply_open(const struct idv_platform_case_row *row)
{
	struct idv_buf plain;
	json_t *reply = NULL;
	if (row->reply_sealed.len == 0)
		return NULL;
	idv_buf_init(&plain, 64 * 1024);
	if (platforms_seal(row->platform, row->external_id, row->reply_sealed.data,
			   row->reply_sealed.len, &plain, true) == IDV_OK)
		reply = json_loadb((const char *)plain.data, plain.len, 0, NULL);
	idv_buf_cleanup_wipe(&plain);
	return reply;
}

/*
 * Queue body (JSON) for url as an envelope with headers (borrowed, may be NULL); auth names a
 * credential the sender adds from the configuration ("transcend"), sign asks for the webhook
 * signature. Inside the caller's transaction.
 */
static enum idv_err
platforms_queue(struct idv_store *store, int64_t case_id, const char *url, json_t *headers,
		json_t *body, const char *auth, bool sign)
{
	enum idv_err err = IDV_E_NOMEM;
	struct idv_buf plain, sealed;
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_t *env = NULL;
	char *etext = NULL;
	idv_buf_init(&plain, 256 * 1024);
	idv_buf_init(&sealed, 256 * 1024);
	if (text == NULL)
		goto out;
	env = json_pack("{s:O,s:s,s:b}", "headers", headers ? headers : json_object(), "body", text,
			"sign", sign);
	if (headers == NULL)
		json_decref(json_object_get(env, "headers")); /* json_pack took its own reference */
	if (env != NULL && auth != NULL)
		json_object_set_new(env, "auth", json_string(auth));
	if (env == NULL || (etext = json_dumps(env, JSON_COMPACT)) == NULL)
		goto out;
	idv_buf_printf(&plain, "%s%s", IDV_OUTBOX_ENVELOPE, etext);
	if ((err = idv_outbox_seal(url, plain.data, plain.len, &sealed)) == IDV_OK)
		err = idv_store_outbox_insert(store, case_id, url, sealed.data, sealed.len,
					      (int64_t)time(NULL));
out:
	if (etext != NULL)
		idv_wipe(etext, strlen(etext));
	free(etext);
	free(text);
	json_decref(env);
	idv_buf_cleanup_wipe(&plain);
	idv_buf_cleanup(&sealed);
	return err;
}

/* ---- the platforms' answers ---------------------------------------------------------------- */

/* Fides: POST {} to the reply URL of the outcome, with the request's reply-to-token. */
static enum idv_err
platforms_fides(struct idv_store *store, const struct idv_case_row *row, json_t *reply,
		const char *word, const char *idem)
{
	const char *url = json_string_value(json_object_get(
		reply, strcmp(word, "eligible") == 0 ? "eligible" : "not_eligible"));
	const char *token = json_string_value(json_object_get(reply, "token"));
	if (url == NULL || token == NULL)
		return IDV_E_STATE;
	char bearer[4200];
	if (snprintf(bearer, sizeof bearer, "Bearer %s", token) >= (int)sizeof bearer)
		return IDV_E_TOOBIG;
	json_t *h = json_pack("{s:s,s:s}", "Authorization", bearer, "Idempotency-Key", idem);
	json_t *body = json_object();
	enum idv_err err = platforms_queue(store, row->id, url, h, body, NULL, false);
	idv_wipe(bearer, sizeof bearer);
	json_decref(h);
	json_decref(body);
	return err;
}

/* Transcend: the enrichment answer to <sombra>/v1/enrich-identifiers, with the nonce. */
static enum idv_err
platforms_transcend(struct idv_store *store, const struct idv_config *cfg,
		    const struct idv_case_row *row, json_t *reply, const char *word,
		    const char *idem)
{
	const char *nonce = json_string_value(json_object_get(reply, "nonce"));
	char url[512];
	if (nonce == NULL)
		return IDV_E_STATE;
	if (snprintf(url, sizeof url, "%s/v1/enrich-identifiers", cfg->transcend_url) >=
	    (int)sizeof url)
		return IDV_E_TOOBIG;
	json_t *h = json_pack("{s:s,s:s}", "x-transcend-nonce", nonce, "Idempotency-Key", idem);
	/* CANCELED and ON_HOLD are a status; ENRICHED lets the request go on */
	json_t *body = strcmp(word, "ENRICHED") != 0 ? json_pack("{s:s}", "status", word)
						     : json_pack("{s:{}}", "enrichedIdentifiers");
	enum idv_err err = platforms_queue(store, row->id, url, h, body, "transcend", false);
	json_decref(h);
	json_decref(body);
	return err;
}

/* Ketch dsr/v1: a <Kind>StatusEvent to every callback, with the callback's own headers. */
static enum idv_err
platforms_ketch(struct idv_store *store, const struct idv_case_row *row, json_t *reply,
		const char *status, const char *reason, const char *idem)
{
	enum idv_err err = IDV_OK;
	const char *kind = json_string_value(json_object_get(reply, "event_kind"));
	json_t *ev = json_pack("{s:s,s:s}", "status", status, "requestID", row->reference);
	if (reason != NULL)
		json_object_set_new(ev, "reason", json_string(reason));
	if (reason != NULL && strcmp(reason, "need_user_verification") == 0)
		json_object_set(ev, "redirectUrl", json_object_get(reply, "link"));
	json_object_set_new(ev, "resultMessage",
			    json_string(strcmp(status, "completed") != 0
						? "Identity verification is under way."
					: strcmp(reason, "requested") == 0
						? "The data subject's identity was verified."
						: "The data subject's identity was not verified."));
	json_t *body = json_pack("{s:s,s:s,s:O,s:o}", "apiVersion", "dsr/v1", "kind",
				 kind ? kind : "AccessStatusEvent", "metadata",
				 json_object_get(reply, "metadata"), "event", ev);
	size_t i;
	json_t *cb;
	json_array_foreach(json_object_get(reply, "callbacks"), i, cb)
	{
		const char *url = json_string_value(json_object_get(cb, "url"));
		json_t *h = json_deep_copy(json_object_get(cb, "headers"));
		if (!json_is_object(h)) {
			json_decref(h);
			h = json_object();
		}
		json_object_set_new(h, "Idempotency-Key", json_string(idem));
		if (url != NULL && err == IDV_OK)
			err = platforms_queue(store, row->id, url, h, body, NULL, false);
		json_decref(h);
	}
	json_decref(body);
	return err;
}

static void
platforms_one(struct idv_cases *cs, int64_t case_id)
{
	struct idv_store *store = cs->store;
	struct idv_platform_case_row pc;
	struct idv_case_row row;
	json_t *reply = NULL;
	idv_platform_case_row_init(&pc);
	idv_case_row_init(&row);
	if (idv_store_begin(store) != IDV_OK)
		goto out_nolock;
	if (idv_store_platform_case_get(store, case_id, &pc) != IDV_OK ||
	    idv_store_case_get_id(store, case_id, &row) != IDV_OK)
		goto rollback;
	struct idv_drp_case_state st = {
		row.status, row.closed_at != 0, row.response, row.denial_basis, false, false};
	enum idv_platform_outcome o = idv_platform_outcome_of(&st);
	bool final = idv_platform_outcome_final(o);
	const char *word = NULL, *status = NULL, *reason = NULL;
	char key[64];
	if (strcmp(pc.platform, "fides") == 0) {
		word = idv_platform_fides_word(o);
	} else if (strcmp(pc.platform, "transcend") == 0) {
		word = idv_platform_transcend_word(o);
	} else {
		idv_platform_ketch_status(o, &status, &reason);
		word = status;
	}
	if (word == NULL)
		goto rollback; /* nothing to say yet */
	snprintf(key, sizeof key, "%s%s/%s", final ? "final:" : "", word, reason ? reason : "");
	if (strcmp(key, pc.notified) == 0)
		goto rollback;
	if ((reply = idv_platform_reply_open(&pc)) == NULL) {
		idv_log(IDV_LOG_ERROR, "platform.reply_unreadable", "{s:I,s:s}", "case_id",
			(json_int_t)case_id, "platform", pc.platform);
		goto rollback;
	}
	char idem[128];
	snprintf(idem, sizeof idem, "%s/%s", row.reference, key);
	enum idv_err err;
	if (strcmp(pc.platform, "fides") == 0)
		err = platforms_fides(store, &row, reply, word, idem);
	else if (strcmp(pc.platform, "transcend") == 0)
		err = platforms_transcend(store, cs->cfg, &row, reply, word, idem);
	else
		err = platforms_ketch(store, &row, reply, status, reason, idem);
	idv_strlcpy(pc.notified, key, sizeof pc.notified);
	if (final)
		idv_buf_reset(&pc.reply_sealed); /* the reply data is not needed any more */
	if (err != IDV_OK || idv_store_platform_case_update(store, &pc) != IDV_OK ||
	    idv_audit_append(store, "system", "platform.answer_queued", row.reference,
			     json_pack("{s:s,s:s}", "platform", pc.platform, "answer", key)) !=
		    IDV_OK)
		goto rollback;
	if (idv_store_commit(store) == IDV_OK)
		idv_log(IDV_LOG_INFO, "platform.answer_queued", "{s:I,s:s,s:s}", "case_id",
			(json_int_t)case_id, "platform", pc.platform, "answer", key);
	goto out_nolock;
rollback:
	idv_store_rollback(store);
out_nolock:
	json_decref(reply);
	idv_platform_case_row_cleanup(&pc);
	idv_case_row_cleanup(&row);
}

/* ---- the decision webhook ------------------------------------------------------------------ */

static bool
platforms_decided(const char *status)
{
	static const char *const decided[] = {IDV_CS_VERIFIED, IDV_CS_NOT_VERIFIED,
					      IDV_CS_MANUAL_REVIEW, IDV_CS_NOT_REQUIRED,
					      IDV_CS_REFUSED};
	for (size_t i = 0; i < IDV_ARRAY_LEN(decided); i++)
		if (strcmp(status, decided[i]) == 0)
			return true;
	return false;
}

static json_t *
platforms_str_or_null(const char *s)
{
	return s[0] != '\0' ? json_string(s) : json_null();
}

/* Queue one event of a case: what happened, in words, never the decision's reasons (those
 * stay in the admins' view, api_cases.c). key names the state it reports. */
static enum idv_err
webhook_event(struct idv_cases *cs, const struct idv_case_row *row, const char *event,
	      const char *status, const char *key)
{
	char at[21], idem[128];
	idv_iso8601_format(strcmp(event, "case.closed") == 0 ? row->closed_at
			   : row->decided_at                 ? row->decided_at
							     : (int64_t)time(NULL),
			   at);
	snprintf(idem, sizeof idem, "%s/%s", row->reference, key);
	json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s}", "id", idem,
				 "event", event, "reference", row->reference, "channel",
				 row->channel, "request_type", row->request_type, "status", status,
				 "outcome", platforms_str_or_null(row->outcome), "level",
				 platforms_str_or_null(row->outcome_level), "response",
				 platforms_str_or_null(row->response), "denial_basis",
				 platforms_str_or_null(row->denial_basis), "occurred_at", at);
	json_t *h = json_pack("{s:s}", "Idempotency-Key", idem);
	enum idv_err err = platforms_queue(cs->store, row->id, cs->cfg->webhook_url, h, body, NULL,
					   true);
	json_decref(h);
	json_decref(body);
	return err;
}

/*
 * The webhook's round for one case: the state differs from the last one told. The watcher
 * polls, so a case decided and closed between two rounds was never seen decided: its decision
 * is told first, then its close.
 */
static void
webhook_one(struct idv_cases *cs, int64_t case_id)
{
	struct idv_store *store = cs->store;
	struct idv_case_row row;
	char key[80], prev[80];
	idv_case_row_init(&row);
	if (idv_store_begin(store) != IDV_OK)
		goto out_nolock;
	if (idv_store_case_get_id(store, case_id, &row) != IDV_OK ||
	    idv_store_webhook_get(store, case_id, prev, sizeof prev) != IDV_OK)
		goto rollback;
	snprintf(key, sizeof key, "%s/%s", row.status, row.response);
	if (strcmp(key, prev) == 0)
		goto rollback;
	char prev_status[32] = "";
	const char *slash = strchr(prev, '/');
	if (slash != NULL && (size_t)(slash - prev) < sizeof prev_status)
		memcpy(prev_status, prev, (size_t)(slash - prev));
	enum idv_err err = IDV_OK;
	const char *event = NULL;
	if (row.closed_at != 0) {
		event = "case.closed";
		if (!platforms_decided(prev_status) && strcmp(prev_status, IDV_CS_CLOSED) != 0 &&
		    row.decided_at != 0 && row.outcome[0] != '\0') {
			char dkey[80];
			snprintf(dkey, sizeof dkey, "%s/", row.outcome);
			err = webhook_event(cs, &row, "case.decided", row.outcome, dkey);
		}
	} else if (platforms_decided(row.status)) {
		event = "case.decided";
	}
	if (event != NULL && err == IDV_OK)
		err = webhook_event(cs, &row, event, row.status, key);
	if (err != IDV_OK || idv_store_webhook_set(store, case_id, key) != IDV_OK)
		goto rollback;
	if (idv_store_commit(store) == IDV_OK && event != NULL)
		idv_log(IDV_LOG_INFO, "webhook.queued", "{s:I,s:s}", "case_id", (json_int_t)case_id,
			"event", event);
	goto out_nolock;
rollback:
	idv_store_rollback(store);
out_nolock:
	idv_case_row_cleanup(&row);
}

void
idv_platforms_watch(struct idv_cases *cs)
{
	int64_t ids[PLATFORMS_BATCH];
	size_t n = 0;
	if (idv_store_platform_case_open(cs->store, ids, PLATFORMS_BATCH, &n) == IDV_OK)
		for (size_t i = 0; i < n; i++)
			platforms_one(cs, ids[i]);
	if (cs->cfg->webhook_url[0] != '\0' &&
	    idv_store_webhook_due(cs->store, ids, PLATFORMS_BATCH, &n) == IDV_OK)
		for (size_t i = 0; i < n; i++)
			webhook_one(cs, ids[i]);
}
