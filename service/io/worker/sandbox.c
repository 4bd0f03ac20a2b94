/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox.c: descriptors, resource limits, user and seccomp allow-list of a document worker
 * (sandbox.h). Linux only (libseccomp).
 *
 * The allow-list was drawn from what the decoders (leptonica with libpng, libjpeg, libtiff,
 * libwebp, giflib, openjpeg), zxing-cpp, zbar and tesseract actually call once initialised,
 * watched with strace over the sample documents, plus what glibc's abort() and the
 * sanitizers' error reports need. Executable mappings are refused: nothing in a worker
 * generates code.
 */
#include <errno.h>
#include <grp.h>
#include <linux/close_range.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"
#include "idverify/str.h"

#define SANDBOX_NOBODY 65534

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

bool
idv_sandbox_memory_limited(void)
{
#ifdef SANDBOX_ASAN
	return false;
#else
	return true;
#endif
}

enum idv_err
idv_sandbox_close_fds(const int *keep, size_t nkeep)
{
	/* Close the gaps between kept descriptors, then everything above the highest. */
	int next = 0;
	for (;;) {
		int lowest = -1;
		for (size_t i = 0; i < nkeep; i++)
			if (keep[i] >= next && (lowest < 0 || keep[i] < lowest))
				lowest = keep[i];
		unsigned hi = lowest < 0 ? ~0u : (unsigned)lowest - 1u;
		if (lowest < 0 || lowest > next) {
			if (close_range((unsigned)next, hi, 0) != 0) {
				/* Kernels before 5.9: one by one up to the descriptor limit. */
				struct rlimit rl;
				int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536
						  ? (int)rl.rlim_cur
						  : 65536;
				for (int fd = next; fd < max && (lowest < 0 || fd < lowest); fd++)
					close(fd);
			}
		}
		if (lowest < 0)
			break;
		next = lowest + 1;
	}
	return IDV_OK;
}

static enum idv_err
sandbox_setrlimit(int res, rlim_t soft, rlim_t hard, const char *name, char *why, size_t whysz)
{
	struct rlimit rl = {soft, hard};
	if (setrlimit(res, &rl) != 0) {
		idv_why(why, whysz, "setrlimit(%s): %s", name, strerror(errno));
		return IDV_E_IO;
	}
	return IDV_OK;
}

enum idv_err
idv_sandbox_rlimits(const struct idv_sandbox_limits *lim, char *why, size_t whysz)
{
	enum idv_err err = IDV_OK;
	if (lim->memory_bytes > 0 && idv_sandbox_memory_limited())
		err = sandbox_setrlimit(RLIMIT_AS, lim->memory_bytes, lim->memory_bytes, "AS", why,
					whysz);
	if (err == IDV_OK && lim->cpu_s > 0)
		err = sandbox_setrlimit(RLIMIT_CPU, lim->cpu_s, lim->cpu_s, "CPU", why, whysz);
	if (err == IDV_OK && lim->nofile > 0)
		err = sandbox_setrlimit(RLIMIT_NOFILE, lim->nofile, lim->nofile, "NOFILE", why, whysz);
	if (err == IDV_OK)
		err = sandbox_setrlimit(RLIMIT_FSIZE, 0, 0, "FSIZE", why, whysz);
	if (err == IDV_OK)
		err = sandbox_setrlimit(RLIMIT_CORE, 0, 0, "CORE", why, whysz);
	/* No core dump and no ptrace by others of the same user: the document stays inside. */
	if (err == IDV_OK && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		idv_why(why, whysz, "prctl(PR_SET_DUMPABLE): %s", strerror(errno));
		err = IDV_E_IO;
	}
	return err;
}

enum idv_err
idv_sandbox_cpu_budget(unsigned cpu_s)
{
	struct rusage ru;
	struct rlimit rl;
	if (getrusage(RUSAGE_SELF, &ru) != 0 || getrlimit(RLIMIT_CPU, &rl) != 0)
		return IDV_E_IO;
	rlim_t used = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1);
	rlim_t soft = used + cpu_s;
	if (rl.rlim_max != RLIM_INFINITY && soft > rl.rlim_max)
		soft = rl.rlim_max;
	rl.rlim_cur = soft;
	return setrlimit(RLIMIT_CPU, &rl) == 0 ? IDV_OK : IDV_E_IO;
}

enum idv_err
idv_sandbox_drop_user(char *why, size_t whysz)
{
	if (geteuid() != 0 && getuid() != 0)
		return IDV_OK;
	if (setgroups(0, NULL) != 0 ||
	    setresgid(SANDBOX_NOBODY, SANDBOX_NOBODY, SANDBOX_NOBODY) != 0 ||
	    setresuid(SANDBOX_NOBODY, SANDBOX_NOBODY, SANDBOX_NOBODY) != 0) {
		idv_why(why, whysz, "cannot drop to user nobody: %s", strerror(errno));
		return IDV_E_IO;
	}
	/* Make sure it cannot be undone. */
	if (setresuid(0, 0, 0) == 0) {
		idv_why(why, whysz, "could regain root after dropping it");
		return IDV_E_STATE;
	}
	return IDV_OK;
}

/* SIGSYS from the filter: say which call was refused, then stop. Async-signal-safe only. */
static void
sandbox_sigsys(int sig, siginfo_t *si, void *uc)
{
	static const char head[] = "{\"level\":\"error\",\"event\":\"worker.sandbox_violation\","
				   "\"syscall\":";
	char num[16];
	size_t n = 0;
	unsigned v = si != NULL && si->si_syscall >= 0 ? (unsigned)si->si_syscall : 0;
	(void)sig;
	(void)uc;
	do {
		num[sizeof num - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n < sizeof num - 1);
	ssize_t w = write(STDERR_FILENO, head, sizeof head - 1);
	w = write(STDERR_FILENO, num + sizeof num - n, n);
	w = write(STDERR_FILENO, "}\n", 2);
	(void)w;
	_exit(IDV_SANDBOX_EXIT_VIOLATION);
}

/* System calls a sandboxed worker may make without conditions. */
static const int sandbox_allowed[] = {
	SCMP_SYS(read),
	SCMP_SYS(readv),
	SCMP_SYS(pread64),
	SCMP_SYS(write),
	SCMP_SYS(writev),
	SCMP_SYS(close),
	SCMP_SYS(fstat),
	SCMP_SYS(newfstatat),
	SCMP_SYS(lseek),
	SCMP_SYS(munmap),
	SCMP_SYS(mremap),
	SCMP_SYS(brk),
	SCMP_SYS(madvise),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	SCMP_SYS(futex),
	SCMP_SYS(getpid),
	SCMP_SYS(gettid),
	SCMP_SYS(getppid),
	SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_getres),
	SCMP_SYS(gettimeofday),
	SCMP_SYS(clock_nanosleep),
	SCMP_SYS(nanosleep),
	SCMP_SYS(getrusage),
	SCMP_SYS(getrlimit),
	SCMP_SYS(sched_yield),
	SCMP_SYS(sched_getaffinity),
	SCMP_SYS(getrandom),
	SCMP_SYS(uname),
	SCMP_SYS(sysinfo),
	SCMP_SYS(getuid),
	SCMP_SYS(geteuid),
	SCMP_SYS(getgid),
	SCMP_SYS(getegid),
	SCMP_SYS(rseq),
};

/* What a fork server adds: forking children (processes, never threads), waiting for them and
 * killing them, a pipe per child, waiting with a deadline, and the stricter filter each child
 * installs on itself. */
static int
sandbox_add_forkserver(scmp_filter_ctx ctx)
{
	static const int calls[] = {
		SCMP_SYS(wait4), SCMP_SYS(kill),  SCMP_SYS(pipe2),	    SCMP_SYS(poll),
		SCMP_SYS(ppoll), SCMP_SYS(seccomp), SCMP_SYS(set_robust_list),
	};
	int rc = 0;
	for (size_t i = 0; i < IDV_ARRAY_LEN(calls) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_VM | CLONE_THREAD, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* A child dies with its server. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				      SCMP_A0(SCMP_CMP_EQ, PR_SET_PDEATHSIG));
	return rc;
}

enum idv_err
idv_sandbox_seccomp_child(char *why, size_t whysz)
{
	/* Stacked on the fork server's filter (the stricter answer wins): no more processes, no
	 * waiting on or signalling others, no more filters. */
	enum idv_err result = IDV_E_IO;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc = ctx == NULL ? -ENOMEM : 0;
	static const int calls[] = {
		SCMP_SYS(clone), SCMP_SYS(clone3), SCMP_SYS(fork),  SCMP_SYS(vfork),
		SCMP_SYS(wait4), SCMP_SYS(pipe2),  SCMP_SYS(seccomp), SCMP_SYS(prctl),
	};
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0); /* set already */
	for (size_t i = 0; i < IDV_ARRAY_LEN(calls) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRAP, calls[i], 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(kill), 1,
				      SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)getpid()));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(tgkill), 1,
				      SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)getpid()));
	if (rc == 0)
		rc = seccomp_load(ctx);
	if (rc != 0)
		idv_why(why, whysz, "child seccomp filter: %s", strerror(-rc));
	else
		result = IDV_OK;
	seccomp_release(ctx);
	return result;
}

enum idv_err
idv_sandbox_seccomp(bool forkserver, char *why, size_t whysz)
{
	enum idv_err result = IDV_E_IO;
	scmp_filter_ctx ctx = NULL;
	int rc = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = sandbox_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) != 0) {
		idv_why(why, whysz, "sigaction(SIGSYS): %s", strerror(errno));
		goto out;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		idv_why(why, whysz, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		goto out;
	}
	ctx = seccomp_init(SCMP_ACT_TRAP);
	if (ctx == NULL) {
		idv_why(why, whysz, "seccomp_init failed");
		goto out;
	}
	for (size_t i = 0; i < IDV_ARRAY_LEN(sandbox_allowed) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sandbox_allowed[i], 0);
	if (rc == 0 && forkserver)
		rc = sandbox_add_forkserver(ctx);
	/* Memory, but never executable. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* The CPU budget of the next document (idv_sandbox_cpu_budget), on itself only. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setrlimit), 1,
				      SCMP_A0(SCMP_CMP_EQ, RLIMIT_CPU));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2,
				      SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A1(SCMP_CMP_EQ, RLIMIT_CPU));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2,
				      SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A2(SCMP_CMP_EQ, 0));
	/* abort() and raise(): signals to itself only. */
	/* abort() and raise() in a child signal the child itself: the fork server's pid is not
	 * the child's, so tgkill is allowed whatever the pid, and the child's own filter narrows
	 * it to itself. */
	if (rc == 0 && forkserver)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 0);
	if (rc == 0 && !forkserver)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				      SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	if (rc == 0 && !forkserver)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
				      SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	/* Files and terminals: refused, and the libraries carry on without them. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOTTY), SCMP_SYS(ioctl), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(readlink), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(access), 0);
	if (rc != 0) {
		idv_why(why, whysz, "seccomp_rule_add: %s", strerror(-rc));
		goto out;
	}
	if ((rc = seccomp_load(ctx)) != 0) {
		idv_why(why, whysz, "seccomp_load: %s", strerror(-rc));
		goto out;
	}
	result = IDV_OK;
out:
	seccomp_release(ctx);
	return result;
}
