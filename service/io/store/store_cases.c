/* SPDX-License-Identifier: Apache-2.0 */
/* store_cases.c: cases, documents, jobs, declarations and receipts (store.h). */
#include <time.h>

#include "idverify/score.h"
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

static bool
case_from_stmt(const struct store_row *r, void *arg)
{
	struct idv_case_row *row = arg;
	row->id = store_col_i64(r, 0);
	store_col_text(r, 1, row->reference, sizeof row->reference, NULL);
	store_col_blob32(r, 2, row->token_hash);
	store_col_text(r, 3, row->request_type, sizeof row->request_type, NULL);
	store_col_text(r, 4, row->level, sizeof row->level, NULL);
	store_col_text(r, 5, row->channel, sizeof row->channel, NULL);
	store_col_text(r, 6, row->requester_role, sizeof row->requester_role, NULL);
	store_col_text(r, 7, row->status, sizeof row->status, NULL);
	row->received_at = store_col_i64(r, 8);
	store_col_text(r, 9, row->acknowledge_by, sizeof row->acknowledge_by, NULL);
	store_col_text(r, 10, row->respond_by, sizeof row->respond_by, NULL);
	row->extended = store_col_int(r, 11) != 0;
	store_col_text(r, 12, row->extension_reason, sizeof row->extension_reason, NULL);
	store_col_buf(r, 13, &row->wrapped_key);
	store_col_buf(r, 14, &row->claims_sealed);
	store_col_buf(r, 15, &row->decision_sealed);
	store_col_text(r, 16, row->outcome, sizeof row->outcome, NULL);
	store_col_text(r, 17, row->outcome_level, sizeof row->outcome_level, NULL);
	store_col_text(r, 18, row->model, sizeof row->model, NULL);
	row->has_matched = store_col_blob32(r, 19, row->matched_hash);
	row->decided_at = store_col_i64(r, 20);
	row->delete_confirmed_at = store_col_i64(r, 21);
	row->withdrawn_at = store_col_i64(r, 22);
	row->closed_at = store_col_i64(r, 23);
	store_col_text(r, 24, row->response, sizeof row->response, NULL);
	store_col_text(r, 25, row->denial_basis, sizeof row->denial_basis, NULL);
	row->purged_at = store_col_i64(r, 26);
	row->updated_at = store_col_i64(r, 27);
	return true;
}

/* ---- cases ------------------------------------------------------------------------------- */

enum idv_err
idv_store_case_insert(struct idv_store *s, struct idv_case_row *row)
{
	return store_get(
		s,
		"INSERT INTO cases(reference, token_hash, request_type, level, channel,"
		" requester_role, status, received_at, acknowledge_by, respond_by, wrapped_key,"
		" claims_sealed, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
		STORE_VALS(STORE_TEXT(row->reference), STORE_HASH(row->token_hash),
			   STORE_TEXT(row->request_type), STORE_TEXT(row->level),
			   STORE_TEXT(row->channel), STORE_TEXT(row->requester_role),
			   STORE_TEXT(row->status), STORE_I64(row->received_at),
			   STORE_TEXT(row->acknowledge_by), STORE_TEXT(row->respond_by),
			   STORE_BUF(&row->wrapped_key), STORE_BUF(&row->claims_sealed),
			   STORE_I64((int64_t)time(NULL))),
		store_row_i64, &row->id);
}

enum idv_err
idv_store_case_get(struct idv_store *s, const char *reference, struct idv_case_row *row)
{
	return store_get(s, "SELECT " CASE_COLUMNS " FROM cases WHERE reference = ?",
			 STORE_VALS(STORE_TEXT(reference)), case_from_stmt, row);
}

enum idv_err
idv_store_case_get_id(struct idv_store *s, int64_t id, struct idv_case_row *row)
{
	return store_get(s, "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?",
			 STORE_VALS(STORE_I64(id)), case_from_stmt, row);
}

enum idv_err
idv_store_case_update(struct idv_store *s, const struct idv_case_row *row)
{
	int64_t changed = 0;
	enum idv_err result = store_change(
		s,
		"UPDATE cases SET level=?, status=?, acknowledge_by=?, respond_by=?,"
		" extended=?, extension_reason=?, wrapped_key=?, claims_sealed=?,"
		" decision_sealed=?, outcome=?, outcome_level=?, model=?,"
		" matched_hash=?, decided_at=?, delete_confirmed_at=?, withdrawn_at=?,"
		" closed_at=?, response=?, denial_basis=?, purged_at=?, updated_at=?"
		" WHERE id=?",
		STORE_VALS(STORE_TEXT(row->level), STORE_TEXT(row->status),
			   STORE_TEXT(row->acknowledge_by), STORE_TEXT(row->respond_by),
			   STORE_BOOL(row->extended), STORE_TEXT_OR_NULL(row->extension_reason),
			   STORE_BUF(&row->wrapped_key), STORE_BUF(&row->claims_sealed),
			   STORE_BUF(&row->decision_sealed), STORE_TEXT_OR_NULL(row->outcome),
			   STORE_TEXT_OR_NULL(row->outcome_level), STORE_TEXT_OR_NULL(row->model),
			   STORE_BLOB(row->has_matched ? row->matched_hash : NULL, 32),
			   STORE_I64_OR_NULL(row->decided_at),
			   STORE_I64_OR_NULL(row->delete_confirmed_at),
			   STORE_I64_OR_NULL(row->withdrawn_at), STORE_I64_OR_NULL(row->closed_at),
			   STORE_TEXT_OR_NULL(row->response), STORE_TEXT_OR_NULL(row->denial_basis),
			   STORE_I64_OR_NULL(row->purged_at), STORE_I64((int64_t)time(NULL)),
			   STORE_I64(row->id)),
		&changed);
	if (result == IDV_OK && changed != 1)
		result = IDV_E_NOTFOUND;
	return result;
}

STORE_EACH(case_each, struct idv_case_row, idv_store_case_fn, case_from_stmt)

/* Each case that sql (CASE_COLUMNS selected) returns for vals, to fn. */
static enum idv_err
case_each(struct idv_store *s, const char *sql, const struct store_val *vals, size_t nvals,
	  idv_store_case_fn fn, void *arg)
{
	struct case_each e = {.fn = fn, .arg = arg};
	idv_case_row_init(&e.row);
	enum idv_err result = store_run(s, sql, vals, nvals, case_each_row, &e);
	idv_case_row_cleanup(&e.row);
	return result;
}

enum idv_err
idv_store_case_each_received(struct idv_store *s, int64_t from, int64_t to, idv_store_case_fn fn,
			     void *arg)
{
	return case_each(s,
			 "SELECT " CASE_COLUMNS " FROM cases WHERE received_at >= ?"
			 " AND received_at < ? ORDER BY id",
			 STORE_VALS(STORE_I64(from), STORE_I64(to)), fn, arg);
}

enum idv_err
idv_store_case_each_stale(struct idv_store *s, int64_t updated_before, idv_store_case_fn fn,
			  void *arg)
{
	return case_each(s,
			 "SELECT " CASE_COLUMNS " FROM cases WHERE closed_at IS NULL"
			 " AND updated_at < ? ORDER BY id",
			 STORE_VALS(STORE_I64(updated_before)), fn, arg);
}

enum idv_err
idv_store_case_each_unpurged(struct idv_store *s, idv_store_case_fn fn, void *arg)
{
	return case_each(s,
			 "SELECT " CASE_COLUMNS " FROM cases WHERE closed_at IS NOT NULL"
			 " AND purged_at IS NULL ORDER BY id",
			 NULL, 0, fn, arg);
}

enum idv_err
idv_store_case_each_status(struct idv_store *s, const char *status, idv_store_case_fn fn,
			   void *arg)
{
	return case_each(s,
			 "SELECT " CASE_COLUMNS " FROM cases WHERE status = ? AND closed_at IS NULL"
			 " ORDER BY respond_by, received_at, id",
			 STORE_VALS(STORE_TEXT(status)), fn, arg);
}

enum idv_err
idv_store_case_delete_closed_before(struct idv_store *s, int64_t before, int64_t *deleted)
{
	return store_change(s,
			    "DELETE FROM cases WHERE closed_at IS NOT NULL AND closed_at < ?"
			    " AND purged_at IS NOT NULL",
			    STORE_VALS(STORE_I64(before)), deleted);
}

enum idv_err
idv_store_case_count_access(struct idv_store *s, const uint8_t matched_hash[32], int64_t since,
			    int64_t exclude_id, int64_t *out)
{
	return store_get(s,
			 "SELECT count(*) FROM cases WHERE matched_hash = ? AND id != ?"
			 " AND request_type IN (?, ?)"
			 " AND response IN ('fulfilled', 'partially_fulfilled')"
			 " AND closed_at >= ?",
			 STORE_VALS(STORE_HASH(matched_hash), STORE_I64(exclude_id),
				    STORE_TEXT(idv_request_type_name(IDV_REQ_KNOW_CATEGORIES)),
				    STORE_TEXT(idv_request_type_name(IDV_REQ_KNOW_SPECIFIC)),
				    STORE_I64(since)),
			 store_row_i64, out);
}

/* ---- documents and jobs -------------------------------------------------------------------- */

static bool
doc_from_stmt(const struct store_row *r, void *arg)
{
	struct idv_doc_row *row = arg;
	store_col_text(r, 0, row->id, sizeof row->id, NULL);
	row->case_id = store_col_i64(r, 1);
	store_col_text(r, 2, row->kind, sizeof row->kind, NULL);
	row->part = store_col_int(r, 3);
	store_col_text(r, 4, row->status, sizeof row->status, NULL);
	store_col_text(r, 5, row->error_type, sizeof row->error_type, NULL);
	store_col_text(r, 6, row->error_detail, sizeof row->error_detail, NULL);
	row->size = store_col_i64(r, 7);
	row->created_at = store_col_i64(r, 8);
	store_col_buf(r, 9, &row->result_sealed);
	if (store_col_count(r) > 10)
		store_col_buf(r, 10, &row->content_sealed);
	return true;
}

enum idv_err
idv_store_doc_insert(struct idv_store *s, const struct idv_doc_row *row, bool queue)
{
	int64_t now = (int64_t)time(NULL);
	pthread_mutex_lock(&s->lock);
	enum idv_err result = store_run(
		s,
		"INSERT INTO documents(id, case_id, kind, part, status, size, content_sealed,"
		" created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?)",
		STORE_VALS(STORE_TEXT(row->id), STORE_I64(row->case_id), STORE_TEXT(row->kind),
			   STORE_I64(row->part), STORE_TEXT(row->status), STORE_I64(row->size),
			   STORE_BUF(&row->content_sealed), STORE_I64(now), STORE_I64(now)),
		NULL, NULL);
	if (result == IDV_OK && queue)
		result = store_run(
			s, "INSERT INTO jobs(document_id, state, created_at) VALUES(?, 'queued', ?)",
			STORE_VALS(STORE_TEXT(row->id), STORE_I64(now)), NULL, NULL);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_doc_get(struct idv_store *s, const char *id, bool with_content, struct idv_doc_row *row)
{
	return store_get(s,
			 with_content ? "SELECT " DOC_COLUMNS ", content_sealed FROM documents"
					" WHERE id = ?"
				      : "SELECT " DOC_COLUMNS " FROM documents WHERE id = ?",
			 STORE_VALS(STORE_TEXT(id)), doc_from_stmt, row);
}

STORE_EACH(doc_each, struct idv_doc_row, idv_store_doc_fn, doc_from_stmt)

enum idv_err
idv_store_doc_each(struct idv_store *s, int64_t case_id, idv_store_doc_fn fn, void *arg)
{
	struct doc_each e = {.fn = fn, .arg = arg};
	idv_doc_row_init(&e.row);
	enum idv_err result = store_run(s,
					"SELECT " DOC_COLUMNS " FROM documents WHERE case_id = ?"
					" ORDER BY created_at, rowid",
					STORE_VALS(STORE_I64(case_id)), doc_each_row, &e);
	idv_doc_row_cleanup(&e.row);
	return result;
}

enum idv_err
idv_store_doc_set_result(struct idv_store *s, const char *id, const char *status,
			 const char *error_type, const char *error_detail,
			 const uint8_t *result_sealed, size_t len)
{
	return store_run(s,
			 "UPDATE documents SET status=?, error_type=?, error_detail=?,"
			 " result_sealed=?, updated_at=? WHERE id=?",
			 STORE_VALS(STORE_TEXT(status), STORE_TEXT_OR_NULL(error_type),
				    STORE_TEXT_OR_NULL(error_detail),
				    STORE_BLOB_OR_NULL(result_sealed, len),
				    STORE_I64((int64_t)time(NULL)), STORE_TEXT(id)),
			 NULL, NULL);
}

enum idv_err
idv_store_doc_delete_case(struct idv_store *s, int64_t case_id, int64_t *deleted)
{
	return store_change(s, "DELETE FROM documents WHERE case_id = ?",
			    STORE_VALS(STORE_I64(case_id)), deleted);
}

/*
 * The oldest queued job becomes running. On PostgreSQL several instances may share the queue:
 * the inner SELECT skips a row another connection is claiming (FOR UPDATE SKIP LOCKED), so
 * each job goes to one of them, and the claim records the claiming connection's server
 * process (claimed_by); SQLite has one writer at a time. The outer state test keeps the claim
 * single either way.
 */
#define JOB_CLAIM_SQL(by, lock)                                                                  \
	"UPDATE jobs SET state='running', attempts=attempts+1, claimed_at=?" by                  \
	" WHERE state='queued' AND id = (SELECT id FROM jobs WHERE state='queued' ORDER BY id"   \
	" LIMIT 1" lock ") RETURNING document_id, attempts - 1"

/*
 * PostgreSQL: running jobs whose claiming connection is gone (its instance stopped, crashed or
 * was killed: the server ends the session) go back to the queue. Should the server give the
 * process id to a new connection meanwhile, the job waits for that one to end: later, never
 * read twice at once.
 */
#define JOB_REQUEUE_DEAD_SQL                                                                     \
	"UPDATE jobs SET state='queued', claimed_at=NULL, claimed_by=NULL WHERE state='running'" \
	" AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = jobs.claimed_by)"

static enum idv_err
job_claim(struct idv_store *s, char doc_id[IDV_DOC_ID_MAX], int *attempts)
{
	return store_get_cols(
		s,
		s->backend == STORE_PG
			? JOB_CLAIM_SQL(", claimed_by = pg_backend_pid()", " FOR UPDATE SKIP LOCKED")
			: JOB_CLAIM_SQL("", ""),
		STORE_VALS(STORE_I64((int64_t)time(NULL))),
		STORE_COLS(STORE_COL_TEXT(doc_id, IDV_DOC_ID_MAX), STORE_COL_INT(attempts)));
}

enum idv_err
idv_store_job_claim(struct idv_store *s, char doc_id[IDV_DOC_ID_MAX], int *attempts)
{
	enum idv_err err = job_claim(s, doc_id, attempts);
	int64_t back = 0;
	/* An idle instance takes over the jobs of one that died. */
	if (err == IDV_E_NOTFOUND && s->backend == STORE_PG &&
	    store_change(s, JOB_REQUEUE_DEAD_SQL, NULL, 0, &back) == IDV_OK && back > 0) {
		idv_log(IDV_LOG_WARN, "worker.requeued", "{s:i}", "jobs", (int)back);
		err = job_claim(s, doc_id, attempts);
	}
	return err;
}

enum idv_err
idv_store_job_done(struct idv_store *s, const char *doc_id)
{
	return store_run(s, "DELETE FROM jobs WHERE document_id = ?",
			 STORE_VALS(STORE_TEXT(doc_id)), NULL, NULL);
}

enum idv_err
idv_store_job_retry(struct idv_store *s, const char *doc_id)
{
	return store_run(s, "UPDATE jobs SET state='queued', claimed_at=NULL WHERE document_id = ?",
			 STORE_VALS(STORE_TEXT(doc_id)), NULL, NULL);
}

enum idv_err
idv_store_job_release(struct idv_store *s, const char *doc_id)
{
	return store_run(s,
			 "UPDATE jobs SET state='queued', claimed_at=NULL,"
			 " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END"
			 " WHERE document_id = ?",
			 STORE_VALS(STORE_TEXT(doc_id)), NULL, NULL);
}

enum idv_err
idv_store_job_requeue_running(struct idv_store *s, int64_t *requeued)
{
	*requeued = 0;
	/* PostgreSQL: another live instance's jobs stay its own. */
	return store_change(s,
			    s->backend == STORE_PG ? JOB_REQUEUE_DEAD_SQL
						   : "UPDATE jobs SET state='queued', claimed_at=NULL"
						     " WHERE state='running'",
			    NULL, 0, requeued);
}

enum idv_err
idv_store_job_count(struct idv_store *s, const char *state, int64_t *out)
{
	return store_get(s, "SELECT count(*) FROM jobs WHERE state = ?",
			 STORE_VALS(STORE_TEXT(state)), store_row_i64, out);
}

/* ---- declarations, receipts, checkpoint ------------------------------------------------------ */

enum idv_err
idv_store_declaration_insert(struct idv_store *s, int64_t case_id, const char *statement_version,
			     int64_t signed_at, const uint8_t *sealed, size_t len)
{
	return store_run(s,
			 "INSERT INTO declarations(case_id, statement_version, signed_at, sealed)"
			 " VALUES(?,?,?,?)",
			 STORE_VALS(STORE_I64(case_id), STORE_TEXT(statement_version),
				    STORE_I64(signed_at), STORE_BLOB(sealed, len)),
			 NULL, NULL);
}

enum idv_err
idv_store_declaration_get(struct idv_store *s, int64_t case_id, char *version, size_t versionsz,
			  int64_t *signed_at, struct idv_buf *sealed)
{
	return store_get_cols(s,
			 "SELECT statement_version, signed_at, sealed FROM declarations"
			 " WHERE case_id = ? ORDER BY id DESC LIMIT 1",
			 STORE_VALS(STORE_I64(case_id)),
			 STORE_COLS(STORE_COL_TEXT(version, versionsz), STORE_COL_I64(signed_at),
				    STORE_COL_BUF(sealed)));
}

enum idv_err
idv_store_receipt_insert(struct idv_store *s, int64_t case_id, const char *body,
			 const uint8_t mac[32])
{
	return store_run(s, "INSERT INTO receipts(case_id, created_at, body, mac) VALUES(?,?,?,?)",
			 STORE_VALS(STORE_I64(case_id), STORE_I64((int64_t)time(NULL)),
				    STORE_TEXT(body), STORE_HASH(mac)),
			 NULL, NULL);
}

enum idv_err
idv_store_receipt_get(struct idv_store *s, int64_t case_id, struct idv_buf *body, uint8_t mac[32])
{
	return store_get_cols(s,
			      "SELECT body, mac FROM receipts WHERE case_id = ? ORDER BY id DESC LIMIT 1",
			      STORE_VALS(STORE_I64(case_id)),
			      STORE_COLS(STORE_COL_BUF(body), STORE_COL_HASH(mac)));
}

enum idv_err
idv_store_checkpoint(struct idv_store *s)
{
	/* PostgreSQL: nothing to do here. Its WAL and dead row versions hold only what was
	 * written, sealed; the key that opened it is gone with the purge (README "Deletion"). */
	if (s->backend == STORE_PG)
		return IDV_OK;
	pthread_mutex_lock(&s->lock);
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	pthread_mutex_unlock(&s->lock);
	return rc == SQLITE_OK ? IDV_OK : IDV_E_DB;
}
