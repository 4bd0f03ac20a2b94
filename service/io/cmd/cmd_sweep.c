/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_sweep.c: `idverify sweep`, the sweeper of serve, for cron (cases.h idv_sweep). */
#include <time.h>

#include "cases.h"
#include "cmd.h"

static void
sweep_usage(FILE *out)
{
	fprintf(out, "usage: idverify sweep [OPTIONS]\n\n"
		     "Closes cases without activity for --abandon-days (as denied, basis abandoned),\n"
		     "deletes the new verification data of every closed case not purged yet, and\n"
		     "deletes request records closed more than 24 months ago. serve runs the same\n"
		     "sweep every --sweep-interval seconds; this command is for cron.\n\n");
	idv_config_usage(out);
}

int
idv_cmd_sweep(int argc, char **argv)
{
	struct idv_config cfg;
	char why[512];
	char *pos[1];
	size_t npos;
	struct idv_store *store = NULL;
	struct idv_scoring *scoring = NULL;
	int status = idv_cmd_options("sweep", &cfg, argc, argv, pos, 0, &npos, sweep_usage, NULL);
	if (status >= 0)
		return status;
	status = 1;
	if (idv_cmd_open_store("sweep", &cfg, &store) != IDV_OK)
		goto out;
	if (idv_scoring_load(cfg.models_dir, &scoring, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify sweep: %s\n", why);
		goto out;
	}
	struct idv_cases cs = {store, &cfg, scoring, NULL};
	struct idv_sweep_report rep;
	if (idv_sweep(&cs, (int64_t)time(NULL), &rep) != IDV_OK) {
		fprintf(stderr, "idverify sweep: database error\n");
		goto out;
	}
	printf("{\"abandoned\":%lld,\"purged\":%lld,\"records_deleted\":%lld}\n",
	       (long long)rep.abandoned, (long long)rep.purged, (long long)rep.records_deleted);
	status = 0;
out:
	idv_scoring_free(scoring);
	idv_store_close(store);
	idv_crypto_unload_master();
	return status;
}
