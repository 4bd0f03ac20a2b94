/* SPDX-License-Identifier: Apache-2.0 */
/*
 * workerproc.c: one sandboxed document worker process, seen from serve (workerproc.h).
 *
 * The worker is this same binary run as `idverify worker`, started with posix_spawn and a
 * clean environment (never the admin key): descriptor 0 is /dev/null, 1 and 2 a pipe whose
 * lines serve copies into its own log, 3 one end of a socketpair; nothing else is inherited.
 * Everything it answers is checked (workerproto.h) before use. The worker reads each document
 * in a child it forks and enforces the document's deadline itself (cmd_worker.c); a later
 * deadline here bounds the worker: past it the worker gets SIGKILL and is replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "clock.h"
#include "log.h"
#include "sandbox.h"
#include "idverify/str.h"
#include "workerproc.h"
#include "idverify/workerproto.h"

#define WP_CHILD_FD 3
#define WP_START_TIMEOUT_MS 30000
#define WP_EXIT_MEMORY 5 /* cmd_worker.c WORKER_EXIT_MEMORY */
#define WP_ENV_MAX 12
#define WP_BACKSTOP_MS 10000

extern char **environ;

struct idv_workerproc {
	struct idv_workerproc_opts opts;
	char models_dir[4096];
	pthread_mutex_t mu; /* pid and killed: idv_workerproc_kill runs on another thread */
	pid_t pid;
	bool killed;
	int sock;  /* our end of the socketpair, non-blocking */
	int errfd; /* the worker's stdout and stderr, non-blocking */
	unsigned jobs;
	char line[2048]; /* a partial line of the worker's log */
	size_t linelen;
	struct idv_wp_result res;
};

static _Atomic uint64_t wp_started;
static _Atomic uint64_t wp_failures[4];
static _Atomic uint64_t wp_peak_rss_kb;

const char *
idv_wp_failure_name(enum idv_wp_failure f)
{
	switch (f) {
	case IDV_WPF_CRASH: return "decoder_crash";
	case IDV_WPF_TIMEOUT: return "timeout";
	case IDV_WPF_MEMORY: return "memory";
	default: return "none";
	}
}

void
idv_workerproc_stats(struct idv_workerproc_stats *out)
{
	out->started = atomic_load(&wp_started);
	for (size_t i = 0; i < IDV_ARRAY_LEN(out->failures); i++)
		out->failures[i] = atomic_load(&wp_failures[i]);
	out->peak_rss_kb = atomic_load(&wp_peak_rss_kb);
}

struct idv_workerproc *
idv_workerproc_new(const struct idv_workerproc_opts *opts)
{
	struct idv_workerproc *wp = idv_calloc(1, sizeof *wp);
	wp->opts = *opts;
	if (opts->models_dir != NULL)
		idv_strlcpy(wp->models_dir, opts->models_dir, sizeof wp->models_dir);
	wp->opts.models_dir = opts->models_dir != NULL ? wp->models_dir : NULL;
	if (wp->opts.jobs == 0)
		wp->opts.jobs = 1;
	if (wp->opts.timeout_s == 0)
		wp->opts.timeout_s = 60;
	pthread_mutex_init(&wp->mu, NULL);
	wp->sock = wp->errfd = -1;
	return wp;
}

/* Copy the worker's complete log lines to our stderr (one write per line, like log.c). */
static void
wp_relay_flush(struct idv_workerproc *wp, bool all)
{
	size_t start = 0;
	for (size_t i = 0; i < wp->linelen; i++)
		if (wp->line[i] == '\n') {
			ssize_t n = write(STDERR_FILENO, wp->line + start, i + 1 - start);
			(void)n;
			start = i + 1;
		}
	if (all || (start == 0 && wp->linelen == sizeof wp->line)) {
		if (wp->linelen > start) {
			ssize_t n = write(STDERR_FILENO, wp->line + start, wp->linelen - start);
			n = write(STDERR_FILENO, "\n", 1);
			(void)n;
		}
		start = wp->linelen;
	}
	memmove(wp->line, wp->line + start, wp->linelen - start);
	wp->linelen -= start;
}

/* Read what the worker printed; false at EOF. */
static bool
wp_relay(struct idv_workerproc *wp)
{
	for (;;) {
		if (wp->linelen == sizeof wp->line)
			wp_relay_flush(wp, false);
		ssize_t n = read(wp->errfd, wp->line + wp->linelen, sizeof wp->line - wp->linelen);
		if (n > 0) {
			wp->linelen += (size_t)n;
			wp_relay_flush(wp, false);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	}
}

static bool
wp_killed(struct idv_workerproc *wp)
{
	pthread_mutex_lock(&wp->mu);
	bool k = wp->killed;
	pthread_mutex_unlock(&wp->mu);
	return k;
}

/* Wait for the process to end (SIGKILL after grace_ms), reap it, close our ends. */
static void
wp_reap(struct idv_workerproc *wp, int grace_ms, int *status_out)
{
	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	if (wp->sock >= 0)
		close(wp->sock); /* an idle worker reads EOF and exits */
	wp->sock = -1;
	pthread_mutex_lock(&wp->mu);
	pid_t pid = wp->pid;
	pthread_mutex_unlock(&wp->mu);
	if (pid > 0) {
		int64_t until = idv_monotonic_ms() + grace_ms;
		pid_t r;
		while ((r = wait4(pid, &status, WNOHANG, &ru)) == 0 && idv_monotonic_ms() < until) {
			struct timespec ts = {0, 5 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (r == 0) {
			kill(pid, SIGKILL);
			while ((r = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
				;
		}
		pthread_mutex_lock(&wp->mu);
		wp->pid = 0;
		pthread_mutex_unlock(&wp->mu);
		uint64_t rss = (uint64_t)ru.ru_maxrss;
		uint64_t peak = atomic_load(&wp_peak_rss_kb);
		while (rss > peak && !atomic_compare_exchange_weak(&wp_peak_rss_kb, &peak, rss))
			;
	}
	if (wp->errfd >= 0) {
		wp_relay(wp);
		wp_relay_flush(wp, true);
		close(wp->errfd);
	}
	wp->errfd = -1;
	wp->jobs = 0;
	if (status_out != NULL)
		*status_out = status;
}

/* Build the worker's environment: only what it needs, never a key. */
/* The child's environment: texts packed into storage, pointed to by envp. */
struct wp_envbuf {
	char *storage;
	size_t storagesz, used;
	char **envp;
	size_t n;
};

/* Append one NAME=value; one that does not fit is left out (never passed cut short). */
static void __attribute__((format(printf, 2, 3)))
wp_env_add(struct wp_envbuf *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (e->n < WP_ENV_MAX - 1 &&
	    idv_vfmt(e->storage + e->used, e->storagesz - e->used, fmt, ap)) {
		e->envp[e->n++] = e->storage + e->used;
		e->used += strlen(e->storage + e->used) + 1;
	}
	va_end(ap);
}

static void
wp_env(char *storage, size_t storagesz, char **envp, unsigned memory_mb)
{
	static const char *const pass[] = {
		"TESSDATA_PREFIX",         "UBSAN_OPTIONS",         "IDVERIFY_LOG_LEVEL",
		"IDVERIFY_TEST_CRASH_ON",  "IDVERIFY_TEST_HANG_ON", "IDVERIFY_TEST_OOM_ON",
		"IDVERIFY_TEST_ESCAPE_ON",
	};
	struct wp_envbuf e = {storage, storagesz, 0, envp, 0};
	wp_env_add(&e, "OMP_THREAD_LIMIT=1");
	if (!idv_sandbox_memory_limited()) {
		/* AddressSanitizer: no RLIMIT_AS possible; its allocator enforces the ceiling, and
		 * leak checking (which needs ptrace) cannot run under seccomp. */
		const char *a = getenv("ASAN_OPTIONS");
		wp_env_add(&e,
			   "ASAN_OPTIONS=%s%sdetect_leaks=0:allocator_may_return_null=1:"
			   "max_allocation_size_mb=%u",
			   a ? a : "", a && *a ? ":" : "", memory_mb);
	}
	for (size_t i = 0; i < IDV_ARRAY_LEN(pass); i++) {
		const char *v = getenv(pass[i]);
		if (v != NULL)
			wp_env_add(&e, "%s=%s", pass[i], v);
	}
	envp[e.n] = NULL;
}

enum wp_io {
	WP_IO_OK,
	WP_IO_EOF,     /* the worker closed its end or died */
	WP_IO_TIMEOUT, /* past the deadline */
};

/* Write out[0..outlen) (if any), then read exactly inlen bytes into in, relaying the worker's
 * log meanwhile, until deadline_ms. */
static enum wp_io
wp_io(struct idv_workerproc *wp, const struct iovec *out, size_t nout, void *in, size_t inlen,
      int64_t deadline_ms)
{
	size_t oi = 0, ooff = 0, got = 0;
	bool errfd_open = true;
	while (got < inlen) {
		while (oi < nout && ooff == out[oi].iov_len) {
			oi++;
			ooff = 0;
		}
		struct pollfd pfd[2] = {
			{wp->sock, (short)(oi < nout ? POLLOUT : POLLIN), 0},
			{errfd_open ? wp->errfd : -1, POLLIN, 0},
		};
		int64_t left = deadline_ms - idv_monotonic_ms();
		if (left <= 0)
			return WP_IO_TIMEOUT;
		int r = poll(pfd, 2, left > 1000 ? 1000 : (int)left);
		if (r < 0 && errno != EINTR)
			return WP_IO_EOF;
		if (r <= 0)
			continue;
		if (pfd[1].revents != 0 && !wp_relay(wp))
			errfd_open = false;
		if (pfd[0].revents & POLLOUT) {
			ssize_t n = send(wp->sock, (const uint8_t *)out[oi].iov_base + ooff,
					 out[oi].iov_len - ooff, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return WP_IO_EOF;
			if (n > 0)
				ooff += (size_t)n;
		} else if (pfd[0].revents & POLLIN) {
			ssize_t n = recv(wp->sock, (uint8_t *)in + got, inlen - got, 0);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				return WP_IO_EOF;
			if (n > 0)
				got += (size_t)n;
		} else if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			return WP_IO_EOF;
		}
	}
	return WP_IO_OK;
}

static enum idv_err
wp_spawn(struct idv_workerproc *wp)
{
	int sv[2] = {-1, -1}, ep[2] = {-1, -1};
	char envbuf[4096], num[4][24];
	char *envp[WP_ENV_MAX];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	enum idv_err result = IDV_E_IO;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 ||
	    pipe2(ep, O_CLOEXEC) != 0) {
		idv_log(IDV_LOG_ERROR, "worker.spawn_failed", "{s:s}", "error", strerror(errno));
		goto fail_fds;
	}
	char fdarg[8];
	if (!idv_fmt(num[0], sizeof num[0], "%u", wp->opts.memory_mb) ||
	    !idv_fmt(num[1], sizeof num[1], "%u", wp->opts.timeout_s) ||
	    !idv_fmt(num[2], sizeof num[2], "%u", wp->opts.jobs) ||
	    !idv_fmt(num[3], sizeof num[3], "%zu", wp->opts.max_bytes) ||
	    !idv_fmt(fdarg, sizeof fdarg, "%d", WP_CHILD_FD)) {
		idv_log(IDV_LOG_ERROR, "worker.spawn_failed", "{s:s}", "error",
			"argument too long");
		goto fail_fds;
	}
	const char *argv[16] = {"idverify", "worker", "--fd",   fdarg,  "--memory-mb", num[0],
				"--cpu-s",  num[1],   "--jobs", num[2], "--max-bytes", num[3]};
	size_t argc = 12;
	if (wp->opts.models_dir != NULL) {
		argv[argc++] = "--models";
		argv[argc++] = wp->opts.models_dir;
	}
	argv[argc] = NULL;
	wp_env(envbuf, sizeof envbuf, envp, wp->opts.memory_mb);

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, ep[1], 1);
	posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
	posix_spawn_file_actions_adddup2(&fa, sv[1], WP_CHILD_FD);
	posix_spawn_file_actions_addclosefrom_np(&fa, WP_CHILD_FD + 1);
	sigset_t none, dflt;
	sigemptyset(&none);
	sigemptyset(&dflt);
	static const int dflt_sigs[] = {SIGPIPE, SIGXFSZ, SIGXCPU, SIGTERM,
					SIGINT,  SIGHUP,  SIGCHLD};
	for (size_t i = 0; i < IDV_ARRAY_LEN(dflt_sigs); i++)
		sigaddset(&dflt, dflt_sigs[i]);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	pid_t pid = 0;
	int rc = posix_spawn(&pid, "/proc/self/exe", &fa, &attr, (char *const *)(uintptr_t)argv,
			     envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	idv_wipe(envbuf, sizeof envbuf);
	if (rc != 0) {
		idv_log(IDV_LOG_ERROR, "worker.spawn_failed", "{s:s}", "error", strerror(rc));
		goto fail_fds;
	}
	close(sv[1]);
	close(ep[1]);
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	fcntl(ep[0], F_SETFL, fcntl(ep[0], F_GETFL) | O_NONBLOCK);
	pthread_mutex_lock(&wp->mu);
	wp->pid = pid;
	pthread_mutex_unlock(&wp->mu);
	wp->sock = sv[0];
	wp->errfd = ep[0];
	wp->jobs = 0;
	atomic_fetch_add(&wp_started, 1);

	/* Wait until it is initialised and sandboxed. */
	int64_t t0 = idv_monotonic_ms();
	enum wp_io io = wp_io(wp, NULL, 0, &wp->res, sizeof wp->res, t0 + WP_START_TIMEOUT_MS);
	if (io != WP_IO_OK || idv_wp_result_check(&wp->res) != IDV_OK ||
	    wp->res.outcome != IDV_WP_READY) {
		int status = 0;
		wp_reap(wp, 200, &status);
		idv_log(IDV_LOG_ERROR, "worker.start_failed", "{s:s,s:i,s:i}", "why",
			io == WP_IO_TIMEOUT ? "no answer in time" : "exited or answered wrongly",
			"exit", WIFEXITED(status) ? WEXITSTATUS(status) : -1, "signal",
			WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		return wp_killed(wp) ? IDV_E_STATE : IDV_E_IO;
	}
	idv_log(IDV_LOG_DEBUG, "worker.started", "{s:i,s:I}", "pid", (int)pid, "ms",
		(json_int_t)(idv_monotonic_ms() - t0));
	return IDV_OK;

fail_fds:
	for (int i = 0; i < 2; i++) {
		if (sv[i] >= 0)
			close(sv[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	return result;
}

/* The worker failed on a document: how, from how it ended. */
static enum idv_wp_failure
wp_classify(int status, bool timed_out, bool said_memory)
{
	if (timed_out)
		return IDV_WPF_TIMEOUT;
	if (said_memory)
		return IDV_WPF_MEMORY;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
		return IDV_WPF_TIMEOUT;
	if (WIFEXITED(status) && WEXITSTATUS(status) == WP_EXIT_MEMORY)
		return IDV_WPF_MEMORY;
	return IDV_WPF_CRASH;
}

enum idv_err
idv_workerproc_prepare(struct idv_workerproc *wp)
{
	if (wp_killed(wp))
		return IDV_E_STATE;
	return wp->sock >= 0 ? IDV_OK : wp_spawn(wp);
}

enum idv_err
idv_workerproc_extract(struct idv_workerproc *wp, const uint8_t *p, size_t len,
		       const struct idv_extract_opts *opts, struct idv_document *doc,
		       enum idv_wp_failure *failure)
{
	*failure = IDV_WPF_NONE;
	enum idv_err err = idv_workerproc_prepare(wp);
	if (err != IDV_OK)
		return err;
	struct idv_wp_request req;
	idv_wp_request_init(&req, (int)opts->hint, opts->today_days, opts->max_pixels, len);
	struct iovec out[2] = {{&req, sizeof req}, {(void *)(uintptr_t)p, len}};
	int64_t t0 = idv_monotonic_ms();
	/* The worker enforces the deadline on the process it forks for the document; this one,
	 * later, is for the worker itself. */
	enum wp_io io = wp_io(wp, out, 2, &wp->res, sizeof wp->res,
			      t0 + (int64_t)wp->opts.timeout_s * 1000 + WP_BACKSTOP_MS);
	bool valid = io == WP_IO_OK && idv_wp_result_check(&wp->res) == IDV_OK &&
		     wp->res.outcome != IDV_WP_READY;
	if (valid && (wp->res.outcome == IDV_WP_DONE || wp->res.outcome == IDV_WP_FAILED)) {
		if (wp->res.outcome == IDV_WP_DONE) {
			memcpy(doc, &wp->res.doc, sizeof *doc);
		} else {
			*failure = (enum idv_wp_failure)wp->res.failure;
			atomic_fetch_add(&wp_failures[*failure], 1);
			idv_log(IDV_LOG_WARN, "worker.failed", "{s:s,s:I}", "reason",
				idv_wp_failure_name(*failure), "ms",
				(json_int_t)(idv_monotonic_ms() - t0));
		}
		idv_wipe(&wp->res, sizeof wp->res);
		if (++wp->jobs >= wp->opts.jobs)
			wp_reap(wp, 2000, NULL); /* retired: a fresh one for the next */
		return IDV_OK;
	}
	if (valid && wp->res.outcome == IDV_WP_ERROR) {
		err = (enum idv_err)wp->res.err;
		return err == IDV_OK ? IDV_E_IO : err;
	}
	/* Failed on this document: make sure it is gone, then say how. */
	bool said_memory = valid && wp->res.outcome == IDV_WP_MEMORY;
	pid_t pid;
	pthread_mutex_lock(&wp->mu);
	pid = wp->pid;
	pthread_mutex_unlock(&wp->mu);
	if (io == WP_IO_TIMEOUT && pid > 0)
		kill(pid, SIGKILL);
	int status = 0;
	wp_reap(wp, io == WP_IO_OK ? 1000 : 200, &status);
	idv_wipe(&wp->res, sizeof wp->res);
	if (wp_killed(wp))
		return IDV_E_STATE;
	*failure = io == WP_IO_OK && !valid ? IDV_WPF_CRASH
					    : wp_classify(status, io == WP_IO_TIMEOUT, said_memory);
	atomic_fetch_add(&wp_failures[*failure], 1);
	idv_log(IDV_LOG_WARN, "worker.failed", "{s:s,s:i,s:i,s:I,s:b}", "reason",
		idv_wp_failure_name(*failure), "exit", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		"signal", WIFSIGNALED(status) ? WTERMSIG(status) : 0, "ms",
		(json_int_t)(idv_monotonic_ms() - t0), "malformed_answer",
		io == WP_IO_OK && !valid);
	return IDV_OK;
}

void
idv_workerproc_kill(struct idv_workerproc *wp)
{
	pthread_mutex_lock(&wp->mu);
	wp->killed = true;
	if (wp->pid > 0)
		kill(wp->pid, SIGKILL);
	pthread_mutex_unlock(&wp->mu);
}

void
idv_workerproc_free(struct idv_workerproc *wp)
{
	if (wp == NULL)
		return;
	wp_reap(wp, 1000, NULL); /* idle: closing the socket ends it cleanly */
	pthread_mutex_destroy(&wp->mu);
	free(wp);
}
