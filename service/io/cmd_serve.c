/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_serve.c: `idverify serve`. Loads configuration and the master key, opens (and migrates)
 * the database, listens, and on SIGTERM or SIGINT stops accepting, lets in-flight requests finish
 * within the grace period, closes the database cleanly and exits 0.
 */
#include <pthread.h>
#include <signal.h>

#include "idverify/cmd.h"
#include "idverify/config.h"
#include "idverify/crypto.h"
#include "idverify/http.h"
#include "idverify/log.h"
#include "idverify/store.h"

static void
serve_usage(FILE *out)
{
	fprintf(out, "usage: idverify serve [OPTIONS]\n\n"
		     "Runs the HTTP service (intake API, operators' endpoints) until SIGTERM/SIGINT.\n"
		     "Needs a master key (see 'idverify keygen').\n\n");
	idv_config_usage(out);
}

static enum idv_log_level
serve_log_level(const char *name)
{
	if (strcmp(name, "debug") == 0)
		return IDV_LOG_DEBUG;
	if (strcmp(name, "warn") == 0)
		return IDV_LOG_WARN;
	if (strcmp(name, "error") == 0)
		return IDV_LOG_ERROR;
	return IDV_LOG_INFO;
}

int
idv_cmd_serve(int argc, char **argv)
{
	struct idv_config cfg;
	char why[512];
	char *pos[1];
	size_t npos;
	bool help;
	struct idv_store *store = NULL;
	struct idv_server *srv = NULL;
	int status = 1;

	idv_config_defaults(&cfg);
	if (idv_config_load(&cfg, argc, argv, pos, 0, &npos, &help, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		return 2;
	}
	if (help) {
		serve_usage(stdout);
		return 0;
	}
	idv_log_set_level(serve_log_level(cfg.log_level));
	/* Signals are taken by sigwait below; every thread started from here inherits the mask. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (idv_config_ensure_data_dir(&cfg, why, sizeof why) != IDV_OK ||
	    idv_crypto_load_master(cfg.master_key, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	char dbpath[PATH_MAX];
	if (idv_config_data_path(&cfg, "idverify.db", dbpath, sizeof dbpath) != IDV_OK ||
	    idv_store_open(dbpath, &store, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	if (idv_server_start(&cfg, store, &srv, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	idv_log(IDV_LOG_INFO, "server.started", "{s:s,s:i,s:i,s:s}", "host", cfg.listen_host,
		"port", (int)cfg.listen_port, "schema_version", idv_store_schema_version(store),
		"version", IDV_VERSION);
	int sig = 0;
	sigwait(&sigs, &sig);
	idv_log(IDV_LOG_INFO, "server.stopping", "{s:i,s:i}", "signal", sig, "grace_s",
		(int)cfg.grace_s);
	idv_server_stop(srv, cfg.grace_s);
	srv = NULL;
	status = 0;
	idv_log(IDV_LOG_INFO, "server.stopped", NULL);
out:
	idv_server_stop(srv, 0);
	idv_store_close(store);
	idv_crypto_unload_master();
	return status;
}
