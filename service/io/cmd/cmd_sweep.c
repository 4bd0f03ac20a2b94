/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_sweep.c: `idverify sweep`, the sweeper of serve, for cron (cases.h idv_sweep). */
#include <time.h>

#include "cases.h"
#include "cmd.h"

static void
sweep_usage(FILE *out)
{
	fprintf(out,
		"usage: idverify sweep [OPTIONS]\n\n"
		"Closes cases without activity for --abandon-days (as denied, basis abandoned),\n"
		"deletes the new verification data of every closed case not purged yet, and\n"
		"deletes request records closed more than 24 months ago (the policy's\n"
		"procedure.retention_months, models/README.md). serve runs the same\n"
		"sweep every --sweep-interval seconds; this command is for cron.\n\n");
	idv_config_usage(out);
}

int
idv_cmd_sweep(int argc, char **argv)
{
	char why[512];
	struct idv_scoring *scoring = NULL;
	struct idv_cmd c;
	int status = idv_cmd_begin(&c, "sweep", argc, argv, 0, sweep_usage);
	if (status >= 0)
		return status;
	status = 1;
	if (idv_cmd_store(&c) != IDV_OK)
		goto out;
	if (idv_scoring_load(c.cfg.models_dir, &scoring, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify sweep: %s\n", why);
		goto out;
	}
	struct idv_cases cs = {c.store, &c.cfg, scoring, NULL};
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
	return idv_cmd_end(&c, status);
}
