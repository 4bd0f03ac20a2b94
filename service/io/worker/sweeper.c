/* SPDX-License-Identifier: Apache-2.0 */
/* sweeper.c: the sweeper thread (sweeper.h), a ticker (ticker.h) running idv_sweep. */
#include <time.h>

#include "log.h"
#include "sweeper.h"
#include "ticker.h"

struct idv_sweeper {
	struct idv_ticker ticker;
	struct idv_cases *cases;
};

static void
sweeper_pass(void *arg)
{
	struct idv_sweeper *sw = arg;
	struct idv_sweep_report rep;
	/* One instance sweeps for all that share a database (store.h). */
	if (idv_store_lead(sw->cases->store, IDV_STORE_TASK_SWEEPER) &&
	    idv_sweep(sw->cases, (int64_t)time(NULL), &rep) == IDV_OK &&
	    (rep.abandoned || rep.purged || rep.records_deleted))
		idv_log(IDV_LOG_INFO, "sweep.done", "{s:I,s:I,s:I}", "abandoned",
			(json_int_t)rep.abandoned, "purged", (json_int_t)rep.purged,
			"records_deleted", (json_int_t)rep.records_deleted);
}

struct idv_sweeper *
idv_sweeper_start(struct idv_cases *cs)
{
	struct idv_sweeper *sw = idv_calloc(1, sizeof *sw);
	sw->cases = cs;
	if (idv_ticker_start(&sw->ticker, cs->cfg->sweep_interval_s, sweeper_pass, sw) != IDV_OK) {
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
	idv_ticker_stop(&sw->ticker);
	free(sw);
}
