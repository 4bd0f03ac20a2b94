/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_common.c: what the sub-commands share (cmd.h): reading the options, opening the store. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "crypto.h"
#include "idverify/str.h"

int
idv_cmd_begin(struct idv_cmd *c, const char *name, int argc, char **argv, size_t maxpos,
	      void (*usage)(FILE *out))
{
	char why[512];
	memset(c, 0, sizeof *c);
	c->name = name;
	idv_config_defaults(&c->cfg);
	if (IDV_NEVER(maxpos > IDV_CMD_MAX_POS))
		maxpos = IDV_CMD_MAX_POS;
	if (idv_config_load(&c->cfg, argc, argv, c->pos, maxpos, &c->npos, &c->help, why,
			    sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify %s: %s\n", name, why);
		return 2;
	}
	if (c->help && usage != NULL) {
		usage(stdout);
		return 0;
	}
	return -1;
}

enum idv_err
idv_cmd_store(struct idv_cmd *c)
{
	return idv_cmd_open_store(c->name, &c->cfg, &c->store);
}

bool
idv_cmd_verb(const struct idv_cmd *c, const char *verb, size_t nargs)
{
	return c->npos == nargs + 1 && strcmp(c->pos[0], verb) == 0;
}

int
idv_cmd_end(struct idv_cmd *c, int status)
{
	idv_store_close(c->store);
	c->store = NULL;
	idv_crypto_unload_master();
	return status;
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
