/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_platforms.c: idverify as the verifier behind the privacy platforms businesses run. Each
 * adapter speaks its platform's published contract, turns the platform's call into a case of
 * its own channel (fides, transcend, ketch) and answers as the contract says; the later
 * answers go through the outbox (platforms.h). Each is off until its flag is given.
 *
 * - Fides (ethyca/fides: PrivacyRequest.trigger_pre_approval_webhook in
 *   src/fides/api/models/privacy_request/privacy_request.py; the HTTPS connector sends the
 *   connection's "authorization" secret as the Authorization header): a POST with
 *   privacy_request_id, identity, policy_action and the headers reply-to-eligible,
 *   reply-to-not-eligible (paths under the Fides API) and reply-to-token.
 * - Transcend (the preflight / identity-enrichment webhook, transcend-io/examples
 *   typescript/src/handleEnrichmentWebhook.ts and helpers/verifyWebhook.ts): x-sombra-token, a
 *   JWT signed ES384, checked with OpenSSL against the configured public key, and
 *   x-transcend-nonce; answered at once with {"status": "CANCELED"} when it cannot go on,
 *   else 200 and later a POST to <sombra>/v1/enrich-identifiers with the nonce.
 * - Ketch (ketch-com/ketch-forwarder api/dsr/v1): an AccessRequest / DeleteRequest /
 *   CorrectionRequest with metadata, identities, callbacks [{url, headers}] and subject;
 *   answered with a <Kind>Response, status pending / need_user_verification and the
 *   redirectUrl, then <Kind>StatusEvents to the callbacks.
 *
 * The consumer verifies at the link the platform is given (the case's page, or
 * POST /v1/requests/{reference}/details with their own details). A platform call is accepted
 * once: the platform's request id is unique per platform, and a Transcend token is recorded
 * until it expires. Outbound URLs are fixed by the operator (the Fides API base, the Sombra
 * base, the prefix every Ketch callback must start with), so a caller cannot point idverify
 * at another address.
 */
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <time.h>

#include "api.h"
#include "audit.h"
#include "cases.h"
#include "idverify/drp.h"
#include "idverify/str.h"
#include "log.h"
#include "outbox.h"
#include "platforms.h"

#define PLATFORM_TOKEN_MAX 4096 /* a reply-to-token or an x-sombra-token */

static bool
platform_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= IDV_PLATFORM_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(idv_isalnum(s[i]) || strchr("-_.:", s[i]) != NULL))
			return false;
	return true;
}

static bool
platform_url_ok(const char *url, bool allow_http)
{
	return url != NULL && (strncmp(url, "https://", 8) == 0 ||
			       (allow_http && strncmp(url, "http://", 7) == 0));
}

/* Does the header equal secret (or "Bearer <secret>")? Constant time over digests. */
static bool
platform_secret_ok(const char *header, const char *secret)
{
	uint8_t a[32], b[32];
	char bearer[300];
	if (header == NULL || secret[0] == '\0')
		return false;
	idv_crypto_sha256(header, strlen(header), a);
	idv_crypto_sha256(secret, strlen(secret), b);
	bool ok = idv_ct_equal(a, b, sizeof a);
	snprintf(bearer, sizeof bearer, "Bearer %s", secret);
	idv_crypto_sha256(bearer, strlen(bearer), b);
	ok |= idv_ct_equal(a, b, sizeof a);
	idv_wipe(bearer, sizeof bearer);
	return ok;
}

static void
platform_wake(const struct idv_http_req *req)
{
	if (idv_api_app(req)->outbox != NULL)
		idv_outbox_wake(idv_api_app(req)->outbox);
}

/* ---- configuration ------------------------------------------------------------------------ */

bool
idv_api_platforms_on(const struct idv_config *cfg)
{
	return cfg->fides_url[0] != '\0' || cfg->transcend_url[0] != '\0' ||
	       cfg->ketch_callback_base[0] != '\0' || cfg->webhook_url[0] != '\0';
}

enum idv_err
idv_api_platforms_load(const struct idv_config *cfg, struct idv_app *app, char *why,
		       size_t whysz)
{
	bool http = cfg->allow_http_callbacks;
	const struct {
		const char *url, *flag, *secret, *env;
	} need[] = {
		{cfg->fides_url, "--fides-url", cfg->fides_secret, "IDVERIFY_FIDES_SECRET"},
		{cfg->transcend_url, "--transcend-url", cfg->transcend_api_key,
		 "IDVERIFY_TRANSCEND_API_KEY"},
		{cfg->ketch_callback_base, "--ketch-callback-base", cfg->ketch_secret,
		 "IDVERIFY_KETCH_SECRET"},
		{cfg->webhook_url, "--webhook-url", cfg->webhook_secret, "IDVERIFY_WEBHOOK_SECRET"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(need); i++) {
		if (need[i].url[0] == '\0')
			continue;
		if (!platform_url_ok(need[i].url, http)) {
			snprintf(why, whysz, "%s must be an https:// URL (http:// with "
					     "--allow-http-callbacks)", need[i].flag);
			return IDV_E_INVAL;
		}
		if (need[i].secret[0] == '\0') {
			snprintf(why, whysz, "%s needs %s", need[i].flag, need[i].env);
			return IDV_E_INVAL;
		}
	}
	if (cfg->transcend_url[0] == '\0')
		return IDV_OK;
	FILE *f = cfg->transcend_public_key[0] ? fopen(cfg->transcend_public_key, "r") : NULL;
	EVP_PKEY *key = f ? PEM_read_PUBKEY(f, NULL, NULL, NULL) : NULL;
	if (f != NULL)
		fclose(f);
	char group[64] = "";
	size_t glen = 0;
	if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
	    EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &glen) != 1 ||
	    strcmp(group, "secp384r1") != 0) {
		EVP_PKEY_free(key);
		snprintf(why, whysz, "--transcend-url needs --transcend-public-key: a PEM P-384 "
				     "public key (ES384)");
		return IDV_E_INVAL;
	}
	app->transcend_key = key;
	return IDV_OK;
}

void
idv_api_platforms_free(struct idv_app *app)
{
	EVP_PKEY_free(app->transcend_key);
	app->transcend_key = NULL;
}

/* ---- a platform's case --------------------------------------------------------------------- */

struct platform_new {
	struct idv_store *store;
	const char *platform, *external_id, *notified;
	json_t *reply; /* the link is added once the case exists */
	const char *public_url;
	const char *token;
};

static enum idv_err
platform_within(void *arg, struct idv_case_row *row, const uint8_t dek[IDV_KEY_LEN])
{
	struct platform_new *n = arg;
	struct idv_platform_case_row pc;
	char link[512];
	(void)dek;
	idv_platform_case_row_init(&pc);
	pc.case_id = row->id;
	pc.created_at = row->received_at;
	idv_strlcpy(pc.platform, n->platform, sizeof pc.platform);
	idv_strlcpy(pc.external_id, n->external_id, sizeof pc.external_id);
	idv_strlcpy(pc.notified, n->notified, sizeof pc.notified);
	snprintf(link, sizeof link, "%s/requests/%s#token=%s", n->public_url, row->reference,
		 n->token);
	json_object_set_new(n->reply, "link", json_string(link));
	idv_wipe(link, sizeof link);
	enum idv_err err = idv_platform_reply_seal(n->platform, n->external_id, n->reply,
						   &pc.reply_sealed);
	if (err == IDV_OK)
		err = idv_store_platform_case_insert(n->store, &pc);
	idv_platform_case_row_cleanup(&pc);
	return err;
}

/*
 * Create the case of a platform's request. On success row holds it and link the consumer's
 * verification link; on failure resp holds the answer (409 for a request already filed).
 */
static bool
platform_case_create(struct idv_http_req *req, struct idv_http_resp *resp, const char *platform,
		     const char *external_id, const char *request_type, json_t *claims,
		     json_t *reply, const char *notified, struct idv_case_row *row, char *link,
		     size_t linksz)
{
	struct idv_store *store = idv_http_store(req);
	json_t *clean;
	char why[256], token[65], issued[65], actor[40];
	int64_t existing;
	bool ok = false;
	if (idv_store_platform_case_find(store, platform, external_id, &existing) == IDV_OK) {
		idv_http_problem(resp, 409, "replayed", "Already received",
				 "this %s request was already received", platform);
		return false;
	}
	bool opt_out = strcmp(request_type, "opt_out") == 0;
	if ((clean = idv_api_claims_clean(claims, false, why, sizeof why)) == NULL) {
		idv_http_problem(resp, 422, "invalid", "Invalid value", "identity: %s", why);
		return false;
	}
	(void)opt_out;
	uint8_t r[32];
	if (idv_crypto_random(r, sizeof r) != IDV_OK) {
		json_decref(clean);
		idv_http_problem_err(resp, IDV_E_IO, "no randomness");
		return false;
	}
	idv_hex(r, sizeof r, token);
	idv_wipe(r, sizeof r);
	snprintf(actor, sizeof actor, "platform:%s", platform);
	struct platform_new n = {store, platform, external_id, notified, reply,
				 idv_api_app(req)->public_url, token};
	struct idv_case_new in = {request_type, NULL, platform, "consumer", clean, token, actor,
				  platform_within, &n};
	enum idv_err err = idv_case_create(idv_api_app(req)->cases, &in, row, issued);
	idv_wipe(issued, sizeof issued);
	json_decref(clean);
	if (err == IDV_E_CONFLICT) {
		idv_http_problem(resp, 409, "replayed", "Already received",
				 "this %s request was already received", platform);
	} else if (err != IDV_OK) {
		idv_http_problem_err(resp, err, "the request could not be recorded");
	} else {
		snprintf(link, linksz, "%s/requests/%s#token=%s", idv_api_app(req)->public_url,
			 row->reference, token);
		idv_log(IDV_LOG_INFO, "platform.request", "{s:s,s:I,s:s}", "platform", platform,
			"case_id", (json_int_t)row->id, "request_type", request_type);
		platform_wake(req);
		ok = true;
	}
	idv_wipe(token, sizeof token);
	return ok;
}

static bool
platform_enabled(struct idv_http_resp *resp, const struct idv_http_req *req, const char *flag,
		 const char *platform)
{
	if (idv_api_app(req)->cases != NULL && flag[0] != '\0')
		return true;
	idv_http_problem(resp, 404, "not-found", "Not found",
			 "this service does not take %s requests", platform);
	return false;
}

/* ---- Fides ------------------------------------------------------------------------------- */

/* A reply-to header: a path under the Fides API (as Fides sends it), or a URL under it. */
static bool
fides_reply_url(const char *base, const char *v, const char *suffix, char *out, size_t outsz)
{
	size_t blen = strlen(base);
	if (v == NULL || strlen(v) > 1024 || strpbrk(v, " \t\r\n?#\\") != NULL ||
	    strstr(v, "..") != NULL)
		return false;
	if (strncmp(v, base, blen) == 0 && v[blen] == '/')
		v += blen;
	size_t n = strlen(v), slen = strlen(suffix);
	if (strncmp(v, "/privacy-request/", 17) != 0 || n < slen ||
	    strcmp(v + n - slen, suffix) != 0)
		return false;
	return snprintf(out, outsz, "%s%s", base, v) < (int)outsz;
}

void
idv_api_fides_pre_approval(struct idv_http_req *req, struct idv_http_resp *resp)
{
	const struct idv_config *cfg = idv_http_config(req);
	json_t *body = idv_http_json_body(req);
	json_t *claims = NULL, *reply = NULL;
	struct idv_case_row row;
	char eligible[1200], not_eligible[1200], link[512];
	idv_case_row_init(&row);
	if (!platform_enabled(resp, req, cfg->fides_url, "Fides"))
		goto out;
	if (!platform_secret_ok(idv_http_header(req, "Authorization"), cfg->fides_secret)) {
		idv_http_problem(resp, 401, "unauthorized", "Unauthorized",
				 "the Authorization header is not this service's Fides secret");
		idv_http_header_add(resp, "WWW-Authenticate", "Bearer");
		goto out;
	}
	const char *id = json_string_value(json_object_get(body, "privacy_request_id"));
	const char *action = json_string_value(json_object_get(body, "policy_action"));
	const char *cb = json_string_value(json_object_get(body, "callback_type"));
	const char *token = idv_http_header(req, "reply-to-token");
	json_t *identity = json_object_get(body, "identity");
	static const struct {
		const char *action, *type;
	} actions[] = {{"access", "know_categories"}, {"erasure", "delete"},
		       {"update", "correct"},         {"consent", "opt_out"}};
	const char *type = NULL;
	for (size_t i = 0; i < IDV_ARRAY_LEN(actions) && action != NULL; i++)
		if (strcmp(action, actions[i].action) == 0)
			type = actions[i].type;
	if (!platform_id_ok(id) || type == NULL || !json_is_object(identity) ||
	    (cb != NULL && strcmp(cb, "pre_approval") != 0)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "a Fides pre-approval call has privacy_request_id, an identity "
				 "object and policy_action access, erasure, update or consent");
		goto out;
	}
	if (token == NULL || token[0] == '\0' || strlen(token) > PLATFORM_TOKEN_MAX ||
	    !fides_reply_url(cfg->fides_url, idv_http_header(req, "reply-to-eligible"),
			     "/pre-approve/eligible", eligible, sizeof eligible) ||
	    !fides_reply_url(cfg->fides_url, idv_http_header(req, "reply-to-not-eligible"),
			     "/pre-approve/not-eligible", not_eligible, sizeof not_eligible)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "reply-to-eligible and reply-to-not-eligible must be the request's "
				 "pre-approve paths under the Fides API, with a reply-to-token");
		goto out;
	}
	/* Fides identity keys onto claims; the rest (custom identities) is not used. */
	claims = json_object();
	json_t *email = json_object_get(identity, "email");
	json_t *phone = json_object_get(identity, "phone_number");
	if (json_is_string(email))
		json_object_set(claims, "email", email);
	if (json_is_string(phone))
		json_object_set(claims, "phone", phone);
	reply = json_pack("{s:s,s:s,s:s}", "eligible", eligible, "not_eligible", not_eligible,
			  "token", token);
	if (!platform_case_create(req, resp, "fides", id, type, claims, reply, "", &row, link,
				  sizeof link))
		goto out;
	/* Fides expects no answer body (response_expected=False); the link is for the business
	 * to pass to the consumer. */
	idv_http_json(resp, 200, json_pack("{s:s,s:s,s:s}", "reference", row.reference,
					    "status", row.status, "verification_url", link));
	idv_wipe(link, sizeof link);
out:
	json_decref(claims);
	json_decref(reply);
	idv_case_row_cleanup(&row);
}

/* ---- Transcend ------------------------------------------------------------------------------ */

/* base64url (RFC 4648 section 5, no padding) into out. */
static enum idv_err
b64url_decode(const char *p, size_t len, uint8_t *out, size_t outsz, size_t *n)
{
	char buf[PLATFORM_TOKEN_MAX + 4];
	if (len > PLATFORM_TOKEN_MAX)
		return IDV_E_TOOBIG;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (c == '+' || c == '/' || c == '=')
			return IDV_E_PARSE;
		buf[i] = c == '-' ? '+' : c == '_' ? '/' : c;
	}
	size_t m = len;
	while (m % 4 != 0)
		buf[m++] = '=';
	return idv_b64_decode(buf, m, out, outsz, n);
}

/*
 * Verify an ES384 JWT (RFC 7515, RFC 7518 section 3.4: the signature is R || S, 48 bytes
 * each) against key and return its claims; NULL with why otherwise. Checks alg, exp and nbf.
 */
static json_t *
transcend_jwt(EVP_PKEY *key, const char *jwt, int64_t now, char *why, size_t whysz)
{
	json_t *hdr = NULL, *claims = NULL;
	uint8_t part[PLATFORM_TOKEN_MAX], sig[128];
	unsigned char *der = NULL;
	size_t n, siglen;
	ECDSA_SIG *es = NULL;
	EVP_MD_CTX *md = NULL;
	const char *dot1 = strchr(jwt, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	snprintf(why, whysz, "x-sombra-token is not a JWT");
	if (dot1 == NULL || dot2 == NULL || strchr(dot2 + 1, '.') != NULL ||
	    strlen(jwt) > PLATFORM_TOKEN_MAX)
		goto fail;
	if (b64url_decode(jwt, (size_t)(dot1 - jwt), part, sizeof part, &n) != IDV_OK ||
	    (hdr = json_loadb((const char *)part, n, 0, NULL)) == NULL)
		goto fail;
	const char *alg = json_string_value(json_object_get(hdr, "alg"));
	if (alg == NULL || strcmp(alg, "ES384") != 0) {
		snprintf(why, whysz, "x-sombra-token must be signed ES384");
		goto fail;
	}
	if (b64url_decode(dot2 + 1, strlen(dot2 + 1), sig, sizeof sig, &siglen) != IDV_OK ||
	    siglen != 96)
		goto fail;
	/* OpenSSL verifies a DER ECDSA-Sig-Value: build it from R and S. */
	BIGNUM *r = BN_bin2bn(sig, 48, NULL), *s = BN_bin2bn(sig + 48, 48, NULL);
	es = ECDSA_SIG_new();
	if (r == NULL || s == NULL || es == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		goto fail;
	}
	int derlen = i2d_ECDSA_SIG(es, &der);
	md = EVP_MD_CTX_new();
	snprintf(why, whysz, "x-sombra-token's signature does not verify");
	if (derlen <= 0 || md == NULL ||
	    EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, key) != 1 ||
	    EVP_DigestVerify(md, der, (size_t)derlen, (const unsigned char *)jwt,
			     (size_t)(dot2 - jwt)) != 1)
		goto fail;
	if (b64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), part, sizeof part, &n) != IDV_OK ||
	    (claims = json_loadb((const char *)part, n, 0, NULL)) == NULL ||
	    !json_is_object(claims)) {
		snprintf(why, whysz, "x-sombra-token's claims are not a JSON object");
		goto fail;
	}
	json_t *exp = json_object_get(claims, "exp"), *nbf = json_object_get(claims, "nbf");
	if (!json_is_integer(exp) || json_integer_value(exp) <= now ||
	    (json_is_integer(nbf) && json_integer_value(nbf) > now + 60)) {
		snprintf(why, whysz, "x-sombra-token has expired or is not valid yet");
		goto fail;
	}
	goto out;
fail:
	json_decref(claims);
	claims = NULL;
out:
	json_decref(hdr);
	ECDSA_SIG_free(es);
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	return claims;
}

void
idv_api_transcend_preflight(struct idv_http_req *req, struct idv_http_resp *resp)
{
	const struct idv_config *cfg = idv_http_config(req);
	json_t *body = idv_http_json_body(req);
	json_t *jwt = NULL, *claims = NULL, *reply = NULL;
	struct idv_case_row row;
	char why[160], link[512];
	int64_t now = (int64_t)time(NULL);
	idv_case_row_init(&row);
	if (!platform_enabled(resp, req, cfg->transcend_url, "Transcend") ||
	    idv_api_app(req)->transcend_key == NULL)
		goto out;
	const char *tok = idv_http_header(req, "x-sombra-token");
	const char *nonce = idv_http_header(req, "x-transcend-nonce");
	if (tok == NULL || (jwt = transcend_jwt(idv_api_app(req)->transcend_key, tok, now, why,
						sizeof why)) == NULL) {
		idv_http_problem(resp, 401, "unauthorized", "Unauthorized", "%s",
				 tok ? why : "x-sombra-token is missing");
		goto out;
	}
	/* a signed token is accepted once, until it expires */
	uint8_t h[32];
	struct idv_buf d;
	idv_buf_init(&d, PLATFORM_TOKEN_MAX + 32);
	idv_buf_printf(&d, "transcend:%s", tok);
	idv_crypto_sha256(d.data, d.len, h);
	idv_buf_cleanup(&d);
	enum idv_err rerr = idv_store_drp_replay(idv_http_store(req), h,
						 json_integer_value(json_object_get(jwt, "exp")),
						 now);
	if (rerr == IDV_E_CONFLICT) {
		idv_http_problem(resp, 409, "replayed", "Already received",
				 "this x-sombra-token was already used");
		goto out;
	} else if (rerr != IDV_OK) {
		idv_http_problem_err(resp, rerr, "the call could not be recorded");
		goto out;
	}
	json_t *ident = json_object_get(body, "requestIdentifier");
	json_t *request = json_object_get(json_object_get(body, "extras"), "request");
	const char *value = json_string_value(json_object_get(ident, "value"));
	const char *id = json_string_value(json_object_get(request, "id"));
	const char *action = json_string_value(json_object_get(request, "type"));
	if (nonce == NULL || nonce[0] == '\0' || strlen(nonce) > 1024 || value == NULL ||
	    !platform_id_ok(id)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "a Transcend preflight call has x-transcend-nonce, "
				 "requestIdentifier.value and extras.request.id");
		goto out;
	}
	/* transcend-io/privacy-types RequestAction onto request types; others are not verified
	 * here (opt-outs need no verification, R3). */
	const char *type = "know_categories";
	if (action != NULL && strcmp(action, "ERASURE") == 0)
		type = "delete";
	else if (action != NULL && strcmp(action, "RECTIFICATION") == 0)
		type = "correct";
	else if (action != NULL && strstr(action, "OPT_OUT") != NULL)
		type = "opt_out";
	claims = json_object();
	if (strchr(value, '@') != NULL)
		json_object_set_new(claims, "email", json_string(value));
	else if (value[0] == '+')
		json_object_set_new(claims, "phone", json_string(value));
	reply = json_pack("{s:s}", "nonce", nonce);
	if (!platform_case_create(req, resp, "transcend", id, type, claims, reply, "", &row, link,
				  sizeof link))
		goto out;
	if (strcmp(row.status, IDV_CS_REFUSED) == 0 || strcmp(row.status, IDV_CS_NOT_VERIFIED) == 0) {
		/* decided at once (too many requests): the request is canceled now, not later */
		struct idv_platform_case_row pc;
		idv_platform_case_row_init(&pc);
		if (idv_store_platform_case_get(idv_http_store(req), row.id, &pc) == IDV_OK) {
			idv_strlcpy(pc.notified, "final:CANCELED/", sizeof pc.notified);
			idv_buf_reset(&pc.reply_sealed);
			idv_store_platform_case_update(idv_http_store(req), &pc);
		}
		idv_platform_case_row_cleanup(&pc);
		idv_http_json(resp, 200, json_pack("{s:s}", "status", "CANCELED"));
	} else {
		idv_http_json(resp, 200, json_pack("{s:s,s:s}", "reference", row.reference,
						    "verification_url", link));
	}
	idv_wipe(link, sizeof link);
out:
	json_decref(jwt);
	json_decref(claims);
	json_decref(reply);
	idv_case_row_cleanup(&row);
}

/* ---- Ketch ---------------------------------------------------------------------------------- */

void
idv_api_ketch_dsr(struct idv_http_req *req, struct idv_http_resp *resp)
{
	const struct idv_config *cfg = idv_http_config(req);
	json_t *body = idv_http_json_body(req);
	json_t *claims = NULL, *reply = NULL, *cbs = NULL;
	struct idv_case_row row;
	char link[512];
	idv_case_row_init(&row);
	if (!platform_enabled(resp, req, cfg->ketch_callback_base, "Ketch"))
		goto out;
	if (!platform_secret_ok(idv_http_header(req, "Authorization"), cfg->ketch_secret)) {
		idv_http_problem(resp, 401, "unauthorized", "Unauthorized",
				 "the Authorization header is not this service's Ketch secret");
		idv_http_header_add(resp, "WWW-Authenticate", "Bearer");
		goto out;
	}
	static const struct {
		const char *kind, *type, *response, *event;
	} kinds[] = {
		{"AccessRequest", "know_categories", "AccessResponse", "AccessStatusEvent"},
		{"DeleteRequest", "delete", "DeleteResponse", "DeleteStatusEvent"},
		{"CorrectionRequest", "correct", "CorrectionResponse", "CorrectionStatusEvent"},
	};
	const char *kind = json_string_value(json_object_get(body, "kind"));
	const char *version = json_string_value(json_object_get(body, "apiVersion"));
	json_t *meta = json_object_get(body, "metadata");
	json_t *request = json_object_get(body, "request");
	json_t *subject = json_object_get(request, "subject");
	const char *uid = json_string_value(json_object_get(meta, "uid"));
	size_t k = IDV_ARRAY_LEN(kinds);
	for (size_t i = 0; i < IDV_ARRAY_LEN(kinds) && kind != NULL; i++)
		if (strcmp(kind, kinds[i].kind) == 0)
			k = i;
	if (version == NULL || strcmp(version, "dsr/v1") != 0 || k == IDV_ARRAY_LEN(kinds) ||
	    !platform_id_ok(uid) || !json_is_object(subject) ||
	    !json_is_array(json_object_get(request, "identities"))) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "a dsr/v1 AccessRequest, DeleteRequest or CorrectionRequest has "
				 "metadata.uid, request.identities and request.subject");
		goto out;
	}
	/* every callback under the configured base, with string headers only */
	cbs = json_array();
	size_t i;
	json_t *cb;
	json_array_foreach(json_object_get(request, "callbacks"), i, cb)
	{
		const char *url = json_string_value(json_object_get(cb, "url"));
		json_t *h = json_object_get(cb, "headers");
		size_t blen = strlen(cfg->ketch_callback_base);
		bool ok = url != NULL && strlen(url) < 1024 &&
			  strncmp(url, cfg->ketch_callback_base, blen) == 0 &&
			  strpbrk(url, " \t\r\n\\") == NULL && strstr(url, "..") == NULL &&
			  (h == NULL || json_is_object(h)) && i < 8;
		const char *name;
		json_t *v;
		json_object_foreach(h, name, v)
			ok &= json_is_string(v) && json_string_length(v) < 2048;
		if (!ok) {
			idv_http_problem(resp, 422, "invalid", "Invalid value",
					 "request.callbacks: at most 8, each a url under this "
					 "service's Ketch callback base with string headers");
			goto out;
		}
		json_array_append_new(cbs, json_pack("{s:s,s:O}", "url", url, "headers",
						     h ? h : json_object()));
		if (h == NULL)
			json_decref(json_object_get(json_array_get(cbs, i), "headers"));
	}
	/* the subject's typed details (api/dsr/v1/README.md "Subject") onto claims */
	static const struct {
		const char *from, *to;
	} top[] = {{"firstName", "given_names"}, {"lastName", "family_name"}, {"email", "email"}};
	static const struct {
		const char *from, *to;
	} addr[] = {{"addressLine1", "street"},
		    {"addressLine2", "unit"},
		    {"city", "city"},
		    {"stateRegionCode", "state"},
		    {"postalCode", "postal_code"}};
	claims = json_object();
	for (size_t j = 0; j < IDV_ARRAY_LEN(top); j++) {
		json_t *v = json_object_get(subject, top[j].from);
		if (json_is_string(v) && json_string_length(v) > 0)
			json_object_set(claims, top[j].to, v);
	}
	json_t *a = json_object();
	for (size_t j = 0; j < IDV_ARRAY_LEN(addr); j++) {
		json_t *v = json_object_get(subject, addr[j].from);
		if (json_is_string(v) && json_string_length(v) > 0)
			json_object_set(a, addr[j].to, v);
	}
	if (json_object_size(a) > 0)
		json_object_set_new(claims, "address", a);
	else
		json_decref(a);
	reply = json_pack("{s:s,s:O,s:O}", "event_kind", kinds[k].event, "metadata", meta,
			  "callbacks", cbs);
	if (!platform_case_create(req, resp, "ketch", uid, kinds[k].type, claims, reply,
				  "pending/need_user_verification", &row, link, sizeof link))
		goto out;
	char due[11 + 13];
	snprintf(due, sizeof due, "%sT23:59:59Z", row.respond_by);
	int64_t due_t = 0;
	idv_iso8601_parse(due, strlen(due), &due_t);
	json_t *r = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "status", "pending", "reason",
			      "need_user_verification", "redirectUrl", link, "requestID",
			      row.reference, "resultMessage",
			      "The data subject is asked to verify their identity.",
			      "expectedCompletionTimestamp", (json_int_t)due_t);
	idv_http_json(resp, 200, json_pack("{s:s,s:s,s:O,s:o}", "apiVersion", "dsr/v1", "kind",
					    kinds[k].response, "metadata", meta, "response", r));
	idv_wipe(link, sizeof link);
out:
	json_decref(cbs);
	json_decref(claims);
	json_decref(reply);
	idv_case_row_cleanup(&row);
}

/* ---- the consumer's own details ------------------------------------------------------------ */

/*
 * POST /v1/requests/{reference}/details: the consumer of a platform's request gives their own
 * details at the verification link. What the platform sent stays (the consumer adds, never
 * replaces, an identifier the platform vouched for); then the case is decided.
 */
void
idv_api_request_details(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_store *store = idv_http_store(req);
	json_t *given = json_object_get(idv_http_json_body(req), "claims");
	json_t *clean = NULL, *merged = NULL;
	struct idv_case_row row;
	struct idv_platform_case_row pc;
	struct idv_buf plain;
	uint8_t dek[IDV_KEY_LEN] = {0};
	char why[256];
	idv_case_row_init(&row);
	idv_platform_case_row_init(&pc);
	idv_buf_init(&plain, 256 * 1024);
	const char *ref = idv_http_param(req, "reference");
	if (idv_api_app(req)->cases == NULL || idv_store_case_get(store, ref, &row) != IDV_OK) {
		idv_http_problem(resp, 404, "not-found", "Not found", "no request %s", ref);
		goto out;
	}
	if (row.closed_at != 0 || !idv_platform_channel(row.channel) ||
	    strcmp(row.status, IDV_CS_AWAITING_EVIDENCE) != 0 ||
	    idv_store_platform_case_get(store, row.id, &pc) != IDV_OK || pc.consumer_at != 0) {
		idv_http_problem(resp, 409, "invalid-state", "Not allowed in the current state",
				 "only an open request a privacy platform filed, whose consumer has "
				 "not given their details yet, takes them");
		goto out;
	}
	if (!json_is_object(given) ||
	    (clean = idv_api_claims_clean(given, true, why, sizeof why)) == NULL) {
		idv_http_problem(resp, 422, "invalid", "Invalid value", "%s",
				 json_is_object(given) ? why : "send {\"claims\": {...}}");
		goto out;
	}
	enum idv_err err;
	if ((err = idv_case_key_open(&row, dek)) != IDV_OK ||
	    (err = idv_case_open(dek, row.reference, "claims", row.claims_sealed.data,
				 row.claims_sealed.len, &plain)) != IDV_OK ||
	    (merged = json_loadb((const char *)plain.data, plain.len, 0, NULL)) == NULL) {
		idv_http_problem_err(resp, err != IDV_OK ? err : IDV_E_PARSE,
				     "the request could not be read");
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(clean, key, v)
		if (json_object_get(merged, key) == NULL)
			json_object_set(merged, key, v);
	char *text = json_dumps(merged, JSON_COMPACT | JSON_SORT_KEYS);
	err = text ? idv_case_seal(dek, row.reference, "claims", text, strlen(text),
				   &row.claims_sealed)
		   : IDV_E_NOMEM;
	if (text != NULL) {
		idv_wipe(text, strlen(text));
		free(text);
	}
	pc.consumer_at = (int64_t)time(NULL);
	if (err != IDV_OK || (err = idv_store_begin(store)) != IDV_OK) {
		idv_http_problem_err(resp, err, "the details could not be recorded");
		goto out;
	}
	if ((err = idv_store_case_update(store, &row)) != IDV_OK ||
	    (err = idv_store_platform_case_update(store, &pc)) != IDV_OK ||
	    (err = idv_audit_append(store, idv_http_actor(req), "platform.consumer_details",
				    row.reference, NULL)) != IDV_OK ||
	    (err = idv_store_commit(store)) != IDV_OK) {
		idv_store_rollback(store);
		idv_http_problem_err(resp, err, "the details could not be recorded");
		goto out;
	}
	idv_case_evaluate(idv_api_app(req)->cases, row.reference);
	platform_wake(req);
	idv_store_case_get(store, row.reference, &row);
	idv_http_json(resp, 200, idv_case_view(idv_api_app(req)->cases, &row));
out:
	idv_wipe(dek, sizeof dek);
	json_decref(clean);
	json_decref(merged);
	idv_buf_cleanup_wipe(&plain);
	idv_platform_case_row_cleanup(&pc);
	idv_case_row_cleanup(&row);
}
