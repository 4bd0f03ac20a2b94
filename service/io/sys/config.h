/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h: run-time configuration from defaults, then IDVERIFY_* environment variables, then
 * command-line flags (later wins). Every value has a working default; limits may only be set at
 * or below their compiled-in ceilings (limits.h).
 */
#ifndef IDVERIFY_CONFIG_H
#define IDVERIFY_CONFIG_H

#include <limits.h>

#include "idverify/common.h"
#include "idverify/netaddr.h"

struct idv_config {
	char listen_host[64];     /* --listen HOST:PORT, IDVERIFY_LISTEN; 127.0.0.1:8080 */
	uint16_t listen_port;
	char data_dir[PATH_MAX];  /* --data-dir, IDVERIFY_DATA_DIR; ./data */
	char master_key[PATH_MAX];/* --master-key, IDVERIFY_MASTER_KEY; DATA_DIR/master.key */
	char database[1024];      /* --database, IDVERIFY_DATABASE: postgresql://... (or
				     postgres://...), or a SQLite file; "": DATA_DIR/idverify.db */
	char models_dir[PATH_MAX];/* --models, IDVERIFY_MODELS; ./models */
	unsigned workers;         /* --workers, IDVERIFY_WORKERS; 2 */
	unsigned http_threads;    /* --http-threads, IDVERIFY_HTTP_THREADS; 2 */
	unsigned conn_timeout_s;  /* --connection-timeout, IDVERIFY_CONNECTION_TIMEOUT */
	unsigned conn_limit;      /* --connection-limit, IDVERIFY_CONNECTION_LIMIT */
	unsigned conn_per_ip;     /* --connection-limit-per-ip, IDVERIFY_CONNECTION_LIMIT_PER_IP */
	size_t conn_memory;       /* --connection-memory, IDVERIFY_CONNECTION_MEMORY */
	size_t max_json_body;     /* --max-json-body, IDVERIFY_MAX_JSON_BODY */
	size_t max_upload;        /* --max-upload, IDVERIFY_MAX_UPLOAD */
	unsigned grace_s;         /* --shutdown-grace, IDVERIFY_SHUTDOWN_GRACE */
	char log_level[8];        /* --log-level, IDVERIFY_LOG_LEVEL; info */
	unsigned respond_days;    /* --respond-days, IDVERIFY_RESPOND_DAYS; 0: the policy's
				     procedure.respond_days (an override, at most 45) */
	unsigned abandon_days;    /* --abandon-days, IDVERIFY_ABANDON_DAYS; 30 */
	unsigned sweep_interval_s;/* --sweep-interval, IDVERIFY_SWEEP_INTERVAL; 3600 */
	char admin_key[128];      /* IDVERIFY_ADMIN_KEY only (never a flag: flags show in ps) */
	/* Document workers and their queue */
	unsigned max_queue;       /* --max-queue, IDVERIFY_MAX_QUEUE; queued documents before
				     uploads get 503 (default 200) */
	unsigned worker_timeout_s;/* --worker-timeout, IDVERIFY_WORKER_TIMEOUT; per document (60) */
	unsigned worker_memory_mb;/* --worker-memory, IDVERIFY_WORKER_MEMORY; MiB per worker (1024) */
	unsigned worker_jobs;     /* --worker-jobs, IDVERIFY_WORKER_JOBS; documents a worker (a
				     fork server: each document is read in a fresh child) hands
				     out before it is replaced (default 100) */
	/* rate limits (token buckets in http.c): requests per minute and burst */
	unsigned rate_ip_per_min;  /* --rate-per-ip, IDVERIFY_RATE_PER_IP; 1200 */
	unsigned rate_ip_burst;    /* --rate-burst-per-ip; 300 */
	unsigned rate_key_per_min; /* --rate-per-key, IDVERIFY_RATE_PER_KEY; 3000 */
	unsigned rate_key_burst;   /* --rate-burst-per-key; 600 */
	/* TLS (libmicrohttpd with GnuTLS): PEM files loaded into memory at start */
	char tls_cert[PATH_MAX];   /* --tls-cert, IDVERIFY_TLS_CERT */
	char tls_key[PATH_MAX];    /* --tls-key, IDVERIFY_TLS_KEY */
	bool allow_plain_http;     /* --allow-plain-http: plain HTTP on a non-loopback address */
	/* --trusted-proxy CIDR,...: the proxies whose forwarded header names the client (rate
	 * limits, declarations); none by default, when forwarded headers are ignored */
	char trusted_proxy[1024];
	char proxy_header[24];     /* --proxy-header: x-forwarded-for (default) or forwarded */
	struct idv_cidr trusted_proxies[IDV_CIDR_LIST_MAX]; /* parsed from trusted_proxy */
	size_t ntrusted_proxies;
	enum idv_fwd_header forwarded_header;
	char public_url[256];      /* --public-url: base of links given out (user_verification_url) */
	/* reviewers */
	unsigned review_claim_min; /* --review-claim-minutes; 30 */
	/* authorized agents (DRP 1.0) */
	char agent_directory[PATH_MAX]; /* --agent-directory FILE: local copy of the directory */
	char business_id[128];          /* --business-id: our DRP business id */
	unsigned callback_retry_s;      /* --callback-retry: first retry delay, doubling; 30 */
	unsigned callback_attempts;     /* --callback-attempts: before giving up; 8 */
	unsigned status_interval_s;     /* --status-interval: status watcher period; 5 */
	bool allow_http_callbacks;      /* --allow-http-callbacks: http:// status callbacks */
	/* one-time codes to a contact on file (codes.h) and how they are sent (outbox.c) */
	char smtp_url[512];             /* --smtp-url: smtp://host:port or smtps://host:port */
	char smtp_from[256];            /* --smtp-from: the envelope and From: address */
	char smtp_credentials[PATH_MAX]; /* --smtp-credentials FILE: one line "user:password" */
	bool smtp_starttls;             /* --smtp-starttls: require STARTTLS on smtp:// */
	char sms_url[512];              /* --sms-url: the SMS gateway (https) */
	char sms_template[PATH_MAX];    /* --sms-template FILE: the POST body, {{to}} {{text}} */
	char sms_content_type[96];      /* --sms-content-type: of that body (application/json) */
	char sms_credentials[PATH_MAX]; /* --sms-credentials FILE: one line "user:password" */
	unsigned code_digits;           /* --code-digits: 6..8; 6 */
	unsigned code_ttl_s;            /* --code-ttl: seconds a code lives; 600 */
	unsigned code_attempts;         /* --code-attempts: wrong tries per code; 5 */
	unsigned code_sends;            /* --code-sends: codes sent per case; 3 */
	unsigned code_resend_s;         /* --code-resend: seconds between sends; 60 */
	unsigned code_contact_sends;    /* --code-contact-sends: per contact per window; 10 */
	unsigned code_contact_window_s; /* --code-contact-window: that window's seconds; 86400 */
	unsigned code_remind_s;         /* --code-remind: seconds after a send before the one
					   reminder to that contact; 0 = none; 86400 */
	/* privacy platforms (api_platforms.c): each is off until its flag is given; the secrets
	 * are read from the environment only (flags show in ps) */
	char fides_url[256];            /* --fides-url: the Fides API base the reply paths are
					   under; turns the Fides adapter on */
	char fides_secret[256];         /* IDVERIFY_FIDES_SECRET: the Authorization value Fides
					   sends (its webhook connection's secret) */
	char transcend_url[256];        /* --transcend-url: the Sombra base answers go to; turns
					   the Transcend adapter on */
	char transcend_public_key[PATH_MAX]; /* --transcend-public-key: PEM, P-384 */
	char transcend_api_key[512];    /* IDVERIFY_TRANSCEND_API_KEY: sent back as Authorization */
	char ketch_callback_base[256];  /* --ketch-callback-base: callbacks must start with it;
					   turns the Ketch adapter on */
	char ketch_secret[256];         /* IDVERIFY_KETCH_SECRET: the bearer Ketch sends */
	char webhook_url[256];          /* --webhook-url: the business's decision webhook */
	char webhook_secret[256];       /* IDVERIFY_WEBHOOK_SECRET: its HMAC-SHA256 key */
};

void idv_config_defaults(struct idv_config *cfg);

/*
 * Apply IDVERIFY_* variables, then flags from argv[1..argc). Positional arguments are
 * collected into pos (at most maxpos, in order) and counted in *npos. On an unknown flag, a bad
 * value or a value over its ceiling returns IDV_E_INVAL with a one-line explanation in why.
 * "--help" sets *help.
 */
enum idv_err idv_config_load(struct idv_config *cfg, int argc, char **argv, char **pos,
			     size_t maxpos, size_t *npos, bool *help, char *why, size_t whysz);

/* The option list, for --help texts. */
void idv_config_usage(FILE *out);

/* Create the data directory (0700) if missing; an existing one, and the database files in
 * it, lose group and other access (IDV_E_IO with why when that cannot be done). */
enum idv_err idv_config_ensure_data_dir(const struct idv_config *cfg, char *why, size_t whysz);

/* DATA_DIR/name into out. */
enum idv_err idv_config_data_path(const struct idv_config *cfg, const char *name, char *out,
				  size_t outsz);

/* Parse "HOST:PORT" (IPv4, a name or "[v6]"). Pure. */
enum idv_err idv_hostport_parse(const char *s, char *host, size_t hostsz, uint16_t *port);

#endif
