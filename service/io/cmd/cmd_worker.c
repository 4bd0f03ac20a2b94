/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_worker.c: `idverify worker`, the sandboxed document reader that serve starts (one per
 * worker thread, workerproc.c); not meant to be run by hand.
 *
 * It inherits exactly four descriptors: /dev/null as stdin, a pipe to serve as stdout and
 * stderr, and the socket to serve (--fd). It loads the OCR engine, its data and the OCR
 * profiles, then gives up what it does not need (sandbox.h): other descriptors, memory and CPU
 * beyond its limits, root, and every system call but a short allow-list; open() fails from
 * then on. It says READY, then reads documents (workerproto.h) one at a time.
 *
 * It is a fork server: it never decodes a document itself. For each one it forks a child
 * (copy-on-write: the OCR engine is loaded already, so a fresh process costs a fork, not a
 * start), which adds a stricter seccomp filter of its own (no fork, no signalling others),
 * reads the document and writes its result into a pipe; the server waits for it with the
 * deadline (SIGKILL past it), passes a complete result on to serve, or says how the child
 * failed (crash, timeout, memory). So no two documents, of one requester or of two, ever
 * share a process, and a hijacked decoder finds nothing of anyone else's in its memory.
 *
 * It never sees the database, the master key, the admin key or the network: serve decrypts a
 * document and sends its plain bytes, and keeps every key to itself.
 *
 * Test hooks, honoured only here and only when the variable is set (the test suites set them,
 * production never does): IDVERIFY_TEST_CRASH_ON, IDVERIFY_TEST_HANG_ON and
 * IDVERIFY_TEST_OOM_ON each hold the SHA-256 (hex) of a document that then aborts the worker,
 * hangs it, or exhausts its memory, as a hostile file could; IDVERIFY_TEST_ESCAPE_ON one that
 * makes it try what a hijacked decoder would (open a file, open a socket).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <iconv.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "crypto.h"
#include "extract.h"
#include "idverify/limits.h"
#include "log.h"
#include "sandbox.h"
#include "idverify/str.h"
#include "idverify/workerproto.h"
#include "worker_oom.h"

/* Exit statuses serve tells apart (workerproc.c). */
#define WORKER_EXIT_USAGE 2
#define WORKER_EXIT_SETUP 3
#define WORKER_EXIT_PROTOCOL 4
#define WORKER_EXIT_MEMORY 5

static int worker_sock = -1;
static struct idv_wp_result worker_result; /* static: the out-of-memory path cannot allocate */

struct worker_hooks {
	char crash[65], hang[65], oom[65], escape[65];
	bool any;
};

static void
worker_usage(FILE *out)
{
	fprintf(out, "usage: idverify worker --fd N [--models DIR] [--memory-mb N] [--cpu-s N]\n"
		     "                       [--jobs N] [--max-bytes N]\n\n"
		     "The sandboxed document reader started by 'idverify serve'; reads documents\n"
		     "from the socket on descriptor N. Not meant to be run by hand.\n");
}

static bool
worker_write_all(int fd, const void *p, size_t len)
{
	const uint8_t *b = p;
	while (len > 0) {
		ssize_t n = write(fd, b, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		b += n;
		len -= (size_t)n;
	}
	return true;
}

/* Exactly len bytes; false on EOF or error (*eof tells a clean EOF before the first byte). */
static bool
worker_read_all(int fd, void *p, size_t len, bool *eof)
{
	uint8_t *b = p;
	size_t got = 0;
	*eof = false;
	while (got < len) {
		ssize_t n = read(fd, b + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*eof = n == 0 && got == 0;
			return false;
		}
		got += (size_t)n;
	}
	return true;
}

/* Out of memory (idv_malloc, or operator new): tell serve, then exit. Nothing allocated. */
static void
worker_oom_report(void)
{
	idv_wp_result_init(&worker_result, IDV_WP_MEMORY, IDV_E_NOMEM, NULL);
	if (worker_sock >= 0)
		worker_write_all(worker_sock, &worker_result, sizeof worker_result);
	_exit(WORKER_EXIT_MEMORY);
}

static void
worker_oom_c(size_t n)
{
	(void)n;
	worker_oom_report();
}

static void
worker_hook_get(const char *name, char out[65], bool *any)
{
	const char *v = getenv(name);
	out[0] = '\0';
	if (v != NULL && strlen(v) == 64) {
		idv_strlcpy(out, v, 65);
		*any = true;
	}
}

static void
worker_hooks_run(const struct worker_hooks *h, const uint8_t *p, size_t len, uint64_t mem_bytes)
{
	uint8_t digest[32];
	char hex[65];
	idv_crypto_sha256(p, len, digest);
	idv_hex(digest, sizeof digest, hex);
	if (strcmp(hex, h->crash) == 0)
		abort();
	if (strcmp(hex, h->hang) == 0)
		for (;;) {
			struct timespec ts = {1, 0};
			nanosleep(&ts, NULL);
		}
	if (strcmp(hex, h->escape) == 0) {
		/* What a hijacked decoder would try: read a file, then reach the network. */
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd >= 0) {
			idv_log(IDV_LOG_ERROR, "worker.sandbox_open_allowed", NULL);
			abort();
		}
		int s = socket(AF_INET, SOCK_STREAM, 0); /* stops the worker (SIGSYS) */
		idv_log(IDV_LOG_ERROR, "worker.sandbox_socket_allowed", "{s:i}", "fd", s);
		abort();
	}
	if (strcmp(hex, h->oom) == 0) {
		/* Ask for more than the worker may have, and use it. */
		size_t n = (size_t)(mem_bytes > 0 ? 2 * mem_bytes : (uint64_t)1 << 34);
		uint8_t *m = idv_malloc(n);
		memset(m, 0xa5, n);
		abort(); /* no limit took effect: still a failure of this document */
	}
}

/* zbar converts QR text with iconv, which loads its converters from files: load them now and
 * keep them loaded (the descriptors stay open on purpose). */
static void
worker_preload_iconv(void)
{
	static const char *const from[] = {"ISO8859-1", "SJIS", "UTF-8", "BIG5", "CP1252"};
	for (size_t i = 0; i < IDV_ARRAY_LEN(from); i++)
		(void)iconv_open("UTF-8", from[i]);
}

/* One document to read. */
struct worker_doc {
	const struct idv_wp_request *req;
	const uint8_t *bytes;
	const char *models;
	uint64_t max_bytes, mem_bytes;
	unsigned cpu_s;
	const struct worker_hooks *hooks;
};

/* In the forked child: the stricter filter, then read the document and write the result to
 * out. Never returns. */
static _Noreturn void
worker_child(const struct worker_doc *job, int out, pid_t server)
{
	char why[160];
	worker_sock = out; /* the out-of-memory path answers here too */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != server)
		_exit(WORKER_EXIT_SETUP); /* the server is gone already */
	if (idv_sandbox_seccomp_child(why, sizeof why) != IDV_OK) {
		idv_log(IDV_LOG_ERROR, "worker.setup_failed", "{s:s,s:s}", "step", "child", "error",
			why);
		_exit(WORKER_EXIT_SETUP);
	}
	if (job->hooks->any)
		worker_hooks_run(job->hooks, job->bytes, (size_t)job->req->len, job->mem_bytes);
	idv_sandbox_cpu_budget(job->cpu_s);
	struct idv_document *doc = idv_malloc(sizeof *doc);
	struct idv_extract_opts opts = {0};
	opts.today_days = job->req->today_days;
	opts.models_dir = job->models;
	opts.hint = (enum idv_extract_hint)job->req->hint;
	opts.max_bytes = (size_t)job->max_bytes;
	opts.max_pixels = job->req->max_pixels;
	errno = 0;
	enum idv_err err = idv_extract_bytes(job->bytes, (size_t)job->req->len, &opts, doc);
	int saved_errno = errno;
	enum idv_wp_outcome outcome = IDV_WP_DONE;
	if (err == IDV_E_NOMEM ||
	    (err == IDV_OK && doc->status != IDV_DOCSTAT_OK && saved_errno == ENOMEM))
		outcome = IDV_WP_MEMORY; /* a decoder gave up for lack of memory */
	else if (err != IDV_OK)
		outcome = IDV_WP_ERROR;
	idv_wp_result_init(&worker_result, outcome, err, outcome == IDV_WP_DONE ? doc : NULL);
	bool sent = worker_write_all(out, &worker_result, sizeof worker_result);
	_exit(!sent ? WORKER_EXIT_PROTOCOL : outcome == IDV_WP_MEMORY ? WORKER_EXIT_MEMORY : 0);
}

/* Read one document in a child process, within the deadline, and answer serve: the child's
 * result, or how the child failed. False when serve cannot be answered. */
static bool
worker_fork_one(const struct worker_doc *job)
{
	int p[2];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (pipe2(p, O_CLOEXEC) != 0)
		return false;
	pid_t server = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (pid == 0) {
		close(p[0]);
		close(worker_sock); /* the child talks to this process only */
		worker_child(job, p[1], server);
	}
	close(p[1]);
	/* Its answer, until the deadline. */
	size_t got = 0;
	bool timed_out = false;
	int64_t deadline = (int64_t)t0.tv_sec * 1000 + t0.tv_nsec / 1000000 +
			   (int64_t)job->cpu_s * 1000;
	while (got < sizeof worker_result) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		int64_t left = deadline - ((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pfd = {p[0], POLLIN, 0};
		int r = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		ssize_t n = read(p[0], (uint8_t *)&worker_result + got, sizeof worker_result - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	/* A complete answer from a child that ended normally is passed on as it is (serve checks
	 * it); anything else is a failure of this document, said so. */
	enum idv_wp_failure failure = IDV_WPF_NONE;
	bool whole = got == sizeof worker_result;
	if (timed_out || (WIFSIGNALED(st) && WTERMSIG(st) == SIGXCPU))
		failure = IDV_WPF_TIMEOUT;
	else if ((whole && worker_result.outcome == IDV_WP_MEMORY) ||
		 (WIFEXITED(st) && WEXITSTATUS(st) == WORKER_EXIT_MEMORY))
		failure = IDV_WPF_MEMORY;
	else if (!whole || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		failure = IDV_WPF_CRASH;
	if (failure != IDV_WPF_NONE) {
		idv_log(IDV_LOG_WARN, "worker.child_failed", "{s:i,s:i,s:b}", "exit",
			WIFEXITED(st) ? WEXITSTATUS(st) : -1, "signal",
			WIFSIGNALED(st) ? WTERMSIG(st) : 0, "timed_out", timed_out);
		idv_wp_result_init(&worker_result, IDV_WP_FAILED, IDV_OK, NULL);
		worker_result.failure = (uint32_t)failure;
	}
	bool sent = worker_write_all(worker_sock, &worker_result, sizeof worker_result);
	idv_wipe(&worker_result, sizeof worker_result);
	return sent;
}

struct worker_args {
	uint64_t fd, memory_mb, cpu_s, jobs, max_bytes;
	const char *models;
};

/* The command line into a: -1 when it is complete, else the exit status (0 after --help). */
static int
worker_args(int argc, char **argv, struct worker_args *a)
{
	static const struct option longopts[] = {
		{"fd", required_argument, NULL, 'f'},
		{"models", required_argument, NULL, 'm'},
		{"memory-mb", required_argument, NULL, 'M'},
		{"cpu-s", required_argument, NULL, 'c'},
		{"jobs", required_argument, NULL, 'j'},
		{"max-bytes", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	bool fd_set = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		enum idv_err e = IDV_OK;
		switch (c) {
		case 'f': e = idv_parse_u64z(optarg, 1024, &a->fd), fd_set = true; break;
		case 'm': a->models = optarg; break;
		case 'M': e = idv_parse_u64z(optarg, 1u << 20, &a->memory_mb); break;
		case 'c': e = idv_parse_u64z(optarg, 86400, &a->cpu_s); break;
		case 'j': e = idv_parse_u64z(optarg, 100000, &a->jobs); break;
		case 'b': e = idv_parse_u64z(optarg, IDV_LIMIT_UPLOAD_BYTES, &a->max_bytes); break;
		case 'h': worker_usage(stdout); return 0;
		default: worker_usage(stderr); return WORKER_EXIT_USAGE;
		}
		if (e != IDV_OK) {
			worker_usage(stderr);
			return WORKER_EXIT_USAGE;
		}
	}
	if (!fd_set || a->fd < 3 || optind != argc || a->cpu_s == 0 || a->jobs == 0) {
		worker_usage(stderr);
		return WORKER_EXIT_USAGE;
	}
	return -1;
}

/* Step 2: everything that is read from files, read now (before the sandbox). */
static int
worker_prepare(const struct worker_args *a, struct worker_hooks *hooks)
{
	worker_hook_get("IDVERIFY_TEST_CRASH_ON", hooks->crash, &hooks->any);
	worker_hook_get("IDVERIFY_TEST_HANG_ON", hooks->hang, &hooks->any);
	worker_hook_get("IDVERIFY_TEST_OOM_ON", hooks->oom, &hooks->any);
	worker_hook_get("IDVERIFY_TEST_ESCAPE_ON", hooks->escape, &hooks->any);
	if (hooks->any) {
		uint8_t d[32];
		idv_crypto_sha256("", 0, d); /* OpenSSL loads its configuration on first use */
	}
	enum idv_err err = idv_extract_prepare(a->models);
	if (err != IDV_OK) {
		idv_log(IDV_LOG_ERROR, "worker.setup_failed", "{s:s,s:s}", "step", "ocr", "error",
			idv_err_name(err));
		return WORKER_EXIT_SETUP;
	}
	worker_preload_iconv();
	/* Readers yield the CPU to the service's own threads (health checks, uploads). */
	if (setpriority(PRIO_PROCESS, 0, 10) != 0)
		idv_log(IDV_LOG_WARN, "worker.nice_failed", NULL);
	idv_set_oom_handler(worker_oom_c);
	idv_worker_set_new_handler(worker_oom_report);
	return 0;
}

/* Step 3: limits, user, system calls; any failure is fatal. Then "ready" to the service. */
static int
worker_sandbox(const struct worker_args *a)
{
	char why[256];
	struct idv_sandbox_limits lim = {
		.memory_bytes = a->memory_mb << 20,
		.cpu_s = (unsigned)(a->cpu_s * (a->jobs + 1)),
		.nofile = (unsigned)worker_sock + 3, /* and a pipe to each child */
	};
	if (idv_sandbox_rlimits(&lim, why, sizeof why) != IDV_OK ||
	    idv_sandbox_drop_user(why, sizeof why) != IDV_OK ||
	    idv_sandbox_seccomp(true, why, sizeof why) != IDV_OK) {
		idv_log(IDV_LOG_ERROR, "worker.setup_failed", "{s:s,s:s}", "step", "sandbox",
			"error", why);
		return WORKER_EXIT_SETUP;
	}
	idv_wp_result_init(&worker_result, IDV_WP_READY, IDV_OK, NULL);
	if (!worker_write_all(worker_sock, &worker_result, sizeof worker_result))
		return WORKER_EXIT_PROTOCOL;
	return 0;
}

/* Step 4: documents, one at a time, each read in a fresh process forked from this one, until
 * the service closes the socket (0) or breaks the protocol. */
static int
worker_serve(const struct worker_args *a, const struct worker_hooks *hooks)
{
	for (;;) {
		struct idv_wp_request req;
		bool eof;
		if (!worker_read_all(worker_sock, &req, sizeof req, &eof))
			return eof ? 0 : WORKER_EXIT_PROTOCOL;
		if (idv_wp_request_check(&req, a->max_bytes) != IDV_OK)
			return WORKER_EXIT_PROTOCOL;
		uint8_t *bytes = idv_malloc((size_t)req.len + 1);
		bool sent = false;
		if (worker_read_all(worker_sock, bytes, (size_t)req.len, &eof)) {
			struct worker_doc job = {&req,		     bytes, a->models, a->max_bytes,
						 a->memory_mb << 20, (unsigned)a->cpu_s, hooks};
			sent = worker_fork_one(&job);
		}
		idv_wipe(bytes, (size_t)req.len);
		free(bytes);
		if (!sent)
			return WORKER_EXIT_PROTOCOL;
	}
}

int
idv_cmd_worker(int argc, char **argv)
{
	struct worker_args a = {0, 1024, 120, 1, IDV_LIMIT_UPLOAD_BYTES, NULL};
	struct worker_hooks hooks = {0};
	int status = worker_args(argc, argv, &a);
	if (status >= 0)
		return status;
	worker_sock = (int)a.fd;
	/* Gone with serve (or with the serve thread that started it). */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* 1. Nothing but stdin, stdout, stderr and the socket. */
	const int keep[] = {0, 1, 2, worker_sock};
	idv_sandbox_close_fds(keep, IDV_ARRAY_LEN(keep));
	if ((status = worker_prepare(&a, &hooks)) != 0 || (status = worker_sandbox(&a)) != 0)
		return status;
	status = worker_serve(&a, &hooks);
	idv_extract_shutdown();
	return status;
}
