/* SPDX-License-Identifier: Apache-2.0 */
/* records.c: validation of one existing-customer record (see records.h). Reasons name the
 * column and the rule, never the value: import reports may end up in tickets and logs. */
#include <stdarg.h>

#include "idverify/records.h"
#include "idverify/str.h"

const char *const idv_rec_col_names[IDV_REC__COUNT] = {
	"id", "given_name", "middle_name", "family_name", "suffix", "date_of_birth", "email",
	"phone", "street", "unit", "city", "state", "postal_code",
};

static const char *const records_states[] = {
	"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
	"IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
	"NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
	"VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP",
};

static enum idv_err __attribute__((format(printf, 5, 6)))
records_fail(enum idv_rec_col col, enum idv_rec_col *bad_col, char *why, size_t whysz,
	     const char *fmt, ...)
{
	*bad_col = col;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(why, whysz, fmt, ap);
	va_end(ap);
	if (n < 0 && whysz > 0)
		why[0] = '\0';
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
		else if (c == '+' ? i != 0 : !(c == ' ' || c == '-' || c == '(' || c == ')' || c == '.'))
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

enum idv_err
idv_rec_validate(const struct idv_rec_row *row, int64_t today_days, enum idv_rec_col *bad_col,
		 char *why, size_t whysz)
{
	for (int c = 0; c < IDV_REC__COUNT; c++) {
		const char *v = row->v[c];
		size_t len = v ? row->len[c] : 0;
		if (len > IDV_REC_VALUE_MAX)
			return records_fail(c, bad_col, why, whysz, "%s is longer than %d bytes",
					    idv_rec_col_names[c], IDV_REC_VALUE_MAX);
		if (len > 0 && (!idv_utf8_valid((const uint8_t *)v, len) ||
				records_has_control(v, len)))
			return records_fail(c, bad_col, why, whysz,
					    "%s is not valid UTF-8 text (or has control characters)",
					    idv_rec_col_names[c]);
	}
	static const enum idv_rec_col required[] = {IDV_REC_ID, IDV_REC_GIVEN_NAME,
						    IDV_REC_FAMILY_NAME};
	for (size_t i = 0; i < IDV_ARRAY_LEN(required); i++) {
		const char *v = row->v[required[i]];
		size_t len = v ? row->len[required[i]] : 0;
		idv_str_trim(&v, &len);
		if (len == 0)
			return records_fail(required[i], bad_col, why, whysz, "%s is required",
					    idv_rec_col_names[required[i]]);
	}
	const char *id = row->v[IDV_REC_ID];
	size_t idlen = row->len[IDV_REC_ID];
	if (idlen > IDV_REC_ID_MAX)
		return records_fail(IDV_REC_ID, bad_col, why, whysz, "id is longer than %d bytes",
				    IDV_REC_ID_MAX);
	for (size_t i = 0; i < idlen; i++) {
		char c = id[i];
		if (!idv_isalnum((unsigned char)c) && c != '-' && c != '_' && c != '.')
			return records_fail(IDV_REC_ID, bad_col, why, whysz,
					    "id may only hold letters, digits, '-', '_' and '.'");
	}
	const char *v;
	size_t len;
	v = row->v[IDV_REC_DATE_OF_BIRTH];
	len = v ? row->len[IDV_REC_DATE_OF_BIRTH] : 0;
	if (len > 0) {
		struct idv_date d;
		if (idv_date_parse(v, len, &d) != IDV_OK)
			return records_fail(IDV_REC_DATE_OF_BIRTH, bad_col, why, whysz,
					    "date_of_birth is not a valid date YYYY-MM-DD");
		if (d.year < 1900 || idv_date_to_days(&d) > today_days)
			return records_fail(IDV_REC_DATE_OF_BIRTH, bad_col, why, whysz,
					    "date_of_birth is before 1900 or in the future");
	}
	v = row->v[IDV_REC_EMAIL];
	len = v ? row->len[IDV_REC_EMAIL] : 0;
	if (len > 0 && !records_email_ok(v, len))
		return records_fail(IDV_REC_EMAIL, bad_col, why, whysz,
				    "email is not an e-mail address");
	v = row->v[IDV_REC_PHONE];
	len = v ? row->len[IDV_REC_PHONE] : 0;
	if (len > 0 && !records_phone_ok(v, len))
		return records_fail(IDV_REC_PHONE, bad_col, why, whysz,
				    "phone must have 10 to 15 digits (E.164 or national)");
	v = row->v[IDV_REC_STATE];
	len = v ? row->len[IDV_REC_STATE] : 0;
	if (len > 0) {
		bool ok = false;
		for (size_t i = 0; i < IDV_ARRAY_LEN(records_states) && !ok; i++)
			ok = idv_str_ieq(v, len, records_states[i]);
		if (!ok)
			return records_fail(IDV_REC_STATE, bad_col, why, whysz,
					    "state must be a two-letter US state code");
	}
	v = row->v[IDV_REC_POSTAL_CODE];
	len = v ? row->len[IDV_REC_POSTAL_CODE] : 0;
	if (len > 0 && !records_zip_ok(v, len))
		return records_fail(IDV_REC_POSTAL_CODE, bad_col, why, whysz,
				    "postal_code must be a ZIP code (12345 or 12345-6789)");
	return IDV_OK;
}
