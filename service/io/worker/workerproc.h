/* SPDX-License-Identifier: Apache-2.0 */
/*
 * workerproc.h: serve's side of one sandboxed document worker process (`idverify worker`,
 * cmd_worker.c): start it, hand it one document's plain bytes, wait for its reading with a
 * wall-clock deadline, and replace it when it crashes, hangs or runs out of memory.
 *
 * One struct idv_workerproc is used by one thread at a time (a worker thread of workers.c);
 * only idv_workerproc_kill may be called from another thread. The process is started on first
 * use (or by idv_workerproc_prepare), kept for opts.jobs documents, then replaced; one that
 * stops answering is killed and replaced on next use. It reads every document in a fresh
 * process it forks, so a document that crashes, hangs or exhausts memory costs that child
 * only.
 */
#ifndef IDVERIFY_WORKERPROC_H
#define IDVERIFY_WORKERPROC_H

#include "extract.h"
#include "idverify/workerproto.h"

struct idv_workerproc_opts {
	const char *models_dir;  /* passed to the worker; NULL: its default */
	unsigned memory_mb;      /* address-space limit of the worker */
	unsigned timeout_s;      /* wall-clock deadline per document (and CPU budget) */
	unsigned jobs;           /* documents a worker hands out before it is replaced (each is
				    read in a fresh child either way) */
	size_t max_bytes;        /* largest document */
};

/* Why a worker failed on a document (the document's fault, as far as serve can tell):
 * enum idv_wp_failure of workerproto.h. */
/* "decoder_crash", "timeout", "memory" ("none" for IDV_WPF_NONE). */
const char *idv_wp_failure_name(enum idv_wp_failure f);

struct idv_workerproc;

struct idv_workerproc *idv_workerproc_new(const struct idv_workerproc_opts *opts);
/* Kill the process (if any), reap it, free. NULL: nothing. */
void idv_workerproc_free(struct idv_workerproc *wp);

/*
 * Read one document in the worker. Returns:
 *   IDV_OK with *failure NONE and doc filled: the worker read it (doc->status says how it went);
 *   IDV_OK with *failure CRASH, TIMEOUT or MEMORY: the process reading it failed (the worker
 *          itself, or when it stopped answering, its replacement, carries on); doc is not
 *          filled;
 *   IDV_E_IO: no worker could be started (not the document's fault: try later);
 *   IDV_E_STATE: idv_workerproc_kill was called meanwhile (shutting down);
 *   another error: the worker's extractor could not run (e.g. OCR data missing).
 */
enum idv_err idv_workerproc_extract(struct idv_workerproc *wp, const uint8_t *p, size_t len,
				    const struct idv_extract_opts *opts, struct idv_document *doc,
				    enum idv_wp_failure *failure);

/* Start the process now if there is none, so that the next document does not wait for it to
 * initialise. IDV_E_IO: it could not start; IDV_E_STATE: killed. */
enum idv_err idv_workerproc_prepare(struct idv_workerproc *wp);

/* From any thread: kill the worker now (shutdown); its current call returns IDV_E_STATE. */
void idv_workerproc_kill(struct idv_workerproc *wp);

/* Counters since start, for /metrics: processes started, and failures by kind. */
struct idv_workerproc_stats {
	uint64_t started;
	uint64_t failures[4]; /* indexed by enum idv_wp_failure */
	uint64_t peak_rss_kb; /* largest maximum resident size of an exited worker */
};
void idv_workerproc_stats(struct idv_workerproc_stats *out);

#endif
