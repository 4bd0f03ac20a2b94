/* SPDX-License-Identifier: Apache-2.0 */
/*
 * outbox.c: DRP status callbacks (DRP.md; agents.h). One thread of serve:
 *   1. the watcher: every status interval (or when woken), each DRP request with a
 *      status_callback whose status (and reason) differs from the last one queued gets a new
 *      outbox row (the Status object, sealed) in the same transaction that records it as
 *      queued; so nothing is missed across restarts and nothing is queued twice;
 *   2. the sender: each due row's URL is checked again (callback.h: a name may resolve
 *      elsewhere now) and a refused one fails at once; the row is then POSTed with libcurl
 *      (application/json, a 10 s timeout, no redirects, no proxy, https only unless
 *      --allow-http-callbacks) to the address just checked, pinned: no second lookup, and
 *      a connection to any other address is refused; a 2xx answer delivers it, anything
 *      else retries after callback_retry_s, doubling, until callback_attempts.
 *      Messages to one URL go in the order they were queued: a row waits while an older one
 *      for the same URL is pending (a receiver that is down gets them later, in order).
 * The platforms' answers and the decision webhook (platforms.c) are queued by the same thread
 * as envelopes (IDV_OUTBOX_ENVELOPE: headers, body, whether to sign it) and sent the same way,
 * through the same check, to the hosts the operator configured (platforms.h).
 *   3. one-time codes (codes.h): rows of url "email" go out over SMTP (libcurl: smtp://,
 *      smtps://, STARTTLS, AUTH) as text and HTML, rows of url "sms" as a POST to the SMS
 *      gateway, each rendered from the templates in MODELS/messages/ (code.* for a code,
 *      remind.* for the one reminder of a case still waiting for it, queued here each
 *      round); same retries, but not the order rule: each message goes on its own. A message
 *      holds a contact (and a code): it is deleted once sent or given up, and never logged.
 */
#include <curl/curl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "agents.h"
#include "callback.h"
#include "cases.h"
#include "outbox.h"
#include "outboxseal.h"
#include "audit.h"
#include "idverify/drp.h"
#include "codes.h"
#include "log.h"
#include "messages.h"
#include "idverify/str.h"
#include "platforms.h"
#include "ticker.h"

struct idv_outbox {
	struct idv_cases *cs;
	char public_url[256];
	struct idv_ticker ticker;
	struct idv_agent destinations; /* the hosts the operator configured (platforms.h) */
};

/* Seal (or open) a body for url under the "outbox" key (outboxseal.h). */
static enum idv_err
outbox_seal(const char *url, const void *p, size_t len, struct idv_buf *out, bool open)
{
	return open ? idv_outbox_open(url, p, len, out) : idv_outbox_seal(url, p, len, out);
}

/* ---- the watcher ---------------------------------------------------------------------------- */

/* The agents' cases one watch looks at the most (the rest, the next time). */
#define OUTBOX_MAX_WATCHED (1u << 20)

static bool
outbox_collect(void *arg, const struct idv_agent_case_row *row)
{
	/* a final status, once queued, is never followed by another */
	const char *slash = strchr(row->notified, '/');
	char st[32] = "";
	if (slash != NULL && (size_t)(slash - row->notified) < sizeof st) {
		memcpy(st, row->notified, (size_t)(slash - row->notified));
		st[slash - row->notified] = '\0';
	}
	if (st[0] != '\0' && idv_drp_status_final(st))
		return true;
	return idv_ids_push(arg, row->case_id);
}

static void
outbox_watch_one(struct idv_outbox *o, int64_t case_id)
{
	struct idv_store *store = o->cs->store;
	struct idv_agent_case_row ac;
	struct idv_case_row row;
	struct idv_buf sealed;
	idv_agent_case_row_init(&ac);
	idv_case_row_init(&row);
	idv_buf_init(&sealed, 64 * 1024);
	if (idv_store_begin(store) != IDV_OK)
		goto out_nolock;
	if (idv_store_agent_case_get(store, case_id, &ac) != IDV_OK ||
	    idv_store_case_get_id(store, case_id, &row) != IDV_OK)
		goto rollback;
	json_t *st = idv_drp_status_json(o->cs, &ac, &row, o->public_url);
	const char *status = json_string_value(json_object_get(st, "status"));
	const char *reason = json_string_value(json_object_get(st, "reason"));
	char key[64];
	/* A status that cannot be named is not sent: the next sweep asks again. */
	if (!idv_fmt(key, sizeof key, "%s/%s", status, reason ? reason : "") ||
	    strcmp(key, ac.notified) == 0) {
		json_decref(st);
		goto rollback;
	}
	char *text = json_dumps(st, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(st);
	enum idv_err err = text ? outbox_seal(ac.status_callback, text, strlen(text), &sealed,
					      false)
				: IDV_E_NOMEM;
	free(text);
	idv_strlcpy(ac.notified, key, sizeof ac.notified);
	if (err == IDV_OK &&
	    (err = idv_store_outbox_insert(store, case_id, ac.status_callback, sealed.data,
					   sealed.len, (int64_t)time(NULL))) == IDV_OK)
		err = idv_store_agent_case_update(store, &ac);
	if (idv_store_end(store, err) == IDV_OK)
		idv_log(IDV_LOG_INFO, "drp.status_queued", "{s:I,s:s}", "case_id",
			(json_int_t)case_id, "status", key);
	goto out_nolock;
rollback:
	idv_store_rollback(store);
out_nolock:
	idv_buf_cleanup(&sealed);
	idv_agent_case_row_cleanup(&ac);
	idv_case_row_cleanup(&row);
}

static void
outbox_watch(struct idv_outbox *o)
{
	struct idv_ids w;
	idv_ids_init(&w, OUTBOX_MAX_WATCHED);
	if (idv_store_agent_case_each_drp(o->cs->store, outbox_collect, &w) == IDV_OK)
		for (size_t i = 0; i < w.n; i++)
			outbox_watch_one(o, w.v[i]);
	idv_ids_cleanup(&w);
}

/* ---- the sender ----------------------------------------------------------------------------- */

static size_t
outbox_discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n; /* the agent's answer body is not parsed (DRP 2.03.1) */
}

/*
 * What every HTTP POST of the outbox sets: the URL, https only (http too with
 * allow_http_callbacks), no redirects, 10 s (5 s to connect), the headers h, the body, our user
 * agent, and the answer discarded.
 */
static void
outbox_curl_post(CURL *c, const struct idv_config *cfg, const char *url, struct curl_slist *h,
		 const char *body)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
			 cfg->allow_http_callbacks ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_USERAGENT, "idverify/" IDV_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, outbox_discard);
}

/* Append the header line of fmt to *h; false (nothing appended) when it does not fit. */
static bool __attribute__((format(printf, 2, 3)))
outbox_header(struct curl_slist **h, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	va_start(ap, fmt);
	bool fits = idv_vfmt(line, sizeof line, fmt, ap);
	va_end(ap);
	if (fits)
		*h = curl_slist_append(*h, line);
	return fits;
}

/*
 * The headers of an envelope (each "Name: value", names and values without CR or LF, the
 * names idverify sets itself refused), the credential it names (auth: "transcend", the
 * configured API key, never stored) and, when it asks, the decision webhook's signature:
 * "Idverify-Signature: t=UNIX,v1=hex(HMAC-SHA256(secret, t + "." + body))".
 */
static struct curl_slist *
outbox_headers(const struct idv_config *cfg, json_t *env, const char *body)
{
	struct curl_slist *h = NULL;
	const char *name;
	json_t *v;
	json_object_foreach(json_object_get(env, "headers"), name, v)
	{
		const char *val = json_string_value(v);
		if (val == NULL || strpbrk(name, "\r\n:") != NULL || strpbrk(val, "\r\n") != NULL ||
		    strcasecmp(name, "Content-Type") == 0 || strcasecmp(name, "Host") == 0 ||
		    strcasecmp(name, "Content-Length") == 0)
			continue;
		outbox_header(&h, "%s: %s", name, val); /* one too long is left out */
	}
	const char *auth = json_string_value(json_object_get(env, "auth"));
	if (auth != NULL && strcmp(auth, "transcend") == 0 && cfg->transcend_api_key[0] != '\0')
		outbox_header(&h, "Authorization: Bearer %s", cfg->transcend_api_key);
	if (json_is_true(json_object_get(env, "sign")) && cfg->webhook_secret[0] != '\0') {
		struct idv_buf msg;
		unsigned char mac[EVP_MAX_MD_SIZE];
		unsigned maclen = 0;
		char hex[2 * EVP_MAX_MD_SIZE + 1];
		long long t = (long long)time(NULL);
		idv_buf_init(&msg, 1024 * 1024);
		idv_buf_printf(&msg, "%lld.%s", t, body);
		if (HMAC(EVP_sha256(), cfg->webhook_secret, (int)strlen(cfg->webhook_secret),
			 msg.data, msg.len, mac, &maclen) != NULL) {
			idv_hex(mac, maclen, hex);
			outbox_header(&h, "Idverify-Signature: t=%lld,v1=%s", t, hex);
		}
		idv_buf_cleanup(&msg);
	}
	return h;
}

/* Connect only to an address that was checked (the pins of CURLOPT_RESOLVE, verified). */
static curl_socket_t
outbox_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *sa)
{
	const struct idv_callback_target *t = arg;
	struct idv_netaddr a = {0};
	(void)purpose;
	if (sa->family == AF_INET && sa->addrlen >= sizeof(struct sockaddr_in))
		idv_netaddr_from_bytes(
			4,
			(const uint8_t *)&((const struct sockaddr_in *)(const void *)&sa->addr)
				->sin_addr,
			&a);
	else if (sa->family == AF_INET6 && sa->addrlen >= sizeof(struct sockaddr_in6))
		idv_netaddr_from_bytes(
			6,
			((const struct sockaddr_in6 *)(const void *)&sa->addr)->sin6_addr.s6_addr,
			&a);
	bool checked = false;
	for (size_t i = 0; i < t->naddrs && !checked; i++)
		checked = idv_netaddr_equal(&a, &t->addrs[i]);
	if (!checked) {
		idv_log(IDV_LOG_WARN, "drp.callback_refused", "{s:s}", "why",
			"a connection to another address than those checked");
		return CURL_SOCKET_BAD;
	}
	return socket(sa->family, sa->socktype | SOCK_CLOEXEC, sa->protocol);
}

static long
outbox_post(const struct idv_config *cfg, const struct idv_callback_target *t, const char *url,
	    const char *body, json_t *env)
{
	CURL *c = curl_easy_init();
	long code = 0;
	struct curl_slist *h = NULL, *pin = NULL;
	char entry[IDV_AGENT_HOST_MAX + 16 + IDV_CALLBACK_ADDRS_MAX * (IDV_NETADDR_TEXT_MAX + 3)];
	if (c == NULL)
		return 0;
	if (env != NULL)
		h = outbox_headers(cfg, env, body);
	h = curl_slist_append(h, "Content-Type: application/json");
	if (!t->literal) {
		/* "host:port:addr,[v6addr],...": libcurl takes these instead of resolving */
		bool fits = idv_fmt(entry, sizeof entry, "%s:%u:", t->host, (unsigned)t->port);
		size_t at = strlen(entry);
		for (size_t i = 0; i < t->naddrs && fits; i++) {
			char addr[IDV_NETADDR_TEXT_MAX];
			idv_netaddr_format(&t->addrs[i], addr);
			fits = idv_fmt(entry + at, sizeof entry - at,
				       t->addrs[i].family == 6 ? "%s[%s]" : "%s%s", i ? "," : "",
				       addr);
			at += strlen(entry + at);
		}
		/* A cut entry could pin a different address: then nothing is sent. */
		if (!fits) {
			idv_log(IDV_LOG_ERROR, "drp.callback_pin_too_long", NULL);
			curl_slist_free_all(h);
			curl_easy_cleanup(c);
			return 0;
		}
		pin = curl_slist_append(pin, entry);
		curl_easy_setopt(c, CURLOPT_RESOLVE, pin);
	}
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, outbox_open_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, (void *)(uintptr_t)t);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	outbox_curl_post(c, cfg, url, h, body);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_slist_free_all(pin);
	curl_easy_cleanup(c);
	return code;
}

/* ---- one-time code messages ------------------------------------------------------------- */

enum outbox_escape { ESC_NONE, ESC_HTML, ESC_JSON, ESC_FORM };

/* A message's text: key of the catalogue (messages.h) of the language the message was asked
 * in ("lang", from the consumer's page), else English. */
static bool
outbox_template(json_t *m, const char *key, struct idv_buf *out)
{
	const char *lang = json_string_value(json_object_get(m, "lang"));
	const char *text = idv_messages_text(lang, key);
	if (text == NULL)
		text = idv_messages_text("en", key);
	return text != NULL && idv_buf_append_str(out, text) == IDV_OK;
}

/* Read a credentials file: one line "user:password". */
static bool
outbox_credentials(const char *path, char *user, size_t usersz, char *pass, size_t passsz)
{
	char line[512];
	bool ok = false;
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return false;
	if (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		char *colon = strchr(line, ':');
		if (colon != NULL) {
			*colon = '\0';
			ok = idv_strlcpy(user, line, usersz) < usersz &&
			     idv_strlcpy(pass, colon + 1, passsz) < passsz;
		}
	}
	idv_wipe(line, sizeof line);
	fclose(f);
	return ok;
}

/* Append v escaped for its place. */
static void
outbox_escape(struct idv_buf *out, const char *v, enum outbox_escape esc)
{
	for (const char *p = v; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (esc == ESC_HTML &&
		    (c == '<' || c == '>' || c == '&' || c == '"' || c == '\'')) {
			idv_buf_printf(out, "&#%d;", c);
		} else if (esc == ESC_JSON && (c == '"' || c == '\\' || c < 0x20)) {
			idv_buf_printf(out, "\\u%04x", c);
		} else if (esc == ESC_FORM && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
						(c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
						c == '.' || c == '~')) {
			idv_buf_printf(out, "%%%02X", c);
		} else {
			idv_buf_append(out, p, 1);
		}
	}
}

/* Replace {{name}} by the message's values (json object of strings and numbers). */
static bool
outbox_render(const struct idv_buf *tpl, json_t *vars, enum outbox_escape esc, struct idv_buf *out)
{
	const char *p = (const char *)tpl->data, *end = p + tpl->len;
	while (p < end) {
		const char *open = memmem(p, (size_t)(end - p), "{{", 2);
		if (open == NULL) {
			idv_buf_append(out, p, (size_t)(end - p));
			break;
		}
		idv_buf_append(out, p, (size_t)(open - p));
		const char *close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		char name[32], num[32];
		size_t nlen = close ? (size_t)(close - open - 2) : 0;
		if (close == NULL || nlen == 0 || nlen >= sizeof name)
			return false;
		memcpy(name, open + 2, nlen);
		name[nlen] = '\0';
		json_t *v = json_object_get(vars, name);
		const char *s = json_string_value(v);
		if (json_is_integer(v) &&
		    idv_fmt(num, sizeof num, "%lld", (long long)json_integer_value(v)))
			s = num;
		if (s == NULL)
			return false; /* an unknown placeholder: the template is wrong */
		outbox_escape(out, s, esc);
		p = close + 2;
	}
	return idv_buf_append(out, "", 1) == IDV_OK; /* NUL-terminated */
}

/* "Subject: ..." in out: as it is when ASCII, else as an RFC 2047 encoded word (UTF-8, base64),
 * since a mail header carries 7-bit text only (a Spanish subject has accents). */
static bool
outbox_subject(const char *subject, char *out, size_t outsz)
{
	size_t len = strnlen(subject, 300);
	bool ascii = true;
	for (size_t i = 0; i < len; i++)
		ascii = ascii && (unsigned char)subject[i] < 0x80;
	if (ascii)
		return idv_fmt(out, outsz, "Subject: %.*s", (int)len, subject);
	unsigned char b64[4 * ((300 + 2) / 3) + 1];
	EVP_EncodeBlock(b64, (const unsigned char *)subject, (int)len);
	return idv_fmt(out, outsz, "Subject: =?UTF-8?B?%s?=", (const char *)b64);
}

/* A header value must not break the header (CR, LF) or the address brackets. */
static bool
outbox_header_safe(const char *s)
{
	return s[0] != '\0' && strpbrk(s, "\r\n<>") == NULL;
}

/* The templates of a message: "code" (a one-time code), "remind" (the one reminder) or
 * "agent-code" (the code of the consumer of an agent's request, codes.h). */
static const char *
outbox_kind(json_t *m)
{
	const char *k = json_string_value(json_object_get(m, "kind"));
	return k == NULL                      ? "code"
	       : strcmp(k, "remind") == 0     ? "remind"
	       : strcmp(k, "agent-code") == 0 ? "agent-code"
					      : "code";
}

static bool
outbox_smtp(const struct idv_config *cfg, json_t *m)
{
	const char *to = json_string_value(json_object_get(m, "to"));
	const char *kind = outbox_kind(m);
	struct idv_buf tt, th, ts, text, html, subj;
	char user[256] = "", pass[256] = "", hdr[600], ntxt[32], nhtml[32], nsubj[32];
	bool ok = false;
	CURL *c = NULL;
	curl_mime *mime = NULL, *alt = NULL;
	struct curl_slist *rcpt = NULL, *h = NULL;
	idv_buf_init(&tt, 65536);
	idv_buf_init(&th, 65536);
	idv_buf_init(&ts, 4096);
	idv_buf_init(&text, 131072);
	idv_buf_init(&html, 262144);
	idv_buf_init(&subj, 8192);
	if (cfg->smtp_url[0] == '\0' || cfg->smtp_from[0] == '\0' || to == NULL ||
	    !outbox_header_safe(to) || !outbox_header_safe(cfg->smtp_from) ||
	    !idv_fmt(ntxt, sizeof ntxt, "email.%s.text", kind) ||
	    !idv_fmt(nhtml, sizeof nhtml, "email.%s.html", kind) ||
	    !idv_fmt(nsubj, sizeof nsubj, "email.%s.subject", kind) ||
	    !outbox_template(m, ntxt, &tt) || !outbox_template(m, nhtml, &th) ||
	    !outbox_template(m, nsubj, &ts) || !outbox_render(&tt, m, ESC_NONE, &text) ||
	    !outbox_render(&th, m, ESC_HTML, &html) || !outbox_render(&ts, m, ESC_NONE, &subj))
		goto out;
	((char *)subj.data)[strcspn((char *)subj.data, "\r\n")] = '\0';
	if (cfg->smtp_credentials[0] != '\0' &&
	    !outbox_credentials(cfg->smtp_credentials, user, sizeof user, pass, sizeof pass))
		goto out;
	if ((c = curl_easy_init()) == NULL)
		goto out;
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	if (cfg->smtp_starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
	}
	/* An address that does not fit is not cut short: nothing is sent. */
	if (!outbox_header(&rcpt, "<%s>", to) || !outbox_header(&h, "From: <%s>", cfg->smtp_from) ||
	    !outbox_header(&h, "To: <%s>", to) ||
	    !outbox_subject((const char *)subj.data, hdr, sizeof hdr) ||
	    !outbox_header(&h, "%s", hdr) || !idv_fmt(hdr, sizeof hdr, "<%s>", cfg->smtp_from))
		goto out;
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, hdr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	mime = curl_mime_init(c);
	alt = curl_mime_init(c);
	curl_mimepart *part = curl_mime_addpart(alt);
	curl_mime_data(part, (const char *)text.data, CURL_ZERO_TERMINATED);
	curl_mime_type(part, "text/plain; charset=utf-8");
	part = curl_mime_addpart(alt);
	curl_mime_data(part, (const char *)html.data, CURL_ZERO_TERMINATED);
	curl_mime_type(part, "text/html; charset=utf-8");
	part = curl_mime_addpart(mime);
	curl_mime_subparts(part, alt);
	curl_mime_type(part, "multipart/alternative");
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	CURLcode rc = curl_easy_perform(c);
	ok = rc == CURLE_OK;
	if (!ok)
		idv_log(IDV_LOG_WARN, "code.smtp_failed", "{s:s}", "error", curl_easy_strerror(rc));
out:
	if (c != NULL) {
		curl_mime_free(mime); /* frees alt, its subparts */
		curl_easy_cleanup(c);
	}
	curl_slist_free_all(rcpt);
	curl_slist_free_all(h);
	idv_wipe(user, sizeof user);
	idv_wipe(pass, sizeof pass);
	idv_wipe(hdr, sizeof hdr);
	idv_buf_cleanup(&tt);
	idv_buf_cleanup(&th);
	idv_buf_cleanup(&ts);
	idv_buf_cleanup_wipe(&text);
	idv_buf_cleanup_wipe(&html);
	idv_buf_cleanup(&subj);
	return ok;
}

static bool
outbox_sms(const struct idv_config *cfg, json_t *m)
{
	struct idv_buf tt, text, tb, body;
	char user[256] = "", pass[256] = "", nsms[32];
	long code = 0;
	bool ok = false, json = strstr(cfg->sms_content_type, "json") != NULL;
	CURL *c = NULL;
	struct curl_slist *h = NULL;
	idv_buf_init(&tt, 4096);
	idv_buf_init(&text, 8192);
	idv_buf_init(&tb, 65536);
	idv_buf_init(&body, 131072);
	if (cfg->sms_url[0] == '\0' || cfg->sms_template[0] == '\0' ||
	    !idv_fmt(nsms, sizeof nsms, "sms.%s", outbox_kind(m)) ||
	    !outbox_template(m, nsms, &tt) || !outbox_render(&tt, m, ESC_NONE, &text))
		goto out;
	/* the gateway's template is a file of its own (--sms-template), not under models/ */
	FILE *f = fopen(cfg->sms_template, "rb");
	if (f == NULL)
		goto out;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 &&
	       idv_buf_append(&tb, chunk, n) == IDV_OK)
		;
	fclose(f);
	while (tb.len > 0 && (tb.data[tb.len - 1] == '\n' || tb.data[tb.len - 1] == '\r'))
		tb.len--;
	((char *)text.data)[strcspn((char *)text.data, "\r\n")] = '\0';
	json_t *vars = json_pack("{s:O,s:s}", "to", json_object_get(m, "to"), "text",
				 (const char *)text.data);
	bool rendered = vars != NULL && outbox_render(&tb, vars, json ? ESC_JSON : ESC_FORM, &body);
	json_decref(vars);
	if (!rendered)
		goto out;
	if (cfg->sms_credentials[0] != '\0' &&
	    !outbox_credentials(cfg->sms_credentials, user, sizeof user, pass, sizeof pass))
		goto out;
	if ((c = curl_easy_init()) == NULL)
		goto out;
	outbox_header(&h, "Content-Type: %.100s", cfg->sms_content_type);
	outbox_curl_post(c, cfg, cfg->sms_url, h, (const char *)body.data);
	if (user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
	}
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	ok = code >= 200 && code < 300;
out:
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	idv_wipe(user, sizeof user);
	idv_wipe(pass, sizeof pass);
	idv_buf_cleanup(&tt);
	idv_buf_cleanup_wipe(&text);
	idv_buf_cleanup(&tb);
	idv_buf_cleanup_wipe(&body);
	return ok;
}

/* Send one code message; the row is forgotten once sent or given up. */
static void
outbox_message(struct idv_outbox *o, const struct idv_outbox_row *row, const struct idv_buf *plain,
	       int64_t now)
{
	struct idv_store *store = o->cs->store;
	const struct idv_config *cfg = o->cs->cfg;
	bool email = strcmp(row->url, "email") == 0;
	json_t *m = json_loadb((const char *)plain->data, plain->len, 0, NULL);
	const char *ref = json_string_value(json_object_get(m, "reference"));
	if (ref != NULL) /* the consumer's page of an agent's request ({{link}}) */
		json_object_set_new(m, "link",
				    json_sprintf("%s/requests/%s/agent", o->public_url, ref));
	bool ok = m != NULL && (email ? outbox_smtp(cfg, m) : outbox_sms(cfg, m));
	/* delivery tells of the code; a reminder's fate is only logged */
	bool code = m == NULL || strcmp(outbox_kind(m), "remind") != 0;
	json_decref(m);
	int attempts = row->attempts + 1;
	if (ok || (unsigned)attempts >= cfg->callback_attempts) {
		idv_store_outbox_delete(store, row->id);
		if (code)
			idv_store_code_delivery(store, row->case_id, ok ? "sent" : "failed");
		idv_log(ok ? IDV_LOG_INFO : IDV_LOG_WARN, ok ? "code.delivered" : "code.failed",
			"{s:I,s:s,s:i}", "case_id", (json_int_t)row->case_id, "channel",
			email ? "email" : "sms", "attempts", attempts);
	} else {
		int64_t delay = (int64_t)cfg->callback_retry_s
				<< (attempts - 1 < 16 ? attempts - 1 : 16);
		idv_store_outbox_mark(store, row->id, "pending", attempts, now + delay, 0);
		if (code)
			idv_store_code_delivery(store, row->case_id, "retrying");
		idv_log(IDV_LOG_INFO, "code.retry", "{s:I,s:s,s:i,s:I}", "case_id",
			(json_int_t)row->case_id, "channel", email ? "email" : "sms", "attempts",
			attempts, "retry_in_s", (json_int_t)delay);
	}
}

static void
outbox_send(struct idv_outbox *o)
{
	struct idv_store *store = o->cs->store;
	const struct idv_config *cfg = o->cs->cfg;
	struct idv_outbox_row row;
	struct idv_buf plain;
	memset(&row, 0, sizeof row);
	idv_buf_init(&row.body_sealed, 128 * 1024);
	idv_buf_init(&plain, 128 * 1024);
	for (int k = 0; k < 100; k++) {
		int64_t now = (int64_t)time(NULL);
		if (idv_ticker_stopping(&o->ticker) ||
		    idv_store_outbox_next(store, now, &row) != IDV_OK)
			break;
		idv_buf_reset(&plain);
		long code = 0;
		if (strcmp(row.url, "email") == 0 || strcmp(row.url, "sms") == 0) {
			/* a one-time code or its reminder: its own sender, never a callback check,
			 * and no order to keep: "email" and "sms" name a channel, not a receiver,
			 * so each message goes on its own (a case's newer code replaced its older
			 * messages when it was queued), and one that retries holds no other */
			if (outbox_seal(row.url, row.body_sealed.data, row.body_sealed.len, &plain,
					true) == IDV_OK)
				outbox_message(o, &row, &plain, now);
			else
				idv_store_outbox_delete(store, row.id);
			idv_wipe(plain.data, plain.len);
			idv_buf_reset(&plain);
			continue;
		}
		int64_t older_at = 0;
		if (idv_store_outbox_blocked(store, row.id, row.url, &older_at)) {
			/* an older message to the same URL goes first; this one follows it */
			idv_store_outbox_mark(store, row.id, "pending", row.attempts,
					      older_at > now ? older_at : now + 1, 0);
			continue;
		}
		int attempts = row.attempts + 1;
		/* An envelope (a platform's answer, the decision webhook) goes to a host the
		 * operator configured; a DRP status to its agent's callback. */
		bool opened = outbox_seal(row.url, row.body_sealed.data, row.body_sealed.len,
					  &plain, true) == IDV_OK;
		const char *text = opened ? (const char *)plain.data : NULL;
		size_t plen = strlen(IDV_OUTBOX_ENVELOPE);
		json_t *env = NULL;
		if (opened && plain.len > plen && memcmp(text, IDV_OUTBOX_ENVELOPE, plen) == 0) {
			env = json_loads(text + plen, 0, NULL);
			text = json_string_value(json_object_get(env, "body"));
		}
		/* The target again: the directory or what the name resolves to may have changed. */
		struct idv_agent_case_row ac;
		struct idv_callback_target t;
		char why[256];
		idv_agent_case_row_init(&ac);
		const struct idv_agent *agent = env != NULL ? &o->destinations
						: idv_store_agent_case_get(store, row.case_id,
									   &ac) == IDV_OK
							? idv_agents_find(o->cs->agents,
									  ac.agent_id)
							: NULL;
		idv_agent_case_row_cleanup(&ac);
		enum idv_err cerr = idv_callback_check(cfg, agent, row.url, &t, why, sizeof why);
		if (cerr != IDV_OK && cerr != IDV_E_NOTFOUND) {
			idv_store_outbox_mark(store, row.id, "failed", attempts, now, 0);
			idv_log(IDV_LOG_WARN, "drp.callback_refused", "{s:I,s:I,s:s}", "outbox",
				(json_int_t)row.id, "case_id", (json_int_t)row.case_id, "why", why);
			json_decref(env);
			continue;
		}
		if (cerr == IDV_OK && text != NULL)
			code = outbox_post(cfg, &t, row.url, text, env);
		json_decref(env);
		if (code >= 200 && code < 300) {
			idv_store_outbox_mark(store, row.id, "delivered", attempts, now, (int)code);
			idv_log(IDV_LOG_INFO, "drp.callback_delivered", "{s:I,s:I,s:i}", "outbox",
				(json_int_t)row.id, "case_id", (json_int_t)row.case_id, "status",
				(int)code);
		} else if ((unsigned)attempts >= cfg->callback_attempts) {
			idv_store_outbox_mark(store, row.id, "failed", attempts, now, (int)code);
			idv_log(IDV_LOG_WARN, "drp.callback_failed", "{s:I,s:i,s:i}", "outbox",
				(json_int_t)row.id, "attempts", attempts, "status", (int)code);
		} else {
			int64_t delay = (int64_t)cfg->callback_retry_s
					<< (attempts - 1 < 16 ? attempts - 1 : 16);
			idv_store_outbox_mark(store, row.id, "pending", attempts, now + delay,
					      (int)code);
			idv_log(IDV_LOG_INFO, "drp.callback_retry", "{s:I,s:i,s:i,s:I}", "outbox",
				(json_int_t)row.id, "attempts", attempts, "status", (int)code,
				"retry_in_s", (json_int_t)delay);
		}
	}
	idv_buf_cleanup(&row.body_sealed);
	idv_buf_cleanup_wipe(&plain);
}

/* One pass of the ticker: the agents' and platforms' status callbacks, then the messages due. */
static void
outbox_pass(void *arg)
{
	struct idv_outbox *o = arg;
	/* One instance watches and delivers for all that share a database (store.h). */
	if (!idv_store_lead(o->cs->store, IDV_STORE_TASK_OUTBOX))
		return;
	outbox_watch(o);
	idv_platforms_watch(o->cs);
	size_t reminded = 0;
	if (idv_case_code_remind(o->cs, (int64_t)time(NULL), &reminded) == IDV_OK && reminded > 0)
		idv_log(IDV_LOG_INFO, "code.reminders_queued", "{s:I}", "count",
			(json_int_t)reminded);
	outbox_send(o);
}

enum idv_err
idv_outbox_start(struct idv_cases *cs, const char *public_url, struct idv_outbox **out)
{
	struct idv_outbox *o = idv_calloc(1, sizeof *o);
	o->cs = cs;
	idv_strlcpy(o->public_url, public_url, sizeof o->public_url);
	idv_platforms_destinations(cs->cfg, &o->destinations);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    idv_ticker_start(&o->ticker, o->cs->cfg->status_interval_s, outbox_pass, o) != IDV_OK) {
		free(o->destinations.callback_hosts);
		free(o);
		return IDV_E_IO;
	}
	*out = o;
	return IDV_OK;
}

void
idv_outbox_wake(struct idv_outbox *o)
{
	idv_ticker_wake(&o->ticker);
}

void
idv_outbox_stop(struct idv_outbox *o)
{
	if (o == NULL)
		return;
	idv_ticker_stop(&o->ticker);
	curl_global_cleanup();
	free(o->destinations.callback_hosts);
	free(o);
}
