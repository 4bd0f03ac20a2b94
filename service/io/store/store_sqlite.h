/* SPDX-License-Identifier: Apache-2.0 */
/* store_sqlite.h: private to the SQLite implementation of store.h (store*.c). */
#ifndef IDVERIFY_STORE_SQLITE_H
#define IDVERIFY_STORE_SQLITE_H

#include <pthread.h>
#include <sqlite3.h>

#include "idverify/buf.h"
#include "store.h"

struct idv_store {
	sqlite3 *db;
	pthread_mutex_t lock; /* recursive: held from begin to commit/rollback */
};

enum idv_err store_exec(struct idv_store *s, const char *sql);

/* Binding and reading helpers shared by store*.c: an empty string, an empty buffer or a zero
 * number is stored as NULL, and NULL reads back as empty/zero. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
void store_bind_i64(sqlite3_stmt *st, int i, int64_t v);
void store_bind_buf(sqlite3_stmt *st, int i, const struct idv_buf *b);
/* Copies column i into out; *fits (when not NULL) becomes false if it was truncated. */
void store_col_text(sqlite3_stmt *st, int i, char *out, size_t outsz, bool *fits);
void store_col_buf(sqlite3_stmt *st, int i, struct idv_buf *b);
/* A 32-byte blob column into out: false (and zeros) when it is not 32 bytes. */
bool store_col_blob32(sqlite3_stmt *st, int i, uint8_t out[32]);
/* Step a statement that returns no row: IDV_E_CONFLICT on a constraint, IDV_E_DB otherwise. */
enum idv_err store_step_done(sqlite3_stmt *st);

#endif
