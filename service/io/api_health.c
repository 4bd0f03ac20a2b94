/* SPDX-License-Identifier: Apache-2.0 */
/* api_health.c: /healthz, /readyz and /metrics for operators. */
#include "idverify/api.h"

void
idv_api_healthz(struct idv_http_req *req, struct idv_http_resp *resp)
{
	(void)req;
	idv_http_json(resp, 200, json_pack("{s:s}", "status", "ok"));
}

void
idv_api_readyz(struct idv_http_req *req, struct idv_http_resp *resp)
{
	struct idv_store *store = idv_http_store(req);
	int have = idv_store_schema_version(store);
	int want = idv_store_schema_latest();
	if (have != want) {
		idv_http_problem(resp, 503, "not-ready", "Not ready",
				 "database schema at version %d of %d", have, want);
		idv_http_header_add(resp, "Retry-After", "5");
		return;
	}
	idv_http_json(resp, 200,
		      json_pack("{s:s,s:i}", "status", "ready", "schema_version", have));
}

void
idv_api_metrics(struct idv_http_req *req, struct idv_http_resp *resp)
{
	idv_buf_reset(&resp->body);
	idv_server_metrics(idv_http_server(req), &resp->body);
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
