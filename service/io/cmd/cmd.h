/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd.h: the sub-commands of the idverify binary. Each lives in service/io/cmd_<name>.c and is
 * listed in main.c's command table. argv[0] is the sub-command's name; the return value is the
 * process exit status. Every command answers --help.
 */
#ifndef IDVERIFY_CMD_H
#define IDVERIFY_CMD_H

#include <stdio.h>

#include "config.h"
#include "store.h"

int idv_cmd_serve(int argc, char **argv);
int idv_cmd_keygen(int argc, char **argv);
int idv_cmd_records(int argc, char **argv);
int idv_cmd_check(int argc, char **argv);
int idv_cmd_verify(int argc, char **argv);
int idv_cmd_sweep(int argc, char **argv);
int idv_cmd_worker(int argc, char **argv);
int idv_cmd_keys(int argc, char **argv);
int idv_cmd_audit(int argc, char **argv);
int idv_cmd_routes(int argc, char **argv); /* hidden: the route table as JSON */

/* The most positional arguments a sub-command of the frame below takes. */
#define IDV_CMD_MAX_POS 2

/*
 * The frame of a sub-command that reads the options and may open the store (cmd_common.c):
 * idv_cmd_begin: the defaults, then the environment and argv into c->cfg, at most maxpos
 * (<= IDV_CMD_MAX_POS) positional arguments into c->pos; returns -1 when the command goes on,
 * else its exit status: 2 after printing "idverify <name>: <why>", 0 after --help printed by
 * usage (with usage NULL, --help is only reported in c->help). idv_cmd_store: the data
 * directory made, the master key loaded and c->store opened; on an error it prints why and
 * returns it. idv_cmd_end: closes c->store (if open), unloads the master key and returns status.
 * idv_cmd_open_store is idv_cmd_store for a caller that holds its own config.
 */
struct idv_cmd {
	const char *name;
	struct idv_config cfg;
	char *pos[IDV_CMD_MAX_POS];
	size_t npos;
	bool help;
	struct idv_store *store;
};
int idv_cmd_begin(struct idv_cmd *c, const char *name, int argc, char **argv, size_t maxpos,
		  void (*usage)(FILE *out));
enum idv_err idv_cmd_store(struct idv_cmd *c);
int idv_cmd_end(struct idv_cmd *c, int status);
/* True when the positional arguments are verb and then nargs more ("keys revoke ID"). */
bool idv_cmd_verb(const struct idv_cmd *c, const char *verb, size_t nargs);
enum idv_err idv_cmd_open_store(const char *name, const struct idv_config *cfg,
				struct idv_store **store);

#endif
