/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_attempts.c: the verification-attempt counters (store.h, attempts.h) in SQLite: one row
 * per target, keyed by the target's keyed hash, never by the target itself.
 */
#include "store_sqlite.h"

enum idv_err
idv_store_attempts_get(struct idv_store *s, const uint8_t target_hash[32],
		       struct idv_attempts_state *out)
{
	int64_t n = 0;
	memset(out, 0, sizeof *out);
	enum idv_err result = store_get_cols(
		s, "SELECT window_start, count, locked_until FROM attempts WHERE target_hash = ?",
		STORE_VALS(STORE_HASH(target_hash)),
		STORE_COLS(STORE_COL_I64(&out->window_start), STORE_COL_I64(&n),
			   STORE_COL_I64(&out->locked_until)));
	out->count = n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	return result == IDV_E_NOTFOUND ? IDV_OK : result; /* never attempted: all zero */
}

enum idv_err
idv_store_attempts_put(struct idv_store *s, const uint8_t target_hash[32],
		       const struct idv_attempts_state *in)
{
	return store_run(s,
			 "INSERT INTO attempts(target_hash, window_start, count, locked_until)"
			 " VALUES(?,?,?,?) ON CONFLICT(target_hash) DO UPDATE SET"
			 " window_start = excluded.window_start, count = excluded.count,"
			 " locked_until = excluded.locked_until",
			 STORE_VALS(STORE_HASH(target_hash), STORE_I64(in->window_start),
				    STORE_I64((int64_t)in->count), STORE_I64(in->locked_until)),
			 NULL, NULL);
}

enum idv_err
idv_store_attempts_forget(struct idv_store *s, int64_t window_before, int64_t now, int64_t *n)
{
	return store_change(s, "DELETE FROM attempts WHERE window_start <= ? AND locked_until <= ?",
			    STORE_VALS(STORE_I64(window_before), STORE_I64(now)), n);
}
