/* SPDX-License-Identifier: Apache-2.0 */
/* recordstore.c: sealed import of existing customer records (see recordstore.h). */
#include <jansson.h>
#include <stdarg.h>
#include <time.h>

#include "crypto.h"
#include "idverify/csv.h"
#include "idverify/document.h"
#include "idverify/match.h"
#include "recordstore.h"
#include "idverify/str.h"

#define RECORDS_MAX_KEYS (IDV_BLOCK_MAX_NAMES + 6)

int64_t
idv_today_days(void)
{
	return (int64_t)(time(NULL) / 86400);
}

static void __attribute__((format(printf, 4, 5)))
records_report(struct idv_import_report *rep, size_t where, const char *column, const char *fmt,
	       ...)
{
	if (rep->nerrors < IDV_IMPORT_MAX_ERRORS) {
		rep->errors[rep->nerrors].where = where;
		idv_strlcpy(rep->errors[rep->nerrors].column, column,
			    sizeof rep->errors[0].column);
		va_list ap;
		va_start(ap, fmt);
		idv_vwhy(rep->errors[rep->nerrors].reason, sizeof rep->errors[0].reason, fmt, ap);
		va_end(ap);
	}
	rep->nerrors++;
}

static void
records_key(struct idv_store_key *k, const uint8_t key[IDV_KEY_LEN], const char *kind,
	    const char *v)
{
	idv_strlcpy(k->kind, kind, sizeof k->kind);
	struct idv_buf b;
	idv_buf_init(&b, 512);
	idv_buf_append_str(&b, kind);
	idv_buf_append_byte(&b, 0);
	idv_buf_append_str(&b, v);
	idv_crypto_hmac(key, b.data, b.len, k->mac);
	idv_buf_cleanup_wipe(&b);
}

/*
 * Keyed hashes of blocking keys (match.h): the store can find candidates without holding any
 * name, date or address in clear. Claims add the day/month-swapped date of birth as a "dob".
 */
static size_t
records_hash_keys(const struct idv_block_keys *bk, const uint8_t key[IDV_KEY_LEN],
		  struct idv_store_key *keys, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < bk->nnames && n < max; i++)
		if (bk->names[i][0] != '\0')
			records_key(&keys[n++], key, "name", bk->names[i]);
	if (bk->dob[0] != '\0' && n < max)
		records_key(&keys[n++], key, "dob", bk->dob);
	if (bk->dob_swap[0] != '\0' && n < max)
		records_key(&keys[n++], key, "dob", bk->dob_swap);
	if (bk->zip5[0] != '\0' && n < max)
		records_key(&keys[n++], key, "zip", bk->zip5);
	if (bk->email[0] != '\0' && n < max)
		records_key(&keys[n++], key, "email", bk->email);
	if (bk->phone[0] != '\0' && n < max)
		records_key(&keys[n++], key, "phone", bk->phone);
	return n;
}

/* A validated row as a struct idv_record. */
static enum idv_err
records_from_row(const struct idv_record_row *row, struct idv_record *rec)
{
	memset(rec, 0, sizeof *rec);
	for (int c = 0; c < IDV_COL__COUNT; c++) {
		if (row->v[c] == NULL)
			continue;
		enum idv_err err = idv_record_set(rec, (enum idv_record_col)c, row->v[c], row->len[c]);
		if (err != IDV_OK)
			return err;
	}
	return IDV_OK;
}

static size_t
records_keys(const struct idv_record_row *row, const uint8_t key[IDV_KEY_LEN],
	     struct idv_store_key *keys)
{
	struct idv_record *rec = idv_calloc(1, sizeof *rec);
	struct idv_block_keys bk;
	size_t n = 0;
	if (records_from_row(row, rec) == IDV_OK) {
		idv_match_record_keys(rec, &bk);
		n = records_hash_keys(&bk, key, keys, RECORDS_MAX_KEYS);
		idv_wipe(&bk, sizeof bk);
	}
	idv_wipe(rec, sizeof *rec);
	free(rec);
	return n;
}

static enum idv_err
records_put(struct idv_store *store, const struct idv_record_row *row, const uint8_t seal_key[32],
	    const uint8_t index_key[32])
{
	enum idv_err result;
	char id[IDV_RECORD_ID_MAX + 1];
	memcpy(id, row->v[IDV_COL_ID], row->len[IDV_COL_ID]);
	id[row->len[IDV_COL_ID]] = '\0';
	json_t *o = json_object();
	for (int c = 0; c < IDV_COL__COUNT; c++)
		json_object_set_new(o, idv_record_columns[c],
				    json_stringn(row->v[c] ? row->v[c] : "", row->len[c]));
	char *plain = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (plain == NULL)
		return IDV_E_NOMEM;
	struct idv_buf aad, sealed;
	idv_buf_init(&aad, 128);
	idv_buf_printf(&aad, "idverify/record/%s", id);
	idv_buf_init(&sealed, 64 * 1024);
	result = idv_crypto_seal(seal_key, aad.data, aad.len, plain, strlen(plain), &sealed);
	idv_wipe(plain, strlen(plain));
	free(plain);
	if (result == IDV_OK) {
		struct idv_store_key keys[RECORDS_MAX_KEYS];
		size_t nkeys = records_keys(row, index_key, keys);
		result = idv_store_record_put(store, id, sealed.data, sealed.len, keys, nkeys);
	}
	idv_buf_cleanup(&aad);
	idv_buf_cleanup(&sealed);
	return result;
}

/* Write validated rows in one transaction. */
static enum idv_err
records_write(struct idv_store *store, const struct idv_record_row *rows, size_t n,
	      struct idv_import_report *rep)
{
	uint8_t seal_key[IDV_KEY_LEN], index_key[IDV_KEY_LEN];
	enum idv_err result;
	if ((result = idv_crypto_derive("records", seal_key)) != IDV_OK ||
	    (result = idv_crypto_derive("records-index", index_key)) != IDV_OK) {
		idv_why(rep->fatal, sizeof rep->fatal, "master key not loaded");
		return result;
	}
	if ((result = idv_store_begin(store)) != IDV_OK)
		goto out;
	for (size_t i = 0; i < n && result == IDV_OK; i++)
		result = records_put(store, &rows[i], seal_key, index_key);
	if ((result = idv_store_end(store, result)) == IDV_OK)
		rep->imported = n;
out:
	if (result != IDV_OK && rep->fatal[0] == '\0')
		idv_why(rep->fatal, sizeof rep->fatal, "database error: nothing was imported");
	idv_wipe(seal_key, sizeof seal_key);
	idv_wipe(index_key, sizeof index_key);
	return result;
}

/* Duplicate ids within one import are an error (the second names the first). */
static bool
records_check_dup(const struct idv_record_row *rows, size_t i, size_t *first)
{
	for (size_t k = 0; k < i; k++)
		if (rows[k].len[IDV_COL_ID] == rows[i].len[IDV_COL_ID] &&
		    memcmp(rows[k].v[IDV_COL_ID], rows[i].v[IDV_COL_ID], rows[i].len[IDV_COL_ID]) ==
			    0) {
			*first = k;
			return true;
		}
	return false;
}

/* The header line: every column known, none twice, id and the names present. */
static enum idv_err
records_header(const struct idv_csv_cell *cells, size_t ncells, size_t line,
	       int map[IDV_COL__COUNT], struct idv_import_report *rep)
{
	size_t dup = 0;
	if (idv_csv_header_map(cells, ncells, idv_record_columns, IDV_COL__COUNT, map, &dup) ==
	    IDV_E_CONFLICT) {
		idv_why(rep->fatal, sizeof rep->fatal, "line %zu: column %s appears twice", line,
			idv_record_columns[dup]);
		return IDV_E_INVAL;
	}
	for (size_t c = 0; c < ncells; c++) {
		bool known = false;
		for (int k = 0; k < IDV_COL__COUNT; k++)
			known |= map[k] == (int)c;
		if (!known) {
			idv_why(rep->fatal, sizeof rep->fatal,
				"line %zu: unknown column '%.40s' (columns: id, given_name, "
				"middle_name, family_name, suffix, date_of_birth, email, phone, "
				"street, unit, city, state, postal_code)",
				line, cells[c].p);
			return IDV_E_INVAL;
		}
	}
	for (int k = 0; k < IDV_COL__COUNT; k++)
		if (map[k] < 0 &&
		    (k == IDV_COL_ID || k == IDV_COL_GIVEN_NAME || k == IDV_COL_FAMILY_NAME)) {
			idv_why(rep->fatal, sizeof rep->fatal, "line %zu: the header has no column %s",
				line, idv_record_columns[k]);
			return IDV_E_INVAL;
		}
	return IDV_OK;
}

/* A row's trimmed values copied out of the reader's scratch into store[*used..storesz), so
 * that every row stays available until the write. */
static enum idv_err
records_copy_row(const struct idv_csv_cell *cells, size_t ncells, const int map[IDV_COL__COUNT],
		 struct idv_record_row *row, char *store, size_t storesz, size_t *used)
{
	memset(row, 0, sizeof *row);
	for (int k = 0; k < IDV_COL__COUNT; k++) {
		if (map[k] < 0 || (size_t)map[k] >= ncells)
			continue;
		const char *v = cells[map[k]].p;
		size_t vlen = cells[map[k]].len;
		idv_str_trim(&v, &vlen);
		if (*used + vlen + 1 > storesz)
			return IDV_E_TOOBIG;
		memcpy(store + *used, v, vlen);
		store[*used + vlen] = '\0';
		row->v[k] = store + *used;
		row->len[k] = vlen;
		*used += vlen + 1;
	}
	return IDV_OK;
}

/* Every row checked (values, duplicate ids), each problem reported with its line. */
static void
records_check_rows(const struct idv_record_row *rows, const size_t *lines, size_t nrows,
		   int64_t today_days, struct idv_import_report *rep)
{
	for (size_t i = 0; i < nrows; i++) {
		enum idv_record_col bad;
		char why[160];
		size_t first;
		if (idv_record_check_row(&rows[i], today_days, &bad, why, sizeof why) != IDV_OK)
			records_report(rep, lines[i], idv_record_columns[bad], "%s", why);
		else if (records_check_dup(rows, i, &first))
			records_report(rep, lines[i], "id", "duplicate id (first on line %zu)",
				       lines[first]);
	}
}

enum idv_err
idv_records_import_csv(struct idv_store *store, const uint8_t *data, size_t len,
		       int64_t today_days, struct idv_import_report *rep)
{
	enum idv_err result = IDV_OK;
	memset(rep, 0, sizeof *rep);
	size_t scratch_size;
	if (idv_size_add(len, len / 2 + 64, &scratch_size))
		return IDV_E_TOOBIG;
	char *scratch = idv_malloc(scratch_size);
	struct idv_csv_cell cells[32];
	struct idv_record_row *rows = NULL;
	size_t *lines = NULL, nrows = 0, cap = 0;
	int map[IDV_COL__COUNT];
	struct idv_csv csv;
	size_t ncells;
	bool header = false;

	/* The reader reuses scratch for each row; values are copied out into store_buf so that
	 * every row stays available until the write. */
	idv_csv_init(&csv, data, len, scratch, scratch_size, cells, IDV_ARRAY_LEN(cells));
	char *store_buf = idv_malloc(scratch_size);
	size_t store_used = 0;
	while ((result = idv_csv_next(&csv, &ncells)) == IDV_OK) {
		if (!header) {
			if ((result = records_header(cells, ncells, csv.row_line, map, rep)) !=
			    IDV_OK)
				goto out;
			header = true;
			continue;
		}
		if (nrows == cap) {
			cap = cap ? cap * 2 : 256;
			rows = idv_realloc(rows, cap * sizeof *rows);
			lines = idv_realloc(lines, cap * sizeof *lines);
		}
		lines[nrows] = csv.row_line;
		rep->rows++;
		if ((result = records_copy_row(cells, ncells, map, &rows[nrows], store_buf,
					       scratch_size, &store_used)) != IDV_OK)
			goto out;
		nrows++;
	}
	if (result != IDV_E_NOTFOUND) {
		idv_why(rep->fatal, sizeof rep->fatal, "line %zu: %s", csv.err_line,
			 result == IDV_E_TOOBIG ? "row too large" : "malformed CSV");
		result = IDV_E_PARSE;
		goto out;
	}
	result = IDV_OK;
	if (!header) {
		idv_why(rep->fatal, sizeof rep->fatal, "the file is empty (no header line)");
		result = IDV_E_INVAL;
		goto out;
	}
	records_check_rows(rows, lines, nrows, today_days, rep);
	if (rep->nerrors > 0) {
		result = IDV_E_INVAL;
		goto out;
	}
	result = records_write(store, rows, nrows, rep);
out:
	if (store_buf != NULL)
		idv_wipe(store_buf, scratch_size);
	idv_wipe(scratch, scratch_size);
	free(store_buf);
	free(scratch);
	free(rows);
	free(lines);
	return result;
}

enum idv_err
idv_records_import_json(struct idv_store *store, json_t *records, int64_t today_days,
			struct idv_import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	if (!json_is_array(records)) {
		idv_why(rep->fatal, sizeof rep->fatal, "records must be an array of objects");
		return IDV_E_INVAL;
	}
	size_t n = json_array_size(records);
	struct idv_record_row *rows = idv_calloc(n ? n : 1, sizeof *rows);
	enum idv_err result = IDV_OK;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(records, i);
		rep->rows++;
		if (!json_is_object(o)) {
			records_report(rep, i, "", "each record must be an object");
			continue;
		}
		const char *key;
		json_t *val;
		bool bad = false;
		json_object_foreach(o, key, val)
		{
			int k = 0;
			while (k < IDV_COL__COUNT && strcmp(idv_record_columns[k], key) != 0)
				k++;
			if (k == IDV_COL__COUNT) {
				records_report(rep, i, "", "unknown field '%.40s'", key);
				bad = true;
				break;
			}
			if (!json_is_string(val) && !json_is_null(val)) {
				records_report(rep, i, idv_record_columns[k], "%s must be a string",
					       idv_record_columns[k]);
				bad = true;
				break;
			}
			if (json_is_string(val)) {
				rows[i].v[k] = json_string_value(val);
				rows[i].len[k] = json_string_length(val);
			}
		}
		if (bad)
			continue;
		enum idv_record_col badcol;
		char why[160];
		size_t first;
		if (idv_record_check_row(&rows[i], today_days, &badcol, why, sizeof why) != IDV_OK)
			records_report(rep, i, idv_record_columns[badcol], "%s", why);
		else if (records_check_dup(rows, i, &first))
			records_report(rep, i, "id", "duplicate id (first at index %zu)", first);
	}
	if (rep->nerrors > 0)
		result = IDV_E_INVAL;
	else
		result = records_write(store, rows, n, rep);
	free(rows);
	return result;
}

enum idv_err
idv_records_open(const char *id, const uint8_t *sealed, size_t len, json_t **out)
{
	uint8_t key[IDV_KEY_LEN];
	enum idv_err result = idv_crypto_derive("records", key);
	if (result != IDV_OK)
		return result;
	struct idv_buf aad, plain;
	idv_buf_init(&aad, 128);
	idv_buf_printf(&aad, "idverify/record/%s", id);
	idv_buf_init(&plain, 64 * 1024);
	result = idv_crypto_open(key, aad.data, aad.len, sealed, len, &plain);
	if (result == IDV_OK) {
		*out = json_loadb((const char *)plain.data, plain.len, 0, NULL);
		if (*out == NULL)
			result = IDV_E_PARSE;
	}
	idv_wipe(key, sizeof key);
	idv_buf_cleanup(&aad);
	idv_buf_cleanup_wipe(&plain);
	return result;
}

struct records_cands {
	struct idv_record *recs;
	size_t n, max;
	enum idv_err err;
};

static bool
records_cand(void *arg, const char *id, const uint8_t *sealed, size_t len)
{
	struct records_cands *c = arg;
	if (c->n >= c->max) {
		c->err = IDV_E_TOOBIG;
		return false;
	}
	json_t *o = NULL;
	if ((c->err = idv_records_open(id, sealed, len, &o)) != IDV_OK)
		return false;
	struct idv_record *rec = &c->recs[c->n];
	memset(rec, 0, sizeof *rec);
	for (int k = 0; k < IDV_COL__COUNT; k++) {
		json_t *v = json_object_get(o, idv_record_columns[k]);
		if (json_is_string(v))
			idv_record_set(rec, (enum idv_record_col)k, json_string_value(v),
				       json_string_length(v));
	}
	json_decref(o);
	c->n++;
	return true;
}

enum idv_err
idv_records_standins(struct idv_record *out, size_t n)
{
	static const struct {
		enum idv_record_col col;
		const char *v;
	} standin[] = {
		{IDV_COL_ID, "-standin-"},           {IDV_COL_GIVEN_NAME, "Jordan"},
		{IDV_COL_MIDDLE_NAME, "Avery"},      {IDV_COL_FAMILY_NAME, "Standin"},
		{IDV_COL_DATE_OF_BIRTH, "1970-01-01"}, {IDV_COL_EMAIL, "standin@example.invalid"},
		{IDV_COL_PHONE, "+14155550100"},     {IDV_COL_STREET, "1 Main St"},
		{IDV_COL_CITY, "Springfield"},       {IDV_COL_STATE, "CA"},
		{IDV_COL_POSTAL_CODE, "90000"},
	};
	uint8_t key[IDV_KEY_LEN];
	struct idv_buf aad, sealed;
	json_t *o = json_object();
	for (size_t i = 0; i < IDV_ARRAY_LEN(standin); i++)
		json_object_set_new(o, idv_record_columns[standin[i].col], json_string(standin[i].v));
	char *plain = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	idv_buf_init(&aad, 128);
	idv_buf_printf(&aad, "idverify/record/%s", "-standin-");
	idv_buf_init(&sealed, 4096);
	enum idv_err err = plain == NULL ? IDV_E_NOMEM : idv_crypto_derive("records", key);
	if (err == IDV_OK)
		err = idv_crypto_seal(key, aad.data, aad.len, plain, strlen(plain), &sealed);
	idv_wipe(key, sizeof key);
	free(plain);
	/* Each one opened as a stored candidate is: decrypted, parsed, copied. */
	struct records_cands c = {out, 0, n, IDV_OK};
	for (size_t i = 0; err == IDV_OK && i < n; i++)
		if (!records_cand(&c, "-standin-", sealed.data, sealed.len))
			err = c.err;
	idv_buf_cleanup(&aad);
	idv_buf_cleanup(&sealed);
	return err;
}

enum idv_err
idv_records_candidates(struct idv_store *store, const struct idv_claims *claims,
		       const struct idv_document *docs, size_t ndocs, struct idv_record *out,
		       size_t max, size_t *n)
{
	uint8_t key[IDV_KEY_LEN];
	struct idv_block_keys bk;
	struct idv_store_key *keys = idv_calloc(RECORDS_MAX_KEYS * (1 + ndocs), sizeof *keys);
	size_t nkeys = 0;
	enum idv_err err = idv_crypto_derive("records-index", key);
	if (err != IDV_OK)
		goto out;
	idv_match_claims_keys(claims, &bk);
	nkeys += records_hash_keys(&bk, key, keys, RECORDS_MAX_KEYS);
	/* What the documents say finds candidates too (a licence's name and date of birth). */
	for (size_t i = 0; i < ndocs; i++) {
		struct idv_claims dc;
		memset(&dc, 0, sizeof dc);
		const struct idv_field *f = docs[i].fields;
		idv_strlcpy(dc.given_names, f[IDV_F_GIVEN_NAMES].value, sizeof dc.given_names);
		idv_strlcpy(dc.family_name, f[IDV_F_FAMILY_NAME].value, sizeof dc.family_name);
		idv_strlcpy(dc.date_of_birth, f[IDV_F_DATE_OF_BIRTH].value, sizeof dc.date_of_birth);
		idv_strlcpy(dc.address.postal_code, f[IDV_F_POSTAL_CODE].value,
			    sizeof dc.address.postal_code);
		idv_match_claims_keys(&dc, &bk);
		nkeys += records_hash_keys(&bk, key, keys + nkeys, RECORDS_MAX_KEYS);
		idv_wipe(&dc, sizeof dc);
	}
	struct records_cands c = {out, 0, max, IDV_OK};
	err = idv_store_record_candidates(store, keys, nkeys, records_cand, &c);
	if (err == IDV_OK)
		err = c.err;
	*n = c.n;
out:
	idv_wipe(&bk, sizeof bk);
	idv_wipe(key, sizeof key);
	free(keys);
	return err;
}
