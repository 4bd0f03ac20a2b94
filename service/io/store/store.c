/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c: opening the store (store.h) on either backend, its migrations, transactions, the
 * statement frame and the customer records.
 *
 * SQLite (the embedded default): WAL journal, foreign keys, a busy timeout, secure_delete
 * (deleted content is overwritten, so that purged personal data does not linger in free
 * pages). PostgreSQL (store_pg.c): one connection per handle, used under the handle's lock as
 * SQLite's is. Migrations are numbered SQL scripts applied at open, each in its own
 * transaction together with its row in schema_migrations; written once (sqltext.h rewrites
 * them for PostgreSQL) with the few statements only one backend spells its way beside them;
 * on PostgreSQL they run under an advisory lock, so that instances starting together take
 * turns. Prepared statements with bound parameters only.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <time.h>

#include "log.h"
#include "store_sqlite.h"
#include "idverify/str.h"

/* A numbered migration: sql for both backends, then what only one of them spells its way. */
struct store_migration {
	const char *sql;
	const char *sqlite;
	const char *pg;
};

/* Numbered migrations: never edit one that has shipped; append a new one. */
static const struct store_migration store_migrations[] = {
	/* 1: existing customer records, sealed, with keyed blocking hashes */
	{.sql = "CREATE TABLE records ("
	"  id TEXT PRIMARY KEY,"
	"  sealed BLOB NOT NULL,"
	"  imported_at INTEGER NOT NULL"
	");"
	"CREATE TABLE record_keys ("
	"  record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  mac BLOB NOT NULL,"
	"  PRIMARY KEY (record_id, kind, mac)"
	");"
	"CREATE INDEX record_keys_lookup ON record_keys(kind, mac);"},
	/*
	 * 2: cases, their documents and extraction jobs, declarations, deletion receipts.
	 * Personal data lives only in the *_sealed columns, sealed under the case's own key
	 * (wrapped_key), except declarations, sealed under a long-term key because the law keeps
	 * them for 24 months. Purging a case clears wrapped_key and every sealed column and deletes
	 * its documents; the row that stays is the request record (RULES.md R39).
	 */
	{.sql = "CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  reference TEXT NOT NULL UNIQUE,"
	"  token_hash BLOB NOT NULL,"
	"  request_type TEXT NOT NULL,"
	"  level TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  requester_role TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  acknowledge_by TEXT NOT NULL,"
	"  respond_by TEXT NOT NULL,"
	"  extended INTEGER NOT NULL DEFAULT 0,"
	"  extension_reason TEXT,"
	"  wrapped_key BLOB,"
	"  claims_sealed BLOB,"
	"  decision_sealed BLOB,"
	"  outcome TEXT,"
	"  outcome_level TEXT,"
	"  model TEXT,"
	"  matched_hash BLOB,"
	"  decided_at INTEGER,"
	"  delete_confirmed_at INTEGER,"
	"  withdrawn_at INTEGER,"
	"  closed_at INTEGER,"
	"  response TEXT,"
	"  denial_basis TEXT,"
	"  purged_at INTEGER,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE INDEX cases_status ON cases(status);"
	"CREATE INDEX cases_received ON cases(received_at);"
	"CREATE INDEX cases_matched ON cases(matched_hash);"
	"CREATE TABLE documents ("
	"  id TEXT PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  part INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  error_type TEXT,"
	"  error_detail TEXT,"
	"  size INTEGER NOT NULL,"
	"  content_sealed BLOB,"
	"  result_sealed BLOB,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE INDEX documents_case ON documents(case_id);"
	"CREATE TABLE jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  document_id TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  claimed_at INTEGER,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX jobs_state ON jobs(state, id);"
	"CREATE TABLE declarations ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  statement_version TEXT NOT NULL,"
	"  signed_at INTEGER NOT NULL,"
	"  sealed BLOB NOT NULL"
	");"
	"CREATE TABLE receipts ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  body TEXT NOT NULL,"
	"  mac BLOB NOT NULL"
	");",
	 /* documents are listed in upload order: SQLite's implicit rowid, made explicit */
	 .pg = "ALTER TABLE documents ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;"},
	/*
	 * 3: who may do what. API keys per role (only a hash of the secret); the audit trail,
	 * append-only (triggers) and hash-chained with an HMAC (audit.c); reviewers' claims and
	 * decisions; authorized agents: DRP bearer tokens (hashed), agent cases with the
	 * consumer's direct confirmation or verification (R24), replayed signed bodies (hashes,
	 * kept until they expire) and the outbox of status callbacks (sealed bodies).
	 */
	{.sql = "CREATE TABLE api_keys ("
	"  id TEXT PRIMARY KEY,"
	"  role TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  secret_hash BLOB NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  revoked_at INTEGER"
	");"
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  event TEXT NOT NULL,"
	"  case_ref TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  prev_mac BLOB NOT NULL,"
	"  mac BLOB NOT NULL"
	");"
	"CREATE TABLE review_claims ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
	"  reviewer TEXT NOT NULL,"
	"  expires_at INTEGER NOT NULL"
	");"
	"CREATE TABLE review_decisions ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  reviewer TEXT NOT NULL,"
	"  decision TEXT NOT NULL,"
	"  reason_sealed BLOB,"
	"  decided_at INTEGER NOT NULL"
	");"
	"CREATE INDEX review_decisions_case ON review_decisions(case_id);"
	"CREATE TABLE agent_tokens ("
	"  token_hash BLOB PRIMARY KEY,"
	"  agent_id TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE agent_cases ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
	"  agent_id TEXT NOT NULL,"
	"  request_id TEXT UNIQUE,"
	"  agent_request_id TEXT,"
	"  exercise TEXT,"
	"  status_callback TEXT,"
	"  has_poa INTEGER NOT NULL DEFAULT 0,"
	"  poa_sealed BLOB,"
	"  consumer_confirmed_at INTEGER,"
	"  consumer_verified_at INTEGER,"
	"  revoked_at INTEGER,"
	"  notified TEXT,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE drp_replay ("
	"  body_hash BLOB PRIMARY KEY,"
	"  expires_at INTEGER NOT NULL"
	");"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,"
	"  url TEXT NOT NULL,"
	"  body_sealed BLOB NOT NULL,"
	"  state TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL,"
	"  last_status INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE INDEX outbox_due ON outbox(state, next_at);",
	 .sqlite = "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit"
	 " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	 "CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit"
	 " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
	 /* the same triggers; and SQLite's typeof(), which the audit check asks of each entry */
	 .pg = "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
	 " RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'restrict_violation';"
	 " END $$;"
	 "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit"
	 " FOR EACH ROW EXECUTE FUNCTION audit_append_only();"
	 "CREATE FUNCTION typeof(v anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT"
	 " CASE WHEN v IS NULL THEN 'null' WHEN pg_typeof(v) = 'text'::regtype THEN 'text'"
	 " WHEN pg_typeof(v) = 'bytea'::regtype THEN 'blob' ELSE 'integer' END $$;"},
	/* 4: verification attempts per target (attempts.h), by keyed hash: no personal data. */
	{.sql = "CREATE TABLE attempts ("
	"  target_hash BLOB PRIMARY KEY,"
	"  window_start INTEGER NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  locked_until INTEGER NOT NULL DEFAULT 0"
	");"},
	/*
	 * 5: cases filed by a privacy platform (store_platforms.h): the platform's own request id
	 * (unique per platform: a replayed call is refused), where and how to answer (sealed under
	 * a long-term key, cleared once the final answer is queued), the last answer queued and
	 * when the consumer gave their own details at the verification link;
	 * and the last state of each case that the business's decision webhook was told.
	 */
	{.sql = "CREATE TABLE platform_cases ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
	"  platform TEXT NOT NULL,"
	"  external_id TEXT NOT NULL,"
	"  reply_sealed BLOB,"
	"  notified TEXT NOT NULL DEFAULT '',"
	"  consumer_at INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (platform, external_id)"
	");"
	"CREATE TABLE webhook_state ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
	"  notified TEXT NOT NULL"
	");"},
	/*
	 * 6: one-time codes to a contact on file (codes.h): the code only as a keyed hash, the
	 * record whose contact it went to sealed under the case key; gone with the case's purge.
	 * Their messages wait in the outbox under the url "email" or "sms" (sealed body).
	 */
	{.sql = "CREATE TABLE contact_codes ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
	"  purpose TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  code_mac BLOB,"
	"  record_sealed BLOB,"
	"  issued_at INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  sends INTEGER NOT NULL DEFAULT 0,"
	"  verified_at INTEGER NOT NULL DEFAULT 0,"
	"  delivery TEXT NOT NULL DEFAULT 'none',"
	"  created_at INTEGER NOT NULL"
	");"},
	/* 7: when the one reminder of a case waiting for its code went out (0: not yet). */
	{.sql = "ALTER TABLE contact_codes ADD COLUMN reminded_at INTEGER NOT NULL DEFAULT 0;"},
	/*
	 * 8: who holds a running job: on PostgreSQL the server process id of the claiming
	 * instance's connection, so that another instance sharing the queue takes over the jobs
	 * of one that died, and only those (store_cases.c). Unused on SQLite (one process).
	 */
	{.sql = "ALTER TABLE jobs ADD COLUMN claimed_by INTEGER;"},
};

int
idv_store_schema_latest(void)
{
	return (int)IDV_ARRAY_LEN(store_migrations);
}

static bool
store_is_pg_url(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0;
}

static void
store_why(char *why, size_t whysz, const char *what, struct idv_store *s)
{
	const char *msg = "cannot open";
	if (s->backend == STORE_PG)
		msg = "see the log";
	else if (s->db != NULL)
		msg = sqlite3_errmsg(s->db);
	idv_why(why, whysz, "%s: %s", what, msg);
}

enum idv_err
store_exec(struct idv_store *s, const char *sql)
{
	if (s->backend == STORE_PG)
		return store_pg_exec(s, sql);
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		idv_log(IDV_LOG_ERROR, "store.exec_failed", "{s:i,s:s}", "code", rc, "message",
			msg ? msg : "");
		sqlite3_free(msg);
		return IDV_E_DB;
	}
	return IDV_OK;
}

static int
store_current_version(struct idv_store *s)
{
	int64_t v = -1;
	if (store_get(s, "SELECT coalesce(max(version), 0) FROM schema_migrations", NULL, 0,
		      store_row_i64, &v) != IDV_OK)
		return -1;
	return (int)v;
}

/* Migration v, its row in schema_migrations, in one transaction. */
static enum idv_err
store_apply(struct idv_store *s, int v)
{
	const struct store_migration *m = &store_migrations[v - 1];
	const char *own = s->backend == STORE_PG ? m->pg : m->sqlite;
	enum idv_err err = idv_store_begin(s);
	if (err != IDV_OK)
		return err;
	err = store_exec(s, m->sql);
	if (err == IDV_OK && own != NULL)
		err = store_exec(s, own);
	if (err == IDV_OK)
		err = store_change(s, "INSERT INTO schema_migrations(version, applied_at) VALUES(?,?)",
				   STORE_VALS(STORE_I64(v), STORE_I64((int64_t)time(NULL))), NULL);
	return idv_store_end(s, err);
}

static enum idv_err
store_migrate(struct idv_store *s, char *why, size_t whysz)
{
	if (store_exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			  "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)") != IDV_OK) {
		store_why(why, whysz, "cannot create schema_migrations", s);
		return IDV_E_DB;
	}
	int have = store_current_version(s);
	if (have < 0) {
		store_why(why, whysz, "cannot read schema version", s);
		return IDV_E_DB;
	}
	if (have > idv_store_schema_latest()) {
		idv_why(why, whysz,
			 "database schema version %d is newer than this build knows (%d)", have,
			 idv_store_schema_latest());
		return IDV_E_STATE;
	}
	for (int v = have + 1; v <= idv_store_schema_latest(); v++) {
		if (store_apply(s, v) != IDV_OK) {
			char what[64];
			idv_fmt(what, sizeof what, "migration %d failed", v);
			store_why(why, whysz, what, s);
			return IDV_E_DB;
		}
		idv_log(IDV_LOG_INFO, "store.migrated", "{s:i}", "version", v);
	}
	return IDV_OK;
}

static enum idv_err
store_open_sqlite(struct idv_store *s, const char *path, char *why, size_t whysz)
{
	int rc = sqlite3_open_v2(path, &s->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW,
				 NULL);
	if (rc != SQLITE_OK) {
		store_why(why, whysz, "cannot open database", s);
		return IDV_E_DB;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	if (store_exec(s, "PRAGMA journal_mode=WAL") != IDV_OK ||
	    store_exec(s, "PRAGMA foreign_keys=ON") != IDV_OK ||
	    store_exec(s, "PRAGMA secure_delete=ON") != IDV_OK ||
	    store_exec(s, "PRAGMA synchronous=FULL") != IDV_OK) {
		store_why(why, whysz, "cannot configure database", s);
		return IDV_E_DB;
	}
	return IDV_OK;
}

enum idv_err
idv_store_open(const char *where, struct idv_store **out, char *why, size_t whysz)
{
	struct idv_store *s = idv_calloc(1, sizeof *s);
	enum idv_err err;
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&s->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	if (store_is_pg_url(where)) {
		s->backend = STORE_PG;
		if ((err = store_pg_open(s, where, why, whysz)) != IDV_OK)
			goto fail;
		if ((err = store_pg_migrate_lock(s, true)) != IDV_OK) {
			store_why(why, whysz, "cannot take the migration lock", s);
			goto fail;
		}
		err = store_migrate(s, why, whysz);
		if (store_pg_migrate_lock(s, false) != IDV_OK && err == IDV_OK) {
			store_why(why, whysz, "cannot release the migration lock", s);
			err = IDV_E_DB;
		}
	} else if ((err = store_open_sqlite(s, where, why, whysz)) == IDV_OK) {
		err = store_migrate(s, why, whysz);
	}
	if (err != IDV_OK)
		goto fail;
	*out = s;
	return IDV_OK;
fail:
	idv_store_close(s);
	return err == IDV_E_STATE ? err : IDV_E_DB;
}

void
idv_store_close(struct idv_store *s)
{
	if (s == NULL)
		return;
	if (s->db != NULL) {
		sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		sqlite3_close_v2(s->db);
	}
	store_pg_close(s);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int
idv_store_schema_version(struct idv_store *s)
{
	return store_current_version(s);
}

enum idv_err
idv_store_ready(struct idv_store *s)
{
	return idv_store_schema_version(s) == idv_store_schema_latest() ? IDV_OK : IDV_E_DB;
}

bool
idv_store_lead(struct idv_store *s, enum idv_store_task task)
{
	if (s->backend != STORE_PG)
		return true;
	pthread_mutex_lock(&s->lock);
	bool lead = store_pg_lead(s, task);
	pthread_mutex_unlock(&s->lock);
	return lead;
}

enum idv_err
idv_store_begin(struct idv_store *s)
{
	pthread_mutex_lock(&s->lock);
	if (store_exec(s, s->backend == STORE_PG ? "BEGIN" : "BEGIN IMMEDIATE") != IDV_OK) {
		pthread_mutex_unlock(&s->lock);
		return IDV_E_DB;
	}
	s->depth++;
	return IDV_OK;
}

enum idv_err
idv_store_commit(struct idv_store *s)
{
	enum idv_err err;
	if (s->backend == STORE_PG) {
		err = store_pg_commit(s);
	} else if ((err = store_exec(s, "COMMIT")) != IDV_OK) {
		store_exec(s, "ROLLBACK");
	}
	s->depth--;
	pthread_mutex_unlock(&s->lock);
	return err;
}

void
idv_store_rollback(struct idv_store *s)
{
	store_exec(s, "ROLLBACK");
	s->depth--;
	pthread_mutex_unlock(&s->lock);
}

enum idv_err
idv_store_end(struct idv_store *s, enum idv_err err)
{
	if (err == IDV_OK)
		return idv_store_commit(s);
	idv_store_rollback(s);
	return err;
}

enum idv_err
idv_store_record_put(struct idv_store *s, const char *id, const uint8_t *sealed, size_t len,
		     const struct idv_store_key *keys, size_t nkeys)
{
	if (len > INT32_MAX)
		return IDV_E_TOOBIG;
	pthread_mutex_lock(&s->lock);
	/* A record put again keeps only its new keys. */
	enum idv_err result = store_change(
		s,
		"INSERT INTO records(id, sealed, imported_at) VALUES(?,?,?) ON CONFLICT(id)"
		" DO UPDATE SET sealed = excluded.sealed, imported_at = excluded.imported_at",
		STORE_VALS(STORE_TEXT(id), STORE_BLOB(sealed, len), STORE_I64((int64_t)time(NULL))),
		NULL);
	if (result == IDV_OK)
		result = store_change(s, "DELETE FROM record_keys WHERE record_id = ?",
				      STORE_VALS(STORE_TEXT(id)), NULL);
	for (size_t i = 0; i < nkeys && result == IDV_OK; i++)
		result = store_change(s,
				      "INSERT INTO record_keys(record_id, kind, mac) VALUES(?,?,?)"
				      " ON CONFLICT DO NOTHING",
				      STORE_VALS(STORE_TEXT(id), STORE_TEXT(keys[i].kind),
						 STORE_HASH(keys[i].mac)),
				      NULL);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_record_count(struct idv_store *s, int64_t *out)
{
	return store_get(s, "SELECT count(*) FROM records", NULL, 0, store_row_i64, out);
}

struct record_each {
	idv_store_record_fn fn;
	void *arg;
};

static bool
record_each_row(const struct store_row *r, void *arg)
{
	const struct record_each *e = arg;
	const char *id = store_col_str(r, 0);
	size_t len = 0;
	const uint8_t *blob = store_col_blob(r, 1, &len);
	return id != NULL && e->fn(e->arg, id, blob, len);
}

/* Blocking keys one candidate query may ask for (two values each). */
#define RECORD_KEYS_MAX 256

enum idv_err
idv_store_record_candidates(struct idv_store *s, const struct idv_store_key *keys, size_t nkeys,
			    idv_store_record_fn fn, void *arg)
{
	struct record_each e = {fn, arg};
	if (nkeys == 0)
		return IDV_OK;
	if (nkeys > RECORD_KEYS_MAX)
		return IDV_E_TOOBIG;
	/* One statement keeps each record once: its keys as (kind, mac) pairs of values. */
	struct idv_buf sql;
	idv_buf_init(&sql, 256 + nkeys * 40);
	struct store_val *vals = idv_calloc(2 * nkeys, sizeof *vals);
	idv_buf_append_str(&sql, "SELECT r.id, r.sealed FROM records r WHERE r.id IN ("
				 " SELECT k.record_id FROM record_keys k WHERE ");
	for (size_t i = 0; i < nkeys; i++) {
		idv_buf_append_str(&sql, i > 0 ? " OR (k.kind = ? AND k.mac = ?)"
					       : "(k.kind = ? AND k.mac = ?)");
		vals[2 * i] = (struct store_val)STORE_TEXT(keys[i].kind);
		vals[2 * i + 1] = (struct store_val)STORE_HASH(keys[i].mac);
	}
	idv_buf_append_str(&sql, ") ORDER BY r.id");
	enum idv_err result = sql.err;
	if (result == IDV_OK)
		result = store_run(s, idv_buf_str(&sql), vals, 2 * nkeys, record_each_row, &e);
	free(vals);
	idv_buf_cleanup(&sql);
	return result;
}

enum idv_err
idv_store_record_get(struct idv_store *s, const char *id, idv_store_record_fn fn, void *arg)
{
	struct record_each e = {fn, arg};
	return store_get(s, "SELECT id, sealed FROM records WHERE id = ?",
			 STORE_VALS(STORE_TEXT(id)), record_each_row, &e);
}

/* ---- reading helpers (store_sqlite.h) ------------------------------------------------------- */

int64_t
store_col_i64(const struct store_row *r, int i)
{
	if (r->st == NULL)
		return store_pg_i64(r, i);
	return sqlite3_column_int64(r->st, i);
}

int
store_col_int(const struct store_row *r, int i)
{
	int64_t v = store_col_i64(r, i);
	return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : (int)v;
}

const char *
store_col_str(const struct store_row *r, int i)
{
	if (r->st == NULL) {
		size_t len;
		return (const char *)store_pg_value(r, i, &len);
	}
	return (const char *)sqlite3_column_text(r->st, i);
}

void
store_col_text(const struct store_row *r, int i, char *out, size_t outsz, bool *fits)
{
	const char *v = store_col_str(r, i);
	if (!idv_strlcpy(out, v ? v : "", outsz) && fits != NULL)
		*fits = false;
}

const uint8_t *
store_col_blob(const struct store_row *r, int i, size_t *len)
{
	const uint8_t *p;
	if (r->st == NULL) {
		p = store_pg_value(r, i, len);
	} else {
		p = sqlite3_column_blob(r->st, i);
		int n = sqlite3_column_bytes(r->st, i);
		*len = n > 0 ? (size_t)n : 0;
	}
	if (p == NULL || *len == 0) {
		*len = 0;
		return NULL;
	}
	return p;
}

void
store_col_buf(const struct store_row *r, int i, struct idv_buf *b)
{
	size_t n;
	const uint8_t *p = store_col_blob(r, i, &n);
	idv_buf_reset(b);
	if (p != NULL)
		idv_buf_append(b, p, n);
}

bool
store_col_blob32(const struct store_row *r, int i, uint8_t out[32])
{
	size_t n;
	const uint8_t *p = store_col_blob(r, i, &n);
	if (p == NULL || n != 32) {
		memset(out, 0, 32);
		return false;
	}
	memcpy(out, p, 32);
	return true;
}

int
store_col_count(const struct store_row *r)
{
	return r->st == NULL ? store_pg_ncols(r) : sqlite3_column_count(r->st);
}

/* ---- the statement frame (store_sqlite.h) -------------------------------------------------- */

static enum idv_err
store_bind_vals(sqlite3_stmt *st, const struct store_val *vals, size_t nvals)
{
	for (size_t k = 0; k < nvals; k++) {
		const struct store_val *v = &vals[k];
		int i = (int)k + 1;
		switch (v->kind) {
		case STORE_KIND_TEXT:
		case STORE_KIND_TEXT_OR_NULL:
			if (v->text == NULL ||
			    (v->kind == STORE_KIND_TEXT_OR_NULL && v->text[0] == '\0'))
				sqlite3_bind_null(st, i);
			else
				sqlite3_bind_text(st, i, v->text, -1, SQLITE_STATIC);
			break;
		case STORE_KIND_I64:
			sqlite3_bind_int64(st, i, v->num);
			break;
		case STORE_KIND_I64_OR_NULL:
			if (v->num != 0)
				sqlite3_bind_int64(st, i, v->num);
			else
				sqlite3_bind_null(st, i);
			break;
		case STORE_KIND_BLOB:
		case STORE_KIND_BLOB_OR_NULL:
			if (v->len > INT32_MAX)
				return IDV_E_TOOBIG;
			if (v->blob == NULL || (v->kind == STORE_KIND_BLOB_OR_NULL && v->len == 0))
				sqlite3_bind_null(st, i);
			else
				sqlite3_bind_blob(st, i, v->blob, (int)v->len, SQLITE_STATIC);
			break;
		}
	}
	return IDV_OK;
}

/* Runs sql; with one, a statement without rows is IDV_E_NOTFOUND and only the first is read. */
static enum idv_err
store_stmt_sqlite(struct idv_store *s, const char *sql, const struct store_val *vals,
		  size_t nvals, store_row_fn row, void *arg, bool one, int64_t *changes)
{
	enum idv_err result = IDV_E_DB;
	struct store_row r = {0};
	bool any = false;
	int rc;
	if (sqlite3_prepare_v2(s->db, sql, -1, &r.st, NULL) != SQLITE_OK) {
		idv_log(IDV_LOG_ERROR, "store.prepare_failed", "{s:i}", "code",
			sqlite3_errcode(s->db));
		goto out;
	}
	if ((result = store_bind_vals(r.st, vals, nvals)) != IDV_OK)
		goto out;
	while ((rc = sqlite3_step(r.st)) == SQLITE_ROW) {
		bool first = !any;
		any = true;
		if (one) {
			if (first && row != NULL)
				row(&r, arg);
			continue; /* step over the rest: a RETURNING statement finishes its work */
		}
		if (row != NULL && !row(&r, arg))
			break;
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE || (one && any)) {
		result = one && !any ? IDV_E_NOTFOUND : IDV_OK;
		if (changes != NULL)
			*changes = sqlite3_changes(s->db);
	} else {
		idv_log(IDV_LOG_ERROR, "store.step_failed", "{s:i}", "code", rc);
		result = (rc & 0xff) == SQLITE_CONSTRAINT ? IDV_E_CONFLICT : IDV_E_DB;
	}
out:
	sqlite3_finalize(r.st);
	return result;
}

static enum idv_err
store_stmt(struct idv_store *s, const char *sql, const struct store_val *vals, size_t nvals,
	   store_row_fn row, void *arg, bool one, int64_t *changes)
{
	pthread_mutex_lock(&s->lock);
	enum idv_err result =
		s->backend == STORE_PG
			? store_pg_stmt(s, sql, vals, nvals, row, arg, one, changes)
			: store_stmt_sqlite(s, sql, vals, nvals, row, arg, one, changes);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
store_run(struct idv_store *s, const char *sql, const struct store_val *vals, size_t nvals,
	  store_row_fn row, void *arg)
{
	return store_stmt(s, sql, vals, nvals, row, arg, false, NULL);
}

enum idv_err
store_get(struct idv_store *s, const char *sql, const struct store_val *vals, size_t nvals,
	  store_row_fn row, void *arg)
{
	return store_stmt(s, sql, vals, nvals, row, arg, true, NULL);
}

enum idv_err
store_change(struct idv_store *s, const char *sql, const struct store_val *vals, size_t nvals,
	     int64_t *changes)
{
	return store_stmt(s, sql, vals, nvals, NULL, NULL, false, changes);
}

bool
store_row_i64(const struct store_row *r, void *arg)
{
	*(int64_t *)arg = store_col_i64(r, 0);
	return false;
}

struct store_cols {
	const struct store_col *cols;
	size_t ncols;
};

static bool
store_cols_row(const struct store_row *r, void *arg)
{
	const struct store_cols *c = arg;
	for (size_t k = 0; k < c->ncols; k++) {
		const struct store_col *col = &c->cols[k];
		int i = (int)k;
		switch (col->kind) {
		case STORE_COL_KIND_TEXT:
			store_col_text(r, i, col->out, col->outsz, NULL);
			break;
		case STORE_COL_KIND_I64:
			*(int64_t *)col->out = store_col_i64(r, i);
			break;
		case STORE_COL_KIND_INT:
			*(int *)col->out = store_col_int(r, i);
			break;
		case STORE_COL_KIND_BUF:
			if (col->out != NULL)
				store_col_buf(r, i, col->out);
			break;
		case STORE_COL_KIND_HASH:
			store_col_blob32(r, i, col->out);
			break;
		}
	}
	return false;
}

enum idv_err
store_get_cols(struct idv_store *s, const char *sql, const struct store_val *vals, size_t nvals,
	       const struct store_col *cols, size_t ncols)
{
	struct store_cols c = {cols, ncols};
	return store_get(s, sql, vals, nvals, store_cols_row, &c);
}
