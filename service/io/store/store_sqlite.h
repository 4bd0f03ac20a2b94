/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_sqlite.h: private to the implementation of store.h (store*.c): the store handle and
 * the statement frame, over either backend. SQLite is the embedded default (store.c);
 * PostgreSQL (store_pg.c) is chosen by a postgresql:// address. Statements are written once,
 * in the SQL both share, with "?" placeholders (sqltext.h rewrites them for PostgreSQL), and
 * rows are read through struct store_row, never through a backend's own statement type.
 */
#ifndef IDVERIFY_STORE_SQLITE_H
#define IDVERIFY_STORE_SQLITE_H

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>

#include "idverify/buf.h"
#include "store.h"

enum store_backend {
	STORE_SQLITE,
	STORE_PG,
};

struct idv_store {
	enum store_backend backend;
	sqlite3 *db;  /* STORE_SQLITE */
	PGconn *pg;   /* STORE_PG: one connection, used under lock */
	int depth;    /* STORE_PG: transactions begun and not ended (0 or 1) */
	unsigned leads; /* STORE_PG: the tasks (1 << idv_store_task) whose lock this handle holds */
	struct store_pg_cache *pgcache; /* STORE_PG: the connection's prepared statements */
	pthread_mutex_t lock; /* recursive: held from begin to commit/rollback */
};

/* Runs a script of statements without values (migrations, BEGIN, COMMIT). */
enum idv_err store_exec(struct idv_store *s, const char *sql);

/* One row of a statement's result, as a row callback sees it. */
struct store_row {
	sqlite3_stmt *st;     /* SQLite */
	const PGresult *res;  /* PostgreSQL: the result, and the row's number in it */
	int n;
};

/* Reading helpers shared by store*.c: NULL reads back as empty/zero. */
int64_t store_col_i64(const struct store_row *r, int i);
int store_col_int(const struct store_row *r, int i);
/* Copies column i into out; *fits (when not NULL) becomes false if it was truncated. */
void store_col_text(const struct store_row *r, int i, char *out, size_t outsz, bool *fits);
/* Column i as a NUL-terminated text valid during the callback; NULL for NULL. */
const char *store_col_str(const struct store_row *r, int i);
/* Column i's bytes valid during the callback (NULL and 0 for NULL or empty). */
const uint8_t *store_col_blob(const struct store_row *r, int i, size_t *len);
void store_col_buf(const struct store_row *r, int i, struct idv_buf *b);
/* A 32-byte blob column into out: false (and zeros) when it is not 32 bytes. */
bool store_col_blob32(const struct store_row *r, int i, uint8_t out[32]);
int store_col_count(const struct store_row *r);

/*
 * One value bound to a statement's next "?". Built with the STORE_* macros below, in a list
 * given as STORE_VALS(...); pointers are bound without a copy, so they must stay valid for the
 * call. The _OR_NULL forms store NULL for an empty string, a zero number or an empty blob.
 */
enum store_kind {
	STORE_KIND_TEXT,
	STORE_KIND_TEXT_OR_NULL,
	STORE_KIND_I64,
	STORE_KIND_I64_OR_NULL,
	STORE_KIND_BLOB,
	STORE_KIND_BLOB_OR_NULL,
};
struct store_val {
	enum store_kind kind;
	const char *text;
	int64_t num;
	const void *blob;
	size_t len;
};
#define STORE_TEXT(v) {.kind = STORE_KIND_TEXT, .text = (v)}
#define STORE_TEXT_OR_NULL(v) {.kind = STORE_KIND_TEXT_OR_NULL, .text = (v)}
#define STORE_I64(v) {.kind = STORE_KIND_I64, .num = (v)}
#define STORE_I64_OR_NULL(v) {.kind = STORE_KIND_I64_OR_NULL, .num = (v)}
#define STORE_BOOL(v) STORE_I64((v) ? 1 : 0)
#define STORE_BLOB(p, n) {.kind = STORE_KIND_BLOB, .blob = (p), .len = (n)}
#define STORE_HASH(p) STORE_BLOB((p), 32)
#define STORE_BLOB_OR_NULL(p, n) {.kind = STORE_KIND_BLOB_OR_NULL, .blob = (p), .len = (n)}
#define STORE_BUF(b) STORE_BLOB_OR_NULL((b)->data, (b)->len)
/* The values and their count, as the vals/nvals arguments of store_run and friends. */
#define STORE_VALS(...)                                                                          \
	((const struct store_val[]){__VA_ARGS__}),                                               \
		(sizeof((const struct store_val[]){__VA_ARGS__}) / sizeof(struct store_val))

/* Reads one row of a statement; arg is the caller's. false stops the statement (no error). */
typedef bool (*store_row_fn)(const struct store_row *r, void *arg);

/*
 * The statement frame of store*.c: take the store's lock, prepare sql, bind vals[0..nvals)
 * (vals may be NULL when nvals is 0), step to the end handing each row to row (NULL: rows are
 * ignored), finalize, release the lock. IDV_OK when the statement ran to its end or row
 * stopped it; IDV_E_TOOBIG for a blob over 2 GiB; IDV_E_CONFLICT on a constraint; IDV_E_DB
 * otherwise (logged with the backend's code, never the values).
 */
enum idv_err store_run(struct idv_store *s, const char *sql, const struct store_val *vals,
		       size_t nvals, store_row_fn row, void *arg);
/* store_run for one row: IDV_E_NOTFOUND when the statement returns none; rows after the first
 * are stepped over, not read. */
enum idv_err store_get(struct idv_store *s, const char *sql, const struct store_val *vals,
		       size_t nvals, store_row_fn row, void *arg);
/* store_run for a statement that changes rows: *changes (may be NULL) becomes their number. */
enum idv_err store_change(struct idv_store *s, const char *sql, const struct store_val *vals,
			  size_t nvals, int64_t *changes);
/*
 * Defines struct name {fn, arg, row} and name##_row, a store_row_fn that reads each row into
 * row with reader and hands it to the caller's fn, whose false stops the statement.
 */
#define STORE_EACH(name, rowtype, fntype, reader)                                                \
	struct name {                                                                            \
		fntype fn;                                                                       \
		void *arg;                                                                       \
		rowtype row;                                                                     \
	};                                                                                       \
	static bool name##_row(const struct store_row *r, void *arg)                             \
	{                                                                                        \
		struct name *e = arg;                                                            \
		reader(r, &e->row);                                                              \
		return e->fn(e->arg, &e->row);                                                   \
	}

/*
 * Where store_get_cols puts column i of the row: STORE_COLS(...) of STORE_COL_* in column
 * order. A text is cut to its buffer; a hash that is not 32 bytes reads as zeros; a NULL
 * buffer skips its column.
 */
enum store_col_kind {
	STORE_COL_KIND_TEXT,
	STORE_COL_KIND_I64,
	STORE_COL_KIND_INT,
	STORE_COL_KIND_BUF,
	STORE_COL_KIND_HASH,
};
struct store_col {
	enum store_col_kind kind;
	void *out;
	size_t outsz;
};
#define STORE_COL_TEXT(p, n) {.kind = STORE_COL_KIND_TEXT, .out = (p), .outsz = (n)}
#define STORE_COL_I64(p) {.kind = STORE_COL_KIND_I64, .out = (int64_t *)(p)}
#define STORE_COL_INT(p) {.kind = STORE_COL_KIND_INT, .out = (int *)(p)}
#define STORE_COL_BUF(b) {.kind = STORE_COL_KIND_BUF, .out = (struct idv_buf *)(b)}
#define STORE_COL_HASH(p) {.kind = STORE_COL_KIND_HASH, .out = (uint8_t *)(p)}
#define STORE_COLS(...)                                                                          \
	((const struct store_col[]){__VA_ARGS__}),                                               \
		(sizeof((const struct store_col[]){__VA_ARGS__}) / sizeof(struct store_col))

/* store_get that reads the first row's columns into cols[0..ncols). */
enum idv_err store_get_cols(struct idv_store *s, const char *sql, const struct store_val *vals,
			    size_t nvals, const struct store_col *cols, size_t ncols);

/* A store_row_fn that reads column 0 as an integer into the int64_t that arg points to. */
bool store_row_i64(const struct store_row *r, void *arg);

/* ---- PostgreSQL (store_pg.c), called by the frame in store.c for STORE_PG ---- */

/* Connect to url (postgresql://... or postgres://...). */
enum idv_err store_pg_open(struct idv_store *s, const char *url, char *why, size_t whysz);
void store_pg_close(struct idv_store *s);
enum idv_err store_pg_exec(struct idv_store *s, const char *sql);
/* COMMIT, which PostgreSQL turns into a rollback after a failed statement: IDV_E_DB then. */
enum idv_err store_pg_commit(struct idv_store *s);
/* store_run and friends (see store_run), with the lock held. */
enum idv_err store_pg_stmt(struct idv_store *s, const char *sql, const struct store_val *vals,
			   size_t nvals, store_row_fn row, void *arg, bool one, int64_t *changes);
/* idv_store_lead on PostgreSQL. */
bool store_pg_lead(struct idv_store *s, enum idv_store_task task);
/* The session-level advisory lock that serialises migrations between instances. */
enum idv_err store_pg_migrate_lock(struct idv_store *s, bool take);
/* Column i of a PostgreSQL row (binary format): its bytes (NULL for NULL), as an integer. */
const uint8_t *store_pg_value(const struct store_row *r, int i, size_t *len);
int64_t store_pg_i64(const struct store_row *r, int i);
int store_pg_ncols(const struct store_row *r);

#endif
