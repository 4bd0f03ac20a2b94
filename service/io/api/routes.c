/* SPDX-License-Identifier: Apache-2.0 */
/*
 * routes.c: every HTTP route of idverify, in one table: the attack surface on one screen.
 * Each names who may call it and what body it takes; the server enforces both before the
 * handler runs (http.h).
 */
#include "api.h"
#include "idverify/limits.h"

#define PUBLIC IDV_ROLE_PUBLIC
#define ADMIN IDV_ROLE_ADMIN
#define CASE IDV_ROLE_CASE
#define REVIEWER IDV_ROLE_REVIEWER
#define INTAKE IDV_ROLE_INTAKE
#define AGENT IDV_ROLE_AGENT
#define CONSUMER IDV_ROLE_CONSUMER
#define UNLIMITED IDV_ROUTE_UNLIMITED
#define DRP IDV_ROUTE_DRP

const struct idv_route idv_routes[] = {
	{{"GET", "/healthz"}, idv_api_healthz, PUBLIC, IDV_BODY_NONE, 0, "process is up", UNLIMITED},
	{{"GET", "/readyz"}, idv_api_readyz, PUBLIC, IDV_BODY_NONE, 0,
	 "database open and migrated", UNLIMITED},
	{{"GET", "/metrics"}, idv_api_metrics, PUBLIC, IDV_BODY_NONE, 0, "Prometheus metrics", UNLIMITED},
	{{"GET", "/openapi.json"}, idv_api_openapi, PUBLIC, IDV_BODY_NONE, 0,
	 "this API as an OpenAPI 3.1 document, generated from this table (api_openapi.c)",
	 UNLIMITED},
	{{"POST", "/v1/records"}, idv_api_records_import, ADMIN, IDV_BODY_JSON,
	 4u * 1024u * 1024u, "load existing customer records (all or nothing)", 0},
	{{"POST", "/v1/requests"}, idv_api_request_create, PUBLIC, IDV_BODY_JSON, 0,
	 "file a request: answers the reference, the case token and the due dates (an agent's "
	 "filing, requester.role authorized_agent: the agent's token, and the consumer's page as "
	 "user_verification_url; the consumer is sent a code of their own)", 0},
	{{"GET", "/v1/requests/{reference}"}, idv_api_request_get, CASE | CONSUMER | ADMIN,
	 IDV_BODY_NONE, 0, "status, documents, outcome, due dates, what is still needed", 0},
	{{"POST", "/v1/requests/{reference}/documents"}, idv_api_request_documents,
	 CASE | CONSUMER | AGENT, IDV_BODY_RAW, IDV_LIMIT_UPLOAD_BODY,
	 "upload a document (multipart: kind, 1-2 files); an agent's credential (its DRP token "
	 "for its own requests, or its case token) uploads only the proof of its authority "
	 "(agent_permission, agent_registration, power_of_attorney)", 0},
	{{"POST", "/v1/requests/{reference}/declaration"}, idv_api_request_declaration,
	 CASE | CONSUMER, IDV_BODY_JSON, 0,
	 "sign the declaration under penalty of perjury (the consumer's own: an agent's case "
	 "token is refused, 403)", 0},
	{{"POST", "/v1/requests/{reference}/confirm"}, idv_api_request_confirm, CASE | CONSUMER,
	 IDV_BODY_JSON_OPT, 0,
	 "second step of a delete request (the consumer's own: an agent's case token is refused)",
	 0},
	{{"POST", "/v1/requests/{reference}/withdraw"}, idv_api_request_withdraw,
	 CASE | CONSUMER | ADMIN, IDV_BODY_JSON_OPT, 0, "withdraw the request", 0},
	{{"POST", "/v1/requests/{reference}/extend"}, idv_api_request_extend, ADMIN, IDV_BODY_JSON,
	 0, "extend the response date once, with a reason", 0},
	{{"POST", "/v1/requests/{reference}/close"}, idv_api_request_close, ADMIN, IDV_BODY_JSON, 0,
	 "record the response given and delete the new verification data", 0},
	{{"POST", "/v1/requests/{reference}/code"}, idv_api_request_code_send, CASE,
	 IDV_BODY_JSON_OPT, 0,
	 "send (again) a one-time code to the e-mail or phone on file; the same answer whether "
	 "or not it is held", 0},
	{{"POST", "/v1/requests/{reference}/code/verify"}, idv_api_request_code_verify, CASE,
	 IDV_BODY_JSON, 0, "check the one-time code (5 tries, 10 minutes)", 0},
	{{"POST", "/v1/requests/{reference}/agent-confirmation"},
	 idv_api_request_agent_confirmation, CONSUMER | REVIEWER | ADMIN, IDV_BODY_JSON, 0,
	 "the consumer confirms an agent's permission or verifies directly (R24), in their own "
	 "session: never with the agent's DRP or case token (403); or the business records it "
	 "after reaching the consumer another way (reached_by)", 0},
	{{"POST", "/v1/requests/{reference}/agent-refusal"}, idv_api_request_agent_refusal,
	 CONSUMER | REVIEWER | ADMIN, IDV_BODY_JSON_OPT, 0,
	 "the consumer did not authorize the agent: the request is denied (R24); the consumer's "
	 "session, or the business with reached_by", 0},
	{{"POST", "/v1/requests/{reference}/consumer-code"}, idv_api_request_consumer_code, PUBLIC,
	 IDV_BODY_JSON_OPT, 0,
	 "send (again) the consumer of an agent's request a code, to the e-mail or phone the "
	 "business holds; the same answer whether or not it holds one", 0},
	{{"POST", "/v1/requests/{reference}/consumer-session"}, idv_api_request_consumer_session,
	 PUBLIC, IDV_BODY_JSON, 0,
	 "the consumer of an agent's request exchanges the code they were sent for their own "
	 "session token (role consumer)", 0},
	{{"GET", "/v1/declaration-statement"}, idv_api_declaration_statement, PUBLIC,
	 IDV_BODY_NONE, 0, "the statement signed under penalty of perjury", 0},
	{{"GET", "/v1/request-records"}, idv_api_request_records, ADMIN, IDV_BODY_NONE, 0,
	 "the 24-month request log (JSON, or CSV with ?format=csv)", 0},
	/* Pages (api_web.c): static, public, the same bytes for everybody (not rate-limited);
	 * each page talks to the API above like any other client. */
	{{"GET", "/"}, idv_api_page_intake, PUBLIC, IDV_BODY_NONE, 0, "the intake form", UNLIMITED},
	{{"GET", "/requests/{reference}"}, idv_api_page_status, PUBLIC, IDV_BODY_NONE, 0,
	 "a request's status page (the case token stays in the URL fragment)", UNLIMITED},
	{{"GET", "/requests/{reference}/agent"}, idv_api_page_agent, PUBLIC, IDV_BODY_NONE, 0,
	 "the consumer's page for a request an agent filed", UNLIMITED},
	{{"GET", "/review"}, idv_api_page_review, PUBLIC, IDV_BODY_NONE, 0,
	 "the reviewers' console (the reviewer key is typed into the page)", UNLIMITED},
	{{"GET", "/static/{name}"}, idv_api_static, PUBLIC, IDV_BODY_NONE, 0,
	 "scripts, styles and images of the pages", UNLIMITED},
	{{"GET", "/v1/intake"}, idv_api_intake, PUBLIC, IDV_BODY_NONE, 0,
	 "what the intake form asks for under the business's policy, and upload limits", 0},
	{{"GET", "/v1/messages"}, idv_api_messages, PUBLIC, IDV_BODY_NONE, 0,
	 "the pages' texts in the consumer's language (?lang=, else Accept-Language)", UNLIMITED},
	{{"GET", "/v1/request-records/metrics"}, idv_api_request_metrics, ADMIN, IDV_BODY_NONE, 0,
	 "yearly request metrics", 0},
	/* authorized agents: DRP 1.0 (signed bodies are text/plain) */
	{{"POST", "/v1/agent/{agent-id}"}, idv_api_drp_agent_setup, PUBLIC, IDV_BODY_RAW, 0,
	 "DRP pair-wise key setup: a signed body answers a bearer token", DRP},
	{{"GET", "/v1/agent/{agent-id}"}, idv_api_drp_agent_get, AGENT, IDV_BODY_NONE, 0,
	 "DRP agent information: is the token still valid", DRP},
	{{"POST", "/v1/data-rights-request"}, idv_api_drp_exercise, AGENT, IDV_BODY_RAW, 0,
	 "DRP exercise: a signed request becomes a case", DRP},
	{{"POST", "/v1/data-rights-request/"}, idv_api_drp_exercise, AGENT, IDV_BODY_RAW, 0,
	 "DRP exercise (the pre-0.9.3 trailing slash)", DRP},
	{{"GET", "/v1/data-rights-request/{request_id}"}, idv_api_drp_status, AGENT, IDV_BODY_NONE,
	 0, "DRP status of a request", DRP},
	{{"DELETE", "/v1/data-rights-request/{request_id}"}, idv_api_drp_revoke, AGENT,
	 IDV_BODY_RAW, 0, "DRP revoke: a signed {\"reason\"} closes the request", DRP},
	/* privacy platforms (api_platforms.c): each off until its flag is given; the caller is
	 * checked per the platform's contract (a configured secret, or an ES384 JWT) */
	{{"POST", "/v1/platforms/fides/pre-approval"}, idv_api_fides_pre_approval, PUBLIC,
	 IDV_BODY_JSON, 256u * 1024u, "Fides pre-approval webhook: a request becomes a case", 0},
	{{"POST", "/v1/platforms/transcend/preflight"}, idv_api_transcend_preflight, PUBLIC,
	 IDV_BODY_JSON, 256u * 1024u, "Transcend preflight (enrichment) webhook: a case", 0},
	{{"POST", "/v1/platforms/ketch/dsr"}, idv_api_ketch_dsr, PUBLIC, IDV_BODY_JSON,
	 256u * 1024u, "Ketch dsr/v1 request: a case, answered pending until verified", 0},
	{{"POST", "/v1/requests/{reference}/details"}, idv_api_request_details, CASE,
	 IDV_BODY_JSON, 0, "the consumer of a platform's request gives their own details", 0},
	/* reviewers */
	{{"GET", "/v1/reviews"}, idv_api_reviews_queue, REVIEWER | ADMIN, IDV_BODY_NONE, 0,
	 "cases in manual review, oldest due first (?state=unclaimed|claimed|mine|"
	 "awaiting_second)", 0},
	{{"POST", "/v1/reviews/{reference}/claim"}, idv_api_reviews_claim, REVIEWER,
	 IDV_BODY_JSON_OPT, 0, "claim a case for review (lapses when not acted on)", 0},
	{{"GET", "/v1/reviews/{reference}"}, idv_api_reviews_get, REVIEWER, IDV_BODY_NONE, 0,
	 "the evidence, masked, and claims, documents and record side by side", 0},
	{{"POST", "/v1/reviews/{reference}/reveal"}, idv_api_reviews_reveal, REVIEWER,
	 IDV_BODY_JSON, 0, "one value in clear, for a stated purpose (audited)", 0},
	{{"GET", "/v1/reviews/{reference}/documents/{doc}/image"}, idv_api_reviews_image, REVIEWER,
	 IDV_BODY_NONE, 0, "the uploaded file, for visual inspection (audited)", 0},
	{{"POST", "/v1/reviews/{reference}/decision"}, idv_api_reviews_decide, REVIEWER,
	 IDV_BODY_JSON, 0, "verified or not_verified with a reason; heightened needs two", 0},
};

const size_t idv_routes_count = sizeof idv_routes / sizeof idv_routes[0];
