/* SPDX-License-Identifier: Apache-2.0 */
/* attempts.c: the throttle on verification attempts against one target (attempts.h). */
#include "idverify/attempts.h"
#include "idverify/str.h"
#include "idverify/name.h"

void
idv_attempts_rule_defaults(struct idv_attempts_rule *r)
{
	r->max_attempts = IDV_ATTEMPTS_DEFAULT_MAX;
	r->window_s = IDV_ATTEMPTS_DEFAULT_WINDOW_S;
	r->lockout_s = IDV_ATTEMPTS_DEFAULT_LOCKOUT_S;
}

bool
idv_attempts_rule_valid(const struct idv_attempts_rule *r)
{
	/* A year at most: the counters are personal data's hashes and must not be kept longer. */
	const int64_t year = 366 * 86400;
	return r->max_attempts >= 1 && r->max_attempts <= 1000 && r->window_s > 0 &&
	       r->window_s <= year && r->lockout_s > 0 && r->lockout_s <= year;
}

enum idv_attempts_verdict
idv_attempts_step(const struct idv_attempts_rule *r, struct idv_attempts_state *st, int64_t now)
{
	enum idv_attempts_verdict v = IDV_ATTEMPTS_ALLOW;
	if (st->locked_until != 0 && now >= st->locked_until) {
		/* The lock has lapsed: start afresh, as if never attempted. */
		st->locked_until = 0;
		st->window_start = 0;
		st->count = 0;
	}
	if (st->window_start == 0 || now - st->window_start >= r->window_s) {
		st->window_start = now;
		st->count = 0;
	}
	if (st->count < UINT32_MAX)
		st->count++;
	if (st->locked_until != 0) {
		v = IDV_ATTEMPTS_LOCKED;
	} else if (st->count > r->max_attempts) {
		st->locked_until = now + r->lockout_s;
		v = IDV_ATTEMPTS_LOCK;
	}
	return v;
}

bool
idv_attempts_expired(const struct idv_attempts_rule *r, const struct idv_attempts_state *st,
		     int64_t now)
{
	bool lock_over = st->locked_until == 0 || now >= st->locked_until;
	bool window_over = st->window_start == 0 || now - st->window_start >= r->window_s;
	return lock_over && window_over;
}

enum idv_attempts_verdict
idv_attempts_worst(enum idv_attempts_verdict a, enum idv_attempts_verdict b)
{
	return a > b ? a : b;
}

bool
idv_attempts_name_target(const char *given, const char *family, char *out, size_t outsz)
{
	char g[IDV_NAME_MAX_TOKENS * IDV_NAME_TOKEN_MAX],
		f[IDV_NAME_MAX_TOKENS * IDV_NAME_TOKEN_MAX];
	bool ok = outsz > 0;
	if (ok)
		out[0] = '\0';
	ok = ok && idv_name_fold(given, strlen(given), 0, g, sizeof g) == IDV_OK &&
	     idv_name_fold(family, strlen(family), 0, f, sizeof f) == IDV_OK &&
	     (g[0] != '\0' || f[0] != '\0');
	if (ok) {
		ok = idv_fmt(out, outsz, "%s|%s", g, f);
		if (!ok)
			out[0] = '\0';
	}
	return ok;
}
