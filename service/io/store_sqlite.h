/* SPDX-License-Identifier: Apache-2.0 */
/* store_sqlite.h: private to the SQLite implementation of store.h (store*.c). */
#ifndef IDVERIFY_STORE_SQLITE_H
#define IDVERIFY_STORE_SQLITE_H

#include <pthread.h>
#include <sqlite3.h>

#include "idverify/store.h"

struct idv_store {
	sqlite3 *db;
	pthread_mutex_t lock; /* recursive: held from begin to commit/rollback */
};

enum idv_err store_exec(struct idv_store *s, const char *sql);

#endif
