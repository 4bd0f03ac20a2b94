/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_openapi.c: GET /openapi.json, an OpenAPI 3.1 document generated from the route table
 * (routes.c): every route's path, parameters, roles (as bearer security schemes), request
 * body and answers. What a route answers on success is described in route_docs below, next to
 * the table; a route without its entry is marked "x-idverify-undocumented" and fails
 * tests/api/test_openapi.py, as does a document that misses a route.
 */
#include "api.h"

/* The problem types (RFC 9457 "type") the service answers with, without the prefix. */
static const char *const problem_types[] = {
	"busy",		"checksum",	    "claim-needed",    "claimed",
	"code-exhausted", "code-expired",   "code-limit",      "code-wait",
	"code-wrong",
	"confirmation-needed", "conflict",   "cross-site",      "extension-refused",
	"forbidden",	"internal",	    "invalid",	       "invalid-records",
	"invalid-state", "malformed",	    "method-not-allowed", "not-found",
	"not-ready",	"not-verified",	    "purpose-required", "queue-full",
	"rate-limited", "replayed",	    "second-reviewer-needed", "too-large",
	"unauthorized", "unavailable",	    "unreadable",      "unsupported-format",
	"unsupported-media-type",
};

#define OBJ "{\"type\":\"object\"}"
#define CASE_VIEW                                                                               \
	"{\"type\":\"object\",\"required\":[\"reference\",\"status\"],\"properties\":{"             \
	"\"reference\":{\"type\":\"string\"},\"status\":{\"type\":\"string\"},"                     \
	"\"outcome\":{\"type\":[\"object\",\"null\"]}}}"
#define DRP_STATUS                                                                              \
	"{\"type\":\"object\",\"required\":[\"request_id\",\"status\"],\"properties\":{"            \
	"\"request_id\":{\"type\":\"string\"},\"status\":{\"enum\":[\"open\",\"in_progress\","     \
	"\"fulfilled\",\"revoked\",\"denied\",\"expired\"]},\"reason\":{\"type\":\"string\"}}}"
#define HTML "text/html"
#define TEXT "text/plain"
#define NO_BODY "" /* an answer without content (304, DRP's bare 403) */

/* What a route answers on success (and the few answers of another shape than a problem):
 * status, media type (NULL: JSON; NO_BODY: none), and a JSON Schema for JSON. A route may
 * have several rows; two of one status are one answer in two media types. */
static const struct {
	const char *method, *pattern;
	int status;
	const char *media, *schema;
} route_docs[] = {
	{"GET", "/healthz", 200, NULL,
	 "{\"type\":\"object\",\"required\":[\"status\"],\"properties\":{\"status\":{\"const\":"
	 "\"ok\"}}}"},
	{"GET", "/readyz", 200, NULL,
	 "{\"type\":\"object\",\"required\":[\"status\",\"schema_version\"],\"properties\":{"
	 "\"status\":{\"const\":\"ready\"},\"schema_version\":{\"type\":\"integer\"}}}"},
	{"GET", "/metrics", 200, TEXT, NULL},
	{"GET", "/openapi.json", 200, NULL,
	 "{\"type\":\"object\",\"required\":[\"openapi\",\"paths\"]}"},
	{"POST", "/v1/records", 200, NULL, OBJ},
	{"POST", "/v1/requests", 201, NULL,
	 "{\"type\":\"object\",\"required\":[\"reference\",\"token\",\"status\",\"acknowledge_by\","
	 "\"respond_by\"],\"properties\":{\"reference\":{\"type\":\"string\"},\"token\":{\"type\":"
	 "\"string\",\"pattern\":\"^[0-9a-f]{64}$\"},\"status\":{\"type\":\"string\"},"
	 "\"acknowledge_by\":{\"type\":\"string\",\"format\":\"date\"},\"respond_by\":{\"type\":"
	 "\"string\",\"format\":\"date\"}}}"},
	{"GET", "/v1/requests/{reference}", 200, NULL, CASE_VIEW},
	{"POST", "/v1/requests/{reference}/documents", 202, NULL, OBJ},
	{"POST", "/v1/requests/{reference}/declaration", 200, NULL, OBJ},
	{"POST", "/v1/requests/{reference}/confirm", 200, NULL, CASE_VIEW},
	{"POST", "/v1/requests/{reference}/withdraw", 200, NULL, CASE_VIEW},
	{"POST", "/v1/requests/{reference}/extend", 200, NULL, CASE_VIEW},
	{"POST", "/v1/requests/{reference}/close", 200, NULL, OBJ},
	{"POST", "/v1/requests/{reference}/code", 202, NULL,
	 "{\"type\":\"object\",\"required\":[\"channel\",\"sent_to\",\"message\","
	 "\"expires_in_s\",\"resend_after_s\",\"sends_left\"]}"},
	{"POST", "/v1/requests/{reference}/code/verify", 200, NULL, CASE_VIEW},
	{"POST", "/v1/requests/{reference}/agent-confirmation", 200, NULL, CASE_VIEW},
	{"POST", "/v1/requests/{reference}/agent-refusal", 200, NULL, CASE_VIEW},
	{"POST", "/v1/requests/{reference}/consumer-code", 202, NULL,
	 "{\"type\":\"object\",\"required\":[\"message\",\"expires_in_s\",\"resend_after_s\","
	 "\"sends_left\"]}"},
	{"POST", "/v1/requests/{reference}/consumer-session", 201, NULL,
	 "{\"type\":\"object\",\"required\":[\"reference\",\"token\"],\"properties\":{"
	 "\"reference\":{\"type\":\"string\"},\"token\":{\"type\":\"string\",\"pattern\":"
	 "\"^[0-9a-f]{64}$\"}}}"},
	{"POST", "/v1/requests/{reference}/details", 200, NULL, CASE_VIEW},
	{"GET", "/v1/declaration-statement", 200, NULL,
	 "{\"type\":\"object\",\"required\":[\"version\",\"text\"]}"},
	{"GET", "/v1/request-records", 200, NULL, OBJ},
	{"GET", "/v1/request-records", 200, "text/csv", NULL},
	{"GET", "/", 200, HTML, NULL},
	{"GET", "/requests/{reference}", 200, HTML, NULL},
	{"GET", "/requests/{reference}/agent", 200, HTML, NULL},
	{"GET", "/review", 200, HTML, NULL},
	{"GET", "/static/{name}", 200, "*/*", NULL},
	{"GET", "/static/{name}", 304, NO_BODY, NULL},
	{"GET", "/v1/intake", 200, NULL, OBJ},
	{"GET", "/v1/request-records/metrics", 200, NULL, OBJ},
	{"GET", "/v1/messages", 200, NULL,
	 "{\"type\":\"object\",\"required\":[\"language\",\"languages\",\"messages\"],"
	 "\"properties\":{\"language\":{\"type\":\"string\"},\"languages\":{\"type\":"
	 "\"array\",\"items\":{\"type\":\"object\",\"required\":[\"code\",\"name\"]}},"
	 "\"messages\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}}}"},
	{"POST", "/v1/agent/{agent-id}", 200, NULL,
	 "{\"type\":\"object\",\"required\":[\"agent-id\",\"token\"]}"},
	{"POST", "/v1/agent/{agent-id}", 403, NO_BODY, NULL}, /* DRP 2.05: no body */
	{"GET", "/v1/agent/{agent-id}", 200, NULL, OBJ},
	{"POST", "/v1/data-rights-request", 200, NULL, DRP_STATUS},
	{"POST", "/v1/data-rights-request/", 200, NULL, DRP_STATUS},
	{"GET", "/v1/data-rights-request/{request_id}", 200, NULL, DRP_STATUS},
	{"DELETE", "/v1/data-rights-request/{request_id}", 200, NULL, DRP_STATUS},
	{"POST", "/v1/platforms/fides/pre-approval", 200, NULL,
	 "{\"type\":\"object\",\"required\":[\"reference\",\"verification_url\"],\"properties\":{"
	 "\"verification_url\":{\"type\":\"string\"}}}"},
	{"POST", "/v1/platforms/transcend/preflight", 200, NULL,
	 "{\"type\":\"object\",\"anyOf\":[{\"required\":[\"status\"],\"properties\":{\"status\":"
	 "{\"enum\":[\"CANCELED\",\"ON_HOLD\"]}}},{\"required\":[\"reference\","
	 "\"verification_url\"]}]}"},
	{"POST", "/v1/platforms/ketch/dsr", 200, NULL,
	 "{\"type\":\"object\",\"required\":[\"apiVersion\",\"kind\",\"metadata\",\"response\"],"
	 "\"properties\":{\"apiVersion\":{\"const\":\"dsr/v1\"},\"response\":{\"type\":\"object\","
	 "\"required\":[\"status\"],\"properties\":{\"status\":{\"enum\":[\"pending\","
	 "\"in_progress\",\"completed\"]}}}}}"},
	{"GET", "/v1/reviews", 200, NULL, OBJ},
	{"POST", "/v1/reviews/{reference}/claim", 200, NULL, OBJ},
	{"GET", "/v1/reviews/{reference}", 200, NULL, OBJ},
	{"POST", "/v1/reviews/{reference}/reveal", 200, NULL, OBJ},
	{"GET", "/v1/reviews/{reference}/documents/{doc}/image", 200, "*/*", NULL},
	{"POST", "/v1/reviews/{reference}/decision", 200, NULL, OBJ},
	{"POST", "/v1/reviews/{reference}/decision", 202, NULL, OBJ}, /* the first of two */
};

static json_t *
openapi_json(const char *text)
{
	json_error_t e;
	return json_loads(text, 0, &e);
}

static json_t *
openapi_security(unsigned roles)
{
	json_t *sec = json_array();
	for (unsigned bit = IDV_ROLE_ADMIN; bit <= IDV_ROLE_LAST; bit <<= 1)
		if (roles & bit)
			json_array_append_new(sec, json_pack("{s:[]}", idv_role_name(bit)));
	if (roles & IDV_ROLE_PUBLIC)
		json_array_append_new(sec, json_object()); /* no credentials needed */
	return sec;
}

static json_t *
openapi_parameters(const char *pattern)
{
	json_t *params = json_array();
	for (const char *p = strchr(pattern, '{'); p != NULL; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		if (end == NULL)
			break;
		json_array_append_new(params,
				      json_pack("{s:s%,s:s,s:b,s:{s:s}}", "name", p + 1,
						(size_t)(end - p - 1), "in", "path", "required", 1,
						"schema", "type", "string"));
	}
	return params;
}

static json_t *
openapi_body(const struct idv_route *r)
{
	const char *media = "application/json";
	if (r->body == IDV_BODY_NONE)
		return NULL;
	if (r->body == IDV_BODY_RAW)
		media = (r->flags & IDV_ROUTE_DRP) ? "text/plain" : "multipart/form-data";
	return json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", r->body != IDV_BODY_JSON_OPT,
			 "content", media, "schema", "type",
			 r->body == IDV_BODY_RAW ? "string" : "object");
}

static json_t *
openapi_operation(const struct idv_route *r)
{
	json_t *op = json_pack("{s:s,s:o,s:o}", "summary", r->summary, "security",
			       openapi_security(r->roles), "parameters",
			       openapi_parameters(r->p.pattern));
	json_t *body = openapi_body(r);
	if (body != NULL)
		json_object_set_new(op, "requestBody", body);
	json_t *responses = json_object();
	bool documented = false;
	for (size_t i = 0; i < IDV_ARRAY_LEN(route_docs); i++) {
		if (strcmp(route_docs[i].method, r->p.method) != 0 ||
		    strcmp(route_docs[i].pattern, r->p.pattern) != 0)
			continue;
		char code[8];
		snprintf(code, sizeof code, "%d", route_docs[i].status);
		json_t *answer = json_object_get(responses, code);
		if (answer == NULL) {
			answer = json_pack("{s:s,s:{}}", "description", r->summary, "content");
			json_object_set_new(responses, code, answer);
		}
		const char *media = route_docs[i].media ? route_docs[i].media : "application/json";
		documented = true;
		if (media[0] == '\0') {
			json_object_del(answer, "content");
			continue;
		}
		json_t *schema = route_docs[i].schema ? openapi_json(route_docs[i].schema)
						      : json_pack("{s:s}", "type", "string");
		json_object_set_new(json_object_get(answer, "content"), media,
				    json_pack("{s:o}", "schema", schema));
	}
	if (!documented)
		json_object_set_new(op, "x-idverify-undocumented", json_true());
	if (r->flags & IDV_ROUTE_DRP)
		json_object_set_new(
			responses, "default",
			json_pack("{s:s,s:{s:{s:{s:s}}}}", "description",
				  "a DRP error (DRP 1.0 3.06)", "content", "application/json",
				  "schema", "$ref", "#/components/schemas/DrpError"));
	else
		json_object_set_new(
			responses, "default",
			json_pack("{s:s,s:{s:{s:{s:s}}}}", "description",
				  "a problem (RFC 9457)", "content", "application/problem+json",
				  "schema", "$ref", "#/components/schemas/Problem"));
	json_object_set_new(op, "responses", responses);
	return op;
}

static json_t *
openapi_components(void)
{
	json_t *types = json_array();
	for (size_t i = 0; i < IDV_ARRAY_LEN(problem_types); i++)
		json_array_append_new(types, json_sprintf("%s%s", IDV_PROBLEM_PREFIX,
							  problem_types[i]));
	json_t *schemes = json_object();
	for (unsigned bit = IDV_ROLE_ADMIN; bit <= IDV_ROLE_LAST; bit <<= 1)
		json_object_set_new(schemes, idv_role_name(bit),
				    json_pack("{s:s,s:s,s:s}", "type", "http", "scheme", "bearer",
					      "description",
					      bit == IDV_ROLE_CASE
						      ? "the requester's per-case token (an agent's, "
							"for a request an agent filed)"
					      : bit == IDV_ROLE_AGENT
						      ? "an authorized agent's DRP token"
					      : bit == IDV_ROLE_CONSUMER
						      ? "the consumer's own session on a request an "
							"agent filed (POST .../consumer-session)"
						      : "an API key of this role"));
	return json_pack(
		"{s:o,s:{s:{s:s,s:[s,s,s,s],s:{s:{s:o},s:{s:s},s:{s:s},s:{s:s},s:{s:s,s:s}}},"
		"s:{s:s,s:[s,s,s],s:{s:{s:s},s:{s:s},s:{s:s}}}}}",
		"securitySchemes", schemes, "schemas", "Problem", "type", "object", "required",
		"type", "title", "status", "detail", "properties", "type", "enum", types, "title",
		"type", "string", "status", "type", "integer", "detail", "type", "string", "field",
		"type", "string", "description",
		"the field at fault (claims.email), when the detail is in the caller's language",
		"DrpError", "type", "object", "required", "code", "message", "fatal", "properties",
		"code", "type", "string", "message", "type", "string", "fatal", "type", "boolean");
}

json_t *
idv_api_openapi_document(void)
{
	json_t *paths = json_object();
	for (size_t i = 0; i < idv_routes_count; i++) {
		const struct idv_route *r = &idv_routes[i];
		json_t *item = json_object_get(paths, r->p.pattern);
		if (item == NULL) {
			item = json_object();
			json_object_set_new(paths, r->p.pattern, item);
		}
		char method[16];
		size_t k = 0;
		for (; r->p.method[k] != '\0' && k + 1 < sizeof method; k++)
			method[k] = (char)(r->p.method[k] | 0x20); /* ASCII lower case */
		method[k] = '\0';
		json_object_set_new(item, method, openapi_operation(r));
	}
	return json_pack("{s:s,s:{s:s,s:s,s:s},s:o,s:o}", "openapi", "3.1.0", "info", "title",
			 "idverify", "version", IDV_VERSION, "description",
			 "Identity verification for CCPA privacy requests (README.md)", "paths",
			 paths, "components", openapi_components());
}

void
idv_api_openapi(struct idv_http_req *req, struct idv_http_resp *resp)
{
	(void)req;
	idv_http_json(resp, 200, idv_api_openapi_document());
}
