/* SPDX-License-Identifier: Apache-2.0 */
/*
 * recordstore.h: importing the business's existing customer records into the store, sealed
 * (AES-256-GCM under a key derived from the master key, bound to the record id) with keyed
 * blocking hashes for candidate lookup, and opening them again for scoring.
 *
 * Imports are all or nothing: every row is validated first; if any is bad nothing is written
 * and the report names each bad row (line or index), its column and the rule it broke.
 */
#ifndef IDVERIFY_RECORDSTORE_H
#define IDVERIFY_RECORDSTORE_H

#include <jansson.h>

#include "idverify/record.h"
#include "store.h"

#define IDV_IMPORT_MAX_ERRORS 50

struct idv_import_report {
	size_t rows;     /* rows read */
	size_t imported; /* rows written (0 when any row was bad) */
	size_t nerrors;  /* bad rows (may exceed the listed ones) */
	struct {
		size_t where; /* CSV line (1-based) or JSON array index (0-based) */
		char column[24];
		char reason[160];
	} errors[IDV_IMPORT_MAX_ERRORS];
	char fatal[200]; /* a problem with the whole input (header, encoding, database) */
};

enum idv_err idv_records_import_csv(struct idv_store *store, const uint8_t *data, size_t len,
				    int64_t today_days, struct idv_import_report *rep);
/* records: a JSON array of objects keyed by column name. */
enum idv_err idv_records_import_json(struct idv_store *store, json_t *records, int64_t today_days,
				     struct idv_import_report *rep);

/* Decrypt a stored record into a JSON object (new reference) keyed by column name. */
enum idv_err idv_records_open(const char *id, const uint8_t *sealed, size_t len, json_t **out);

/*
 * The records sharing a blocking key (keyed hashes, match.h) with the claims or with what the
 * documents say, opened into out[0..max). IDV_E_TOOBIG when there were more than max: the
 * caller must not decide on a truncated set.
 */
struct idv_claims;
struct idv_document;
struct idv_record;
enum idv_err idv_records_candidates(struct idv_store *store, const struct idv_claims *claims,
				    const struct idv_document *docs, size_t ndocs,
				    struct idv_record *out, size_t max, size_t *n);

/*
 * Fill out[0..n) with stand-in records, each opened through the same path as a stored
 * candidate (sealed under the records key, decrypted, parsed), so that padding a candidate set
 * to a fixed size costs what as many stored candidates would: the time of an answer then does
 * not tell how many records (if any) share a name, a date of birth, a ZIP, an e-mail or a
 * phone with the claims. A stand-in is never a candidate: what is decided on it is discarded.
 */
enum idv_err idv_records_standins(struct idv_record *out, size_t n);

/* Today as days since 1970-01-01 (UTC). */
int64_t idv_today_days(void);

#endif
