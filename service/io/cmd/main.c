/* SPDX-License-Identifier: Apache-2.0 */
/* main.c: the idverify binary's command table. */
#include <sys/stat.h>

#include "cmd.h"
#include "idverify/common.h"
#include "ocr.h"

struct main_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct main_command main_commands[] = {
	{"serve", idv_cmd_serve, "run the HTTP service"},
	{"keygen", idv_cmd_keygen, "create the master key"},
	{"records", idv_cmd_records, "manage the business's existing customer records (import)"},
	{"check", idv_cmd_check, "read documents and print what they yield, as JSON lines"},
	{"verify", idv_cmd_verify, "run one verification decision offline"},
	{"sweep", idv_cmd_sweep, "close abandoned cases, purge closed ones, trim old records"},
	{"worker", idv_cmd_worker, "the sandboxed document reader serve starts (not by hand)"},
	{"keys", idv_cmd_keys, "API keys per role: create, revoke, list"},
	{"audit", idv_cmd_audit, "verify the audit trail's hash chain"},
	{"routes", idv_cmd_routes, NULL}, /* hidden: the route table as JSON */
};

static void
main_usage(FILE *out)
{
	fprintf(out, "usage: idverify COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < IDV_ARRAY_LEN(main_commands); i++)
		if (main_commands[i].summary != NULL)
			fprintf(out, "  %-8s %s\n", main_commands[i].name,
				main_commands[i].summary);
	fprintf(out, "\n'idverify COMMAND --help' describes each command.\n");
}

int
main(int argc, char **argv)
{
	/* Before anything else: tesseract's OpenMP must be single-threaded (ocr.h). */
	idv_ocr_single_thread_exec(argv);
	/* Every file idverify creates (database, WAL, keys, spools) is its own user's only. */
	umask(077);
	if (argc < 2) {
		main_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		main_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("idverify %s\n", IDV_VERSION);
		return 0;
	}
	for (size_t i = 0; i < IDV_ARRAY_LEN(main_commands); i++)
		if (strcmp(argv[1], main_commands[i].name) == 0)
			return main_commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "idverify: unknown command '%s'\n\n", argv[1]);
	main_usage(stderr);
	return 2;
}
