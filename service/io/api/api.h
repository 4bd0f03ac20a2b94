/* SPDX-License-Identifier: Apache-2.0 */
/* api.h: the HTTP handlers, one group per file (service/io/api/api_<group>.c), listed in routes.c. */
#ifndef IDVERIFY_API_H
#define IDVERIFY_API_H

#include "http.h"

/* api_health.c */
void idv_api_healthz(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_readyz(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_metrics(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_records.c */
void idv_api_records_import(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_cases.c */
struct idv_cases;
struct idv_workers;
void idv_api_cases_init(struct idv_cases *cs, struct idv_workers *workers);
/* Validate typed claims and return a clean copy with known keys only (NULL and a reason
 * naming the key, never the value, in why). */
json_t *idv_api_claims_clean(json_t *claims, bool names_required, char *why, size_t whysz);
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
void idv_api_web_init(const struct idv_cases *cs);
void idv_api_page_intake(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_page_status(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_page_agent(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_page_review(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_static(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_intake(struct idv_http_req *req, struct idv_http_resp *resp);
/* api_reviews.c */
void idv_api_reviews_init(struct idv_cases *cs);
void idv_api_reviews_queue(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_claim(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_get(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_reveal(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_image(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_reviews_decide(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_drp.c */
struct idv_agents;
struct idv_outbox;
void idv_api_drp_init(struct idv_cases *cs, const struct idv_agents *agents,
		      struct idv_outbox *outbox, const char *public_url);
void idv_api_drp_agent_setup(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_drp_agent_get(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_drp_exercise(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_drp_status(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_drp_revoke(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_agent_confirmation(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_agent_refusal(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_reqlog.c */
void idv_api_request_records(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_request_metrics(struct idv_http_req *req, struct idv_http_resp *resp);

#endif
