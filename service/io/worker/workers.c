/* SPDX-License-Identifier: Apache-2.0 */
/*
 * workers.c: extraction jobs. Jobs live in the database (a crash loses none: running jobs go
 * back to the queue at start); worker threads claim them, open the document with its case's
 * key, have it read by a sandboxed worker process (workerproc.h: decoders never run inside
 * serve), seal the result, and evaluate the case when its evidence is complete.
 *
 * A document whose reading process crashes, hangs or runs out of memory is tried once more in
 * a fresh one; if that fails too, the document is marked unreadable with the reason
 * (decoder_crash, timeout, memory) and nothing else is affected. A job claimed
 * several times without finishing (serve itself stopped while it was read) is given up, so that
 * no document can keep the queue busy forever.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "seal.h"
#include "workers.h"
#include "extract.h"
#include "idverify/limits.h"
#include "log.h"
#include "recordstore.h"
#include "workerproc.h"
#include "idverify/str.h"

#define WORKERS_MAX_CLAIMS 5 /* claims of one job before it is given up */
#define WORKERS_TRIES 2      /* worker processes tried per document: one retry */

struct workers_slot {
	struct idv_workers *w;
	struct idv_workerproc *wp;
	pthread_t thread;
};

struct idv_workers {
	struct idv_cases *cs;
	struct workers_slot *slots;
	unsigned n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	uint64_t wakes;
	_Atomic uint64_t avg_ms; /* moving average of a document's reading time */
};

static enum idv_err
workers_store_result(struct idv_cases *cs, const struct idv_case_row *c,
		     const uint8_t dek[IDV_KEY_LEN], const char *doc_id,
		     const struct idv_document *doc)
{
	struct idv_buf sealed;
	idv_buf_init(&sealed, sizeof *doc + 64);
	enum idv_err err = idv_document_seal(dek, c->reference, doc_id, doc, &sealed);
	if (err == IDV_OK) {
		const struct idv_problem *p = idv_err_problem(doc->err);
		bool ok = doc->status == IDV_DOCSTAT_OK;
		err = idv_store_doc_set_result(cs->store, doc_id, idv_doc_status_name(doc->status),
					       ok ? NULL : p->type, ok ? NULL : doc->error_detail,
					       sealed.data, sealed.len);
	}
	idv_buf_cleanup(&sealed);
	return err;
}

static struct idv_workerproc_opts
workers_proc_opts(const struct idv_config *cfg)
{
	struct idv_workerproc_opts o = {0};
	o.models_dir = cfg->models_dir;
	o.memory_mb = cfg->worker_memory_mb ? cfg->worker_memory_mb : 1024;
	o.timeout_s = cfg->worker_timeout_s ? cfg->worker_timeout_s : 60;
	o.jobs = cfg->worker_jobs ? cfg->worker_jobs : 100;
	o.max_bytes = cfg->max_upload ? cfg->max_upload : IDV_LIMIT_UPLOAD_BYTES;
	return o;
}

/* Mark the document unreadable: the detail starts with the reason's name. */
static void
workers_unreadable(struct idv_document *doc, const char *reason, const char *what, int n)
{
	idv_document_init(doc);
	doc->status = IDV_DOCSTAT_UNREADABLE;
	doc->err = IDV_E_UNREADABLE;
	idv_why(doc->error_detail, sizeof doc->error_detail, "%s: %s (%d times)", reason, what, n);
}

static int64_t
workers_ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * One job, read by the worker process wp. IDV_E_NOTFOUND: the queue is empty; IDV_E_IO: no
 * worker process could be started (the job went back to the queue); IDV_E_STATE: stopping.
 */
static enum idv_err
workers_run(struct idv_cases *cs, struct idv_workerproc *wp, struct idv_workers *w)
{
	char doc_id[IDV_DOC_ID_MAX];
	int attempts = 0;
	enum idv_err err = idv_store_job_claim(cs->store, doc_id, &attempts);
	if (err != IDV_OK)
		return err;
	enum idv_err result = IDV_OK;
	struct idv_doc_row d;
	struct idv_case_row c;
	struct idv_buf plain;
	uint8_t dek[IDV_KEY_LEN] = {0};
	struct idv_document *doc = idv_calloc(1, sizeof *doc);
	idv_doc_row_init(&d);
	idv_case_row_init(&c);
	idv_buf_init(&plain, IDV_LIMIT_UPLOAD_BYTES + 1024);
	idv_document_init(doc);
	if ((err = idv_store_doc_get(cs->store, doc_id, true, &d)) != IDV_OK ||
	    (err = idv_store_case_get_id(cs->store, d.case_id, &c)) != IDV_OK)
		goto done; /* purged meanwhile: nothing to read */
	if ((err = idv_case_key_open(&c, dek)) != IDV_OK)
		goto done;
	if (attempts >= WORKERS_MAX_CLAIMS) {
		workers_unreadable(doc, "interrupted", "reading this file was interrupted",
				   attempts);
		idv_log(IDV_LOG_WARN, "worker.gave_up", "{s:s,s:i}", "document", doc_id,
			"attempts", attempts);
	} else {
		if ((err = idv_document_content_open(dek, c.reference, d.id, &d.content_sealed,
						     &plain)) != IDV_OK)
			goto done;
		idv_buf_cleanup(&d.content_sealed); /* the sealed copy is not needed any more */
		struct idv_extract_opts opts = {0};
		opts.today_days = idv_today_days();
		opts.models_dir = cs->cfg->models_dir;
		opts.max_bytes = cs->cfg->max_upload;
		opts.hint = strcmp(d.kind, "government_id") == 0	    ? IDV_HINT_GOVERNMENT_ID
			    : strcmp(d.kind, "proof_of_residence") == 0 ? IDV_HINT_PROOF_OF_RESIDENCE
									: IDV_HINT_ANY;
		enum idv_wp_failure fail = IDV_WPF_NONE;
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int t = 0; t < WORKERS_TRIES; t++) {
			err = idv_workerproc_extract(wp, plain.data, plain.len, &opts, doc, &fail);
			if (err != IDV_OK || fail == IDV_WPF_NONE)
				break;
			idv_log(IDV_LOG_WARN, "worker.document_failed", "{s:s,s:s,s:i}", "document",
				doc_id, "reason", idv_wp_failure_name(fail), "try", t + 1);
		}
		int64_t ms = workers_ms_since(&t0);
		if (err == IDV_E_STATE || err == IDV_E_IO) {
			/* Stopping, or no worker could start: not the document's fault. */
			idv_store_job_release(cs->store, doc_id);
			result = err;
			goto out;
		}
		if (err != IDV_OK) {
			/* The extractor could not run at all (OCR data missing): retry later. */
			idv_log(IDV_LOG_ERROR, "worker.extractor_failed", "{s:s,s:s}", "document",
				doc_id, "error", idv_err_name(err));
			idv_store_job_retry(cs->store, doc_id);
			result = IDV_E_IO;
			goto out;
		}
		if (fail != IDV_WPF_NONE) {
			static const char *const why[] = {
				"", "the reader crashed on this file",
				"reading this file took longer than a reader may take",
				"reading this file needs more memory than a reader may use"};
			workers_unreadable(doc, idv_wp_failure_name(fail), why[fail], WORKERS_TRIES);
		}
		if (w != NULL) {
			uint64_t avg = atomic_load(&w->avg_ms);
			atomic_store(&w->avg_ms, avg == 0 ? (uint64_t)ms : (avg * 7 + (uint64_t)ms) / 8);
		}
		idv_log(IDV_LOG_INFO, "worker.extracted", "{s:s,s:s,s:s,s:I}", "document", doc_id,
			"status", idv_doc_status_name(doc->status), "kind",
			idv_doc_kind_name(doc->kind), "ms", (json_int_t)ms);
	}
	if ((err = workers_store_result(cs, &c, dek, doc_id, doc)) != IDV_OK) {
		idv_store_job_retry(cs->store, doc_id);
		result = err;
		goto out;
	}
done:
	idv_store_job_done(cs->store, doc_id);
	if (c.reference[0] != '\0' && c.closed_at == 0)
		idv_case_evaluate(cs, c.reference);
out:
	idv_wipe(dek, sizeof dek);
	idv_wipe(doc, sizeof *doc);
	free(doc);
	idv_buf_cleanup_wipe(&plain);
	idv_doc_row_cleanup(&d);
	idv_case_row_cleanup(&c);
	return result;
}

enum idv_err
idv_workers_run_one(struct idv_cases *cs)
{
	struct idv_workerproc_opts o = workers_proc_opts(cs->cfg);
	struct idv_workerproc *wp = idv_workerproc_new(&o);
	enum idv_err err = workers_run(cs, wp, NULL);
	idv_workerproc_free(wp);
	return err;
}

static bool
workers_stopping(struct idv_workers *w)
{
	pthread_mutex_lock(&w->mu);
	bool stop = w->stop;
	pthread_mutex_unlock(&w->mu);
	return stop;
}

static void *
workers_main(void *arg)
{
	struct workers_slot *slot = arg;
	struct idv_workers *w = slot->w;
	unsigned backoff_s = 1;
	while (!workers_stopping(w)) {
		/* A worker process ready before the next document arrives. */
		enum idv_err err = idv_workerproc_prepare(slot->wp);
		if (err == IDV_OK)
			err = workers_run(w->cs, slot->wp, w);
		if (err == IDV_OK) {
			backoff_s = 1;
			continue;
		}
		/* Empty queue: wait for a wake-up. No worker process: back off, up to 30 s. */
		unsigned wait_s = err == IDV_E_IO ? backoff_s : 1;
		if (err == IDV_E_IO && backoff_s < 30)
			backoff_s *= 2;
		pthread_mutex_lock(&w->mu);
		if (!w->stop) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += wait_s;
			if (err == IDV_E_IO)
				while (!w->stop && pthread_cond_timedwait(&w->cv, &w->mu, &ts) == 0)
					;
			else
				pthread_cond_timedwait(&w->cv, &w->mu, &ts);
		}
		pthread_mutex_unlock(&w->mu);
	}
	return NULL;
}

enum idv_err
idv_workers_start(struct idv_cases *cs, unsigned n, struct idv_workers **out)
{
	struct idv_workers *w = idv_calloc(1, sizeof *w);
	int64_t requeued = 0;
	w->cs = cs;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	idv_store_job_requeue_running(cs->store, &requeued);
	if (requeued > 0)
		idv_log(IDV_LOG_WARN, "worker.requeued", "{s:I}", "jobs", (json_int_t)requeued);
	struct idv_workerproc_opts o = workers_proc_opts(cs->cfg);
	w->slots = idv_calloc(n, sizeof *w->slots);
	for (unsigned i = 0; i < n; i++) {
		w->slots[i].w = w;
		w->slots[i].wp = idv_workerproc_new(&o);
		if (pthread_create(&w->slots[i].thread, NULL, workers_main, &w->slots[i]) != 0) {
			idv_workerproc_free(w->slots[i].wp);
			break;
		}
		w->n++;
	}
	*out = w;
	return w->n == n ? IDV_OK : IDV_E_NOMEM;
}

void
idv_workers_wake(struct idv_workers *w)
{
	pthread_mutex_lock(&w->mu);
	w->wakes++;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

bool
idv_workers_admit(struct idv_workers *w, unsigned nfiles, int64_t *queued,
		  unsigned *retry_after_s)
{
	int64_t q = 0;
	*retry_after_s = 0;
	if (idv_store_job_count(w->cs->store, "queued", &q) != IDV_OK)
		q = 0; /* cannot tell: let the insert itself succeed or fail */
	if (queued != NULL)
		*queued = q;
	unsigned max = w->cs->cfg->max_queue ? w->cs->cfg->max_queue : 200;
	if (q + (int64_t)nfiles <= (int64_t)max)
		return true;
	/* About when the queue will have room: what is ahead of this upload, shared by the
	 * workers, at the recent pace. */
	uint64_t avg = atomic_load(&w->avg_ms);
	uint64_t s = ((uint64_t)(q + (int64_t)nfiles - (int64_t)max) * (avg ? avg : 2000)) /
		     ((uint64_t)(w->n ? w->n : 1) * 1000u);
	*retry_after_s = s < 1 ? 1 : s > 120 ? 120 : (unsigned)s;
	return false;
}

void
idv_workers_stop(struct idv_workers *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	/* Documents being read go back to the queue, unharmed: the next start reads them. */
	for (unsigned i = 0; i < w->n; i++)
		idv_workerproc_kill(w->slots[i].wp);
	for (unsigned i = 0; i < w->n; i++) {
		pthread_join(w->slots[i].thread, NULL);
		idv_workerproc_free(w->slots[i].wp);
	}
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w->slots);
	free(w);
}
