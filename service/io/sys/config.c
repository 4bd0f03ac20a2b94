/* SPDX-License-Identifier: Apache-2.0 */
/* config.c: defaults, IDVERIFY_* variables and flags (see config.h). */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "idverify/limits.h"
#include "idverify/str.h"

enum config_type { CFG_STR, CFG_UINT, CFG_SIZE, CFG_HOSTPORT, CFG_FLAG };

struct config_opt {
	const char *flag; /* without the leading "--" */
	const char *env;
	enum config_type type;
	size_t offset;
	size_t size; /* for strings: the array size */
	uint64_t min, max;
	const char *help;
};

#define STR(f) CFG_STR, offsetof(struct idv_config, f), sizeof(((struct idv_config *)0)->f), 0, 0
#define NUM(t, f, lo, hi) t, offsetof(struct idv_config, f), 0, lo, hi
#define FLAG(f) CFG_FLAG, offsetof(struct idv_config, f), 0, 0, 1

static const struct config_opt config_opts[] = {
	{"listen", "IDVERIFY_LISTEN", CFG_HOSTPORT, 0, 0, 0, 0,
	 "HOST:PORT to listen on (default 127.0.0.1:8080)"},
	{"data-dir", "IDVERIFY_DATA_DIR", STR(data_dir), "data directory (default ./data)"},
	{"master-key", "IDVERIFY_MASTER_KEY", STR(master_key),
	 "master key file (default DATA_DIR/master.key)"},
	{"database", "IDVERIFY_DATABASE", STR(database),
	 "postgresql://... or a SQLite file (default DATA_DIR/idverify.db); a password belongs in"
	 " IDVERIFY_DATABASE or ~/.pgpass, not in a flag"},
	{"models", "IDVERIFY_MODELS", STR(models_dir), "models directory (default ./models)"},
	{"workers", "IDVERIFY_WORKERS", NUM(CFG_UINT, workers, 1, 64),
	 "document worker processes (default 2)"},
	{"http-threads", "IDVERIFY_HTTP_THREADS", NUM(CFG_UINT, http_threads, 1, 64),
	 "HTTP threads (default 2)"},
	{"connection-timeout", "IDVERIFY_CONNECTION_TIMEOUT",
	 NUM(CFG_UINT, conn_timeout_s, 1, 3600), "idle connection timeout, seconds (default 30)"},
	{"connection-limit", "IDVERIFY_CONNECTION_LIMIT",
	 NUM(CFG_UINT, conn_limit, 1, IDV_LIMIT_CONNECTIONS),
	 "concurrent connections (default 512)"},
	{"connection-limit-per-ip", "IDVERIFY_CONNECTION_LIMIT_PER_IP",
	 NUM(CFG_UINT, conn_per_ip, 1, IDV_LIMIT_CONNECTIONS), "per client IP (default 32)"},
	{"connection-memory", "IDVERIFY_CONNECTION_MEMORY",
	 NUM(CFG_SIZE, conn_memory, 16384, 4u << 20), "bytes per connection (default 262144)"},
	{"max-json-body", "IDVERIFY_MAX_JSON_BODY",
	 NUM(CFG_SIZE, max_json_body, 1024, IDV_LIMIT_JSON_BODY), "bytes (default 65536)"},
	{"max-upload", "IDVERIFY_MAX_UPLOAD",
	 NUM(CFG_SIZE, max_upload, 1024, IDV_LIMIT_UPLOAD_BYTES),
	 "bytes per document (default 20971520)"},
	{"shutdown-grace", "IDVERIFY_SHUTDOWN_GRACE", NUM(CFG_UINT, grace_s, 0, 60),
	 "seconds to finish in-flight requests on SIGTERM (default 5)"},
	{"log-level", "IDVERIFY_LOG_LEVEL", STR(log_level),
	 "debug, info, warn or error (default info)"},
	{"respond-days", "IDVERIFY_RESPOND_DAYS", NUM(CFG_UINT, respond_days, 0, 45),
	 "override the policy's response days, at most 45 (default 0: the policy's)"},
	{"abandon-days", "IDVERIFY_ABANDON_DAYS", NUM(CFG_UINT, abandon_days, 1, 365),
	 "close a case left without activity this long (default 30)"},
	{"sweep-interval", "IDVERIFY_SWEEP_INTERVAL", NUM(CFG_UINT, sweep_interval_s, 1, 86400),
	 "seconds between sweeps inside serve (default 3600)"},
	{"max-queue", "IDVERIFY_MAX_QUEUE", NUM(CFG_UINT, max_queue, 1, IDV_LIMIT_QUEUE),
	 "documents waiting to be read before uploads get 503 (default 200)"},
	{"worker-timeout", "IDVERIFY_WORKER_TIMEOUT",
	 NUM(CFG_UINT, worker_timeout_s, 1, IDV_LIMIT_WORKER_SECONDS),
	 "seconds a worker may spend on one document (default 60)"},
	{"worker-memory", "IDVERIFY_WORKER_MEMORY",
	 NUM(CFG_UINT, worker_memory_mb, 64, IDV_LIMIT_WORKER_MEMORY_MB),
	 "MiB of address space per worker process (default 1024)"},
	{"worker-jobs", "IDVERIFY_WORKER_JOBS", NUM(CFG_UINT, worker_jobs, 1, 10000),
	 "documents a worker hands out (each to a fresh process it forks) before it is "
	 "replaced (default 100)"},
	{"rate-per-ip", "IDVERIFY_RATE_PER_IP", NUM(CFG_UINT, rate_ip_per_min, 1, 1000000),
	 "requests per minute per client address (default 1200)"},
	{"rate-burst-per-ip", "IDVERIFY_RATE_BURST_PER_IP", NUM(CFG_UINT, rate_ip_burst, 1, 100000),
	 "burst per client address (default 300)"},
	{"rate-per-key", "IDVERIFY_RATE_PER_KEY", NUM(CFG_UINT, rate_key_per_min, 1, 1000000),
	 "requests per minute per API key or agent token (default 3000)"},
	{"rate-burst-per-key", "IDVERIFY_RATE_BURST_PER_KEY",
	 NUM(CFG_UINT, rate_key_burst, 1, 100000), "burst per key (default 600)"},
	{"tls-cert", "IDVERIFY_TLS_CERT", STR(tls_cert), "PEM certificate chain: serve HTTPS"},
	{"tls-key", "IDVERIFY_TLS_KEY", STR(tls_key), "PEM private key of --tls-cert"},
	{"allow-plain-http", "IDVERIFY_ALLOW_PLAIN_HTTP", FLAG(allow_plain_http),
	 "allow plain HTTP on a non-loopback address (behind a TLS proxy)"},
	{"trusted-proxy", "IDVERIFY_TRUSTED_PROXY", STR(trusted_proxy),
	 "addresses or CIDR prefixes of the reverse proxies whose forwarded header names the "
	 "client (comma-separated; default none: forwarded headers are ignored)"},
	{"proxy-header", "IDVERIFY_PROXY_HEADER", STR(proxy_header),
	 "the header those proxies write: x-forwarded-for (default) or forwarded (RFC 7239)"},
	{"public-url", "IDVERIFY_PUBLIC_URL", STR(public_url),
	 "base URL of links given out (default from --listen)"},
	{"review-claim-minutes", "IDVERIFY_REVIEW_CLAIM_MINUTES",
	 NUM(CFG_UINT, review_claim_min, 1, 1440), "a reviewer's claim lapses after (default 30)"},
	{"agent-directory", "IDVERIFY_AGENT_DIRECTORY", STR(agent_directory),
	 "authorized agents' directory (JSON; DRP)"},
	{"business-id", "IDVERIFY_BUSINESS_ID", STR(business_id), "our DRP business id"},
	{"callback-retry", "IDVERIFY_CALLBACK_RETRY", NUM(CFG_UINT, callback_retry_s, 1, 86400),
	 "seconds before the first status-callback retry, doubling (default 30)"},
	{"callback-attempts", "IDVERIFY_CALLBACK_ATTEMPTS", NUM(CFG_UINT, callback_attempts, 1, 50),
	 "status-callback attempts before giving up (default 8)"},
	{"status-interval", "IDVERIFY_STATUS_INTERVAL", NUM(CFG_UINT, status_interval_s, 1, 3600),
	 "seconds between status-callback checks (default 5)"},
	{"allow-http-callbacks", "IDVERIFY_ALLOW_HTTP_CALLBACKS", FLAG(allow_http_callbacks),
	 "accept http:// status callbacks (a test switch: port 80, or a port the agent's "
	 "callback_hosts lists)"},
	{"smtp-url", "IDVERIFY_SMTP_URL", STR(smtp_url),
	 "mail server for one-time codes: smtp://HOST:PORT or smtps://HOST:PORT"},
	{"smtp-from", "IDVERIFY_SMTP_FROM", STR(smtp_from), "sender address of code e-mails"},
	{"smtp-credentials", "IDVERIFY_SMTP_CREDENTIALS", STR(smtp_credentials),
	 "file with one line user:password for SMTP AUTH"},
	{"smtp-starttls", "IDVERIFY_SMTP_STARTTLS", FLAG(smtp_starttls),
	 "require STARTTLS on an smtp:// server"},
	{"sms-url", "IDVERIFY_SMS_URL", STR(sms_url), "SMS gateway URL (https) for phone codes"},
	{"sms-template", "IDVERIFY_SMS_TEMPLATE", STR(sms_template),
	 "file: the gateway's POST body with {{to}} and {{text}}"},
	{"sms-content-type", "IDVERIFY_SMS_CONTENT_TYPE", STR(sms_content_type),
	 "Content-Type of that body (default application/json)"},
	{"sms-credentials", "IDVERIFY_SMS_CREDENTIALS", STR(sms_credentials),
	 "file with one line user:password for the gateway (HTTP basic)"},
	{"code-digits", "IDVERIFY_CODE_DIGITS", NUM(CFG_UINT, code_digits, 6, 8),
	 "digits of a one-time code (default 6)"},
	{"code-ttl", "IDVERIFY_CODE_TTL", NUM(CFG_UINT, code_ttl_s, 2, 86400),
	 "seconds a one-time code lives (default 600)"},
	{"code-attempts", "IDVERIFY_CODE_ATTEMPTS", NUM(CFG_UINT, code_attempts, 1, 10),
	 "wrong tries allowed per code (default 5)"},
	{"code-sends", "IDVERIFY_CODE_SENDS", NUM(CFG_UINT, code_sends, 1, 10),
	 "codes sent per case, the first included (default 3)"},
	{"code-resend", "IDVERIFY_CODE_RESEND", NUM(CFG_UINT, code_resend_s, 0, 3600),
	 "seconds before a code may be sent again (default 60)"},
	{"code-contact-sends", "IDVERIFY_CODE_CONTACT_SENDS",
	 NUM(CFG_UINT, code_contact_sends, 1, 100),
	 "codes one contact may be sent per window, across requests (default 10)"},
	{"code-contact-window", "IDVERIFY_CODE_CONTACT_WINDOW",
	 NUM(CFG_UINT, code_contact_window_s, 60, 30 * 86400),
	 "seconds of that window (default 86400)"},
	{"code-remind", "IDVERIFY_CODE_REMIND", NUM(CFG_UINT, code_remind_s, 0, 30 * 86400),
	 "seconds after a code was sent before one reminder goes to the same contact while the "
	 "request still awaits it; 0: no reminders (default 86400)"},
	{"fides-url", "IDVERIFY_FIDES_URL", STR(fides_url),
	 "Fides API base URL: take Fides pre-approval webhooks (needs IDVERIFY_FIDES_SECRET)"},
	{"transcend-url", "IDVERIFY_TRANSCEND_URL", STR(transcend_url),
	 "Sombra base URL: take Transcend preflight webhooks (needs --transcend-public-key)"},
	{"transcend-public-key", "IDVERIFY_TRANSCEND_PUBLIC_KEY", STR(transcend_public_key),
	 "PEM public key (P-384) that signs x-sombra-token"},
	{"ketch-callback-base", "IDVERIFY_KETCH_CALLBACK_BASE", STR(ketch_callback_base),
	 "take Ketch dsr/v1 requests whose callbacks start with this URL (needs "
	 "IDVERIFY_KETCH_SECRET)"},
	{"webhook-url", "IDVERIFY_WEBHOOK_URL", STR(webhook_url),
	 "POST every decision and close here, signed (needs IDVERIFY_WEBHOOK_SECRET)"},
};

/* Secrets taken from the environment only (flags show in ps). */
static const struct {
	const char *env;
	size_t offset, size;
} config_secrets[] = {
	{"IDVERIFY_FIDES_SECRET", offsetof(struct idv_config, fides_secret),
	 sizeof(((struct idv_config *)0)->fides_secret)},
	{"IDVERIFY_TRANSCEND_API_KEY", offsetof(struct idv_config, transcend_api_key),
	 sizeof(((struct idv_config *)0)->transcend_api_key)},
	{"IDVERIFY_KETCH_SECRET", offsetof(struct idv_config, ketch_secret),
	 sizeof(((struct idv_config *)0)->ketch_secret)},
	{"IDVERIFY_WEBHOOK_SECRET", offsetof(struct idv_config, webhook_secret),
	 sizeof(((struct idv_config *)0)->webhook_secret)},
};

void
idv_config_defaults(struct idv_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	idv_strlcpy(cfg->listen_host, "127.0.0.1", sizeof cfg->listen_host);
	cfg->listen_port = 8080;
	idv_strlcpy(cfg->data_dir, "data", sizeof cfg->data_dir);
	idv_strlcpy(cfg->models_dir, "models", sizeof cfg->models_dir);
	cfg->workers = 2;
	cfg->http_threads = 2;
	cfg->conn_timeout_s = IDV_LIMIT_CONN_TIMEOUT_S;
	cfg->conn_limit = IDV_LIMIT_CONNECTIONS;
	cfg->conn_per_ip = IDV_LIMIT_CONNECTIONS_PER_IP;
	cfg->conn_memory = IDV_LIMIT_CONN_MEMORY;
	cfg->max_json_body = IDV_LIMIT_JSON_BODY;
	cfg->max_upload = IDV_LIMIT_UPLOAD_BYTES;
	cfg->grace_s = IDV_LIMIT_SHUTDOWN_GRACE_S;
	idv_strlcpy(cfg->log_level, "info", sizeof cfg->log_level);
	idv_strlcpy(cfg->proxy_header, "x-forwarded-for", sizeof cfg->proxy_header);
	cfg->respond_days = 0; /* the policy's procedure.respond_days */
	cfg->abandon_days = 30;
	cfg->sweep_interval_s = 3600;
	cfg->max_queue = 200;
	cfg->worker_timeout_s = 60;
	cfg->worker_memory_mb = 1024;
	cfg->worker_jobs = 100;
	cfg->rate_ip_per_min = 1200;
	cfg->rate_ip_burst = 300;
	cfg->rate_key_per_min = 3000;
	cfg->rate_key_burst = 600;
	cfg->review_claim_min = 30;
	cfg->callback_retry_s = 30;
	cfg->callback_attempts = 8;
	cfg->status_interval_s = 5;
	idv_strlcpy(cfg->sms_content_type, "application/json", sizeof cfg->sms_content_type);
	cfg->code_digits = 6;
	cfg->code_ttl_s = 600;
	cfg->code_attempts = 5;
	cfg->code_sends = 3;
	cfg->code_resend_s = 60;
	cfg->code_contact_sends = 10;
	cfg->code_contact_window_s = 86400;
	cfg->code_remind_s = 86400;
}

enum idv_err
idv_hostport_parse(const char *s, char *host, size_t hostsz, uint16_t *port)
{
	const char *colon;
	size_t hlen;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close == NULL || close[1] != ':')
			return IDV_E_PARSE;
		hlen = (size_t)(close - s - 1);
		s++;
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return IDV_E_PARSE;
		hlen = (size_t)(colon - s);
	}
	uint64_t p;
	if (hlen == 0 || hlen >= hostsz || idv_parse_u64z(colon + 1, 65535, &p) != IDV_OK)
		return IDV_E_PARSE;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	*port = (uint16_t)p;
	return IDV_OK;
}

static enum idv_err
config_set(struct idv_config *cfg, const struct config_opt *o, const char *val, const char *from,
	   char *why, size_t whysz)
{
	char *base = (char *)cfg;
	uint64_t v;
	switch (o->type) {
	case CFG_HOSTPORT:
		if (idv_hostport_parse(val, cfg->listen_host, sizeof cfg->listen_host,
				       &cfg->listen_port) != IDV_OK)
			goto bad;
		return IDV_OK;
	case CFG_FLAG:
		if (strcmp(val, "1") == 0 || strcmp(val, "true") == 0 || strcmp(val, "yes") == 0)
			*(bool *)(void *)(base + o->offset) = true;
		else if (strcmp(val, "0") == 0 || strcmp(val, "false") == 0 ||
			 strcmp(val, "no") == 0)
			*(bool *)(void *)(base + o->offset) = false;
		else
			goto bad;
		return IDV_OK;
	case CFG_STR:
		if (val[0] == '\0' || !idv_strlcpy(base + o->offset, val, o->size))
			goto bad;
		return IDV_OK;
	case CFG_UINT:
	case CFG_SIZE:
		if (idv_parse_u64z(val, o->max, &v) != IDV_OK || v < o->min)
			goto bad;
		if (o->type == CFG_UINT)
			*(unsigned *)(void *)(base + o->offset) = (unsigned)v;
		else
			*(size_t *)(void *)(base + o->offset) = (size_t)v;
		return IDV_OK;
	}
bad:
	if (o->type == CFG_UINT || o->type == CFG_SIZE)
		idv_why(why, whysz, "%s: bad value for %s (a whole number from %llu to %llu)", from,
			o->flag, (unsigned long long)o->min, (unsigned long long)o->max);
	else
		idv_why(why, whysz, "%s: bad value for %s", from, o->flag);
	return IDV_E_INVAL;
}

enum idv_err
idv_config_load(struct idv_config *cfg, int argc, char **argv, char **pos, size_t maxpos,
		size_t *npos, bool *help, char *why, size_t whysz)
{
	enum idv_err err;
	*npos = 0;
	*help = false;
	for (size_t i = 0; i < IDV_ARRAY_LEN(config_opts); i++) {
		const char *v = getenv(config_opts[i].env);
		if (v != NULL && v[0] != '\0' &&
		    (err = config_set(cfg, &config_opts[i], v, config_opts[i].env, why, whysz)) !=
			    IDV_OK)
			return err;
	}
	const char *admin = getenv("IDVERIFY_ADMIN_KEY");
	if (admin != NULL && !idv_strlcpy(cfg->admin_key, admin, sizeof cfg->admin_key)) {
		idv_why(why, whysz, "IDVERIFY_ADMIN_KEY is too long");
		return IDV_E_INVAL;
	}
	if (admin != NULL && admin[0] != '\0' && strlen(admin) < 16) {
		idv_why(why, whysz, "IDVERIFY_ADMIN_KEY must be at least 16 characters");
		return IDV_E_INVAL;
	}
	for (size_t i = 0; i < IDV_ARRAY_LEN(config_secrets); i++) {
		const char *v = getenv(config_secrets[i].env);
		if (v != NULL && !idv_strlcpy((char *)cfg + config_secrets[i].offset, v,
					      config_secrets[i].size)) {
			idv_why(why, whysz, "%s is too long", config_secrets[i].env);
			return IDV_E_INVAL;
		}
		if (v != NULL && v[0] != '\0' && strlen(v) < 16) {
			idv_why(why, whysz, "%s must be at least 16 characters",
				config_secrets[i].env);
			return IDV_E_INVAL;
		}
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			*help = true;
			continue;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (*npos >= maxpos) {
				idv_why(why, whysz, "unexpected argument '%s'", a);
				return IDV_E_INVAL;
			}
			pos[(*npos)++] = argv[i];
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const struct config_opt *o = NULL;
		for (size_t k = 0; k < IDV_ARRAY_LEN(config_opts); k++)
			if (strlen(config_opts[k].flag) == nlen &&
			    memcmp(config_opts[k].flag, name, nlen) == 0)
				o = &config_opts[k];
		if (o == NULL) {
			idv_why(why, whysz, "unknown option '%.*s'", (int)(nlen + 2), a);
			return IDV_E_INVAL;
		}
		const char *val = eq ? eq + 1 : NULL;
		if (val == NULL && o->type == CFG_FLAG)
			val = "1";
		if (val == NULL) {
			if (i + 1 >= argc) {
				idv_why(why, whysz, "option --%s needs a value", o->flag);
				return IDV_E_INVAL;
			}
			val = argv[++i];
		}
		if ((err = config_set(cfg, o, val, "command line", why, whysz)) != IDV_OK)
			return err;
	}
	if (cfg->master_key[0] == '\0' && idv_config_data_path(cfg, "master.key", cfg->master_key,
							       sizeof cfg->master_key) != IDV_OK) {
		idv_why(why, whysz, "data directory path too long");
		return IDV_E_INVAL;
	}
	if (idv_log_level_lookup(cfg->log_level, strlen(cfg->log_level)) == IDV_LOG__COUNT) {
		idv_why(why, whysz, "log level must be debug, info, warn or error");
		return IDV_E_INVAL;
	}
	char pwhy[160];
	if (idv_cidr_list_parse(cfg->trusted_proxy, strlen(cfg->trusted_proxy),
				cfg->trusted_proxies, IDV_ARRAY_LEN(cfg->trusted_proxies),
				&cfg->ntrusted_proxies, pwhy, sizeof pwhy) != IDV_OK) {
		idv_why(why, whysz, "--trusted-proxy: %s", pwhy);
		return IDV_E_INVAL;
	}
	if (strcasecmp(cfg->proxy_header, "x-forwarded-for") == 0) {
		cfg->forwarded_header = IDV_FWD_X_FORWARDED_FOR;
	} else if (strcasecmp(cfg->proxy_header, "forwarded") == 0) {
		cfg->forwarded_header = IDV_FWD_FORWARDED;
	} else {
		idv_why(why, whysz, "--proxy-header must be x-forwarded-for or forwarded");
		return IDV_E_INVAL;
	}
	return IDV_OK;
}

void
idv_config_usage(FILE *out)
{
	fprintf(out, "options (each also as an environment variable):\n");
	for (size_t i = 0; i < IDV_ARRAY_LEN(config_opts); i++)
		fprintf(out, "  --%-26s %-34s %s\n", config_opts[i].flag, config_opts[i].env,
			config_opts[i].help);
	fprintf(out, "  %-28s %-34s %s\n", "", "IDVERIFY_ADMIN_KEY",
		"bootstrap admin API key (16+ characters; environment only)");
}

/* The database's files, which hold the audit trail, request records and keyed hashes. */
static const char *const config_db_files[] = {"idverify.db", "idverify.db-wal", "idverify.db-shm"};

/* Take group and other access away from a file or directory of ours that has it. */
static enum idv_err
config_private(const char *path, const struct stat *st, mode_t keep, char *why, size_t whysz)
{
	if ((st->st_mode & 077) == 0)
		return IDV_OK;
	if (st->st_uid != geteuid() || chmod(path, st->st_mode & keep) != 0) {
		idv_why(why, whysz,
			"%s is readable or writable by other users (mode %03o) and cannot be made "
			"private: chmod 700 the data directory and 600 its files",
			path, (unsigned)(st->st_mode & 0777));
		return IDV_E_IO;
	}
	idv_log(IDV_LOG_WARN, "config.mode_fixed", "{s:s,s:s}", "what",
		S_ISDIR(st->st_mode) ? "data_dir" : "database_file", "mode_was",
		(st->st_mode & 070) ? "group" : "other");
	return IDV_OK;
}

enum idv_err
idv_config_ensure_data_dir(const struct idv_config *cfg, char *why, size_t whysz)
{
	struct stat st;
	enum idv_err err = IDV_OK;
	if (stat(cfg->data_dir, &st) != 0) {
		if (mkdir(cfg->data_dir, 0700) != 0 && errno != EEXIST) {
			idv_why(why, whysz, "cannot create data directory %s", cfg->data_dir);
			return IDV_E_IO;
		}
		if (stat(cfg->data_dir, &st) != 0) {
			idv_why(why, whysz, "cannot read data directory %s", cfg->data_dir);
			return IDV_E_IO;
		}
	}
	if (!S_ISDIR(st.st_mode)) {
		idv_why(why, whysz, "%s is not a directory", cfg->data_dir);
		return IDV_E_IO;
	}
	/* An existing directory (or database left by an older version) open to other local
	 * users is made private; what cannot be is refused (issue 19). */
	err = config_private(cfg->data_dir, &st, 0700, why, whysz);
	for (size_t i = 0; err == IDV_OK && i < IDV_ARRAY_LEN(config_db_files); i++) {
		char path[PATH_MAX];
		if (idv_config_data_path(cfg, config_db_files[i], path, sizeof path) != IDV_OK)
			continue;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			err = config_private(path, &st, 0600, why, whysz);
	}
	return err;
}

enum idv_err
idv_config_data_path(const struct idv_config *cfg, const char *name, char *out, size_t outsz)
{
	return idv_fmt(out, outsz, "%s/%s", cfg->data_dir, name) ? IDV_OK : IDV_E_TOOBIG;
}
