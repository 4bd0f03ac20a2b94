/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.c: libmicrohttpd glue (see http.h). Request state is allocated on the first call of the
 * access handler and freed only in the completed callback (STYLE.md 14). Once an answer is
 * known before the body has been read (404, 405, 401, 413, 415), it is queued at once and the
 * rest of the body is not read: libmicrohttpd closes the connection after the answer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "crypto.h"
#include "http.h"
#include "http_resp.h"
#include "keys.h"
#include "idverify/limits.h"
#include "idverify/netaddr.h"
#include "idverify/rate.h"
#include "log.h"
#include "messages.h"
#include "idverify/str.h"

#define HTTP_STATUS_MIN 100
#define HTTP_STATUS_MAX 599
#define HTTP_NBUCKETS 12

/* Latency histogram upper bounds, seconds (Prometheus le labels). */
static const double http_buckets[HTTP_NBUCKETS] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
};

struct http_route_metrics {
	_Atomic uint64_t by_status[HTTP_STATUS_MAX - HTTP_STATUS_MIN + 1];
	_Atomic uint64_t buckets[HTTP_NBUCKETS];
	_Atomic uint64_t count;
	_Atomic uint64_t sum_us;
};

/* Rate limits (rate.h): a token bucket per client address and per credential (API key, agent
 * token, case token), in one fixed table behind a mutex. */
struct rl_table {
	pthread_mutex_t mu;
	struct idv_rate_table tab;
};

struct idv_server {
	struct MHD_Daemon *daemon;
	struct rl_table *rl;
	char *tls_cert, *tls_key; /* PEM, held until the daemon stops */
	size_t tls_key_len;
	const struct idv_config *cfg;
	struct idv_store *store;
	uint8_t admin_hash[32];
	bool have_admin;
	const struct idv_route *routes; /* the table given to idv_server_start (not owned) */
	size_t nroutes;
	idv_case_token_fn case_auth;
	void *case_auth_arg;
	void *app;
	/* nroutes entries, then one for unmatched requests */
	struct http_route_metrics *metrics;
	_Atomic uint64_t in_flight;
	_Atomic int large_bodies;
};

struct idv_http_req {
	struct idv_server *srv;
	struct MHD_Connection *conn;
	const struct idv_route *route;
	int route_index;
	struct idv_route_match match;
	char method[16];
	struct timespec start;
	struct idv_buf body;
	size_t max_body;
	json_t *json;
	unsigned role;
	char actor[IDV_AGENT_ID_MAX + 16];
	char agent[IDV_AGENT_ID_MAX];
	char rl_key[IDV_ROUTE_PARAM_MAX + 16]; /* the credential's bucket name, "" when none */
	bool answered; /* a response is queued; drain and ignore the rest of the body */
	bool refused;  /* the body passed its ceiling: drain it, then answer 413 */
	bool large;    /* counted in srv->large_bodies */
	size_t drained;
	int status;
	char request_id[17];
	struct idv_netaddr client; /* the client: the peer, or who a trusted proxy names */
};

/* ---- request accessors ------------------------------------------------------------------- */

const char *
idv_http_param(const struct idv_http_req *req, const char *name)
{
	return idv_route_param(&req->match, name);
}

const char *
idv_http_header(const struct idv_http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
idv_http_query(const struct idv_http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

json_t *
idv_http_json_body(const struct idv_http_req *req)
{
	return req->json;
}

const uint8_t *
idv_http_body(const struct idv_http_req *req, size_t *len)
{
	*len = req->body.len;
	return req->body.data;
}

struct idv_store *
idv_http_store(const struct idv_http_req *req)
{
	return req->srv->store;
}

const struct idv_config *
idv_http_config(const struct idv_http_req *req)
{
	return req->srv->cfg;
}

void *
idv_http_app(const struct idv_http_req *req)
{
	return req->srv->app;
}

struct idv_server *
idv_http_server(const struct idv_http_req *req)
{
	return req->srv;
}

unsigned
idv_http_role(const struct idv_http_req *req)
{
	return req->role;
}

const char *
idv_http_actor(const struct idv_http_req *req)
{
	return req->actor;
}

const char *
idv_http_agent(const struct idv_http_req *req)
{
	return req->agent;
}

void
idv_http_client_ip(const struct idv_http_req *req, char *out, size_t outsz)
{
	char text[IDV_NETADDR_TEXT_MAX];
	idv_netaddr_format(&req->client, text);
	idv_strlcpy(out, text, outsz);
}

/* Every instance of a request header, in the order received, joined with commas. */
struct http_joined {
	const char *name;
	char buf[4096];
	size_t len;
	bool overflow;
};

static enum MHD_Result
http_join_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct http_joined *j = cls;
	(void)kind;
	if (key == NULL || value == NULL || strcasecmp(key, j->name) != 0)
		return MHD_YES;
	size_t n = strlen(value);
	if (j->len + n + 2 >= sizeof j->buf) {
		j->overflow = true;
		return MHD_NO;
	}
	if (j->len > 0)
		j->buf[j->len++] = ',';
	memcpy(j->buf + j->len, value, n);
	j->len += n;
	j->buf[j->len] = '\0';
	return MHD_YES;
}

/*
 * Who the client is (issue 19, finding 9): the TCP peer, unless the peer is one of the
 * --trusted-proxy addresses; then the header those proxies write (--proxy-header) is read from
 * the right and the first hop that is not a trusted proxy is the client (netaddr.h). Headers
 * from anyone else are ignored, so a client cannot name itself someone else.
 */
static void
http_find_client(struct idv_http_req *req)
{
	const struct idv_config *cfg = req->srv->cfg;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct idv_netaddr peer = {0};
	memset(&req->client, 0, sizeof req->client);
	if (ci == NULL || ci->client_addr == NULL)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		idv_netaddr_from_bytes(
			4,
			(const uint8_t *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			&peer);
	else if (sa->sa_family == AF_INET6)
		idv_netaddr_from_bytes(
			6, ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr,
			&peer);
	req->client = peer;
	if (cfg->ntrusted_proxies == 0 ||
	    !idv_cidr_list_contains(cfg->trusted_proxies, cfg->ntrusted_proxies, &peer))
		return;
	struct http_joined *j = idv_calloc(1, sizeof *j);
	j->name = cfg->forwarded_header == IDV_FWD_FORWARDED ? "Forwarded" : "X-Forwarded-For";
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, http_join_header, j);
	/* An overlong header is not read: the proxy itself is the client then. */
	if (!j->overflow)
		idv_netaddr_client(&peer, cfg->trusted_proxies, cfg->ntrusted_proxies,
				   cfg->forwarded_header, j->len ? j->buf : NULL, j->len,
				   &req->client);
	free(j);
}

/*
 * A problem in the consumer's language: when the request names a language of the catalogues
 * (messages.h; Accept-Language, which browsers and the pages send), the title and detail are
 * the catalogue's problem.TYPE.title and problem.TYPE.detail, written for people; callers that
 * name none (API clients) keep the code's own English, which says more to a developer.
 */
static void
http_problem_language(const struct idv_http_req *req, struct idv_http_resp *resp)
{
	const char *lang = idv_messages_pick(NULL, idv_http_header(req, "Accept-Language"));
	if (lang == NULL || resp->content_type == NULL ||
	    strcmp(resp->content_type, "application/problem+json") != 0)
		return;
	json_error_t e;
	json_t *o = json_loadb((const char *)resp->body.data, resp->body.len, 0, &e);
	const char *type = json_string_value(json_object_get(o, "type"));
	char key[128];
	if (type != NULL && strncmp(type, IDV_PROBLEM_PREFIX, strlen(IDV_PROBLEM_PREFIX)) == 0) {
		const char *slug = type + strlen(IDV_PROBLEM_PREFIX);
		const char *title = idv_fmt(key, sizeof key, "problem.%s.title", slug)
					    ? idv_messages_text(lang, key)
					    : NULL;
		const char *detail = idv_fmt(key, sizeof key, "problem.%s.detail", slug)
					     ? idv_messages_text(lang, key)
					     : NULL;
		char *s = NULL;
		/* "claims.email: not an e-mail address" names the field at fault: that stays,
		 * as "field", for the page to show its own words next to it */
		const char *was = json_string_value(json_object_get(o, "detail"));
		size_t flen = was ? strspn(was, "abcdefghijklmnopqrstuvwxyz_.") : 0;
		if (title != NULL && detail != NULL && flen > 0 && flen < 64 && was[flen] == ':')
			json_object_set_new(o, "field", json_stringn(was, flen));
		if (title != NULL && detail != NULL) {
			json_object_set_new(o, "title", json_string(title));
			json_object_set_new(o, "detail", json_string(detail));
			s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		}
		if (s != NULL) {
			idv_buf_reset(&resp->body);
			idv_buf_append_str(&resp->body, s);
			idv_http_header_add(resp, "Content-Language", lang);
		}
		free(s);
	}
	json_decref(o);
}

/* ---- the access handler ------------------------------------------------------------------ */

static enum MHD_Result
http_queue(struct idv_http_req *req, struct idv_http_resp *resp)
{
	http_problem_language(req, resp);
	size_t len = 0;
	uint8_t *data = idv_buf_steal(&resp->body, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, data ? data : (void *)(uintptr_t) "",
		data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (r == NULL) {
		free(data);
		return MHD_NO;
	}
	if (resp->content_type != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Request-Id", req->request_id);
	bool has_csp = false, has_cache = false;
	for (size_t i = 0; i < resp->nheaders; i++) {
		MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
		if (strcasecmp(resp->headers[i].name, "Content-Security-Policy") == 0)
			has_csp = true;
		if (strcasecmp(resp->headers[i].name, "Cache-Control") == 0)
			has_cache = true;
	}
	if (!has_cache) /* only static files of the pages say otherwise */
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (!has_csp)
		MHD_add_response_header(r, "Content-Security-Policy",
					"default-src 'none'; frame-ancestors 'none'");
	req->status = resp->status;
	req->answered = true;
	enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Answer at once with a problem, before or while the body is read. */
static enum MHD_Result
http_refuse(struct idv_http_req *req, struct idv_http_resp *resp)
{
	enum MHD_Result ret = http_queue(req, resp);
	idv_buf_cleanup(&resp->body);
	return ret;
}

/*
 * The caller's role from "Authorization: Bearer ...": the bootstrap admin key
 * (IDVERIFY_ADMIN_KEY), an API key of a role (keys.h), a credential of the case named by the
 * route's {reference} (its case token, the requester's or an agent's web filing's, or its
 * consumer's session: idv_case_token_fn), or an authorized agent's DRP token. Secrets are compared as SHA-256
 * digests in constant time. Sets the actor (audit.h) and the credential's rate-limit bucket.
 */
/* Name an authenticated caller: actor "<kind>:<who>" for the audit trail, rate-limit bucket
 * "<kind>:<bucket>". A name that does not fit authenticates nobody (0): never a cut name that
 * could be another caller's. */
static unsigned
http_identify(struct idv_http_req *req, unsigned role, const char *kind, const char *who,
	      const char *bucket)
{
	if (idv_fmt(req->actor, sizeof req->actor, "%s:%s", kind, who) &&
	    idv_fmt(req->rl_key, sizeof req->rl_key, "%s:%s", kind, bucket))
		return role;
	req->actor[0] = req->rl_key[0] = '\0';
	req->agent[0] = '\0';
	return 0;
}

static unsigned
http_authenticate(struct idv_http_req *req)
{
	const char *auth = idv_http_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
		return IDV_ROLE_PUBLIC;
	const char *tok = auth + 7;
	size_t toklen = strlen(tok);
	uint8_t h[32];
	char hex[17];
	unsigned role = 0;
	char kid[IDV_KEY_ID_MAX];
	if (toklen == 0 || toklen > 512)
		return 0;
	idv_crypto_sha256(tok, toklen, h);
	if (req->srv->have_admin && idv_ct_equal(h, req->srv->admin_hash, sizeof h)) {
		idv_strlcpy(req->actor, "admin", sizeof req->actor);
		idv_strlcpy(req->rl_key, "admin", sizeof req->rl_key);
		return IDV_ROLE_ADMIN;
	}
	if (idv_keys_check(req->srv->store, tok, &role, kid) == IDV_OK)
		return http_identify(req, role, "key", kid, kid);
	const char *ref = idv_route_param(&req->match, "reference");
	switch (ref != NULL && req->srv->case_auth != NULL
			? req->srv->case_auth(req->srv->case_auth_arg, ref, tok)
			: IDV_CASE_CRED_NONE) {
	case IDV_CASE_CRED_REQUESTER: return http_identify(req, IDV_ROLE_CASE, "case", ref, ref);
	case IDV_CASE_CRED_AGENT: return http_identify(req, IDV_ROLE_CASE, "web-agent", ref, ref);
	case IDV_CASE_CRED_CONSUMER:
		return http_identify(req, IDV_ROLE_CONSUMER, "consumer", ref, ref);
	case IDV_CASE_CRED_NONE: break;
	}
	if (idv_store_agent_token_agent(req->srv->store, h, req->agent, sizeof req->agent) ==
	    IDV_OK) {
		idv_hex(h, 8, hex);
		return http_identify(req, IDV_ROLE_AGENT, "agent", req->agent, hex);
	}
	return 0; /* credentials given but not recognised */
}

/* ---- rate limits ------------------------------------------------------------------------- */

/* Take one token from the bucket named name: 0 when allowed, else the seconds to wait. */
static unsigned
http_rate_take(struct rl_table *t, const char *name, unsigned per_min, unsigned burst)
{
	int64_t now = idv_monotonic_ms();
	pthread_mutex_lock(&t->mu);
	unsigned wait = idv_rate_take(&t->tab, name, per_min, burst, now);
	pthread_mutex_unlock(&t->mu);
	return wait;
}

/* Fill resp with a refusal in the route's error format (problem+json, or DRP's). */
static void __attribute__((format(printf, 6, 7)))
http_refusal(struct idv_http_req *req, struct idv_http_resp *resp, int status, const char *slug,
	     const char *title, const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	idv_vwhy(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (req->route != NULL && (req->route->flags & IDV_ROUTE_DRP) != 0)
		idv_http_drp_error(resp, status, false, "%s", detail);
	else
		idv_http_problem(resp, status, slug, title, "%s", detail);
}

static bool
http_content_type_is(const char *ct, const char *want)
{
	if (ct == NULL)
		return false;
	size_t n = strlen(want);
	return strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/*
 * A state-changing request sent by a browser from another site (defence in depth against
 * cross-site request forgery: the API takes bearer tokens in headers and JSON bodies, which
 * other sites cannot send without a preflight this server never grants). Browsers say where a
 * request comes from in Sec-Fetch-Site, or else in Origin; other clients send neither.
 */
static bool
http_cross_site(const struct idv_http_req *req)
{
	if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0 ||
	    strcmp(req->method, "OPTIONS") == 0)
		return false;
	const char *site = idv_http_header(req, "Sec-Fetch-Site");
	if (site != NULL)
		return strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0;
	const char *origin = idv_http_header(req, "Origin");
	const char *host = idv_http_header(req, MHD_HTTP_HEADER_HOST);
	if (origin == NULL)
		return false;
	const char *sep = strstr(origin, "://");
	return host == NULL || sep == NULL || strcasecmp(sep + 3, host) != 0;
}

/* Checks that need only the request line and headers. Returns false with resp filled. */
static bool
http_precheck(struct idv_http_req *req, const char *url, struct idv_http_resp *resp)
{
	size_t urllen = strlen(url);
	if (!idv_route_match(req->srv->routes, req->srv->nroutes, sizeof req->srv->routes[0],
			     req->method, url, urllen, &req->match)) {
		if (req->match.path_known) {
			idv_http_problem(resp, 405, "method-not-allowed", "Method not allowed",
					 "%s is not allowed here; allowed: %s", req->method,
					 req->match.allow);
			idv_http_header_add(resp, "Allow", req->match.allow);
		} else {
			idv_http_problem(resp, 404, "not-found", "Not found", "no such resource");
		}
		return false;
	}
	req->route_index = req->match.index;
	req->route = &req->srv->routes[req->match.index];
	if (http_cross_site(req)) {
		http_refusal(req, resp, 403, "cross-site", "Cross-site request refused",
			     "state-changing requests from another site's pages are refused");
		return false;
	}
	const struct idv_config *cfg = req->srv->cfg;
	char bucket[IDV_NETADDR_TEXT_MAX + 8];
	unsigned wait = 0;
	if ((req->route->flags & IDV_ROUTE_UNLIMITED) == 0) {
		/* one bucket per IPv4 address, per IPv6 /64 (netaddr.h) */
		idv_netaddr_rate_key(&req->client, bucket, sizeof bucket);
		wait = http_rate_take(req->srv->rl, bucket, cfg->rate_ip_per_min,
				      cfg->rate_ip_burst);
	}
	if (wait == 0)
		req->role = http_authenticate(req);
	if (wait == 0 && req->rl_key[0] != '\0' && (req->route->flags & IDV_ROUTE_UNLIMITED) == 0)
		wait = http_rate_take(req->srv->rl, req->rl_key, cfg->rate_key_per_min,
				      cfg->rate_key_burst);
	if (wait > 0) {
		http_refusal(req, resp, 429, "rate-limited", "Too many requests",
			     "too many requests; try again in %u seconds", wait);
		idv_http_header_fmt(resp, "Retry-After", "%u", wait);
		return false;
	}
	if ((req->route->roles & IDV_ROLE_PUBLIC) == 0) {
		if (req->role == IDV_ROLE_PUBLIC || req->role == 0) {
			http_refusal(req, resp, 401, "unauthorized", "Unauthorized",
				     "this resource needs credentials (Authorization: Bearer)");
			idv_http_header_add(resp, "WWW-Authenticate", "Bearer");
			return false;
		}
		if ((req->route->roles & req->role) == 0) {
			http_refusal(req, resp, 403, "forbidden", "Forbidden",
				     "these credentials do not give access to this resource");
			return false;
		}
	}
	req->max_body = req->route->max_body ? req->route->max_body : req->srv->cfg->max_json_body;
	if (req->route->body == IDV_BODY_NONE)
		req->max_body = 0;
	if (req->max_body > IDV_HTTP_LARGE_BODY) {
		if (atomic_fetch_add(&req->srv->large_bodies, 1) >= IDV_HTTP_MAX_LARGE_BODIES) {
			atomic_fetch_sub(&req->srv->large_bodies, 1);
			http_refusal(req, resp, 503, "busy", "Service busy",
				     "too many uploads in progress; try again shortly");
			idv_http_header_add(resp, "Retry-After", "2");
			return false;
		}
		req->large = true;
	}
	idv_buf_init(&req->body, req->max_body);
	const char *cl = idv_http_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	uint64_t declared = 0;
	if (cl != NULL && idv_parse_u64z(cl, UINT64_MAX, &declared) == IDV_OK &&
	    declared > req->max_body) {
		http_refusal(req, resp, 413, "too-large", "Content too large",
			     "the body (%llu bytes) is over this resource's limit of %zu bytes",
			     (unsigned long long)declared, req->max_body);
		return false;
	}
	/* A chunked body declares no length: its type is checked all the same (and again
	 * once it has arrived, http_run). */
	bool has_body = declared > 0 ||
			(cl == NULL &&
			 idv_http_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL);
	if ((req->route->body == IDV_BODY_JSON || req->route->body == IDV_BODY_JSON_OPT) &&
	    has_body &&
	    !http_content_type_is(idv_http_header(req, MHD_HTTP_HEADER_CONTENT_TYPE),
				  "application/json")) {
		http_refusal(req, resp, 415, "unsupported-media-type", "Unsupported media type",
			     "this resource takes application/json");
		return false;
	}
	return true;
}

static void
http_run(struct idv_http_req *req, struct idv_http_resp *resp)
{
	if (req->route->body == IDV_BODY_JSON ||
	    (req->route->body == IDV_BODY_JSON_OPT && req->body.len > 0)) {
		json_error_t jerr;
		if (req->body.len == 0) {
			idv_http_problem(resp, 400, "malformed", "Malformed request",
					 "a JSON body is required");
			return;
		}
		if (!http_content_type_is(idv_http_header(req, MHD_HTTP_HEADER_CONTENT_TYPE),
					  "application/json")) {
			http_refusal(req, resp, 415, "unsupported-media-type",
				     "Unsupported media type",
				     "this resource takes application/json");
			return;
		}
		req->json = json_loadb((const char *)req->body.data, req->body.len,
				       JSON_REJECT_DUPLICATES, &jerr);
		if (req->json == NULL) {
			idv_http_problem(resp, 400, "malformed", "Malformed request",
					 "malformed JSON at line %d, column %d: %s", jerr.line,
					 jerr.column, jerr.text);
			return;
		}
		if (!json_is_object(req->json)) {
			idv_http_problem(resp, 400, "malformed", "Malformed request",
					 "the JSON body must be an object");
			return;
		}
	}
	req->route->fn(req, resp);
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	    const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	struct idv_server *srv = cls;
	struct idv_http_req *req = *req_cls;
	struct idv_http_resp resp;
	(void)version;

	if (req == NULL) {
		req = idv_calloc(1, sizeof *req);
		*req_cls = req;
		req->srv = srv;
		req->conn = conn;
		req->route_index = -1;
		clock_gettime(CLOCK_MONOTONIC, &req->start);
		idv_strlcpy(req->method, method, sizeof req->method);
		uint8_t rnd[8];
		if (idv_crypto_random(rnd, sizeof rnd) != IDV_OK)
			memset(rnd, 0, sizeof rnd);
		idv_hex(rnd, sizeof rnd, req->request_id);
		atomic_fetch_add(&srv->in_flight, 1);
		http_find_client(req);
		idv_http_resp_init(&resp);
		if (!http_precheck(req, url, &resp))
			return http_refuse(req, &resp);
		idv_buf_cleanup(&resp.body);
		return MHD_YES;
	}
	if (req->answered) {
		*upload_data_size = 0; /* answer known: skip the rest of the upload */
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (req->refused) {
			/*
			 * libmicrohttpd 0.9.75 cannot send an answer in the middle of a body it is
			 * still receiving (only before the first byte, which is where a declared
			 * Content-Length over the ceiling is refused). A chunked body is drained up
			 * to its ceiling once more, then the connection is dropped.
			 */
			req->drained += n;
			return req->drained > req->max_body + 65536 ? MHD_NO : MHD_YES;
		}
		if (idv_buf_append(&req->body, upload_data, n) != IDV_OK) {
			req->refused = true;
			req->drained = n;
		}
		return MHD_YES;
	}
	idv_http_resp_init(&resp);
	if (req->refused) {
		if (req->max_body == 0)
			http_refusal(req, &resp, 400, "malformed", "Malformed request",
				     "this resource takes no body");
		else
			http_refusal(req, &resp, 413, "too-large", "Content too large",
				     "the body is over this resource's limit of %zu bytes",
				     req->max_body);
	} else {
		http_run(req, &resp);
	}
	enum MHD_Result ret = http_queue(req, &resp);
	idv_buf_cleanup(&resp.body);
	return ret;
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
	       enum MHD_RequestTerminationCode toe)
{
	struct idv_server *srv = cls;
	struct idv_http_req *req = *req_cls;
	(void)conn;
	if (req == NULL)
		return;
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double secs = (double)(end.tv_sec - req->start.tv_sec) +
		      (double)(end.tv_nsec - req->start.tv_nsec) / 1e9;
	int idx = req->route_index >= 0 ? req->route_index : (int)req->srv->nroutes;
	struct http_route_metrics *m = &srv->metrics[idx];
	int status = req->status ? req->status : 499; /* 499: the client went away first */
	if (status >= HTTP_STATUS_MIN && status <= HTTP_STATUS_MAX)
		atomic_fetch_add(&m->by_status[status - HTTP_STATUS_MIN], 1);
	for (int b = 0; b < HTTP_NBUCKETS; b++)
		if (secs <= http_buckets[b])
			atomic_fetch_add(&m->buckets[b], 1);
	atomic_fetch_add(&m->count, 1);
	atomic_fetch_add(&m->sum_us, (uint64_t)(secs * 1e6));
	idv_log(IDV_LOG_INFO, "http.request", "{s:s,s:s,s:s,s:i,s:I,s:b}", "request_id",
		req->request_id, "method", req->method, "route",
		req->route ? req->route->p.pattern : "(unmatched)", "status", status, "us",
		(json_int_t)(secs * 1e6), "completed", toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	json_decref(req->json);
	idv_buf_cleanup_wipe(&req->body);
	if (req->large)
		atomic_fetch_sub(&srv->large_bodies, 1);
	free(req);
	*req_cls = NULL;
	atomic_fetch_sub(&srv->in_flight, 1);
}

static void
http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	(void)cls;
	idv_vwhy(msg, sizeof msg, fmt, ap);
	size_t len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	idv_log(IDV_LOG_WARN, "http.mhd", "{s:s}", "message", msg);
}

/* ---- metrics ----------------------------------------------------------------------------- */

void
idv_server_metrics(struct idv_server *srv, struct idv_buf *out)
{
	idv_buf_append_str(out, "# HELP idverify_http_requests_total HTTP requests by route and "
				"status.\n# TYPE idverify_http_requests_total counter\n");
	for (size_t i = 0; i <= srv->nroutes; i++) {
		const char *route = i < srv->nroutes ? srv->routes[i].p.pattern : "(unmatched)";
		const char *method = i < srv->nroutes ? srv->routes[i].p.method : "";
		for (int s = HTTP_STATUS_MIN; s <= HTTP_STATUS_MAX; s++) {
			uint64_t v = atomic_load(&srv->metrics[i].by_status[s - HTTP_STATUS_MIN]);
			if (v > 0)
				idv_buf_printf(
					out,
					"idverify_http_requests_total{method=\"%s\",route=\"%s\","
					"status=\"%d\"} %llu\n",
					method, route, s, (unsigned long long)v);
		}
	}
	idv_buf_append_str(out,
			   "# HELP idverify_http_request_duration_seconds HTTP request "
			   "latency.\n# TYPE idverify_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= srv->nroutes; i++) {
		struct http_route_metrics *m = &srv->metrics[i];
		uint64_t count = atomic_load(&m->count);
		if (count == 0)
			continue;
		const char *route = i < srv->nroutes ? srv->routes[i].p.pattern : "(unmatched)";
		const char *method = i < srv->nroutes ? srv->routes[i].p.method : "";
		for (int b = 0; b < HTTP_NBUCKETS; b++)
			idv_buf_printf(
				out,
				"idverify_http_request_duration_seconds_bucket{method=\"%s\","
				"route=\"%s\",le=\"%g\"} %llu\n",
				method, route, http_buckets[b],
				(unsigned long long)atomic_load(&m->buckets[b]));
		idv_buf_printf(out,
			       "idverify_http_request_duration_seconds_bucket{method=\"%s\","
			       "route=\"%s\",le=\"+Inf\"} %llu\n",
			       method, route, (unsigned long long)count);
		idv_buf_printf(
			out,
			"idverify_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"}"
			" %.6f\n",
			method, route, (double)atomic_load(&m->sum_us) / 1e6);
		idv_buf_printf(out,
			       "idverify_http_request_duration_seconds_count{method=\"%s\","
			       "route=\"%s\"} %llu\n",
			       method, route, (unsigned long long)count);
	}
	idv_buf_printf(out,
		       "# HELP idverify_http_in_flight Requests being served.\n"
		       "# TYPE idverify_http_in_flight gauge\nidverify_http_in_flight %llu\n",
		       (unsigned long long)atomic_load(&srv->in_flight));
}

/* ---- start and stop ---------------------------------------------------------------------- */

static bool
http_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return false;
}

/* Read a whole PEM file (at most 1 MiB) into a NUL-terminated heap buffer. */
static char *
http_read_pem(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 1u << 20, n = 0;
	char *buf = idv_malloc(cap + 1);
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == cap)
			break;
	}
	close(fd);
	if (n == 0 || n == cap) {
		idv_wipe(buf, n);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static enum idv_err
http_tls_load(struct idv_server *srv, const struct idv_config *cfg, char *why, size_t whysz)
{
	size_t len = 0;
	if (cfg->tls_cert[0] == '\0' || cfg->tls_key[0] == '\0') {
		idv_why(why, whysz, "HTTPS needs both --tls-cert and --tls-key");
		return IDV_E_INVAL;
	}
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		idv_why(why, whysz, "this libmicrohttpd was built without TLS support");
		return IDV_E_UNSUPPORTED;
	}
	if ((srv->tls_cert = http_read_pem(cfg->tls_cert, &len)) == NULL ||
	    strstr(srv->tls_cert, "-----BEGIN CERTIFICATE-----") == NULL) {
		idv_why(why, whysz, "cannot read a PEM certificate from %s", cfg->tls_cert);
		return IDV_E_IO;
	}
	if ((srv->tls_key = http_read_pem(cfg->tls_key, &srv->tls_key_len)) == NULL ||
	    strstr(srv->tls_key, "PRIVATE KEY-----") == NULL) {
		idv_why(why, whysz, "cannot read a PEM private key from %s", cfg->tls_key);
		return IDV_E_IO;
	}
	return IDV_OK;
}

static void
http_server_free(struct idv_server *srv)
{
	idv_wipe(srv->admin_hash, sizeof srv->admin_hash);
	if (srv->tls_key != NULL)
		idv_wipe(srv->tls_key, srv->tls_key_len);
	free(srv->tls_key);
	free(srv->tls_cert);
	if (srv->rl != NULL)
		pthread_mutex_destroy(&srv->rl->mu);
	free(srv->rl);
	free(srv->metrics);
	free(srv);
}

enum idv_err
idv_server_start(const struct idv_config *cfg, struct idv_store *store,
		 const struct idv_server_opts *opts, struct idv_server **out, char *why,
		 size_t whysz)
{
	struct addrinfo hints = {0}, *ai = NULL;
	char port[8];
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (IDV_NEVER(!idv_fmt(port, sizeof port, "%u", (unsigned)cfg->listen_port))) {
		idv_why(why, whysz, "bad listen port");
		return IDV_E_INVAL;
	}
	int rc = getaddrinfo(cfg->listen_host, port, &hints, &ai);
	if (rc != 0 || ai == NULL) {
		idv_why(why, whysz, "cannot resolve listen address %s: %s", cfg->listen_host,
			gai_strerror(rc));
		return IDV_E_INVAL;
	}
	bool loopback = http_is_loopback(ai->ai_addr);
	bool tls = cfg->tls_cert[0] != '\0' || cfg->tls_key[0] != '\0';
	if (!tls && !loopback && !cfg->allow_plain_http) {
		idv_why(why, whysz,
			"refusing plain HTTP on %s, which is not a loopback address: give "
			"--tls-cert and --tls-key, or --allow-plain-http behind a TLS proxy",
			cfg->listen_host);
		freeaddrinfo(ai);
		return IDV_E_INVAL;
	}
	struct idv_server *srv = idv_calloc(1, sizeof *srv);
	srv->cfg = cfg;
	srv->store = store;
	srv->routes = opts->routes;
	srv->nroutes = opts->nroutes;
	srv->case_auth = opts->case_auth;
	srv->case_auth_arg = opts->case_auth_arg;
	srv->app = opts->app;
	srv->metrics = idv_calloc(srv->nroutes + 1, sizeof *srv->metrics);
	srv->rl = idv_calloc(1, sizeof *srv->rl);
	pthread_mutex_init(&srv->rl->mu, NULL);
	if (tls && http_tls_load(srv, cfg, why, whysz) != IDV_OK) {
		freeaddrinfo(ai);
		http_server_free(srv);
		return IDV_E_INVAL;
	}
	if (cfg->admin_key[0] != '\0') {
		idv_crypto_sha256(cfg->admin_key, strlen(cfg->admin_key), srv->admin_hash);
		srv->have_admin = true;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (tls)
		flags |= MHD_USE_TLS;
	/* The certificate and key (in memory; GnuTLS inside libmicrohttpd) when TLS is on. */
	struct MHD_OptionItem tls_opts[3] = {{MHD_OPTION_END, 0, NULL}};
	if (tls) {
		tls_opts[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, srv->tls_cert};
		tls_opts[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, srv->tls_key};
		tls_opts[2] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	}
	srv->daemon = MHD_start_daemon(
		flags, cfg->listen_port, NULL, NULL, http_access, srv, MHD_OPTION_ARRAY, tls_opts,
		MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, srv, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->http_threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->conn_timeout_s,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->conn_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)cfg->conn_per_ip,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory, MHD_OPTION_NOTIFY_COMPLETED,
		http_completed, srv, MHD_OPTION_END);
	freeaddrinfo(ai);
	if (srv->daemon == NULL) {
		idv_why(why, whysz,
			tls ? "cannot listen on %s:%u (address in use or not available, or the "
			      "TLS certificate and key were refused)"
			    : "cannot listen on %s:%u (address in use or not available)",
			cfg->listen_host, (unsigned)cfg->listen_port);
		http_server_free(srv);
		return IDV_E_IO;
	}
	*out = srv;
	return IDV_OK;
}

void
idv_server_stop(struct idv_server *srv, unsigned grace_s)
{
	if (srv == NULL)
		return;
	MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		/* Requests, not connections: idle keep-alive connections need no grace. */
		uint64_t busy = atomic_load(&srv->in_flight);
		if (busy == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)grace_s) {
			idv_log(IDV_LOG_WARN, "server.grace_expired", "{s:i}", "requests",
				(int)busy);
			break;
		}
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(srv->daemon);
	http_server_free(srv);
}
