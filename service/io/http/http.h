/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.h: the HTTP server (libmicrohttpd underneath) as handlers see it.
 *
 * A route table (given to idv_server_start; the service's is service/io/api/routes.c) lists every route with its method, pattern, handler,
 * accepted roles, body ceiling and body kind. The server matches the route, answers 404/405,
 * checks credentials (401/403), the declared Content-Length against the ceiling (413, without
 * reading the body), the content type (415), streams the body into a capped buffer (413 as soon
 * as it passes the ceiling), parses JSON bodies (400 naming the problem) and only then calls the
 * handler. Handlers fill a response; errors are RFC 9457 problem+json with stable types.
 * Handlers run on the HTTP threads and must not block: slow work goes to workers.
 */
#ifndef IDVERIFY_HTTP_H
#define IDVERIFY_HTTP_H

#include <jansson.h>
#include <stdarg.h>

#include "idverify/buf.h"
#include "config.h"
#include "idverify/route.h"
#include "keys.h"
#include "store.h"

enum idv_body_kind {
	IDV_BODY_NONE = 0, /* no body expected (a non-empty one is refused) */
	IDV_BODY_JSON,     /* application/json, parsed before the handler runs */
	IDV_BODY_JSON_OPT, /* like JSON, but an empty body is allowed (idv_http_json_body NULL) */
	IDV_BODY_RAW,      /* bytes as sent, any content type */
};

struct idv_server;
struct idv_http_req;

#define IDV_HTTP_MAX_HEADERS 8

struct idv_http_resp {
	int status;
	const char *content_type;
	struct idv_buf body;
	size_t nheaders;
	struct {
		char name[32];
		char value[256];
	} headers[IDV_HTTP_MAX_HEADERS];
};

typedef void (*idv_handler_fn)(struct idv_http_req *req, struct idv_http_resp *resp);

/* Route flags. */
#define IDV_ROUTE_DRP 1u       /* errors answered as DRP errors {"code","message","fatal"} */
#define IDV_ROUTE_UNLIMITED 2u /* not rate-limited (operators' probes) */

struct idv_route {
	struct idv_route_pattern p; /* first member: idv_route_match reads it */
	idv_handler_fn fn;
	unsigned roles;
	enum idv_body_kind body;
	size_t max_body; /* 0 = the configured JSON body ceiling */
	const char *summary;
	unsigned flags;  /* IDV_ROUTE_* */
};

/*
 * Request accessors for handlers. req is the server's, valid only during the handler call;
 * every pointer returned is borrowed from it (or from the server) and must not be freed or
 * kept past the call: copy what is needed later. None of them fails or returns NULL unless
 * said so.
 */
/* A route parameter ("{reference}"), already matched against the route; NULL when the route
 * has no parameter of that name. */
const char *idv_http_param(const struct idv_http_req *req, const char *name);
/* A request header (name case-insensitive) or a query argument; NULL when absent. Values are
 * as sent: untrusted. */
const char *idv_http_header(const struct idv_http_req *req, const char *name);
const char *idv_http_query(const struct idv_http_req *req, const char *name);
/* The parsed body of an IDV_BODY_JSON(_OPT) route; NULL for other routes and for an empty
 * optional body. Borrowed: json_incref it to keep it. */
json_t *idv_http_json_body(const struct idv_http_req *req);
/* The body as received (at most the route's ceiling), with its length in *len (0 when there
 * is none; the pointer may then be NULL). Not NUL-terminated. */
const uint8_t *idv_http_body(const struct idv_http_req *req, size_t *len);
/* What the server was started with (idv_server_start), shared by every request. */
struct idv_store *idv_http_store(const struct idv_http_req *req);
const struct idv_config *idv_http_config(const struct idv_http_req *req);
struct idv_server *idv_http_server(const struct idv_http_req *req);
/* The application context given in idv_server_opts.app (the handlers' shared state); NULL
 * when none was given. */
void *idv_http_app(const struct idv_http_req *req);
/* The caller's role bit (IDV_ROLE_*), one of the route's roles: the server has checked it. */
unsigned idv_http_role(const struct idv_http_req *req);
/* Who the caller is, for the audit trail (audit.h): "admin" (the bootstrap key), "key:<id>",
 * "case:<reference>", "web-agent:<reference>", "consumer:<reference>", "agent:<id>"; "" for
 * an anonymous caller. Never NULL. */
const char *idv_http_actor(const struct idv_http_req *req);
/* The agent id of an IDV_ROLE_AGENT caller, or "". Never NULL. */
const char *idv_http_agent(const struct idv_http_req *req);
/* The client's address as text ("127.0.0.1", "::1") into out (outsz >= 46 holds any); ""
 * when it cannot be told: the TCP peer, or, when the peer is a --trusted-proxy, the client its
 * forwarded header names (the rightmost hop that is not a trusted proxy). Rate limits count
 * per such address, IPv6 ones per /64. */
void idv_http_client_ip(const struct idv_http_req *req, char *out, size_t outsz);

/* What a bearer token is to the case named by the route's {reference} (idv_case_token_fn). */
enum idv_case_cred {
	IDV_CASE_CRED_NONE = 0,  /* not a credential of this case */
	IDV_CASE_CRED_REQUESTER, /* the case token of a consumer's own request: role case,
				  * actor "case:<reference>" */
	IDV_CASE_CRED_AGENT,     /* the case token of a request an authorized agent filed through
				  * POST /v1/requests: role case, actor "web-agent:<reference>" */
	IDV_CASE_CRED_CONSUMER,  /* the consumer's own session on an agent's request (exchanged
				  * for the code sent to the contact on file): role consumer,
				  * actor "consumer:<reference>" */
};

/* Called to recognise a bearer token that is not the admin key or an API key, on routes with
 * a {reference} parameter: what the token is to that case. */
typedef enum idv_case_cred (*idv_case_token_fn)(void *arg, const char *reference,
						const char *token);

/* What a server serves. Everything pointed to must outlive the server. */
struct idv_server_opts {
	const struct idv_route *routes; /* matched in order */
	size_t nroutes;
	idv_case_token_fn case_auth;    /* NULL: no route accepts case tokens */
	void *case_auth_arg;
	void *app;                      /* handed to handlers by idv_http_app */
};

/* Large bodies held in memory at once (uploads); more get 503 with Retry-After. */
#define IDV_HTTP_MAX_LARGE_BODIES 8
#define IDV_HTTP_LARGE_BODY (1024u * 1024u)

/*
 * Response builders, on the resp the handler was given (owned by the server, sent after the
 * handler returns; the last builder called wins). idv_http_json steals obj (a NULL obj, or
 * one too large to send, becomes a 500 problem). Texts are copied.
 */
void idv_http_json(struct idv_http_resp *resp, int status, json_t *obj);
void idv_http_text(struct idv_http_resp *resp, int status, const char *content_type,
		   const char *text, size_t len);
/*
 * Add a response header; the value is copied. A header that does not fit (more than
 * IDV_HTTP_MAX_HEADERS, a name over 31 bytes, a value over 255) is left out, logged, and
 * false is returned: never sent cut short. idv_http_header_fmt formats the value.
 */
bool idv_http_header_add(struct idv_http_resp *resp, const char *name, const char *value);
bool idv_http_header_fmt(struct idv_http_resp *resp, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A problem: slug is appended to IDV_PROBLEM_PREFIX ("not-found", "malformed", ...). */
void idv_http_problem(struct idv_http_resp *resp, int status, const char *slug, const char *title,
		      const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));
/* A DRP error (DRP.md): {"code": "<status>", "message": ..., "fatal": ...}, application/json. */
void idv_http_drp_error(struct idv_http_resp *resp, int status, bool fatal, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The problem of an error code (err.h), with a detail. */
void idv_http_problem_err(struct idv_http_resp *resp, enum idv_err err, const char *detail_fmt,
			  ...) __attribute__((format(printf, 3, 4)));

/* Start listening; returns once the daemon runs. IDV_E_INVAL with why filled when the address
 * cannot be used or the TLS files are bad. */
enum idv_err idv_server_start(const struct idv_config *cfg, struct idv_store *store,
			      const struct idv_server_opts *opts, struct idv_server **out,
			      char *why, size_t whysz);
/* Stop accepting, wait up to grace_s for in-flight requests, then stop. */
void idv_server_stop(struct idv_server *srv, unsigned grace_s);
/* Prometheus text exposition of the server's metrics into out. */
void idv_server_metrics(struct idv_server *srv, struct idv_buf *out);

#endif
