/* SPDX-License-Identifier: Apache-2.0 */
/* store_cases.c: cases, documents, jobs, declarations and receipts in SQLite (store.h). */
#include <time.h>

#include "log.h"
#include "store_sqlite.h"

#define CASE_COLUMNS                                                                             \
	"id, reference, token_hash, request_type, level, channel, requester_role, status, "     \
	"received_at, acknowledge_by, respond_by, extended, extension_reason, wrapped_key, "    \
	"claims_sealed, decision_sealed, outcome, outcome_level, model, matched_hash, "         \
	"decided_at, delete_confirmed_at, withdrawn_at, closed_at, response, denial_basis, "    \
	"purged_at, updated_at"

#define DOC_COLUMNS                                                                              \
	"id, case_id, kind, part, status, error_type, error_detail, size, created_at, "         \
	"result_sealed"

void
idv_case_row_init(struct idv_case_row *row)
{
	memset(row, 0, sizeof *row);
	idv_buf_init(&row->wrapped_key, 256);
	idv_buf_init(&row->claims_sealed, 256 * 1024);
	idv_buf_init(&row->decision_sealed, 1024 * 1024);
}

void
idv_case_row_cleanup(struct idv_case_row *row)
{
	idv_buf_cleanup_wipe(&row->wrapped_key);
	idv_buf_cleanup(&row->claims_sealed);
	idv_buf_cleanup(&row->decision_sealed);
}

void
idv_doc_row_init(struct idv_doc_row *row)
{
	memset(row, 0, sizeof *row);
	idv_buf_init(&row->content_sealed, 64u * 1024u * 1024u);
	idv_buf_init(&row->result_sealed, 4u * 1024u * 1024u);
}

void
idv_doc_row_cleanup(struct idv_doc_row *row)
{
	idv_buf_cleanup(&row->content_sealed);
	idv_buf_cleanup(&row->result_sealed);
}

static void
case_from_stmt(sqlite3_stmt *st, struct idv_case_row *row)
{
	row->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, row->reference, sizeof row->reference, NULL);
	memset(row->token_hash, 0, sizeof row->token_hash);
	if (sqlite3_column_bytes(st, 2) == 32)
		memcpy(row->token_hash, sqlite3_column_blob(st, 2), 32);
	store_col_text(st, 3, row->request_type, sizeof row->request_type, NULL);
	store_col_text(st, 4, row->level, sizeof row->level, NULL);
	store_col_text(st, 5, row->channel, sizeof row->channel, NULL);
	store_col_text(st, 6, row->requester_role, sizeof row->requester_role, NULL);
	store_col_text(st, 7, row->status, sizeof row->status, NULL);
	row->received_at = sqlite3_column_int64(st, 8);
	store_col_text(st, 9, row->acknowledge_by, sizeof row->acknowledge_by, NULL);
	store_col_text(st, 10, row->respond_by, sizeof row->respond_by, NULL);
	row->extended = sqlite3_column_int(st, 11) != 0;
	store_col_text(st, 12, row->extension_reason, sizeof row->extension_reason, NULL);
	store_col_buf(st, 13, &row->wrapped_key);
	store_col_buf(st, 14, &row->claims_sealed);
	store_col_buf(st, 15, &row->decision_sealed);
	store_col_text(st, 16, row->outcome, sizeof row->outcome, NULL);
	store_col_text(st, 17, row->outcome_level, sizeof row->outcome_level, NULL);
	store_col_text(st, 18, row->model, sizeof row->model, NULL);
	row->has_matched = sqlite3_column_bytes(st, 19) == 32;
	if (row->has_matched)
		memcpy(row->matched_hash, sqlite3_column_blob(st, 19), 32);
	row->decided_at = sqlite3_column_int64(st, 20);
	row->delete_confirmed_at = sqlite3_column_int64(st, 21);
	row->withdrawn_at = sqlite3_column_int64(st, 22);
	row->closed_at = sqlite3_column_int64(st, 23);
	store_col_text(st, 24, row->response, sizeof row->response, NULL);
	store_col_text(st, 25, row->denial_basis, sizeof row->denial_basis, NULL);
	row->purged_at = sqlite3_column_int64(st, 26);
	row->updated_at = sqlite3_column_int64(st, 27);
}

/* ---- cases ------------------------------------------------------------------------------- */

enum idv_err
idv_store_case_insert(struct idv_store *s, struct idv_case_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO cases(reference, token_hash, request_type, level, channel,"
			       " requester_role, status, received_at, acknowledge_by, respond_by,"
			       " wrapped_key, claims_sealed, updated_at)"
			       " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, row->reference, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, row->token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row->request_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->level, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, row->requester_role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, row->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, row->received_at);
	sqlite3_bind_text(st, 9, row->acknowledge_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, row->respond_by, -1, SQLITE_STATIC);
	store_bind_buf(st, 11, &row->wrapped_key);
	store_bind_buf(st, 12, &row->claims_sealed);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)time(NULL));
	if ((result = store_step_done(st)) == IDV_OK)
		row->id = sqlite3_last_insert_rowid(s->db);
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

static enum idv_err
case_get_where(struct idv_store *s, const char *where, const char *text, int64_t num,
	       struct idv_case_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT " CASE_COLUMNS " FROM cases WHERE %s", where);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, num);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		case_from_stmt(st, row);
		result = IDV_OK;
	} else if (rc == SQLITE_DONE) {
		result = IDV_E_NOTFOUND;
	}
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_case_get(struct idv_store *s, const char *reference, struct idv_case_row *row)
{
	return case_get_where(s, "reference = ?", reference, 0, row);
}

enum idv_err
idv_store_case_get_id(struct idv_store *s, int64_t id, struct idv_case_row *row)
{
	return case_get_where(s, "id = ?", NULL, id, row);
}

enum idv_err
idv_store_case_update(struct idv_store *s, const struct idv_case_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE cases SET level=?, status=?, acknowledge_by=?, respond_by=?,"
			       " extended=?, extension_reason=?, wrapped_key=?, claims_sealed=?,"
			       " decision_sealed=?, outcome=?, outcome_level=?, model=?,"
			       " matched_hash=?, decided_at=?, delete_confirmed_at=?, withdrawn_at=?,"
			       " closed_at=?, response=?, denial_basis=?, purged_at=?, updated_at=?"
			       " WHERE id=?",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, row->level, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row->acknowledge_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->respond_by, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, row->extended ? 1 : 0);
	store_bind_text(st, 6, row->extension_reason);
	store_bind_buf(st, 7, &row->wrapped_key);
	store_bind_buf(st, 8, &row->claims_sealed);
	store_bind_buf(st, 9, &row->decision_sealed);
	store_bind_text(st, 10, row->outcome);
	store_bind_text(st, 11, row->outcome_level);
	store_bind_text(st, 12, row->model);
	if (row->has_matched)
		sqlite3_bind_blob(st, 13, row->matched_hash, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 13);
	store_bind_i64(st, 14, row->decided_at);
	store_bind_i64(st, 15, row->delete_confirmed_at);
	store_bind_i64(st, 16, row->withdrawn_at);
	store_bind_i64(st, 17, row->closed_at);
	store_bind_text(st, 18, row->response);
	store_bind_text(st, 19, row->denial_basis);
	store_bind_i64(st, 20, row->purged_at);
	sqlite3_bind_int64(st, 21, (sqlite3_int64)time(NULL));
	sqlite3_bind_int64(st, 22, row->id);
	result = store_step_done(st);
	if (result == IDV_OK && sqlite3_changes(s->db) != 1)
		result = IDV_E_NOTFOUND;
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

static enum idv_err
case_each(struct idv_store *s, const char *where, int64_t a, int64_t b, int nbind,
	  idv_store_case_fn fn, void *arg)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	char sql[1024];
	struct idv_case_row row;
	idv_case_row_init(&row);
	snprintf(sql, sizeof sql, "SELECT " CASE_COLUMNS " FROM cases WHERE %s ORDER BY id", where);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	if (nbind >= 1)
		sqlite3_bind_int64(st, 1, a);
	if (nbind >= 2)
		sqlite3_bind_int64(st, 2, b);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		case_from_stmt(st, &row);
		if (!fn(arg, &row))
			break;
	}
	result = rc == SQLITE_ROW || rc == SQLITE_DONE ? IDV_OK : IDV_E_DB;
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	idv_case_row_cleanup(&row);
	return result;
}

enum idv_err
idv_store_case_each_received(struct idv_store *s, int64_t from, int64_t to, idv_store_case_fn fn,
			     void *arg)
{
	return case_each(s, "received_at >= ? AND received_at < ?", from, to, 2, fn, arg);
}

enum idv_err
idv_store_case_each_stale(struct idv_store *s, int64_t updated_before, idv_store_case_fn fn,
			  void *arg)
{
	return case_each(s, "closed_at IS NULL AND updated_at < ?", updated_before, 0, 1, fn, arg);
}

enum idv_err
idv_store_case_each_unpurged(struct idv_store *s, idv_store_case_fn fn, void *arg)
{
	return case_each(s, "closed_at IS NOT NULL AND purged_at IS NULL", 0, 0, 0, fn, arg);
}

enum idv_err
idv_store_case_each_status(struct idv_store *s, const char *status, idv_store_case_fn fn,
			   void *arg)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	struct idv_case_row row;
	idv_case_row_init(&row);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT " CASE_COLUMNS " FROM cases WHERE status = ? AND closed_at IS NULL"
			       " ORDER BY respond_by, received_at, id",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		case_from_stmt(st, &row);
		if (!fn(arg, &row))
			break;
	}
	result = rc == SQLITE_ROW || rc == SQLITE_DONE ? IDV_OK : IDV_E_DB;
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	idv_case_row_cleanup(&row);
	return result;
}

enum idv_err
idv_store_case_delete_closed_before(struct idv_store *s, int64_t before, int64_t *deleted)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "DELETE FROM cases WHERE closed_at IS NOT NULL AND closed_at < ?"
			       " AND purged_at IS NOT NULL",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, before);
		if ((result = store_step_done(st)) == IDV_OK)
			*deleted = sqlite3_changes(s->db);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_case_count_access(struct idv_store *s, const uint8_t matched_hash[32], int64_t since,
			    int64_t exclude_id, int64_t *out)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT count(*) FROM cases WHERE matched_hash = ? AND id != ?"
			       " AND request_type IN ('know_categories', 'know_specific')"
			       " AND response IN ('fulfilled', 'partially_fulfilled')"
			       " AND closed_at >= ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, matched_hash, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, exclude_id);
		sqlite3_bind_int64(st, 3, since);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			result = IDV_OK;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

/* ---- documents and jobs -------------------------------------------------------------------- */

static void
doc_from_stmt(sqlite3_stmt *st, struct idv_doc_row *row, int content_col)
{
	store_col_text(st, 0, row->id, sizeof row->id, NULL);
	row->case_id = sqlite3_column_int64(st, 1);
	store_col_text(st, 2, row->kind, sizeof row->kind, NULL);
	row->part = sqlite3_column_int(st, 3);
	store_col_text(st, 4, row->status, sizeof row->status, NULL);
	store_col_text(st, 5, row->error_type, sizeof row->error_type, NULL);
	store_col_text(st, 6, row->error_detail, sizeof row->error_detail, NULL);
	row->size = sqlite3_column_int64(st, 7);
	row->created_at = sqlite3_column_int64(st, 8);
	store_col_buf(st, 9, &row->result_sealed);
	if (content_col >= 0)
		store_col_buf(st, content_col, &row->content_sealed);
}

enum idv_err
idv_store_doc_insert(struct idv_store *s, const struct idv_doc_row *row, bool queue)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL);
	if (row->content_sealed.len > INT32_MAX)
		return IDV_E_TOOBIG;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO documents(id, case_id, kind, part, status, size,"
			       " content_sealed, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, row->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, row->case_id);
	sqlite3_bind_text(st, 3, row->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, row->part);
	sqlite3_bind_text(st, 5, row->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, row->size);
	store_bind_buf(st, 7, &row->content_sealed);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, now);
	if ((result = store_step_done(st)) != IDV_OK || !queue)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	result = IDV_E_DB;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO jobs(document_id, state, created_at) VALUES(?, 'queued', ?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, row->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	result = store_step_done(st);
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_doc_get(struct idv_store *s, const char *id, bool with_content, struct idv_doc_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       with_content ? "SELECT " DOC_COLUMNS ", content_sealed FROM documents"
					      " WHERE id = ?"
					    : "SELECT " DOC_COLUMNS " FROM documents WHERE id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		doc_from_stmt(st, row, with_content ? 10 : -1);
		result = IDV_OK;
	} else if (rc == SQLITE_DONE) {
		result = IDV_E_NOTFOUND;
	}
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_doc_each(struct idv_store *s, int64_t case_id, idv_store_doc_fn fn, void *arg)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	struct idv_doc_row row;
	idv_doc_row_init(&row);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT " DOC_COLUMNS " FROM documents WHERE case_id = ?"
			       " ORDER BY created_at, rowid",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, case_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		doc_from_stmt(st, &row, -1);
		if (!fn(arg, &row))
			break;
	}
	result = rc == SQLITE_ROW || rc == SQLITE_DONE ? IDV_OK : IDV_E_DB;
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	idv_doc_row_cleanup(&row);
	return result;
}

enum idv_err
idv_store_doc_set_result(struct idv_store *s, const char *id, const char *status,
			 const char *error_type, const char *error_detail,
			 const uint8_t *result_sealed, size_t len)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	if (len > INT32_MAX)
		return IDV_E_TOOBIG;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE documents SET status=?, error_type=?, error_detail=?,"
			       " result_sealed=?, updated_at=? WHERE id=?",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	store_bind_text(st, 2, error_type);
	store_bind_text(st, 3, error_detail);
	if (result_sealed != NULL && len > 0)
		sqlite3_bind_blob(st, 4, result_sealed, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(st, 6, id, -1, SQLITE_STATIC);
	result = store_step_done(st);
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_doc_delete_case(struct idv_store *s, int64_t case_id, int64_t *deleted)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, "DELETE FROM documents WHERE case_id = ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		if ((result = store_step_done(st)) == IDV_OK && deleted != NULL)
			*deleted = sqlite3_changes(s->db);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_job_claim(struct idv_store *s, char doc_id[IDV_DOC_ID_MAX], int *attempts)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE jobs SET state='running', attempts=attempts+1, claimed_at=?"
			       " WHERE id = (SELECT id FROM jobs WHERE state='queued' ORDER BY id"
			       " LIMIT 1) RETURNING document_id, attempts - 1",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_col_text(st, 0, doc_id, IDV_DOC_ID_MAX, NULL);
		*attempts = sqlite3_column_int(st, 1);
		result = IDV_OK;
		sqlite3_step(st);
	} else if (rc == SQLITE_DONE) {
		result = IDV_E_NOTFOUND;
	}
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

static enum idv_err
job_exec(struct idv_store *s, const char *sql, const char *doc_id)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_job_done(struct idv_store *s, const char *doc_id)
{
	return job_exec(s, "DELETE FROM jobs WHERE document_id = ?", doc_id);
}

enum idv_err
idv_store_job_retry(struct idv_store *s, const char *doc_id)
{
	return job_exec(s, "UPDATE jobs SET state='queued', claimed_at=NULL WHERE document_id = ?",
			doc_id);
}

enum idv_err
idv_store_job_release(struct idv_store *s, const char *doc_id)
{
	return job_exec(s,
			"UPDATE jobs SET state='queued', claimed_at=NULL,"
			" attempts=max(attempts - 1, 0) WHERE document_id = ?",
			doc_id);
}

enum idv_err
idv_store_job_requeue_running(struct idv_store *s, int64_t *requeued)
{
	pthread_mutex_lock(&s->lock);
	enum idv_err result =
		store_exec(s, "UPDATE jobs SET state='queued', claimed_at=NULL WHERE state='running'");
	*requeued = result == IDV_OK ? sqlite3_changes(s->db) : 0;
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_job_count(struct idv_store *s, const char *state, int64_t *out)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM jobs WHERE state = ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			result = IDV_OK;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

/* ---- declarations, receipts, checkpoint ------------------------------------------------------ */

enum idv_err
idv_store_declaration_insert(struct idv_store *s, int64_t case_id, const char *statement_version,
			     int64_t signed_at, const uint8_t *sealed, size_t len)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO declarations(case_id, statement_version, signed_at, sealed)"
			       " VALUES(?,?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		sqlite3_bind_text(st, 2, statement_version, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, signed_at);
		sqlite3_bind_blob(st, 4, sealed, (int)len, SQLITE_STATIC);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_declaration_get(struct idv_store *s, int64_t case_id, char *version, size_t versionsz,
			  int64_t *signed_at, struct idv_buf *sealed)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT statement_version, signed_at, sealed FROM declarations"
			       " WHERE case_id = ? ORDER BY id DESC LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			store_col_text(st, 0, version, versionsz, NULL);
			*signed_at = sqlite3_column_int64(st, 1);
			if (sealed != NULL)
				store_col_buf(st, 2, sealed);
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
idv_store_receipt_insert(struct idv_store *s, int64_t case_id, const char *body,
			 const uint8_t mac[32])
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO receipts(case_id, created_at, body, mac) VALUES(?,?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
		sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, mac, 32, SQLITE_STATIC);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_receipt_get(struct idv_store *s, int64_t case_id, struct idv_buf *body, uint8_t mac[32])
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT body, mac FROM receipts WHERE case_id = ? ORDER BY id DESC"
			       " LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			idv_buf_reset(body);
			idv_buf_append(body, sqlite3_column_text(st, 0),
				       (size_t)sqlite3_column_bytes(st, 0));
			if (sqlite3_column_bytes(st, 1) == 32)
				memcpy(mac, sqlite3_column_blob(st, 1), 32);
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
idv_store_checkpoint(struct idv_store *s)
{
	pthread_mutex_lock(&s->lock);
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	pthread_mutex_unlock(&s->lock);
	return rc == SQLITE_OK ? IDV_OK : IDV_E_DB;
}
