/* SPDX-License-Identifier: Apache-2.0 */
/* api.h: the HTTP handlers, one group per file (service/io/api/api_<group>.c), listed in routes.c. */
#ifndef IDVERIFY_API_H
#define IDVERIFY_API_H

#include "http.h"

struct idv_cases;
struct idv_workers;
struct idv_agents;
struct idv_outbox;

/*
 * What the handlers share: one per running service, made by serve before the server starts and
 * given to it (idv_server_opts.app); handlers reach it with idv_api_app(req). Read-only while
 * serving. workers, agents and outbox may be NULL (no workers; DRP not configured).
 */
struct idv_app {
	struct idv_cases *cases;
	struct idv_workers *workers;
	const struct idv_agents *agents; /* the DRP directory, or NULL when DRP is off */
	struct idv_outbox *outbox;
	const char *public_url; /* base of links given out, no trailing slash */
	void *transcend_key;    /* EVP_PKEY of --transcend-public-key, or NULL */
};

static inline const struct idv_app *
idv_api_app(const struct idv_http_req *req)
{
	return idv_http_app(req);
}

/* The service's route table (routes.c). */
extern const struct idv_route idv_routes[];
extern const size_t idv_routes_count;

/* api_health.c */
void idv_api_healthz(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_readyz(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_metrics(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_records.c */
void idv_api_records_import(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_cases.c */
/* Validate typed claims and return a clean copy with known keys only (NULL and a reason
 * naming the key, never the value, in why). */
json_t *idv_api_claims_clean(json_t *claims, bool names_required, char *why, size_t whysz);
/* Load the case named by the route's {reference} into row (initialised by the caller): false
 * with resp holding the problem (404 no such request, else the store error's) when it fails. */
struct idv_case_row;
bool idv_api_case_load(struct idv_http_req *req, struct idv_http_resp *resp,
		       struct idv_case_row *row);
void idv_api_request_create(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_get(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_documents(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_declaration(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_confirm(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_withdraw(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_extend(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_close(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_declaration_statement(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_web.c: the pages (web.h) and GET /v1/intake */
void idv_api_page_intake(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_page_status(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_page_agent(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_page_review(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_static(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_intake(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_messages(struct idv_http_req *req, struct idv_http_resp *resp);
/* api_reviews.c */
void idv_api_reviews_queue(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_claim(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_get(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_reveal(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_image(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_decide(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_drp.c */
void idv_api_drp_agent_setup(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_drp_agent_get(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_drp_exercise(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_drp_status(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_drp_revoke(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_agent_confirmation(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_agent_refusal(struct idv_http_req *req, struct idv_http_resp *resp);

/* Is the caller an agent (its DRP token, or the case token of its web filing: actor
 * "web-agent:<reference>")? */
bool idv_api_agent_caller(const struct idv_http_req *req);
/* An agent's credential on a step that is the consumer's own (R24): true with resp a 403
 * forbidden problem naming step. */
bool idv_api_agent_refused(struct idv_http_req *req, struct idv_http_resp *resp, const char *step);

/* api_codes.c */
struct idv_code_answer;
void idv_api_code_answer(struct idv_http_resp *resp, struct idv_code_answer *ans);
void idv_api_request_code_send(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_code_verify(struct idv_http_req *req, struct idv_http_resp *resp);
/* The consumer of an agent's request (codes.h): send their code once the case is created
 * (audited as "system"), send it again (public), exchange it for their session (public). */
void idv_api_consumer_code_after_create(struct idv_http_req *req, const char *reference);
void idv_api_request_consumer_code(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_consumer_session(struct idv_http_req *req, struct idv_http_resp *resp);
/* api_platforms.c: privacy platforms (Fides, Transcend, Ketch) filing requests */
/* Check the platform flags and load what they name (the Transcend key into app); why says
 * what is missing. idv_api_platforms_free undoes it. */
enum idv_err idv_api_platforms_load(const struct idv_config *cfg, struct idv_app *app, char *why,
				    size_t whysz);
void idv_api_platforms_free(struct idv_app *app);
/* Is any adapter or the decision webhook on (then the outbox runs)? */
bool idv_api_platforms_on(const struct idv_config *cfg);
void idv_api_fides_pre_approval(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_transcend_preflight(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_ketch_dsr(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_details(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_openapi.c: GET /openapi.json, generated from idv_routes and the descriptions next to it */
json_t *idv_api_openapi_document(void);
void idv_api_openapi(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_reqlog.c */
void idv_api_request_records(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_metrics(struct idv_http_req *req, struct idv_http_resp *resp);

#endif
