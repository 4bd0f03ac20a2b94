/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_codes.c: POST /v1/requests/{reference}/code (send, or send again, a one-time code to the
 * contact on file) and POST /v1/requests/{reference}/code/verify ({"code"}). codes.h has the
 * rules; the answer to a send is the same whether or not the business holds the contact.
 */
#include <time.h>

#include "api.h"
#include "messages.h"
#include "cases.h"
#include "codes.h"
#include "outbox.h"

/* Write the answer of codes.c. */
void
idv_api_code_answer(struct idv_http_resp *resp, struct idv_code_answer *ans)
{
	if (ans->problem == NULL) {
		idv_http_json(resp, ans->status, ans->body);
		ans->body = NULL;
		return;
	}
	if (ans->retry_after > 0) {
		idv_http_header_fmt(resp, "Retry-After", "%lld", (long long)ans->retry_after);
	}
	idv_http_problem(resp, ans->status, ans->problem,
			 ans->status == 429   ? "Too many"
			 : ans->status == 409 ? "Not allowed in the current state"
					      : "Invalid value",
			 "%s", ans->detail ? ans->detail : "");
	json_decref(ans->body);
	ans->body = NULL;
}

void
idv_api_request_code_send(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_code_answer ans;
	const struct idv_app *app = idv_api_app(req);
	if (app->cases == NULL) {
		idv_http_problem(resp, 503, "unavailable", "Unavailable", "no case store");
		return;
	}
	if (idv_api_agent_refused(req, resp, "verifying with a one-time code"))
		return;
	/* the message goes out in the language of the page that asked for it */
	idv_case_code_send(app->cases, idv_http_param(req, "reference"), idv_http_actor(req),
			   (int64_t)time(NULL),
			   idv_messages_pick(NULL, idv_http_header(req, "Accept-Language")), &ans);
	if (ans.woke && app->outbox != NULL)
		idv_outbox_wake(app->outbox);
	idv_api_code_answer(resp, &ans);
}

void
idv_api_request_code_verify(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_code_answer ans;
	const struct idv_app *app = idv_api_app(req);
	json_t *code = json_object_get(idv_http_json_body(req), "code");
	const char *ref = idv_http_param(req, "reference");
	if (app->cases == NULL) {
		idv_http_problem(resp, 503, "unavailable", "Unavailable", "no case store");
		return;
	}
	if (idv_api_agent_refused(req, resp, "verifying with a one-time code"))
		return;
	if (!json_is_string(code)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "send {\"code\": \"...\"}, the digits of the message we sent");
		return;
	}
	idv_case_code_verify(app->cases, ref, idv_http_actor(req), IDV_CODE_PURPOSE_VERIFY,
			     json_string_value(code), (int64_t)time(NULL), &ans);
	if (ans.evaluate) {
		struct idv_case_row row;
		idv_case_row_init(&row);
		idv_case_evaluate(app->cases, ref);
		if (ans.status == 200 &&
		    idv_store_case_get(idv_http_store(req), ref, &row) == IDV_OK) {
			json_decref(ans.body);
			ans.body = idv_case_view(app->cases, &row);
		}
		idv_case_row_cleanup(&row);
		if (app->outbox != NULL)
			idv_outbox_wake(app->outbox);
	}
	idv_api_code_answer(resp, &ans);
}

/* ---- the consumer of an agent's request (codes.h, R24) --------------------------------------- */

void
idv_api_consumer_code_after_create(struct idv_http_req *req, const char *reference)
{
	struct idv_code_answer ans;
	const struct idv_app *app = idv_api_app(req);
	/* sent by the service itself when the agent's request is filed; the outbox finds it on
	 * its next round (codes.h IDV_CODE_CONSUMER_HOLD_S): no wake that would run the sending
	 * beside the agent's answer */
	/* the agent's language is not the consumer's: the first message is in English */
	idv_case_consumer_send(app->cases, reference, "system", (int64_t)time(NULL), NULL, &ans);
	json_decref(ans.body);
}

void
idv_api_request_consumer_code(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_code_answer ans;
	const struct idv_app *app = idv_api_app(req);
	if (app->cases == NULL) {
		idv_http_problem(resp, 503, "unavailable", "Unavailable", "no case store");
		return;
	}
	idv_case_consumer_send(
		app->cases, idv_http_param(req, "reference"), "anonymous", (int64_t)time(NULL),
		idv_messages_pick(NULL, idv_http_header(req, "Accept-Language")), &ans);
	idv_api_code_answer(resp, &ans); /* no wake either: the answer must not tell */
}

void
idv_api_request_consumer_session(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_code_answer ans;
	const struct idv_app *app = idv_api_app(req);
	json_t *code = json_object_get(idv_http_json_body(req), "code");
	if (app->cases == NULL) {
		idv_http_problem(resp, 503, "unavailable", "Unavailable", "no case store");
		return;
	}
	if (!json_is_string(code)) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "send {\"code\": \"...\"}, the digits of the message we sent you");
		return;
	}
	idv_case_consumer_session(app->cases, idv_http_param(req, "reference"),
				  json_string_value(code), (int64_t)time(NULL), &ans);
	idv_api_code_answer(resp, &ans);
}
