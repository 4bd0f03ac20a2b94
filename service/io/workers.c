/* SPDX-License-Identifier: Apache-2.0 */
/*
 * workers.c: extraction jobs. Jobs live in the database (a crash loses none: running jobs go
 * back to the queue at start); worker threads claim them, open the document with its case's
 * key, read it (extract.h), seal the result, and evaluate the case when its evidence is
 * complete. A job that was tried twice without finishing (the process died in the decoder)
 * marks its document unreadable instead of being tried forever.
 *
 * Decoders run inside the service process for now; isolating them in sandboxed processes is
 * the robustness issue's work, behind this same job interface.
 */
#include <pthread.h>
#include <time.h>

#include "idverify/cases.h"
#include "idverify/extract.h"
#include "idverify/limits.h"
#include "idverify/log.h"
#include "idverify/recordstore.h"

#define WORKERS_MAX_ATTEMPTS 2

struct idv_workers {
	struct idv_cases *cs;
	pthread_t *threads;
	unsigned n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	uint64_t wakes;
};

/* The result of reading a document, as stored (sealed): a versioned copy of the struct. */
#define WORKERS_RESULT_MAGIC 0x49445644u /* "IDVD" */

struct workers_result {
	uint32_t magic;
	uint32_t size;
	struct idv_document doc;
};

enum idv_err
idv_document_unseal(const uint8_t dek[IDV_KEY_LEN], const char *reference, const char *doc_id,
		    const struct idv_buf *sealed, struct idv_document *doc)
{
	char label[64];
	struct idv_buf plain;
	enum idv_err err;
	snprintf(label, sizeof label, "result/%s", doc_id);
	idv_buf_init(&plain, sizeof(struct workers_result));
	err = idv_case_open(dek, reference, label, sealed->data, sealed->len, &plain);
	if (err == IDV_OK) {
		const struct workers_result *r = (const void *)plain.data;
		if (plain.len != sizeof *r || r->magic != WORKERS_RESULT_MAGIC ||
		    r->size != sizeof *r)
			err = IDV_E_STATE; /* written by another version: read again */
		else
			memcpy(doc, &r->doc, sizeof *doc);
	}
	idv_buf_cleanup_wipe(&plain);
	return err;
}

static enum idv_err
workers_store_result(struct idv_cases *cs, const struct idv_case_row *c,
		     const uint8_t dek[IDV_KEY_LEN], const char *doc_id,
		     const struct idv_document *doc)
{
	struct workers_result *r = idv_calloc(1, sizeof *r);
	struct idv_buf sealed;
	char label[64];
	r->magic = WORKERS_RESULT_MAGIC;
	r->size = sizeof *r;
	memcpy(&r->doc, doc, sizeof *doc);
	snprintf(label, sizeof label, "result/%s", doc_id);
	idv_buf_init(&sealed, sizeof *r + IDV_SEAL_OVERHEAD);
	enum idv_err err = idv_case_seal(dek, c->reference, label, r, sizeof *r, &sealed);
	idv_wipe(r, sizeof *r);
	free(r);
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

enum idv_err
idv_workers_run_one(struct idv_cases *cs)
{
	char doc_id[IDV_DOC_ID_MAX];
	int attempts = 0;
	enum idv_err err = idv_store_job_claim(cs->store, doc_id, &attempts);
	if (err != IDV_OK)
		return err;
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
	if (attempts >= WORKERS_MAX_ATTEMPTS) {
		doc->status = IDV_DOCSTAT_UNREADABLE;
		doc->err = IDV_E_UNREADABLE;
		snprintf(doc->error_detail, sizeof doc->error_detail,
			 "decoder_crash: reading this file stopped the reader %d times", attempts);
		idv_log(IDV_LOG_WARN, "worker.gave_up", "{s:s,s:i}", "document", doc_id,
			"attempts", attempts);
	} else {
		char label[64];
		snprintf(label, sizeof label, "doc/%s", d.id);
		if ((err = idv_case_open(dek, c.reference, label, d.content_sealed.data,
					 d.content_sealed.len, &plain)) != IDV_OK)
			goto done;
		struct idv_extract_opts opts = {0};
		opts.today_days = idv_today_days();
		opts.models_dir = cs->cfg->models_dir;
		opts.hint = strcmp(d.kind, "government_id") == 0	    ? IDV_HINT_GOVERNMENT_ID
			    : strcmp(d.kind, "proof_of_residence") == 0 ? IDV_HINT_PROOF_OF_RESIDENCE
									: IDV_HINT_ANY;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		err = idv_extract_bytes(plain.data, plain.len, &opts, doc);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		idv_log(IDV_LOG_INFO, "worker.extracted", "{s:s,s:s,s:s,s:I}", "document", doc_id,
			"status", idv_doc_status_name(doc->status), "kind",
			idv_doc_kind_name(doc->kind),
			"ms", (json_int_t)((t1.tv_sec - t0.tv_sec) * 1000 +
					   (t1.tv_nsec - t0.tv_nsec) / 1000000));
		if (err != IDV_OK) {
			/* The extractor could not run at all (no memory, OCR data missing): retry. */
			idv_store_job_retry(cs->store, doc_id);
			goto out;
		}
	}
	if ((err = workers_store_result(cs, &c, dek, doc_id, doc)) != IDV_OK)
		goto out;
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
	return IDV_OK;
}

static void *
workers_main(void *arg)
{
	struct idv_workers *w = arg;
	for (;;) {
		pthread_mutex_lock(&w->mu);
		bool stop = w->stop;
		pthread_mutex_unlock(&w->mu);
		if (stop)
			break;
		if (idv_workers_run_one(w->cs) == IDV_OK)
			continue;
		pthread_mutex_lock(&w->mu);
		if (!w->stop) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&w->cv, &w->mu, &ts);
		}
		pthread_mutex_unlock(&w->mu);
	}
	idv_extract_shutdown();
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
	w->threads = idv_calloc(n, sizeof *w->threads);
	for (unsigned i = 0; i < n; i++) {
		if (pthread_create(&w->threads[i], NULL, workers_main, w) != 0)
			break;
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

void
idv_workers_stop(struct idv_workers *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	for (unsigned i = 0; i < w->n; i++)
		pthread_join(w->threads[i], NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w->threads);
	free(w);
}
