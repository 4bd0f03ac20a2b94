/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/docmerge.h"

static void
set(struct idv_document *d, enum idv_field_id id, const char *v, enum idv_source src, float c)
{
	idv_document_set(d, id, v, strlen(v), src, c, NULL);
}

static void
test_merge_agree_and_differ(void **state)
{
	(void)state;
	struct idv_document back, front, out;
	idv_document_init(&back);
	idv_document_init(&front);
	back.kind = IDV_DOC_DRIVERS_LICENSE;
	set(&back, IDV_F_FAMILY_NAME, "SAMPLEFORD", IDV_SRC_PDF417, 0.99f);
	set(&back, IDV_F_GIVEN_NAMES, "ALEX LEE", IDV_SRC_PDF417, 0.99f);
	set(&back, IDV_F_DATE_OF_BIRTH, "1977-08-31", IDV_SRC_PDF417, 0.99f);
	set(&back, IDV_F_DOCUMENT_NUMBER, "I1234568", IDV_SRC_PDF417, 0.99f);
	idv_document_check(&back, "aamva_header", IDV_CHECK_PASS, "ok");
	set(&front, IDV_F_FAMILY_NAME, "SAMPLEF0RD", IDV_SRC_OCR, 0.999f); /* one OCR error */
	set(&front, IDV_F_GIVEN_NAMES, "ALEX", IDV_SRC_OCR, 0.9f);
	set(&front, IDV_F_DATE_OF_BIRTH, "1977-08-31", IDV_SRC_OCR, 0.9f);
	set(&front, IDV_F_DOCUMENT_NUMBER, "11234568", IDV_SRC_OCR, 0.9f); /* I read as 1 */
	set(&front, IDV_F_STREET, "1 MAIN ST", IDV_SRC_OCR, 0.9f);
	idv_document_merge(&back, &front, &out);
	assert_string_equal(out.fields[IDV_F_FAMILY_NAME].value, "SAMPLEFORD");
	assert_int_equal(out.fields[IDV_F_FAMILY_NAME].source, IDV_SRC_PDF417);
	assert_int_equal(out.fields[IDV_F_STREET].source, IDV_SRC_OCR);
	assert_int_equal(out.kind, IDV_DOC_DRIVERS_LICENSE);
	const struct idv_check *c = idv_document_find_check(&out, "barcode_matches_printed");
	assert_non_null(c);
	assert_int_equal(c->result, IDV_CHECK_PASS);
	assert_non_null(idv_document_find_check(&out, "aamva_header"));

	set(&front, IDV_F_DATE_OF_BIRTH, "1977-09-30", IDV_SRC_OCR, 0.95f);
	idv_document_merge(&front, &back, &out);
	c = idv_document_find_check(&out, "barcode_matches_printed");
	assert_int_equal(c->result, IDV_CHECK_FAIL);
	assert_non_null(strstr(c->detail, "date_of_birth"));
	assert_null(strstr(c->detail, "1977")); /* never values */
}

static void
test_merge_nothing_to_compare(void **state)
{
	(void)state;
	struct idv_document a, b, out;
	idv_document_init(&a);
	idv_document_init(&b);
	b.status = IDV_DOCSTAT_UNREADABLE;
	set(&a, IDV_F_CITY, "ALBANY", IDV_SRC_OCR, 0.5f);
	idv_document_merge(&b, &a, &out);
	assert_int_equal(out.status, IDV_DOCSTAT_OK);
	assert_null(idv_document_find_check(&out, "barcode_matches_printed"));
	assert_string_equal(out.fields[IDV_F_CITY].value, "ALBANY");
}

static void
test_values_agree(void **state)
{
	(void)state;
	static const struct {
		enum idv_field_id id;
		const char *a, *b;
		bool agree;
	} cases[] = {
		{IDV_F_FAMILY_NAME, "O'NEIL", "ONEIL", true},
		{IDV_F_FAMILY_NAME, "SMITH", "SMYTH", false}, /* too short for a tolerated error */
		{IDV_F_FAMILY_NAME, "MOCKRIDGE", "MOCKRIDGF", true},
		{IDV_F_FAMILY_NAME, "MOCKRIDGE", "MOCKRXDGF", false},
		{IDV_F_GIVEN_NAMES, "ALEX LEE", "ALEX", true},
		{IDV_F_GIVEN_NAMES, "ALEX", "ALEXANDRA", false},
		{IDV_F_DOCUMENT_NUMBER, "99 999 999", "99999999", true},
		{IDV_F_DOCUMENT_NUMBER, "A1234-5", "A12345", true},
		{IDV_F_DOCUMENT_NUMBER, "12345", "12346", false},
		{IDV_F_DATE_OF_BIRTH, "1980-01-01", "1980-01-02", false},
		{IDV_F_DATE_OF_BIRTH, "", "", false},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++)
		if (idv_field_values_agree(cases[i].id, cases[i].a, cases[i].b) != cases[i].agree)
			fail_msg("case %zu: %s vs %s", i, cases[i].a, cases[i].b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_agree_and_differ),
		cmocka_unit_test(test_merge_nothing_to_compare),
		cmocka_unit_test(test_values_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
