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

/*
 * Shared by the commands (cmd_common.c). idv_cmd_options: the defaults, then the environment
 * and argv into cfg (positional arguments as idv_config_load); returns -1 when the command
 * goes on, else its exit status: 2 after printing "idverify <name>: <why>", 0 after --help
 * printed by usage (with usage NULL, --help is only reported in *help, which may be NULL).
 * idv_cmd_open_store: the data directory made, the master key loaded and the store opened
 * (*store, the caller's to close); on an error it prints why and returns it.
 */
int idv_cmd_options(const char *name, struct idv_config *cfg, int argc, char **argv, char **pos,
		    size_t maxpos, size_t *npos, void (*usage)(FILE *out), bool *help);
enum idv_err idv_cmd_open_store(const char *name, const struct idv_config *cfg,
				struct idv_store **store);

#endif
