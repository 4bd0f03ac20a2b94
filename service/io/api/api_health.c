/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_health.c: /healthz, /readyz and /metrics for operators.
 *
 * /readyz and /metrics are anyone's and not rate-limited (probes), but what they read from the
 * database (the schema version, the job counts) is read under the store's lock: those reads
 * are cached for HEALTH_CACHE_MS, so a flood of probes costs at most one read of each a
 * second, whatever its rate (issue 19, finding 10). The HTTP counters are atomics, read live.
 */
#include <pthread.h>
#include <time.h>

#include "clock.h"
#include "api.h"
#include "workerproc.h"

#define HEALTH_CACHE_MS 1000

static struct {
	pthread_mutex_t mu;
	bool valid;
	int64_t at_ms;
	int schema;
	int64_t queued, running;
	uint64_t refreshes;
} health_cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The cached database reads, refreshed when older than HEALTH_CACHE_MS. */
static void
health_read(struct idv_store *store, int *schema, int64_t *queued, int64_t *running,
	    uint64_t *refreshes)
{
	int64_t now = idv_monotonic_ms();
	pthread_mutex_lock(&health_cache.mu);
	if (!health_cache.valid || now - health_cache.at_ms >= HEALTH_CACHE_MS) {
		int64_t q = 0, r = 0;
		health_cache.schema = idv_store_schema_version(store);
		idv_store_job_count(store, "queued", &q);
		idv_store_job_count(store, "running", &r);
		health_cache.queued = q;
		health_cache.running = r;
		health_cache.at_ms = now;
		health_cache.valid = true;
		health_cache.refreshes++;
	}
	*schema = health_cache.schema;
	*queued = health_cache.queued;
	*running = health_cache.running;
	*refreshes = health_cache.refreshes;
	pthread_mutex_unlock(&health_cache.mu);
}

void
idv_api_healthz(struct idv_http_req *req, struct idv_http_resp *resp)
{
	(void)req;
	idv_http_json(resp, 200, json_pack("{s:s}", "status", "ok"));
}

void
idv_api_readyz(struct idv_http_req *req, struct idv_http_resp *resp)
{
	int have;
	int64_t queued, running;
	uint64_t refreshes;
	health_read(idv_http_store(req), &have, &queued, &running, &refreshes);
	int want = idv_store_schema_latest();
	if (have != want) {
		idv_http_problem(resp, 503, "not-ready", "Not ready",
				 "database schema at version %d of %d", have, want);
		idv_http_header_add(resp, "Retry-After", "5");
		return;
	}
	idv_http_json(resp, 200, json_pack("{s:s,s:i}", "status", "ready", "schema_version", have));
}

void
idv_api_metrics(struct idv_http_req *req, struct idv_http_resp *resp)
{
	idv_buf_reset(&resp->body);
	idv_server_metrics(idv_http_server(req), &resp->body);
	/* The document queue (cached counts) and its worker processes (no worker is asked). */
	int schema;
	int64_t queued = 0, running = 0;
	uint64_t refreshes;
	health_read(idv_http_store(req), &schema, &queued, &running, &refreshes);
	struct idv_workerproc_stats ws;
	idv_workerproc_stats(&ws);
	idv_buf_printf(
		&resp->body,
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
		       "idverify_worker_peak_rss_bytes %llu\n"
		       "# HELP idverify_health_refreshes_total Database reads behind /readyz and "
		       "/metrics (cached for a second).\n"
		       "# TYPE idverify_health_refreshes_total counter\n"
		       "idverify_health_refreshes_total %llu\n",
		       (unsigned long long)ws.peak_rss_kb * 1024u, (unsigned long long)refreshes);
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
