/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox.h: what a document worker gives up before it touches untrusted bytes (DESIGN.md 3,
 * STYLE.md 19). The worker calls these in this order, after loading everything it reads from
 * files (OCR data, models), and any failure is fatal:
 *
 *   idv_sandbox_close_fds  every descriptor but the ones it keeps (stdin, stdout, stderr, the
 *                          socket to serve)
 *   idv_sandbox_rlimits    address space, CPU seconds, open files, file size 0, no core dumps
 *   idv_sandbox_drop_user  when started as root: no groups, then group and user "nobody"
 *   idv_sandbox_seccomp    PR_SET_NO_NEW_PRIVS, then a seccomp allow-list: memory, reading
 *                          and writing descriptors it already has, time, signals to itself and
 *                          exiting. open()/openat() fail with EACCES and ioctl() with ENOTTY
 *                          (libraries probe files and terminals and cope); any other system
 *                          call (socket, connect, execve, fork, ptrace ...) stops the process
 *                          with SIGSYS, reported on stderr with the call's number.
 *
 * No database, no master key, no network: the worker never has them to begin with (serve
 * starts it with a clean environment and only its socket), and cannot get them afterwards.
 */
#ifndef IDVERIFY_SANDBOX_H
#define IDVERIFY_SANDBOX_H

#include "idverify/common.h"

/* Exit status of a worker stopped by a forbidden system call. */
#define IDV_SANDBOX_EXIT_VIOLATION 71

struct idv_sandbox_limits {
	uint64_t memory_bytes; /* RLIMIT_AS; 0: leave (see idv_sandbox_memory_limited) */
	unsigned cpu_s;        /* RLIMIT_CPU hard limit, seconds; 0: leave */
	unsigned nofile;       /* RLIMIT_NOFILE; must exceed the highest descriptor kept */
};

/* Close every descriptor not listed in keep[0..nkeep). */
enum idv_err idv_sandbox_close_fds(const int *keep, size_t nkeep);

/*
 * Set the limits (and RLIMIT_FSIZE 0, RLIMIT_CORE 0, not dumpable). Under AddressSanitizer
 * RLIMIT_AS cannot be used (the shadow memory alone is terabytes of address space); the
 * memory ceiling is then enforced by the sanitizer's own allocator options, which serve passes
 * in the worker's ASAN_OPTIONS (max_allocation_size_mb, allocator_may_return_null).
 */
enum idv_err idv_sandbox_rlimits(const struct idv_sandbox_limits *lim, char *why, size_t whysz);

/* Is RLIMIT_AS applied in this build (false under AddressSanitizer)? */
bool idv_sandbox_memory_limited(void);

/* Allow the next cpu_s seconds of CPU time (the soft RLIMIT_CPU, below the hard one): a
 * worker that runs past it gets SIGXCPU. Called by the worker before each document. */
enum idv_err idv_sandbox_cpu_budget(unsigned cpu_s);

/* When running as root: drop supplementary groups, then to the group and user "nobody"
 * (65534). Does nothing otherwise. */
enum idv_err idv_sandbox_drop_user(char *why, size_t whysz);

/* PR_SET_NO_NEW_PRIVS and the seccomp allow-list (see above). A fork server (forkserver true)
 * may also fork processes (never threads), wait for them, kill them, make pipes and poll. */
enum idv_err idv_sandbox_seccomp(bool forkserver, char *why, size_t whysz);

/* In a child of a fork server, before it touches the document: a second filter, stacked on
 * the first, that takes away what only the fork server needed (fork, wait, kill another
 * process, pipes, more filters). */
enum idv_err idv_sandbox_seccomp_child(char *why, size_t whysz);

#endif
