/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_serve.c: `idverify serve`. Loads configuration and the master key, opens (and migrates)
 * the database, listens, and on SIGTERM or SIGINT stops accepting, lets in-flight requests finish
 * within the grace period, closes the database cleanly and exits 0.
 */
#include <pthread.h>
#include <signal.h>

#include "agents.h"
#include "outbox.h"
#include "api.h"
#include "cases.h"
#include "workers.h"
#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "http.h"
#include "log.h"
#include "store.h"
#include "sweeper.h"

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

static enum idv_case_cred
serve_case_auth(void *arg, const char *reference, const char *token)
{
	switch (idv_case_token_holder(arg, reference, token)) {
	case IDV_HOLDER_REQUESTER: return IDV_CASE_CRED_REQUESTER;
	case IDV_HOLDER_AGENT: return IDV_CASE_CRED_AGENT;
	case IDV_HOLDER_CONSUMER: return IDV_CASE_CRED_CONSUMER;
	case IDV_HOLDER_NONE: break;
	}
	return IDV_CASE_CRED_NONE;
}

/* The base of links given out: --public-url, or the listen address. */
static void
serve_public_url(const struct idv_config *cfg, char *out, size_t outsz)
{
	int n;
	if (cfg->public_url[0] != '\0')
		n = snprintf(out, outsz, "%s", cfg->public_url);
	else
		n = snprintf(out, outsz, strchr(cfg->listen_host, ':') ? "%s://[%s]:%u" : "%s://%s:%u",
			     cfg->tls_cert[0] ? "https" : "http", cfg->listen_host,
			     (unsigned)cfg->listen_port);
	if (n < 0 || (size_t)n >= outsz)
		out[0] = '\0';
	size_t len = strlen(out);
	while (len > 0 && out[len - 1] == '/')
		out[--len] = '\0';
}

int
idv_cmd_serve(int argc, char **argv)
{
	struct idv_config cfg;
	char why[512];
	char *pos[1];
	size_t npos;
	struct idv_store *store = NULL;
	struct idv_server *srv = NULL;
	struct idv_scoring *scoring = NULL;
	struct idv_workers *workers = NULL;
	struct idv_sweeper *sweeper = NULL;
	struct idv_agents agents = {0};
	struct idv_outbox *outbox = NULL;
	struct idv_app app = {0};
	char public_url[256];
	int status = 1;

	if ((status = idv_cmd_options("serve", &cfg, argc, argv, pos, 0, &npos, serve_usage,
				      NULL)) >= 0)
		return status;
	status = 1;
	idv_log_set_level(serve_log_level(cfg.log_level));
	/* Signals are taken by sigwait below; every thread started from here inherits the mask. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A full disk (or a file-size limit) fails the write, not the process. */
	signal(SIGXFSZ, SIG_IGN);

	if (idv_cmd_open_store("serve", &cfg, &store) != IDV_OK)
		goto out;
	if (idv_scoring_load(cfg.models_dir, &scoring, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	if (cfg.agent_directory[0] != '\0' &&
	    idv_agents_load(cfg.agent_directory, &agents, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	serve_public_url(&cfg, public_url, sizeof public_url);
	bool drp = cfg.agent_directory[0] != '\0' && cfg.business_id[0] != '\0';
	struct idv_cases cases = {store, &cfg, scoring, drp ? &agents : NULL};
	if (idv_workers_start(&cases, cfg.workers, &workers) != IDV_OK) {
		fprintf(stderr, "idverify serve: cannot start the document workers\n");
		goto out;
	}
	app.cases = &cases;
	app.workers = workers;
	app.public_url = public_url;
	if (idv_api_platforms_load(&cfg, &app, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	/* The outbox also sends one-time codes (SMTP, SMS gateway). */
	bool senders = cfg.smtp_url[0] != '\0' || cfg.sms_url[0] != '\0';
	if (drp || idv_api_platforms_on(&cfg) || senders) {
		if (idv_outbox_start(&cases, public_url, &outbox) != IDV_OK) {
			fprintf(stderr, "idverify serve: cannot start the outbox sender\n");
			goto out;
		}
		app.outbox = outbox;
	}
	if (drp)
		app.agents = &agents;
	sweeper = idv_sweeper_start(&cases);
	struct idv_server_opts opts = {idv_routes, idv_routes_count, serve_case_auth, store, &app};
	if (idv_server_start(&cfg, store, &opts, &srv, why, sizeof why) != IDV_OK) {
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
out:
	idv_server_stop(srv, 0);
	idv_sweeper_stop(sweeper);
	/* Workers finish the document in hand; queued jobs stay in the database. */
	idv_workers_stop(workers);
	idv_outbox_stop(outbox);
	idv_api_platforms_free(&app);
	idv_agents_free(&agents);
	idv_scoring_free(scoring);
	if (status == 0)
		idv_log(IDV_LOG_INFO, "server.stopped", NULL);
	idv_store_close(store);
	idv_crypto_unload_master();
	return status;
}
