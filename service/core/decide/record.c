/* SPDX-License-Identifier: Apache-2.0 */
/* record.c: columns and setters of struct idv_record (see record.h). */
#include <stdarg.h>

#include "idverify/record.h"
#include "idverify/str.h"

const char *const idv_record_columns[IDV_COL__COUNT] = {
	"id",    "given_name", "middle_name", "family_name", "suffix", "date_of_birth", "email",
	"phone", "street",     "unit",        "city",        "state",  "postal_code",
};

static const char *const point_names[IDV_PT__COUNT] = {
	"name", "date_of_birth", "address", "email", "phone", "contact_code",
};

static char *
record_field(struct idv_record *rec, enum idv_record_col col, size_t *size)
{
#define RECORD_F(f)                                                                                \
	do {                                                                                       \
		*size = sizeof(f);                                                                 \
		return (f);                                                                        \
	} while (0)
	switch (col) {
	case IDV_COL_ID: RECORD_F(rec->id);
	case IDV_COL_GIVEN_NAME: RECORD_F(rec->given_name);
	case IDV_COL_MIDDLE_NAME: RECORD_F(rec->middle_name);
	case IDV_COL_FAMILY_NAME: RECORD_F(rec->family_name);
	case IDV_COL_SUFFIX: RECORD_F(rec->suffix);
	case IDV_COL_DATE_OF_BIRTH: RECORD_F(rec->date_of_birth);
	case IDV_COL_EMAIL: RECORD_F(rec->email);
	case IDV_COL_PHONE: RECORD_F(rec->phone);
	case IDV_COL_STREET: RECORD_F(rec->address.street);
	case IDV_COL_UNIT: RECORD_F(rec->address.unit);
	case IDV_COL_CITY: RECORD_F(rec->address.city);
	case IDV_COL_STATE: RECORD_F(rec->address.state);
	case IDV_COL_POSTAL_CODE: RECORD_F(rec->address.postal_code);
	case IDV_COL__COUNT: break;
	}
#undef RECORD_F
	*size = 0;
	return NULL;
}

enum idv_err
idv_record_set(struct idv_record *rec, enum idv_record_col col, const char *value, size_t len)
{
	size_t size;
	char *f = record_field(rec, col, &size);
	if (f == NULL)
		return IDV_E_INVAL;
	idv_str_trim(&value, &len);
	if (len >= size)
		return IDV_E_TOOBIG;
	if (!idv_utf8_valid((const uint8_t *)value, len))
		return IDV_E_PARSE;
	memcpy(f, value, len);
	f[len] = '\0';
	return IDV_OK;
}

const char *
idv_record_get(const struct idv_record *rec, enum idv_record_col col)
{
	size_t size;
	return record_field((struct idv_record *)(uintptr_t)rec, col, &size);
}

enum idv_err
idv_record_validate(const struct idv_record *rec)
{
	if (rec->id[0] == '\0' || rec->family_name[0] == '\0')
		return IDV_E_INVAL;
	return IDV_OK;
}

enum idv_err
idv_record_header(const struct idv_csv_cell *cells, size_t ncells, int map[IDV_COL__COUNT])
{
	enum idv_err e = idv_csv_header_map(cells, ncells, idv_record_columns, IDV_COL__COUNT, map,
					    NULL);
	if (e != IDV_OK)
		return e;
	if (map[IDV_COL_ID] < 0 || map[IDV_COL_FAMILY_NAME] < 0)
		return IDV_E_INVAL;
	return IDV_OK;
}

enum idv_err
idv_record_from_row(const int map[IDV_COL__COUNT], const struct idv_csv_cell *cells, size_t ncells,
		    struct idv_record *out, enum idv_record_col *bad_col)
{
	memset(out, 0, sizeof *out);
	for (int c = 0; c < IDV_COL__COUNT; c++) {
		if (map[c] < 0 || (size_t)map[c] >= ncells)
			continue;
		const struct idv_csv_cell *cell = &cells[map[c]];
		enum idv_err e = idv_record_set(out, (enum idv_record_col)c, cell->p, cell->len);
		if (e != IDV_OK) {
			if (bad_col != NULL)
				*bad_col = (enum idv_record_col)c;
			return e;
		}
	}
	if (idv_record_validate(out) != IDV_OK) {
		if (bad_col != NULL)
			*bad_col = out->id[0] == '\0' ? IDV_COL_ID : IDV_COL_FAMILY_NAME;
		return IDV_E_INVAL;
	}
	return IDV_OK;
}

IDV_NAME_LOOKUP_FN(idv_point, enum idv_point, point_names, IDV_PT__COUNT, "unknown")

/* ---- the business's rules for one row ---- */

static const char *const records_states[] = {
	"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
	"IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
	"NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
	"VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP",
};

static enum idv_err __attribute__((format(printf, 5, 6)))
records_fail(enum idv_record_col col, enum idv_record_col *bad_col, char *why, size_t whysz,
	     const char *fmt, ...)
{
	*bad_col = col;
	va_list ap;
	va_start(ap, fmt);
	idv_vwhy(why, whysz, fmt, ap);
	va_end(ap);
	return IDV_E_INVAL;
}

static bool
records_has_control(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return true;
	return false;
}

static bool
records_email_ok(const char *p, size_t len)
{
	const char *at = memchr(p, '@', len);
	if (at == NULL || at == p || memchr(at + 1, '@', len - (size_t)(at - p) - 1) != NULL)
		return false;
	const char *dom = at + 1;
	size_t dlen = len - (size_t)(dom - p);
	if (dlen < 3 || memchr(dom, '.', dlen) == NULL || dom[0] == '.' || dom[dlen - 1] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (idv_isspace((unsigned char)p[i]) || p[i] == ',' || p[i] == '<' || p[i] == '>')
			return false;
	return true;
}

static bool
records_phone_ok(const char *p, size_t len)
{
	size_t digits = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (idv_isdigit((unsigned char)c))
			digits++;
		else if (c == '+' ? i != 0
				  : !(c == ' ' || c == '-' || c == '(' || c == ')' || c == '.'))
			return false;
	}
	return digits >= 10 && digits <= 15;
}

static bool
records_zip_ok(const char *p, size_t len)
{
	if (len != 5 && len != 9 && len != 10)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (len == 10 && i == 5) {
			if (p[i] != '-')
				return false;
		} else if (!idv_isdigit((unsigned char)p[i])) {
			return false;
		}
	}
	return true;
}

static bool
records_state_ok(const char *v, size_t len)
{
	for (size_t i = 0; i < IDV_ARRAY_LEN(records_states); i++)
		if (idv_str_ieq(v, len, records_states[i]))
			return true;
	return false;
}

enum idv_err
idv_record_check_row(const struct idv_record_row *row, int64_t today_days,
		     enum idv_record_col *bad_col, char *why, size_t whysz)
{
	for (int c = 0; c < IDV_COL__COUNT; c++) {
		const char *v = row->v[c];
		size_t len = v ? row->len[c] : 0;
		if (len > IDV_RECORD_VALUE_MAX)
			return records_fail(c, bad_col, why, whysz, "%s is longer than %d bytes",
					    idv_record_columns[c], IDV_RECORD_VALUE_MAX);
		if (len > 0 &&
		    (!idv_utf8_valid((const uint8_t *)v, len) || records_has_control(v, len)))
			return records_fail(
				c, bad_col, why, whysz,
				"%s is not valid UTF-8 text (or has control characters)",
				idv_record_columns[c]);
	}
	static const enum idv_record_col required[] = {IDV_COL_ID, IDV_COL_GIVEN_NAME,
						       IDV_COL_FAMILY_NAME};
	for (size_t i = 0; i < IDV_ARRAY_LEN(required); i++) {
		const char *v = row->v[required[i]];
		size_t len = v ? row->len[required[i]] : 0;
		idv_str_trim(&v, &len);
		if (len == 0)
			return records_fail(required[i], bad_col, why, whysz, "%s is required",
					    idv_record_columns[required[i]]);
	}
	const char *id = row->v[IDV_COL_ID];
	size_t idlen = row->len[IDV_COL_ID];
	if (idlen > IDV_RECORD_ID_MAX)
		return records_fail(IDV_COL_ID, bad_col, why, whysz, "id is longer than %d bytes",
				    IDV_RECORD_ID_MAX);
	for (size_t i = 0; i < idlen; i++) {
		char c = id[i];
		if (!idv_isalnum((unsigned char)c) && c != '-' && c != '_' && c != '.')
			return records_fail(IDV_COL_ID, bad_col, why, whysz,
					    "id may only hold letters, digits, '-', '_' and '.'");
	}
	const char *v;
	size_t len;
	v = row->v[IDV_COL_DATE_OF_BIRTH];
	len = v ? row->len[IDV_COL_DATE_OF_BIRTH] : 0;
	if (len > 0) {
		struct idv_date d;
		if (idv_date_parse(v, len, &d) != IDV_OK)
			return records_fail(IDV_COL_DATE_OF_BIRTH, bad_col, why, whysz,
					    "date_of_birth is not a valid date YYYY-MM-DD");
		if (d.year < 1900 || idv_date_to_days(&d) > today_days)
			return records_fail(IDV_COL_DATE_OF_BIRTH, bad_col, why, whysz,
					    "date_of_birth is before 1900 or in the future");
	}
	static const struct {
		enum idv_record_col col;
		bool (*ok)(const char *v, size_t len);
		const char *why;
	} formats[] = {
		{IDV_COL_EMAIL, records_email_ok, "email is not an e-mail address"},
		{IDV_COL_PHONE, records_phone_ok,
		 "phone must have 10 to 15 digits (E.164 or national)"},
		{IDV_COL_STATE, records_state_ok, "state must be a two-letter US state code"},
		{IDV_COL_POSTAL_CODE, records_zip_ok,
		 "postal_code must be a ZIP code (12345 or 12345-6789)"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(formats); i++) {
		v = row->v[formats[i].col];
		len = v ? row->len[formats[i].col] : 0;
		if (len > 0 && !formats[i].ok(v, len))
			return records_fail(formats[i].col, bad_col, why, whysz, "%s",
					    formats[i].why);
	}
	return IDV_OK;
}
