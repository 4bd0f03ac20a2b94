/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/lfront.h"

struct want {
	enum idv_field_id id;
	const char *value;
};

static void
check_text(const char *text, const struct want *want, size_t nwant)
{
	struct idv_text_line lines[48];
	size_t n = idv_lfront_lines(text, strlen(text), lines, 48);
	struct idv_document doc;
	idv_document_init(&doc);
	idv_lfront_parse(lines, n, &doc);
	for (size_t i = 0; i < nwant; i++) {
		const struct idv_field *f = &doc.fields[want[i].id];
		if (want[i].value == NULL) {
			if (f->present)
				fail_msg("%s: unexpected '%s'", idv_field_name(want[i].id), f->value);
			continue;
		}
		if (!f->present || strcmp(f->value, want[i].value) != 0)
			fail_msg("%s: want '%s', got '%s'", idv_field_name(want[i].id),
				 want[i].value, f->present ? f->value : "(none)");
		assert_int_equal(f->source, IDV_SRC_OCR);
	}
}

static void
test_lfront_words(void **state)
{
	(void)state;
	static const char text[] = "CALIFORNIA DRIVER LICENSE\n"
				   "DL I1234568\n"
				   "EXP 08/31/2029\n"
				   "LN SAMPLEFORD\n"
				   "FN ALEX LEE\n"
				   "2570 24TH STREET\n"
				   "a>\n"
				   "APT 4\n"
				   "|\n"
				   "SACRAMENTO, CA 95818-1234\n"
				   "DOB 08/31/1977\n"
				   "SEX F HGT 5'-05\"\n"
				   "ISS 08/31/2024\n";
	static const struct want want[] = {
		{IDV_F_FAMILY_NAME, "SAMPLEFORD"}, {IDV_F_GIVEN_NAMES, "ALEX LEE"},
		{IDV_F_DOCUMENT_NUMBER, "I1234568"}, {IDV_F_DATE_OF_BIRTH, "1977-08-31"},
		{IDV_F_EXPIRY_DATE, "2029-08-31"}, {IDV_F_ISSUE_DATE, "2024-08-31"},
		{IDV_F_STREET, "2570 24TH STREET"}, {IDV_F_UNIT, "APT 4"},
		{IDV_F_CITY, "SACRAMENTO"}, {IDV_F_STATE, "CA"}, {IDV_F_POSTAL_CODE, "95818-1234"},
		{IDV_F_SEX, "F"}, {IDV_F_ISSUING_AUTHORITY, "CA"},
	};
	check_text(text, want, IDV_ARRAY_LEN(want));
}

static void
test_lfront_numbers(void **state)
{
	(void)state;
	static const char text[] = "PENNSYLVANIA\n"
				   "4d DLN: 99 999 999\n"
				   "4b EXP: 01/07/2026\n"
				   "1 TESTWELL\n"
				   "2 JORDAN RAY\n"
				   "8 123 MAIN ST\n"
				   "HARRISBURG, PA 17101\n"
				   "3 DOB: 01/07/1973\n"
				   "15 SEX: M 16 HGT: 5'-10\"\n"
				   "4a ISS: 01/07/2022\n";
	static const struct want want[] = {
		{IDV_F_FAMILY_NAME, "TESTWELL"}, {IDV_F_GIVEN_NAMES, "JORDAN RAY"},
		{IDV_F_DOCUMENT_NUMBER, "99999999"}, {IDV_F_DATE_OF_BIRTH, "1973-01-07"},
		{IDV_F_EXPIRY_DATE, "2026-01-07"}, {IDV_F_ISSUE_DATE, "2022-01-07"},
		{IDV_F_STREET, "123 MAIN ST"}, {IDV_F_CITY, "HARRISBURG"}, {IDV_F_STATE, "PA"},
		{IDV_F_POSTAL_CODE, "17101"}, {IDV_F_SEX, "M"}, {IDV_F_ISSUING_AUTHORITY, "PA"},
		{IDV_F_UNIT, NULL},
	};
	check_text(text, want, IDV_ARRAY_LEN(want));
}

static void
test_lfront_ontario(void **state)
{
	(void)state;
	static const char text[] = "ONTARIO DRIVER'S LICENCE\n"
				   "4d NUMBER A1234-12345-12345\n"
				   "NAME DEMOSKI, CASEY JO\n"
				   "8 77 KING ST\n"
				   "TORONTO, ON MSV 2T6\n"
				   "4a ISS 2020/01/02\n"
				   "4b EXP 2025/03/04\n"
				   "DOB 1980/03/04 SEX F\n";
	static const struct want want[] = {
		{IDV_F_FAMILY_NAME, "DEMOSKI"}, {IDV_F_GIVEN_NAMES, "CASEY JO"},
		{IDV_F_DOCUMENT_NUMBER, "A1234-12345-12345"}, {IDV_F_DATE_OF_BIRTH, "1980-03-04"},
		{IDV_F_EXPIRY_DATE, "2025-03-04"}, {IDV_F_ISSUE_DATE, "2020-01-02"},
		{IDV_F_CITY, "TORONTO"}, {IDV_F_STATE, "ON"}, {IDV_F_POSTAL_CODE, "M5V 2T6"},
		{IDV_F_STREET, "77 KING ST"}, {IDV_F_ISSUING_AUTHORITY, "ON"},
	};
	check_text(text, want, IDV_ARRAY_LEN(want));
}

static void
test_lfront_garbled(void **state)
{
	(void)state;
	/* Labels lost to OCR: dates by order; no label, no name. */
	static const char text[] = "WEST VIRGINIA\n"
				   "D0B: 02/03/1990\n"
				   "E*P 02/03/2030\n"
				   "1SS 05/06/2022\n"
				   "2/30/2020\n"
				   "99/99/9999 13/13/2020\n";
	static const struct want want[] = {
		{IDV_F_DATE_OF_BIRTH, "1990-02-03"}, {IDV_F_EXPIRY_DATE, "2030-02-03"},
		{IDV_F_ISSUE_DATE, "2022-05-06"}, {IDV_F_FAMILY_NAME, NULL},
		{IDV_F_ISSUING_AUTHORITY, "WV"},
	};
	check_text(text, want, IDV_ARRAY_LEN(want));
}

static void
test_lfront_hostile(void **state)
{
	(void)state;
	/* Long, empty and odd lines must not crash or overflow. */
	struct idv_text_line lines[48];
	char big[4096];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (size_t i = 0; i < sizeof big - 1; i += 7)
		big[i] = i % 2 ? ' ' : '\n';
	size_t n = idv_lfront_lines(big, strlen(big), lines, 48);
	assert_true(n <= 48);
	struct idv_document doc;
	idv_document_init(&doc);
	idv_lfront_parse(lines, n, &doc);
	static const char weird[] = "LN\nFN ,\n1\n2 ,\nDL\nDL DL DL\n, CA 9\nCA 12345\nSEX\n";
	n = idv_lfront_lines(weird, strlen(weird), lines, 48);
	idv_document_init(&doc);
	idv_lfront_parse(lines, n, &doc);
	assert_false(doc.fields[IDV_F_FAMILY_NAME].present);
	assert_false(doc.fields[IDV_F_DOCUMENT_NUMBER].present);
	assert_true(idv_lfront_is_region("QC", 2));
	assert_false(idv_lfront_is_region("QQ", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lfront_words),
		cmocka_unit_test(test_lfront_numbers),
		cmocka_unit_test(test_lfront_ontario),
		cmocka_unit_test(test_lfront_garbled),
		cmocka_unit_test(test_lfront_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
