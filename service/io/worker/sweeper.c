/* SPDX-License-Identifier: Apache-2.0 */
/* sweeper.c: the sweeper thread (sweeper.h). */
#include <pthread.h>
#include <time.h>

#include "log.h"
#include "sweeper.h"

struct idv_sweeper {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	struct idv_cases *cases;
};

static void *
sweeper_main(void *arg)
{
	struct idv_sweeper *sw = arg;
	pthread_mutex_lock(&sw->mu);
	while (!sw->stop) {
		pthread_mutex_unlock(&sw->mu);
		struct idv_sweep_report rep;
		/* One instance sweeps for all that share a database (store.h). */
		if (idv_store_lead(sw->cases->store, IDV_STORE_TASK_SWEEPER) &&
		    idv_sweep(sw->cases, (int64_t)time(NULL), &rep) == IDV_OK &&
		    (rep.abandoned || rep.purged || rep.records_deleted))
			idv_log(IDV_LOG_INFO, "sweep.done", "{s:I,s:I,s:I}", "abandoned",
				(json_int_t)rep.abandoned, "purged", (json_int_t)rep.purged,
				"records_deleted", (json_int_t)rep.records_deleted);
		pthread_mutex_lock(&sw->mu);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += sw->cases->cfg->sweep_interval_s;
		while (!sw->stop && pthread_cond_timedwait(&sw->cv, &sw->mu, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&sw->mu);
	return NULL;
}

struct idv_sweeper *
idv_sweeper_start(struct idv_cases *cs)
{
	struct idv_sweeper *sw = idv_calloc(1, sizeof *sw);
	sw->cases = cs;
	pthread_mutex_init(&sw->mu, NULL);
	pthread_cond_init(&sw->cv, NULL);
	if (pthread_create(&sw->thread, NULL, sweeper_main, sw) != 0) {
		pthread_mutex_destroy(&sw->mu);
		pthread_cond_destroy(&sw->cv);
		free(sw);
		return NULL;
	}
	return sw;
}

void
idv_sweeper_stop(struct idv_sweeper *sw)
{
	if (sw == NULL)
		return;
	pthread_mutex_lock(&sw->mu);
	sw->stop = true;
	pthread_cond_broadcast(&sw->cv);
	pthread_mutex_unlock(&sw->mu);
	pthread_join(sw->thread, NULL);
	pthread_mutex_destroy(&sw->mu);
	pthread_cond_destroy(&sw->cv);
	free(sw);
}
