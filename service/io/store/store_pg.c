/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_pg.c: the PostgreSQL backend of the statement frame (store_sqlite.h), through libpq.
 *
 * One connection per store handle, used only under the handle's lock (libpq connections are
 * not thread-safe), so a transaction is the calling thread's as on SQLite. A statement with
 * values (SELECT, INSERT, UPDATE, DELETE, WITH) is prepared once per connection under a
 * generated name (PQprepare, then PQexecPrepared), keyed by its rewritten text and the types
 * of its values; the cache holds PG_CACHE_MAX statements (beyond, PQexecParams parses each
 * call anew) and is emptied when the connection is opened again. Scripts without values
 * (migrations, BEGIN, COMMIT) go through PQexec, never cached. Values are sent typed and
 * apart from the text, integers and blobs in binary; results come back in binary (a bytea
 * column is its bytes). Errors are logged with their SQLSTATE and, outside the data
 * classes, PostgreSQL's primary message, never a value or PostgreSQL's DETAIL (which
 * can quote one).
 */
#include <ctype.h>
#include <libpq-fe.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "store_sqlite.h"
#include "idverify/sqltext.h"
#include "idverify/str.h"

/* Type oids of the values sent (pg_type.h; fixed since PostgreSQL 7). */
#define PG_BYTEA_OID 17
#define PG_INT8_OID 20
#define PG_TEXT_OID 25

/* The key of the advisory lock held while migrating ("idverify" in ASCII), and the first key
 * of the two-key locks of the tasks one instance runs (idv_store_lead; the second is the
 * task's number). */
#define PG_MIGRATE_LOCK_KEY "7595448288154380665"
#define PG_TASK_LOCK_CLASS 1768191537

/* Ceiling of one statement's text once rewritten, and of the values of one statement. */
#define PG_SQL_MAX (1024 * 1024)
#define PG_VALS_MAX 4096

/* Ceiling of the prepared statements kept per connection (the service's statements are
 * constants, a few dozen; a text built at run time beyond the ceiling is simply not cached). */
#define PG_CACHE_MAX 256

/* One prepared statement: its rewritten text and value types, and its name on the server. */
struct pg_cached {
	uint64_t hash;
	char *sql;
	Oid *types;
	size_t ntypes;
	char name[24];
};

struct store_pg_cache {
	struct pg_cached e[PG_CACHE_MAX];
	size_t n;
	unsigned next; /* the number of the next name on this connection */
};

/* Forgets the prepared statements (the server's went with a connection opened again). */
static void
pg_cache_clear(struct idv_store *s)
{
	struct store_pg_cache *c = s->pgcache;
	if (c == NULL)
		return;
	for (size_t k = 0; k < c->n; k++) {
		free(c->e[k].sql);
		free(c->e[k].types);
	}
	c->n = 0;
	c->next = 0;
}

/* FNV-1a over the text and the value types. */
static uint64_t
pg_cache_hash(const char *sql, const Oid *types, size_t ntypes)
{
	uint64_t h = 14695981039346656037ULL;
	for (const unsigned char *p = (const unsigned char *)sql; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	for (size_t k = 0; k < ntypes; k++)
		h = (h ^ (uint64_t)types[k]) * 1099511628211ULL;
	return h;
}

/* Whether a statement may be kept prepared: data statements only, never DDL. */
static bool
pg_cacheable(const char *sql)
{
	static const char *const kinds[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"};
	sql += strspn(sql, " \t\r\n");
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t n = strlen(kinds[k]);
		if (strncasecmp(sql, kinds[k], n) == 0 && !isalpha((unsigned char)sql[n]))
			return true;
	}
	return false;
}

/* The name of sql prepared with these types on s's connection, preparing it on first use;
 * NULL when it is not cached (the caller then runs it unnamed). */
static const char *
pg_prepared(struct idv_store *s, const char *sql, const Oid *types, size_t ntypes)
{
	if (!pg_cacheable(sql) || PQstatus(s->pg) != CONNECTION_OK)
		return NULL;
	if (s->pgcache == NULL)
		s->pgcache = idv_calloc(1, sizeof *s->pgcache);
	struct store_pg_cache *c = s->pgcache;
	uint64_t h = pg_cache_hash(sql, types, ntypes);
	for (size_t k = 0; k < c->n; k++) {
		const struct pg_cached *e = &c->e[k];
		if (e->hash == h && e->ntypes == ntypes && strcmp(e->sql, sql) == 0 &&
		    (ntypes == 0 || memcmp(e->types, types, ntypes * sizeof *types) == 0))
			return e->name;
	}
	if (c->n == PG_CACHE_MAX)
		return NULL;
	struct pg_cached *e = &c->e[c->n];
	idv_fmt(e->name, sizeof e->name, "idv_%u", c->next);
	PGresult *res = PQprepare(s->pg, e->name, sql, (int)ntypes, types);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok)
		return NULL; /* run unnamed: the same error comes back, logged there */
	c->next++;
	e->hash = h;
	e->sql = idv_strdup(sql);
	e->ntypes = ntypes;
	e->types = idv_calloc(ntypes > 0 ? ntypes : 1, sizeof *types);
	if (ntypes > 0)
		memcpy(e->types, types, ntypes * sizeof *types);
	c->n++;
	return e->name;
}

static void
pg_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* "already exists, skipping" and the like: not for the service's log */
}

enum idv_err
store_pg_open(struct idv_store *s, const char *url, char *why, size_t whysz)
{
	s->pg = PQconnectdb(url);
	if (s->pg == NULL || PQstatus(s->pg) != CONNECTION_OK) {
		const char *msg = s->pg ? PQerrorMessage(s->pg) : "out of memory";
		size_t n = strcspn(msg, "\n");
		idv_why(why, whysz, "cannot connect to PostgreSQL: %.*s", (int)n, msg);
		return IDV_E_DB;
	}
	PQsetNoticeProcessor(s->pg, pg_notice, NULL);
	/* Times are unix seconds in integer columns: the session's settings never matter, but
	 * text is UTF-8 as on SQLite. */
	if (PQsetClientEncoding(s->pg, "UTF8") != 0) {
		idv_why(why, whysz, "PostgreSQL refuses UTF-8 as the client encoding");
		return IDV_E_DB;
	}
	return IDV_OK;
}

void
store_pg_close(struct idv_store *s)
{
	pg_cache_clear(s);
	free(s->pgcache);
	s->pgcache = NULL;
	if (s->pg != NULL)
		PQfinish(s->pg);
	s->pg = NULL;
}

/* A lost connection is opened again between transactions (within one, the work is gone). */
static void
pg_check_connection(struct idv_store *s)
{
	if (PQstatus(s->pg) != CONNECTION_OK && s->depth == 0) {
		s->leads = 0; /* the session's locks and prepared statements went with it */
		pg_cache_clear(s);
		PQreset(s->pg);
		idv_log(IDV_LOG_WARN, "store.pg_reconnect", "{s:b}", "ok",
			PQstatus(s->pg) == CONNECTION_OK);
	}
}

/* The outcome of a statement that did not succeed: logged, as an idv_err. */
static enum idv_err
pg_failed(const char *what, const PGresult *res, struct idv_store *s)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (state == NULL)
		state = "";
	/* Classes 22 (data exception) and 23 (constraint) may quote a value in their message. */
	bool data = strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0;
	if (primary == NULL)
		primary = res ? "" : PQerrorMessage(s->pg);
	idv_log(IDV_LOG_ERROR, what, "{s:s,s:s}", "sqlstate", state, "message",
		data ? "" : primary);
	return strncmp(state, "23", 2) == 0 ? IDV_E_CONFLICT : IDV_E_DB;
}

/* sql rewritten for PostgreSQL into b (initialised here; the caller cleans it up). */
static enum idv_err
pg_sql(const char *sql, struct idv_buf *b)
{
	idv_buf_init(b, PG_SQL_MAX);
	enum idv_err err = idv_sql_to_pg(sql, b);
	if (err != IDV_OK)
		idv_log(IDV_LOG_ERROR, "store.pg_sql_invalid", "{s:i}", "err", (int)err);
	return err;
}

enum idv_err
store_pg_exec(struct idv_store *s, const char *sql)
{
	struct idv_buf b;
	enum idv_err result = pg_sql(sql, &b);
	if (result == IDV_OK) {
		pg_check_connection(s);
		PGresult *res = PQexec(s->pg, idv_buf_str(&b));
		ExecStatusType st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
			result = pg_failed("store.exec_failed", res, s);
		PQclear(res);
	}
	idv_buf_cleanup(&b);
	return result;
}

enum idv_err
store_pg_commit(struct idv_store *s)
{
	PGresult *res = PQexec(s->pg, "COMMIT");
	enum idv_err result = IDV_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		result = pg_failed("store.commit_failed", res, s);
		if (result == IDV_E_CONFLICT)
			result = IDV_E_DB; /* a deferred constraint: the transaction is gone */
	} else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		/* A statement failed inside the transaction: PostgreSQL rolled it back. */
		idv_log(IDV_LOG_ERROR, "store.commit_failed", "{s:s}", "status", PQcmdStatus(res));
		result = IDV_E_DB;
	}
	PQclear(res);
	if (result != IDV_OK && PQtransactionStatus(s->pg) != PQTRANS_IDLE)
		PQclear(PQexec(s->pg, "ROLLBACK"));
	return result;
}

enum idv_err
store_pg_migrate_lock(struct idv_store *s, bool take)
{
	return store_pg_exec(s, take ? "SELECT pg_advisory_lock(" PG_MIGRATE_LOCK_KEY ")"
				     : "SELECT pg_advisory_unlock(" PG_MIGRATE_LOCK_KEY ")");
}

static bool
pg_row_true(const struct store_row *r, void *arg)
{
	*(bool *)arg = store_pg_i64(r, 0) != 0;
	return false;
}

bool
store_pg_lead(struct idv_store *s, enum idv_store_task task)
{
	unsigned bit = 1u << (unsigned)task;
	bool got = false;
	pg_check_connection(s);
	if ((s->leads & bit) != 0 && PQstatus(s->pg) == CONNECTION_OK)
		return true;
	if (store_pg_stmt(s, "SELECT pg_try_advisory_lock(?::int4, ?::int4)",
			  STORE_VALS(STORE_I64(PG_TASK_LOCK_CLASS), STORE_I64((int64_t)task)),
			  pg_row_true, &got, true, NULL) != IDV_OK)
		return false;
	if (got) {
		s->leads |= bit;
		idv_log(IDV_LOG_INFO, "store.leading", "{s:i}", "task", (int)task);
	}
	return got;
}

static void
pg_be64(int64_t v, uint8_t out[8])
{
	uint64_t u = (uint64_t)v;
	for (int k = 7; k >= 0; k--) {
		out[k] = (uint8_t)(u & 0xff);
		u >>= 8;
	}
}

/* The typed values of a statement, as PQexecParams takes them. */
struct pg_params {
	Oid *types;
	const char **values;
	int *lengths, *formats;
	uint8_t (*nums)[8];
};

static enum idv_err
pg_params_fill(struct pg_params *p, const struct store_val *vals, size_t nvals)
{
	for (size_t k = 0; k < nvals; k++) {
		const struct store_val *v = &vals[k];
		switch (v->kind) {
		case STORE_KIND_TEXT:
		case STORE_KIND_TEXT_OR_NULL:
			p->types[k] = PG_TEXT_OID;
			if (v->text != NULL &&
			    !(v->kind == STORE_KIND_TEXT_OR_NULL && v->text[0] == '\0'))
				p->values[k] = v->text;
			break;
		case STORE_KIND_I64:
		case STORE_KIND_I64_OR_NULL:
			p->types[k] = PG_INT8_OID;
			p->formats[k] = 1;
			p->lengths[k] = 8;
			if (v->kind == STORE_KIND_I64 || v->num != 0) {
				pg_be64(v->num, p->nums[k]);
				p->values[k] = (const char *)p->nums[k];
			}
			break;
		case STORE_KIND_BLOB:
		case STORE_KIND_BLOB_OR_NULL:
			if (v->len > INT32_MAX)
				return IDV_E_TOOBIG;
			p->types[k] = PG_BYTEA_OID;
			p->formats[k] = 1;
			p->lengths[k] = (int)v->len;
			if (v->blob != NULL && !(v->kind == STORE_KIND_BLOB_OR_NULL && v->len == 0))
				p->values[k] = v->blob;
			break;
		}
	}
	return IDV_OK;
}

static enum idv_err
pg_run(struct idv_store *s, const char *sql, const struct pg_params *p, size_t nvals,
       store_row_fn row, void *arg, bool one, int64_t *changes)
{
	enum idv_err result = IDV_OK;
	pg_check_connection(s);
	const char *name = pg_prepared(s, sql, p->types, nvals);
	PGresult *res = name != NULL ? PQexecPrepared(s->pg, name, (int)nvals, p->values,
						      p->lengths, p->formats, 1)
				     : PQexecParams(s->pg, sql, (int)nvals, p->types, p->values,
						    p->lengths, p->formats, 1);
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		struct store_row r = {.res = res};
		int rows = PQntuples(res);
		if (one && rows == 0)
			result = IDV_E_NOTFOUND;
		for (r.n = 0; r.n < rows && row != NULL; r.n++)
			if (!row(&r, arg) || one)
				break;
		if (changes != NULL) {
			uint64_t n = 0;
			const char *t = PQcmdTuples(res);
			*changes = idv_parse_u64z(t, INT64_MAX, &n) == IDV_OK ? (int64_t)n : 0;
		}
	} else {
		result = pg_failed("store.step_failed", res, s);
	}
	PQclear(res);
	return result;
}

enum idv_err
store_pg_stmt(struct idv_store *s, const char *sql, const struct store_val *vals, size_t nvals,
	      store_row_fn row, void *arg, bool one, int64_t *changes)
{
	if (nvals > PG_VALS_MAX)
		return IDV_E_TOOBIG;
	struct idv_buf b;
	enum idv_err result = pg_sql(sql, &b);
	size_t n = nvals > 0 ? nvals : 1;
	struct pg_params p = {
		.types = idv_calloc(n, sizeof *p.types),
		.values = idv_calloc(n, sizeof *p.values),
		.lengths = idv_calloc(n, sizeof *p.lengths),
		.formats = idv_calloc(n, sizeof *p.formats),
		.nums = idv_calloc(n, sizeof *p.nums),
	};
	if (result == IDV_OK)
		result = pg_params_fill(&p, vals, nvals);
	if (result == IDV_OK)
		result = pg_run(s, idv_buf_str(&b), &p, nvals, row, arg, one, changes);
	free(p.types);
	free(p.values);
	free(p.lengths);
	free(p.formats);
	free(p.nums);
	idv_buf_cleanup(&b);
	return result;
}

const uint8_t *
store_pg_value(const struct store_row *r, int i, size_t *len)
{
	*len = 0;
	if (i < 0 || i >= PQnfields(r->res) || PQgetisnull(r->res, r->n, i))
		return NULL;
	*len = (size_t)PQgetlength(r->res, r->n, i);
	return (const uint8_t *)PQgetvalue(r->res, r->n, i);
}

/* An integer column in binary: bigint, integer, smallint or boolean, big-endian. */
int64_t
store_pg_i64(const struct store_row *r, int i)
{
	size_t len;
	const uint8_t *p = store_pg_value(r, i, &len);
	if (p == NULL || (len != 8 && len != 4 && len != 2 && len != 1))
		return 0;
	uint64_t u = (p[0] & 0x80) && len > 1 ? UINT64_MAX : 0; /* sign-extended */
	for (size_t k = 0; k < len; k++)
		u = (u << 8) | p[k];
	return (int64_t)u;
}

int
store_pg_ncols(const struct store_row *r)
{
	return PQnfields(r->res);
}
