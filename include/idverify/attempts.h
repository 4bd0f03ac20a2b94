/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attempts.h: the throttle on verification attempts against one target (RULES.md R9, 11 CCR
 * 7060(f): "detect fraudulent identity-verification activity"). Pure: the counter's state and
 * "now" are parameters; the caller keeps the state (the store, under a keyed hash of the
 * target: a claimed name, a record) and the clock.
 *
 * Each attempt against a target counts in a fixed window that starts with the first attempt.
 * The attempt that passes max_attempts in one window locks the target for lockout_s: that
 * attempt and every later one until the lock lapses are not decided by the engine but by a
 * person (manual review). The rule never looks at whether a record exists or at the outcome,
 * so a target that is nobody's locks exactly like a customer's.
 */
#ifndef IDVERIFY_ATTEMPTS_H
#define IDVERIFY_ATTEMPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idv_attempts_rule {
	uint32_t max_attempts; /* attempts allowed per window (>= 1) */
	int64_t window_s;      /* length of a counting window (> 0) */
	int64_t lockout_s;     /* how long a lock holds (> 0) */
};

/* Five attempts per target in 30 days; a lock holds 30 days. */
#define IDV_ATTEMPTS_DEFAULT_MAX 5u
#define IDV_ATTEMPTS_DEFAULT_WINDOW_S (30 * 86400)
#define IDV_ATTEMPTS_DEFAULT_LOCKOUT_S (30 * 86400)

void idv_attempts_rule_defaults(struct idv_attempts_rule *r);
/* False when a field is out of range (the caller refuses the configuration). */
bool idv_attempts_rule_valid(const struct idv_attempts_rule *r);

/* A target's counter. All zero: never attempted. */
struct idv_attempts_state {
	int64_t window_start; /* first attempt of the current window (0: none) */
	uint32_t count;       /* attempts in the current window */
	int64_t locked_until; /* 0, or the end of a lock */
};

enum idv_attempts_verdict {
	IDV_ATTEMPTS_ALLOW = 0, /* decide as usual */
	IDV_ATTEMPTS_LOCKED,    /* locked already (by an earlier attempt) */
	IDV_ATTEMPTS_LOCK,      /* this attempt locks the target: audit it */
};

/*
 * Count one attempt at now and update st. A window that has ended starts again at now; a
 * lock that has lapsed is cleared. A clock that went backwards (now before window_start)
 * counts in the current window rather than opening a new one.
 */
enum idv_attempts_verdict idv_attempts_step(const struct idv_attempts_rule *r,
					    struct idv_attempts_state *st, int64_t now);

/* May the state be forgotten at now (no window or lock left to honour)? */
bool idv_attempts_expired(const struct idv_attempts_rule *r, const struct idv_attempts_state *st,
			  int64_t now);

/*
 * The text a claimed name is counted under: given names and family name folded (case,
 * accents, punctuation, spacing: name.h) and joined, so "José  María" and "JOSE maria" are
 * one target. False when the name is empty or does not fold into outsz; out is then "".
 */
bool idv_attempts_name_target(const char *given, const char *family, char *out, size_t outsz);

/* The stronger of two verdicts (LOCK > LOCKED > ALLOW). */
enum idv_attempts_verdict idv_attempts_worst(enum idv_attempts_verdict a,
					     enum idv_attempts_verdict b);

#endif
