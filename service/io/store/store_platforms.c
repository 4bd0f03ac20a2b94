/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_platforms.c: platform cases, the decision webhook's state and the outbox ordering rule
 * (store_platforms.h) in SQLite.
 */
#include "store_platforms.h"
#include "store_sqlite.h"

#define PLATFORM_COLUMNS \
	"case_id, platform, external_id, reply_sealed, notified, consumer_at, created_at"

bool
idv_platform_channel(const char *channel)
{
	return strcmp(channel, "fides") == 0 || strcmp(channel, "transcend") == 0 ||
	       strcmp(channel, "ketch") == 0;
}

void
idv_platform_case_row_init(struct idv_platform_case_row *row)
{
	memset(row, 0, sizeof *row);
	idv_buf_init(&row->reply_sealed, 64 * 1024);
}

void
idv_platform_case_row_cleanup(struct idv_platform_case_row *row)
{
	idv_buf_cleanup(&row->reply_sealed);
}

enum idv_err
idv_store_platform_case_insert(struct idv_store *s, const struct idv_platform_case_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO platform_cases(" PLATFORM_COLUMNS ") VALUES(?,?,?,?,?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, row->case_id);
		sqlite3_bind_text(st, 2, row->platform, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, row->external_id, -1, SQLITE_STATIC);
		store_bind_buf(st, 4, &row->reply_sealed);
		sqlite3_bind_text(st, 5, row->notified, -1, SQLITE_STATIC);
		store_bind_i64(st, 6, row->consumer_at);
		sqlite3_bind_int64(st, 7, row->created_at);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_platform_case_get(struct idv_store *s, int64_t case_id,
			    struct idv_platform_case_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT " PLATFORM_COLUMNS " FROM platform_cases WHERE case_id = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			row->case_id = sqlite3_column_int64(st, 0);
			store_col_text(st, 1, row->platform, sizeof row->platform, NULL);
			store_col_text(st, 2, row->external_id, sizeof row->external_id, NULL);
			store_col_buf(st, 3, &row->reply_sealed);
			store_col_text(st, 4, row->notified, sizeof row->notified, NULL);
			row->consumer_at = sqlite3_column_int64(st, 5);
			row->created_at = sqlite3_column_int64(st, 6);
			result = IDV_OK;
		} else if (rc == SQLITE_DONE) {
			result = IDV_E_NOTFOUND;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_platform_case_find(struct idv_store *s, const char *platform, const char *external_id,
			     int64_t *case_id)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT case_id FROM platform_cases WHERE platform = ? AND"
			       " external_id = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, platform, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, external_id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*case_id = sqlite3_column_int64(st, 0);
			result = IDV_OK;
		} else if (rc == SQLITE_DONE) {
			result = IDV_E_NOTFOUND;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_platform_case_update(struct idv_store *s, const struct idv_platform_case_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE platform_cases SET reply_sealed = ?, notified = ?,"
			       " consumer_at = ? WHERE case_id = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		store_bind_buf(st, 1, &row->reply_sealed);
		sqlite3_bind_text(st, 2, row->notified, -1, SQLITE_STATIC);
		store_bind_i64(st, 3, row->consumer_at);
		sqlite3_bind_int64(st, 4, row->case_id);
		result = store_step_done(st);
		if (result == IDV_OK && sqlite3_changes(s->db) == 0)
			result = IDV_E_NOTFOUND;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

/* Ids from a one-column query, at most max. */
static enum idv_err
store_ids(struct idv_store *s, const char *sql, int64_t *ids, size_t max, size_t *n)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	*n = 0;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
		int rc = SQLITE_DONE;
		while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
			ids[(*n)++] = sqlite3_column_int64(st, 0);
		result = *n == max || rc == SQLITE_DONE ? IDV_OK : IDV_E_DB;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_platform_case_open(struct idv_store *s, int64_t *ids, size_t max, size_t *n)
{
	return store_ids(s,
			 "SELECT case_id FROM platform_cases WHERE notified NOT LIKE 'final:%'"
			 " ORDER BY case_id LIMIT ?",
			 ids, max, n);
}

enum idv_err
idv_store_webhook_due(struct idv_store *s, int64_t *ids, size_t max, size_t *n)
{
	return store_ids(s,
			 "SELECT c.id FROM cases c LEFT JOIN webhook_state w ON w.case_id = c.id"
			 " WHERE w.notified IS NULL OR w.notified !="
			 " c.status || '/' || coalesce(c.response, '')"
			 " ORDER BY c.id LIMIT ?",
			 ids, max, n);
}

enum idv_err
idv_store_webhook_get(struct idv_store *s, int64_t case_id, char *out, size_t outsz)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	out[0] = '\0';
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, "SELECT notified FROM webhook_state WHERE case_id = ?", -1,
			       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			store_col_text(st, 0, out, outsz, NULL);
		result = rc == SQLITE_ROW || rc == SQLITE_DONE ? IDV_OK : IDV_E_DB;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_webhook_set(struct idv_store *s, int64_t case_id, const char *state)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO webhook_state(case_id, notified) VALUES(?,?)"
			       " ON CONFLICT(case_id) DO UPDATE SET notified = excluded.notified",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

bool
idv_store_outbox_blocked(struct idv_store *s, int64_t id, const char *url, int64_t *next_at)
{
	bool blocked = false;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT next_at FROM outbox WHERE state = 'pending' AND url = ?"
			       " AND id < ? ORDER BY id LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*next_at = sqlite3_column_int64(st, 0);
			blocked = true;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return blocked;
}
