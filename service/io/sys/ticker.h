/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ticker.h: a background thread that runs a pass, then sleeps interval seconds (or until it is
 * woken) before the next, from start until stop: the loop of serve's sweeper and outbox.
 */
#ifndef IDVERIFY_TICKER_H
#define IDVERIFY_TICKER_H

#include <pthread.h>

#include "idverify/common.h"

/* The caller's storage; its fields are the ticker's own (read them through the calls below). */
struct idv_ticker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, woken;
	unsigned interval_s;
	void (*pass)(void *arg);
	void *arg;
};

/* Start the thread: pass(arg) at once, then every interval_s seconds. IDV_E_IO when the thread
 * cannot start (then nothing is held and stop must not be called). arg outlives the ticker. */
enum idv_err idv_ticker_start(struct idv_ticker *t, unsigned interval_s, void (*pass)(void *arg),
			      void *arg);
/* Cut the sleep short: the next pass starts now (or when the one running ends). */
void idv_ticker_wake(struct idv_ticker *t);
/* True once stop was asked: a long pass checks it to end early. */
bool idv_ticker_stopping(struct idv_ticker *t);
/* Ask the thread to stop, wait for the pass in progress and release the ticker. */
void idv_ticker_stop(struct idv_ticker *t);

#endif
