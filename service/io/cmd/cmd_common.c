/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_common.c: what the sub-commands share (cmd.h): reading the options, opening the store. */
#include <limits.h>
#include <stdio.h>

#include "cmd.h"
#include "crypto.h"
#include "idverify/str.h"

int
idv_cmd_options(const char *name, struct idv_config *cfg, int argc, char **argv, char **pos,
		size_t maxpos, size_t *npos, void (*usage)(FILE *out), bool *help)
{
	char why[512];
	bool h = false;
	idv_config_defaults(cfg);
	if (idv_config_load(cfg, argc, argv, pos, maxpos, npos, &h, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify %s: %s\n", name, why);
		return 2;
	}
	if (help != NULL)
		*help = h;
	if (h && usage != NULL) {
		usage(stdout);
		return 0;
	}
	return -1;
}

enum idv_err
idv_cmd_open_store(const char *name, const struct idv_config *cfg, struct idv_store **store)
{
	char why[512], dbpath[PATH_MAX];
	enum idv_err err;
	/* --database names the database (PostgreSQL's address, or a SQLite file); without it,
	 * SQLite in the data directory, which holds the master key either way. */
	const char *where = cfg->database[0] != '\0' ? cfg->database : dbpath;
	if ((err = idv_config_ensure_data_dir(cfg, why, sizeof why)) == IDV_OK &&
	    (err = idv_crypto_load_master(cfg->master_key, why, sizeof why)) == IDV_OK &&
	    (err = idv_config_data_path(cfg, "idverify.db", dbpath, sizeof dbpath)) != IDV_OK)
		idv_why(why, sizeof why, "data directory path too long");
	if (err == IDV_OK)
		err = idv_store_open(where, store, why, sizeof why);
	if (err != IDV_OK)
		fprintf(stderr, "idverify %s: %s\n", name, why);
	return err;
}
