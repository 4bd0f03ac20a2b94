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
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT window_start, count, locked_until FROM attempts"
			       " WHERE target_hash = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, target_hash, 32, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			out->window_start = sqlite3_column_int64(st, 0);
			int64_t n = sqlite3_column_int64(st, 1);
			out->count = n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
			out->locked_until = sqlite3_column_int64(st, 2);
			result = IDV_OK;
		} else if (rc == SQLITE_DONE) {
			result = IDV_OK; /* never attempted: all zero */
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_attempts_put(struct idv_store *s, const uint8_t target_hash[32],
		       const struct idv_attempts_state *in)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO attempts(target_hash, window_start, count, locked_until)"
			       " VALUES(?,?,?,?) ON CONFLICT(target_hash) DO UPDATE SET"
			       " window_start = excluded.window_start, count = excluded.count,"
			       " locked_until = excluded.locked_until",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, target_hash, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, in->window_start);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)in->count);
		sqlite3_bind_int64(st, 4, in->locked_until);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_attempts_forget(struct idv_store *s, int64_t window_before, int64_t now, int64_t *n)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "DELETE FROM attempts WHERE window_start <= ? AND locked_until <= ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, window_before);
		sqlite3_bind_int64(st, 2, now);
		result = store_step_done(st);
		if (result == IDV_OK && n != NULL)
			*n = sqlite3_changes(s->db);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}
