/* SPDX-License-Identifier: Apache-2.0 */
/*
 * workers.h: extraction workers: threads of serve, each handing documents to its own sandboxed
 * worker process (workerproc.h); stopping kills the processes and puts their documents back in
 * the queue.
 */
#ifndef IDVERIFY_WORKERS_H
#define IDVERIFY_WORKERS_H

#include "cases.h"

struct idv_workers;
enum idv_err idv_workers_start(struct idv_cases *cs, unsigned n, struct idv_workers **out);
void idv_workers_wake(struct idv_workers *w);
void idv_workers_stop(struct idv_workers *w);
/* May nfiles more documents be queued (at most cfg->max_queue waiting)? When not, a sensible
 * Retry-After in seconds. *queued (may be NULL): the documents waiting now. */
bool idv_workers_admit(struct idv_workers *w, unsigned nfiles, int64_t *queued,
		       unsigned *retry_after_s);
/* Process one queued job from the calling thread (in a worker process of its own):
 * IDV_E_NOTFOUND when there is none. */
enum idv_err idv_workers_run_one(struct idv_cases *cs);

#endif
