/* SPDX-License-Identifier: Apache-2.0 */
/* ticker.c: the periodic background thread (ticker.h). */
#include <time.h>

#include "ticker.h"

static void *
ticker_main(void *arg)
{
	struct idv_ticker *t = arg;
	pthread_mutex_lock(&t->mu);
	while (!t->stop) {
		t->woken = false;
		pthread_mutex_unlock(&t->mu);
		t->pass(t->arg);
		pthread_mutex_lock(&t->mu);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += t->interval_s;
		while (!t->stop && !t->woken && pthread_cond_timedwait(&t->cv, &t->mu, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

enum idv_err
idv_ticker_start(struct idv_ticker *t, unsigned interval_s, void (*pass)(void *arg), void *arg)
{
	t->stop = false;
	t->woken = false;
	t->interval_s = interval_s;
	t->pass = pass;
	t->arg = arg;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	if (pthread_create(&t->thread, NULL, ticker_main, t) != 0) {
		pthread_mutex_destroy(&t->mu);
		pthread_cond_destroy(&t->cv);
		return IDV_E_IO;
	}
	return IDV_OK;
}

/* Raise *flag (woken or stop) and wake the thread. */
static void
ticker_raise(struct idv_ticker *t, bool *flag)
{
	pthread_mutex_lock(&t->mu);
	*flag = true;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

void
idv_ticker_wake(struct idv_ticker *t)
{
	ticker_raise(t, &t->woken);
}

bool
idv_ticker_stopping(struct idv_ticker *t)
{
	pthread_mutex_lock(&t->mu);
	bool stop = t->stop;
	pthread_mutex_unlock(&t->mu);
	return stop;
}

void
idv_ticker_stop(struct idv_ticker *t)
{
	ticker_raise(t, &t->stop);
	pthread_join(t->thread, NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
}
