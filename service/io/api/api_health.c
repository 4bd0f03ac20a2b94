/* SPDX-License-Identifier: Apache-2.0 */
/* api_health.c: /healthz, /readyz and /metrics for operators. */
#include "api.h"
#include "workerproc.h"

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
	/* The document queue and its worker processes (one count query; no worker is asked). */
	int64_t queued = 0, running = 0;
	idv_store_job_count(idv_http_store(req), "queued", &queued);
	idv_store_job_count(idv_http_store(req), "running", &running);
	struct idv_workerproc_stats ws;
	idv_workerproc_stats(&ws);
	idv_buf_printf(&resp->body,
		       "# HELP idverify_jobs Documents waiting to be read, and being read.\n"
		       "# TYPE idverify_jobs gauge\n"
		       "idverify_jobs{state=\"queued\"} %lld\nidverify_jobs{state=\"running\"} %lld\n"
		       "# HELP idverify_worker_processes_started_total Worker processes started.\n"
		       "# TYPE idverify_worker_processes_started_total counter\n"
		       "idverify_worker_processes_started_total %llu\n"
		       "# HELP idverify_worker_failures_total Worker processes lost on a document.\n"
		       "# TYPE idverify_worker_failures_total counter\n",
		       (long long)queued, (long long)running, (unsigned long long)ws.started);
	for (int f = IDV_WPF_CRASH; f <= IDV_WPF_MEMORY; f++)
		idv_buf_printf(&resp->body, "idverify_worker_failures_total{reason=\"%s\"} %llu\n",
			       idv_wp_failure_name((enum idv_wp_failure)f),
			       (unsigned long long)ws.failures[f]);
	idv_buf_printf(&resp->body,
		       "# HELP idverify_worker_peak_rss_bytes Largest resident size of an ended "
		       "worker.\n# TYPE idverify_worker_peak_rss_bytes gauge\n"
		       "idverify_worker_peak_rss_bytes %llu\n",
		       (unsigned long long)ws.peak_rss_kb * 1024u);
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
