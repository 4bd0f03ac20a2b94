/* SPDX-License-Identifier: Apache-2.0 */
/* test_document.c: a document reading (document.h): names, fields, checks, and the masking of
 * document numbers for presentation. */
#include "unit.h"

#include <stdio.h>

#include "idverify/document.h"

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(idv_doc_kind_name(IDV_DOC_PASSPORT), "passport");
	assert_string_equal(idv_doc_kind_name(IDV_DOC_DRIVERS_LICENSE), "drivers_license");
	assert_string_equal(idv_doc_status_name(IDV_DOCSTAT_REJECTED), "rejected");
	assert_string_equal(idv_source_name(IDV_SRC_PDF417), "pdf417");
	assert_string_equal(idv_check_result_name(IDV_CHECK_NA), "not_applicable");
	assert_string_equal(idv_residence_kind_name(IDV_RES_UTILITY_BILL), "utility_bill");
	/* Every field name looks up to itself; unknown names give IDV_F__COUNT. */
	for (int f = 0; f < IDV_F__COUNT; f++) {
		const char *n = idv_field_name((enum idv_field_id)f);
		assert_non_null(n);
		assert_int_equal(idv_field_lookup(n, strlen(n)), f);
	}
	assert_int_equal(idv_field_lookup("family", 6), IDV_F__COUNT);
	assert_int_equal(idv_field_lookup("family_name", 6), IDV_F__COUNT); /* a prefix is not it */
	assert_non_null(idv_doc_kind_name((enum idv_doc_kind)99));
	assert_non_null(idv_field_name((enum idv_field_id)99));
}

static void
test_set_keeps_the_most_confident(void **state)
{
	(void)state;
	struct idv_document d;
	idv_document_init(&d);
	assert_int_equal(d.status, IDV_DOCSTAT_OK);
	assert_int_equal(d.kind, IDV_DOC_UNKNOWN);
	struct idv_box box = {1, 2, 3, 4};
	idv_document_set(&d, IDV_F_FAMILY_NAME, "SMITHXX", 5, IDV_SRC_OCR, 0.5f, &box);
	const struct idv_field *f = &d.fields[IDV_F_FAMILY_NAME];
	assert_true(f->present);
	assert_string_equal(f->value, "SMITH"); /* len, not the NUL, bounds the copy */
	assert_int_equal(f->box.w, 3);
	idv_document_set(&d, IDV_F_FAMILY_NAME, "SMYTH", 5, IDV_SRC_OCR, 0.4f, NULL);
	assert_string_equal(f->value, "SMITH"); /* less confident: ignored */
	idv_document_set(&d, IDV_F_FAMILY_NAME, "SMITH", 5, IDV_SRC_PDF417, 0.99f, NULL);
	assert_int_equal(f->source, IDV_SRC_PDF417);
	assert_int_equal(f->box.w, 0); /* no box given: cleared */
	/* Over-long values are truncated to the field's room, always terminated. */
	char longv[400];
	memset(longv, 'A', sizeof longv);
	idv_document_set(&d, IDV_F_STREET, longv, sizeof longv, IDV_SRC_OCR, 0.9f, NULL);
	assert_int_equal(strlen(d.fields[IDV_F_STREET].value), IDV_FIELD_VALUE_MAX - 1);
}

static void
test_checks(void **state)
{
	(void)state;
	struct idv_document d;
	idv_document_init(&d);
	assert_null(idv_document_find_check(&d, "expired"));
	idv_document_check(&d, "expired", IDV_CHECK_PASS, "until %d", 2030);
	idv_document_check(&d, "aamva_header", IDV_CHECK_FAIL, "version %s", "99");
	idv_document_check(&d, "expired", IDV_CHECK_FAIL, "since %d", 2020); /* replaces */
	assert_int_equal(d.nchecks, 2);
	const struct idv_check *c = idv_document_find_check(&d, "expired");
	assert_non_null(c);
	assert_int_equal(c->result, IDV_CHECK_FAIL);
	assert_string_equal(c->detail, "since 2020");
	/* The list has a ceiling: checks past it are dropped, never written out of bounds. */
	for (int i = 0; i < IDV_DOC_MAX_CHECKS + 4; i++) {
		char name[16];
		snprintf(name, sizeof name, "c%d", i);
		idv_document_check(&d, name, IDV_CHECK_PASS, "%s", "x");
	}
	assert_int_equal(d.nchecks, IDV_DOC_MAX_CHECKS);
	assert_null(idv_document_find_check(&d, "c19"));
}

/* Document numbers are never shown in full: all but the last four characters are masked. */
static void
test_mask_number(void **state)
{
	(void)state;
	char out[32];
	idv_mask_number("D1234567", out, sizeof out);
	assert_string_equal(out, "****4567");
	idv_mask_number("12345", out, sizeof out);
	assert_string_equal(out, "*2345");
	idv_mask_number("1234", out, sizeof out); /* four or fewer: nothing shown */
	assert_string_equal(out, "****");
	idv_mask_number("A", out, sizeof out);
	assert_string_equal(out, "*");
	idv_mask_number("", out, sizeof out);
	assert_string_equal(out, "");
	/* A short buffer truncates; the value is still never shown in full. */
	const char *num = "X98765432";
	char small[6];
	idv_mask_number(num, small, sizeof small);
	assert_int_equal(strlen(small), 5);
	size_t shown = 0;
	for (size_t i = 0; i < strlen(small); i++)
		shown += small[i] != '*';
	assert_true(shown <= 4);
	assert_null(strstr(small, num));
	char one[1] = {'x'};
	idv_mask_number(num, one, sizeof one);
	assert_int_equal(one[0], '\0');
	out[0] = 'x';
	idv_mask_number(num, out, 0); /* no room: untouched */
	assert_int_equal(out[0], 'x');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_set_keeps_the_most_confident),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_mask_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
