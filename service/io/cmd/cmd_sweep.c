/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_sweep.c: `idverify sweep`, the sweeper of serve, for cron (cases.h idv_sweep). */
#include <time.h>

#include "cases.h"
#include "cmd.h"

int
idv_cmd_sweep(int argc, char **argv)
{
	struct idv_config cfg;
	char why[512];
	char *pos[1];
	size_t npos;
	bool help;
	struct idv_store *store = NULL;
	struct idv_scoring *scoring = NULL;
	int status = 1;
	idv_config_defaults(&cfg);
	if (idv_config_load(&cfg, argc, argv, pos, 0, &npos, &help, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify sweep: %s\n", why);
		return 2;
	}
	if (help) {
		printf("usage: idverify sweep [OPTIONS]\n\n"
		       "Closes cases without activity for --abandon-days (as denied, basis abandoned),\n"
		       "deletes the new verification data of every closed case not purged yet, and\n"
		       "deletes request records closed more than 24 months ago. serve runs the same\n"
		       "sweep every --sweep-interval seconds; this command is for cron.\n\n");
		idv_config_usage(stdout);
		return 0;
	}
	char dbpath[PATH_MAX];
	if (idv_crypto_load_master(cfg.master_key, why, sizeof why) != IDV_OK ||
	    idv_config_data_path(&cfg, "idverify.db", dbpath, sizeof dbpath) != IDV_OK ||
	    idv_store_open(dbpath, &store, why, sizeof why) != IDV_OK ||
	    idv_scoring_load(cfg.models_dir, &scoring, why, sizeof why) != IDV_OK) {
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
