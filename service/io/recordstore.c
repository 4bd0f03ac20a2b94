/* SPDX-License-Identifier: Apache-2.0 */
/* recordstore.c: sealed import of existing customer records (see recordstore.h). */
#include <jansson.h>
#include <stdarg.h>
#include <time.h>

#include "idverify/crypto.h"
#include "idverify/csv.h"
#include "idverify/recordstore.h"
#include "idverify/str.h"

#define RECORDS_MAX_KEYS 8

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
		int n = vsnprintf(rep->errors[rep->nerrors].reason, sizeof rep->errors[0].reason, fmt,
				  ap);
		va_end(ap);
		if (n < 0)
			rep->errors[rep->nerrors].reason[0] = '\0';
	}
	rep->nerrors++;
}

/* Upper-case ASCII letters and digits of v, for blocking; accents and punctuation dropped. */
static size_t
records_fold(const char *v, size_t len, char *out, size_t outsz)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < outsz; i++) {
		unsigned char c = (unsigned char)v[i];
		if (idv_isalnum(c))
			out[n++] = (char)idv_toupper(c);
	}
	out[n] = '\0';
	return n;
}

static void
records_key(struct idv_store_key *k, const uint8_t key[IDV_KEY_LEN], const char *kind,
	    const char *v, size_t len)
{
	idv_strlcpy(k->kind, kind, sizeof k->kind);
	struct idv_buf b;
	idv_buf_init(&b, 512);
	idv_buf_append_str(&b, kind);
	idv_buf_append_byte(&b, 0);
	idv_buf_append(&b, v, len);
	idv_crypto_hmac(key, b.data, b.len, k->mac);
	idv_buf_cleanup_wipe(&b);
}

/* Blocking keys of a validated row: family name, date of birth, ZIP5, e-mail, phone. */
static size_t
records_keys(const struct idv_rec_row *row, const uint8_t key[IDV_KEY_LEN],
	     struct idv_store_key *keys)
{
	size_t n = 0;
	char tmp[IDV_REC_VALUE_MAX + 1];
	size_t len;
	if ((len = records_fold(row->v[IDV_REC_FAMILY_NAME], row->len[IDV_REC_FAMILY_NAME], tmp,
				sizeof tmp)) > 0)
		records_key(&keys[n++], key, "name", tmp, len);
	if (row->len[IDV_REC_DATE_OF_BIRTH] == 10)
		records_key(&keys[n++], key, "dob", row->v[IDV_REC_DATE_OF_BIRTH], 10);
	if (row->len[IDV_REC_POSTAL_CODE] >= 5)
		records_key(&keys[n++], key, "zip", row->v[IDV_REC_POSTAL_CODE], 5);
	if ((len = row->len[IDV_REC_EMAIL]) > 0 && len < sizeof tmp) {
		for (size_t i = 0; i < len; i++)
			tmp[i] = (char)idv_tolower((unsigned char)row->v[IDV_REC_EMAIL][i]);
		records_key(&keys[n++], key, "email", tmp, len);
	}
	if ((len = records_fold(row->v[IDV_REC_PHONE], row->len[IDV_REC_PHONE], tmp,
				sizeof tmp)) >= 10)
		records_key(&keys[n++], key, "phone", tmp + len - 10, 10);
	idv_wipe(tmp, sizeof tmp);
	return n;
}

static enum idv_err
records_put(struct idv_store *store, const struct idv_rec_row *row, const uint8_t seal_key[32],
	    const uint8_t index_key[32])
{
	enum idv_err result;
	char id[IDV_REC_ID_MAX + 1];
	memcpy(id, row->v[IDV_REC_ID], row->len[IDV_REC_ID]);
	id[row->len[IDV_REC_ID]] = '\0';
	json_t *o = json_object();
	for (int c = 0; c < IDV_REC__COUNT; c++)
		json_object_set_new(o, idv_rec_col_names[c],
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
records_write(struct idv_store *store, const struct idv_rec_row *rows, size_t n,
	      struct idv_import_report *rep)
{
	uint8_t seal_key[IDV_KEY_LEN], index_key[IDV_KEY_LEN];
	enum idv_err result;
	if ((result = idv_crypto_derive("records", seal_key)) != IDV_OK ||
	    (result = idv_crypto_derive("records-index", index_key)) != IDV_OK) {
		snprintf(rep->fatal, sizeof rep->fatal, "master key not loaded");
		return result;
	}
	if ((result = idv_store_begin(store)) != IDV_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((result = records_put(store, &rows[i], seal_key, index_key)) != IDV_OK) {
			idv_store_rollback(store);
			goto out;
		}
	}
	if ((result = idv_store_commit(store)) == IDV_OK)
		rep->imported = n;
out:
	if (result != IDV_OK && rep->fatal[0] == '\0')
		snprintf(rep->fatal, sizeof rep->fatal, "database error: nothing was imported");
	idv_wipe(seal_key, sizeof seal_key);
	idv_wipe(index_key, sizeof index_key);
	return result;
}

/* Duplicate ids within one import are an error (the second names the first). */
static bool
records_check_dup(const struct idv_rec_row *rows, size_t i, size_t *first)
{
	for (size_t k = 0; k < i; k++)
		if (rows[k].len[IDV_REC_ID] == rows[i].len[IDV_REC_ID] &&
		    memcmp(rows[k].v[IDV_REC_ID], rows[i].v[IDV_REC_ID], rows[i].len[IDV_REC_ID]) ==
			    0) {
			*first = k;
			return true;
		}
	return false;
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
	struct idv_rec_row *rows = NULL;
	size_t *lines = NULL, nrows = 0, cap = 0;
	int map[IDV_REC__COUNT];
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
			size_t dup = 0;
			enum idv_err e = idv_csv_header_map(cells, ncells, idv_rec_col_names,
							    IDV_REC__COUNT, map, &dup);
			if (e == IDV_E_CONFLICT) {
				snprintf(rep->fatal, sizeof rep->fatal,
					 "line %zu: column %s appears twice", csv.row_line,
					 idv_rec_col_names[dup]);
				result = IDV_E_INVAL;
				goto out;
			}
			for (size_t c = 0; c < ncells; c++) {
				bool known = false;
				for (int k = 0; k < IDV_REC__COUNT; k++)
					known |= map[k] == (int)c;
				if (!known) {
					snprintf(rep->fatal, sizeof rep->fatal,
						 "line %zu: unknown column '%.40s' (columns: id, "
						 "given_name, middle_name, family_name, suffix, "
						 "date_of_birth, email, phone, street, unit, city, "
						 "state, postal_code)",
						 csv.row_line, cells[c].p);
					result = IDV_E_INVAL;
					goto out;
				}
			}
			for (int k = 0; k < IDV_REC__COUNT; k++)
				if (map[k] < 0 && (k == IDV_REC_ID || k == IDV_REC_GIVEN_NAME ||
						   k == IDV_REC_FAMILY_NAME)) {
					snprintf(rep->fatal, sizeof rep->fatal,
						 "line %zu: the header has no column %s",
						 csv.row_line, idv_rec_col_names[k]);
					result = IDV_E_INVAL;
					goto out;
				}
			header = true;
			continue;
		}
		if (nrows == cap) {
			cap = cap ? cap * 2 : 256;
			rows = idv_realloc(rows, cap * sizeof *rows);
			lines = idv_realloc(lines, cap * sizeof *lines);
		}
		struct idv_rec_row *row = &rows[nrows];
		memset(row, 0, sizeof *row);
		lines[nrows] = csv.row_line;
		rep->rows++;
		for (int k = 0; k < IDV_REC__COUNT; k++) {
			if (map[k] < 0 || (size_t)map[k] >= ncells)
				continue;
			const char *v = cells[map[k]].p;
			size_t vlen = cells[map[k]].len;
			idv_str_trim(&v, &vlen);
			if (store_used + vlen + 1 > scratch_size) {
				result = IDV_E_TOOBIG;
				goto out;
			}
			memcpy(store_buf + store_used, v, vlen);
			store_buf[store_used + vlen] = '\0';
			row->v[k] = store_buf + store_used;
			row->len[k] = vlen;
			store_used += vlen + 1;
		}
		nrows++;
	}
	if (result != IDV_E_NOTFOUND) {
		snprintf(rep->fatal, sizeof rep->fatal, "line %zu: %s", csv.err_line,
			 result == IDV_E_TOOBIG ? "row too large" : "malformed CSV");
		result = IDV_E_PARSE;
		goto out;
	}
	result = IDV_OK;
	if (!header) {
		snprintf(rep->fatal, sizeof rep->fatal, "the file is empty (no header line)");
		result = IDV_E_INVAL;
		goto out;
	}
	for (size_t i = 0; i < nrows; i++) {
		enum idv_rec_col bad;
		char why[160];
		size_t first;
		if (idv_rec_validate(&rows[i], today_days, &bad, why, sizeof why) != IDV_OK)
			records_report(rep, lines[i], idv_rec_col_names[bad], "%s", why);
		else if (records_check_dup(rows, i, &first))
			records_report(rep, lines[i], "id", "duplicate id (first on line %zu)",
				       lines[first]);
	}
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
		snprintf(rep->fatal, sizeof rep->fatal, "records must be an array of objects");
		return IDV_E_INVAL;
	}
	size_t n = json_array_size(records);
	struct idv_rec_row *rows = idv_calloc(n ? n : 1, sizeof *rows);
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
			while (k < IDV_REC__COUNT && strcmp(idv_rec_col_names[k], key) != 0)
				k++;
			if (k == IDV_REC__COUNT) {
				records_report(rep, i, "", "unknown field '%.40s'", key);
				bad = true;
				break;
			}
			if (!json_is_string(val) && !json_is_null(val)) {
				records_report(rep, i, idv_rec_col_names[k], "%s must be a string",
					       idv_rec_col_names[k]);
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
		enum idv_rec_col badcol;
		char why[160];
		size_t first;
		if (idv_rec_validate(&rows[i], today_days, &badcol, why, sizeof why) != IDV_OK)
			records_report(rep, i, idv_rec_col_names[badcol], "%s", why);
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
