/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aamva_interim.c: TEMPORARY stand-in for the aamva module (being written on the aamva branch)
 * so that the licence pipeline can be tested before that branch is merged. When merging, drop
 * this file and build extract_aamva.c instead (service/io/meson.build). It implements only
 * what the tests of the generated samples need: header IIN, DL/ID subfile, the common elements.
 */
#include "idverify/str.h"
#include "extract_aamva.h"

static const char *
interim_find(const uint8_t *p, size_t len, const char *id, size_t *vlen)
{
	/* An element starts after LF, CR, or the subfile type "DL"/"ID"; ends at LF or CR. */
	for (size_t i = 0; i + 3 <= len; i++) {
		if (memcmp(p + i, id, 3) != 0)
			continue;
		bool start = i > 0 && (p[i - 1] == '\n' || p[i - 1] == '\r' ||
				       (i >= 2 && (memcmp(p + i - 2, "DL", 2) == 0 ||
						   memcmp(p + i - 2, "ID", 2) == 0)));
		if (!start)
			continue;
		size_t j = i + 3;
		while (j < len && p[j] != '\n' && p[j] != '\r')
			j++;
		*vlen = j - i - 3;
		return (const char *)p + i + 3;
	}
	return NULL;
}

static void
interim_set(struct idv_document *doc, enum idv_field_id f, const uint8_t *p, size_t len,
	    const char *id)
{
	size_t vl;
	const char *v = interim_find(p, len, id, &vl);
	if (v == NULL)
		return;
	idv_str_trim(&v, &vl);
	if (vl > 0)
		idv_document_set(doc, f, v, vl, IDV_SRC_PDF417, 0.99f, NULL);
}

static void
interim_date(struct idv_document *doc, enum idv_field_id f, const uint8_t *p, size_t len,
	     const char *id, bool canada)
{
	size_t vl;
	const char *v = interim_find(p, len, id, &vl);
	uint64_t n;
	if (v == NULL || vl != 8 || idv_parse_u64(v, 8, 99999999, &n) != IDV_OK)
		return;
	struct idv_date d;
	if (canada)
		d.year = (int)(n / 10000), d.month = (int)(n / 100 % 100), d.day = (int)(n % 100);
	else
		d.month = (int)(n / 1000000), d.day = (int)(n / 10000 % 100), d.year = (int)(n % 10000);
	if (!idv_date_valid(d.year, d.month, d.day))
		return;
	char s[11];
	idv_date_format(&d, s);
	idv_document_set(doc, f, s, 10, IDV_SRC_PDF417, 0.99f, NULL);
}

enum idv_err
idv_extract_aamva(const uint8_t *p, size_t len, int64_t today_days, struct idv_document *doc)
{
	size_t at = 0;
	while (at < len && p[at] != '@')
		at++;
	if (len - at < 21 || memcmp(p + at + 4, "ANSI ", 5) != 0)
		return IDV_E_PARSE;
	bool canada = memcmp(p + at + 9, "636028", 6) == 0 || memcmp(p + at + 9, "636012", 6) == 0 ||
		      memcmp(p + at + 9, "604", 3) == 0;
	doc->kind = interim_find(p, len, "DAQ", &(size_t){0}) != NULL ? IDV_DOC_DRIVERS_LICENSE
									 : IDV_DOC_UNKNOWN;
	interim_set(doc, IDV_F_FAMILY_NAME, p, len, "DCS");
	interim_set(doc, IDV_F_GIVEN_NAMES, p, len, "DAC");
	const char *dct = interim_find(p, len, "DCT", &(size_t){0});
	if (!doc->fields[IDV_F_GIVEN_NAMES].present && dct != NULL) {
		size_t dl;
		dct = interim_find(p, len, "DCT", &dl);
		char g[IDV_FIELD_VALUE_MAX];
		size_t n = 0;
		for (size_t i = 0; i < dl && n + 1 < sizeof g; i++)
			g[n++] = dct[i] == ',' ? ' ' : dct[i];
		idv_document_set(doc, IDV_F_GIVEN_NAMES, g, n, IDV_SRC_PDF417, 0.99f, NULL);
	}
	size_t vl;
	const char *mid = interim_find(p, len, "DAD", &vl);
	if (mid != NULL && doc->fields[IDV_F_GIVEN_NAMES].present) {
		idv_str_trim(&mid, &vl);
		if (vl == 4 && memcmp(mid, "NONE", 4) == 0)
			vl = 0;
		char g[IDV_FIELD_VALUE_MAX];
		int n = snprintf(g, sizeof g, "%s %.*s", doc->fields[IDV_F_GIVEN_NAMES].value,
				 (int)vl, mid);
		if (vl > 0 && n > 0 && (size_t)n < sizeof g) {
			doc->fields[IDV_F_GIVEN_NAMES].present = false;
			idv_document_set(doc, IDV_F_GIVEN_NAMES, g, (size_t)n, IDV_SRC_PDF417, 0.99f,
					 NULL);
		}
	}
	interim_set(doc, IDV_F_DOCUMENT_NUMBER, p, len, "DAQ");
	interim_set(doc, IDV_F_STREET, p, len, "DAG");
	interim_set(doc, IDV_F_UNIT, p, len, "DAH");
	interim_set(doc, IDV_F_CITY, p, len, "DAI");
	interim_set(doc, IDV_F_STATE, p, len, "DAJ");
	interim_set(doc, IDV_F_ISSUING_AUTHORITY, p, len, "DAJ");
	interim_set(doc, IDV_F_POSTAL_CODE, p, len, "DAK");
	const char *sex = interim_find(p, len, "DBC", &vl);
	if (sex != NULL && vl >= 1)
		idv_document_set(doc, IDV_F_SEX, sex[0] == '1' ? "M" : sex[0] == '2' ? "F" : "X", 1,
				 IDV_SRC_PDF417, 0.99f, NULL);
	interim_date(doc, IDV_F_DATE_OF_BIRTH, p, len, "DBB", canada);
	interim_date(doc, IDV_F_EXPIRY_DATE, p, len, "DBA", canada);
	interim_date(doc, IDV_F_ISSUE_DATE, p, len, "DBD", canada);
	idv_document_check(doc, "aamva_header", IDV_CHECK_PASS, "interim parser: header found");
	(void)today_days;
	return IDV_OK;
}
