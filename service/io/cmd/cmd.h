/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd.h: the sub-commands of the idverify binary. Each lives in service/io/cmd_<name>.c and is
 * listed in main.c's command table. argv[0] is the sub-command's name; the return value is the
 * process exit status. Every command answers --help.
 */
#ifndef IDVERIFY_CMD_H
#define IDVERIFY_CMD_H

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

#endif
