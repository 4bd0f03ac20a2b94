/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.h: the one interface to persistent state. The SQLite implementation (service/io/store.c)
 * is the embedded default; another backend (PostgreSQL) implements this same header, so callers
 * never see SQL or a database handle.
 *
 * Thread safety: every function may be called from any thread. idv_store_begin() takes the
 * store for the calling thread until idv_store_commit()/idv_store_rollback(); calls made by that
 * thread in between are part of the transaction, other threads wait.
 *
 * Personal data only ever reaches the store sealed (crypto.h); lookups use keyed hashes.
 */
#ifndef IDVERIFY_STORE_H
#define IDVERIFY_STORE_H

#include "idverify/common.h"

struct idv_store;

/* Open (creating if needed) the database at path, apply pending migrations in order, each in
 * its own transaction, and record them. On failure why gets a one-line explanation. */
enum idv_err idv_store_open(const char *path, struct idv_store **out, char *why, size_t whysz);
void idv_store_close(struct idv_store *s);

/* IDV_OK when the database answers and every migration this build knows is applied. */
enum idv_err idv_store_ready(struct idv_store *s);
int idv_store_schema_version(struct idv_store *s);
int idv_store_schema_latest(void);

enum idv_err idv_store_begin(struct idv_store *s);
enum idv_err idv_store_commit(struct idv_store *s);
void idv_store_rollback(struct idv_store *s);

/* --- The business's existing customer records --------------------------------------------- */

#define IDV_STORE_KEY_KIND_MAX 12

/* A blocking key: its kind ("name", "dob", "zip", "email", "phone") and a keyed hash. */
struct idv_store_key {
	char kind[IDV_STORE_KEY_KIND_MAX];
	uint8_t mac[32];
};

/* Insert or replace record id with its sealed content and its blocking keys. */
enum idv_err idv_store_record_put(struct idv_store *s, const char *id, const uint8_t *sealed,
				  size_t len, const struct idv_store_key *keys, size_t nkeys);
enum idv_err idv_store_record_count(struct idv_store *s, int64_t *out);

/* Called once per record; return false to stop. */
typedef bool (*idv_store_record_fn)(void *arg, const char *id, const uint8_t *sealed, size_t len);

/* Every distinct record sharing at least one blocking key with keys[0..nkeys). */
enum idv_err idv_store_record_candidates(struct idv_store *s, const struct idv_store_key *keys,
					 size_t nkeys, idv_store_record_fn fn, void *arg);
/* The record of that id: IDV_E_NOTFOUND when there is none. */
enum idv_err idv_store_record_get(struct idv_store *s, const char *id, idv_store_record_fn fn,
				  void *arg);

#endif
