/* SPDX-License-Identifier: Apache-2.0 */
/* test_reason.c: the comparators' reason names (reason.h) are complete, unique and stable. */
#include "unit.h"

#include "idverify/reason.h"

static void
test_names(void **state)
{
	(void)state;
	for (int r = 0; r < IDV_R__COUNT; r++) {
		const char *n = idv_reason_name((enum idv_reason)r);
		assert_non_null(n);
		assert_string_not_equal(n, "unknown");
		assert_true(strlen(n) > 0);
		for (const char *p = n; *p != '\0'; p++) /* names are snake_case identifiers */
			assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
		for (int k = 0; k < r; k++)
			assert_string_not_equal(n, idv_reason_name((enum idv_reason)k));
	}
	/* Names appear in stored decisions: a few anchors that must never move. */
	assert_string_equal(idv_reason_name(IDV_R_EXACT), "exact");
	assert_string_equal(idv_reason_name(IDV_R_MISMATCH), "mismatch");
	assert_string_equal(idv_reason_name(IDV_R_TRANSLITERATION), "transliteration");
	assert_string_equal(idv_reason_name(IDV_R_DAY_MONTH_SWAP), "day_month_swap");
	assert_string_equal(idv_reason_name(IDV_R_EMAIL_PLUS_TAG), "email_plus_tag");
	assert_string_equal(idv_reason_name(IDV_R_PO_BOX_VS_STREET), "po_box_vs_street");
	assert_string_equal(idv_reason_name(IDV_R__COUNT), "unknown");
	assert_string_equal(idv_reason_name((enum idv_reason)-1), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
