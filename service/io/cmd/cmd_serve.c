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
#include "messages.h"
#include "store.h"
#include "sweeper.h"
#include "idverify/str.h"

static void
serve_usage(FILE *out)
{
	fprintf(out,
		"usage: idverify serve [OPTIONS]\n\n"
		"Runs the HTTP service (intake API, operators' endpoints) until SIGTERM/SIGINT.\n"
		"Needs a master key (see 'idverify keygen').\n\n");
	idv_config_usage(out);
}

/* The --log-level named, info for any other name. */
static enum idv_log_level
serve_log_level(const char *name)
{
	enum idv_log_level l = idv_log_level_lookup(name, strlen(name));
	return l == IDV_LOG__COUNT ? IDV_LOG_INFO : l;
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
	bool fits;
	if (cfg->public_url[0] != '\0')
		fits = idv_strlcpy(out, cfg->public_url, outsz);
	else
		fits = idv_fmt(out, outsz, "%s://%s%s%s:%u", cfg->tls_cert[0] ? "https" : "http",
			       strchr(cfg->listen_host, ':') ? "[" : "", cfg->listen_host,
			       strchr(cfg->listen_host, ':') ? "]" : "",
			       (unsigned)cfg->listen_port);
	if (!fits)
		out[0] = '\0';
	size_t len = strlen(out);
	while (len > 0 && out[len - 1] == '/')
		out[--len] = '\0';
}

int
idv_cmd_serve(int argc, char **argv)
{
	char why[512];
	struct idv_cmd c;
	struct idv_server *srv = NULL;
	struct idv_scoring *scoring = NULL;
	struct idv_workers *workers = NULL;
	struct idv_sweeper *sweeper = NULL;
	struct idv_agents agents = {0};
	struct idv_outbox *outbox = NULL;
	struct idv_app app = {0};
	char public_url[256];
	int status = 1;

	if ((status = idv_cmd_begin(&c, "serve", argc, argv, 0, serve_usage)) >= 0)
		return status;
	status = 1;
	idv_log_set_level(serve_log_level(c.cfg.log_level));
	/* Signals are taken by sigwait below; every thread started from here inherits the mask. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A full disk (or a file-size limit) fails the write, not the process. */
	signal(SIGXFSZ, SIG_IGN);

	if (idv_cmd_store(&c) != IDV_OK)
		goto out;
	if (idv_scoring_load(c.cfg.models_dir, &scoring, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	/* the consumer-facing texts, one catalogue per language (messages.h) */
	if (idv_messages_load(c.cfg.models_dir, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	if (c.cfg.agent_directory[0] != '\0' &&
	    idv_agents_load(c.cfg.agent_directory, &agents, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	serve_public_url(&c.cfg, public_url, sizeof public_url);
	bool drp = c.cfg.agent_directory[0] != '\0' && c.cfg.business_id[0] != '\0';
	struct idv_cases cases = {c.store, &c.cfg, scoring, drp ? &agents : NULL};
	if (idv_workers_start(&cases, c.cfg.workers, &workers) != IDV_OK) {
		fprintf(stderr, "idverify serve: cannot start the document workers\n");
		goto out;
	}
	app.cases = &cases;
	app.workers = workers;
	app.public_url = public_url;
	if (idv_api_platforms_load(&c.cfg, &app, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	/* The outbox also sends one-time codes (SMTP, SMS gateway). */
	bool senders = c.cfg.smtp_url[0] != '\0' || c.cfg.sms_url[0] != '\0';
	if (drp || idv_api_platforms_on(&c.cfg) || senders) {
		if (idv_outbox_start(&cases, public_url, &outbox) != IDV_OK) {
			fprintf(stderr, "idverify serve: cannot start the outbox sender\n");
			goto out;
		}
		app.outbox = outbox;
	}
	if (drp)
		app.agents = &agents;
	sweeper = idv_sweeper_start(&cases);
	struct idv_server_opts opts = {idv_routes, idv_routes_count, serve_case_auth, c.store,
				       &app};
	if (idv_server_start(&c.cfg, c.store, &opts, &srv, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify serve: %s\n", why);
		goto out;
	}
	idv_log(IDV_LOG_INFO, "server.started", "{s:s,s:i,s:i,s:s}", "host", c.cfg.listen_host,
		"port", (int)c.cfg.listen_port, "schema_version", idv_store_schema_version(c.store),
		"version", IDV_VERSION);
	int sig = 0;
	sigwait(&sigs, &sig);
	idv_log(IDV_LOG_INFO, "server.stopping", "{s:i,s:i}", "signal", sig, "grace_s",
		(int)c.cfg.grace_s);
	idv_server_stop(srv, c.cfg.grace_s);
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
	return idv_cmd_end(&c, status);
}
