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
 */
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

#include "agents.h"
#include "callback.h"
#include "cases.h"
#include "outbox.h"
#include "audit.h"
#include "idverify/drp.h"
#include "log.h"
#include "idverify/str.h"

struct idv_outbox {
	struct idv_cases *cs;
	char public_url[256];
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, woken;
};

/* Seal (or open) a Status body for url under the "outbox" key. */
static enum idv_err
outbox_seal(const char *url, const void *p, size_t len, struct idv_buf *out, bool open)
{
	uint8_t key[IDV_KEY_LEN];
	struct idv_buf aad;
	enum idv_err err = idv_crypto_derive("outbox", key);
	if (err != IDV_OK)
		return err;
	idv_buf_init(&aad, 1024);
	idv_buf_printf(&aad, "idverify/outbox/%s", url);
	if (open)
		err = idv_crypto_open(key, aad.data, aad.len, p, len, out);
	else
		err = idv_crypto_seal(key, aad.data, aad.len, p, len, out);
	idv_buf_cleanup(&aad);
	idv_wipe(key, sizeof key);
	return err;
}

/* ---- the watcher ---------------------------------------------------------------------------- */

struct outbox_ids {
	int64_t *ids;
	size_t n, cap;
};

static bool
outbox_collect(void *arg, const struct idv_agent_case_row *row)
{
	struct outbox_ids *w = arg;
	/* a final status, once queued, is never followed by another */
	const char *slash = strchr(row->notified, '/');
	char st[32] = "";
	if (slash != NULL && (size_t)(slash - row->notified) < sizeof st) {
		memcpy(st, row->notified, (size_t)(slash - row->notified));
		st[slash - row->notified] = '\0';
	}
	if (st[0] != '\0' && idv_drp_status_final(st))
		return true;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->ids = idv_realloc(w->ids, w->cap * sizeof *w->ids);
	}
	w->ids[w->n++] = row->case_id;
	return true;
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
	enum idv_err err = text ? outbox_seal(ac.status_callback, text, strlen(text), &sealed, false)
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
	struct outbox_ids w = {0};
	if (idv_store_agent_case_each_drp(o->cs->store, outbox_collect, &w) == IDV_OK)
		for (size_t i = 0; i < w.n; i++)
			outbox_watch_one(o, w.ids[i]);
	free(w.ids);
}

/* ---- the sender ----------------------------------------------------------------------------- */

static size_t
outbox_discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n; /* the agent's answer body is not parsed (DRP 2.03.1) */
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
			4, (const uint8_t *)&((const struct sockaddr_in *)(const void *)&sa->addr)->sin_addr,
			&a);
	else if (sa->family == AF_INET6 && sa->addrlen >= sizeof(struct sockaddr_in6))
		idv_netaddr_from_bytes(
			6, ((const struct sockaddr_in6 *)(const void *)&sa->addr)->sin6_addr.s6_addr,
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
	    const char *body)
{
	CURL *c = curl_easy_init();
	long code = 0;
	struct curl_slist *h = NULL, *pin = NULL;
	char entry[IDV_AGENT_HOST_MAX + 16 + IDV_CALLBACK_ADDRS_MAX * (IDV_NETADDR_TEXT_MAX + 3)];
	if (c == NULL)
		return 0;
	h = curl_slist_append(h, "Content-Type: application/json");
	if (!t->literal) {
		/* "host:port:addr,[v6addr],...": libcurl takes these instead of resolving */
		size_t at = (size_t)snprintf(entry, sizeof entry, "%s:%u:", t->host, (unsigned)t->port);
		for (size_t i = 0; i < t->naddrs && at < sizeof entry; i++) {
			char addr[IDV_NETADDR_TEXT_MAX];
			idv_netaddr_format(&t->addrs[i], addr);
			at += (size_t)snprintf(entry + at, sizeof entry - at,
					       t->addrs[i].family == 6 ? "%s[%s]" : "%s%s",
					       i ? "," : "", addr);
		}
		pin = curl_slist_append(pin, entry);
		curl_easy_setopt(c, CURLOPT_RESOLVE, pin);
	}
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, outbox_open_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, (void *)(uintptr_t)t);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, cfg->allow_http_callbacks ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_USERAGENT, "idverify/" IDV_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, outbox_discard);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_slist_free_all(pin);
	curl_easy_cleanup(c);
	return code;
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
		pthread_mutex_lock(&o->mu);
		bool stop = o->stop;
		pthread_mutex_unlock(&o->mu);
		int64_t now = (int64_t)time(NULL);
		if (stop || idv_store_outbox_next(store, now, &row) != IDV_OK)
			break;
		idv_buf_reset(&plain);
		long code = 0;
		int attempts = row.attempts + 1;
		/* The target again: the directory or what the name resolves to may have changed. */
		struct idv_agent_case_row ac;
		struct idv_callback_target t;
		char why[256];
		idv_agent_case_row_init(&ac);
		const struct idv_agent *agent =
			idv_store_agent_case_get(store, row.case_id, &ac) == IDV_OK
				? idv_agents_find(o->cs->agents, ac.agent_id)
				: NULL;
		idv_agent_case_row_cleanup(&ac);
		enum idv_err cerr = idv_callback_check(cfg, agent, row.url, &t, why, sizeof why);
		if (cerr != IDV_OK && cerr != IDV_E_NOTFOUND) {
			idv_store_outbox_mark(store, row.id, "failed", attempts, now, 0);
			idv_log(IDV_LOG_WARN, "drp.callback_refused", "{s:I,s:I,s:s}", "outbox",
				(json_int_t)row.id, "case_id", (json_int_t)row.case_id, "why", why);
			continue;
		}
		if (cerr == IDV_OK &&
		    outbox_seal(row.url, row.body_sealed.data, row.body_sealed.len, &plain, true) ==
			    IDV_OK)
			code = outbox_post(cfg, &t, row.url, (const char *)plain.data);
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
			int64_t delay = (int64_t)cfg->callback_retry_s << (attempts - 1 < 16 ? attempts - 1 : 16);
			idv_store_outbox_mark(store, row.id, "pending", attempts, now + delay, (int)code);
			idv_log(IDV_LOG_INFO, "drp.callback_retry", "{s:I,s:i,s:i,s:I}", "outbox",
				(json_int_t)row.id, "attempts", attempts, "status", (int)code,
				"retry_in_s", (json_int_t)delay);
		}
	}
	idv_buf_cleanup(&row.body_sealed);
	idv_buf_cleanup_wipe(&plain);
}

static void *
outbox_main(void *arg)
{
	struct idv_outbox *o = arg;
	pthread_mutex_lock(&o->mu);
	while (!o->stop) {
		o->woken = false;
		pthread_mutex_unlock(&o->mu);
		outbox_watch(o);
		outbox_send(o);
		pthread_mutex_lock(&o->mu);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += o->cs->cfg->status_interval_s;
		while (!o->stop && !o->woken && pthread_cond_timedwait(&o->cv, &o->mu, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&o->mu);
	return NULL;
}

enum idv_err
idv_outbox_start(struct idv_cases *cs, const char *public_url, struct idv_outbox **out)
{
	struct idv_outbox *o = idv_calloc(1, sizeof *o);
	o->cs = cs;
	idv_strlcpy(o->public_url, public_url, sizeof o->public_url);
	pthread_mutex_init(&o->mu, NULL);
	pthread_cond_init(&o->cv, NULL);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    pthread_create(&o->thread, NULL, outbox_main, o) != 0) {
		pthread_mutex_destroy(&o->mu);
		pthread_cond_destroy(&o->cv);
		free(o);
		return IDV_E_IO;
	}
	*out = o;
	return IDV_OK;
}

void
idv_outbox_wake(struct idv_outbox *o)
{
	pthread_mutex_lock(&o->mu);
	o->woken = true;
	pthread_cond_broadcast(&o->cv);
	pthread_mutex_unlock(&o->mu);
}

void
idv_outbox_stop(struct idv_outbox *o)
{
	if (o == NULL)
		return;
	pthread_mutex_lock(&o->mu);
	o->stop = true;
	pthread_cond_broadcast(&o->cv);
	pthread_mutex_unlock(&o->mu);
	pthread_join(o->thread, NULL);
	pthread_mutex_destroy(&o->mu);
	pthread_cond_destroy(&o->cv);
	curl_global_cleanup();
	free(o);
}
