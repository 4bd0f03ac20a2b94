/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_platform.c: the platforms' words for a case's state (platform.h). The words follow
 * ethyca/fides (src/fides/common/urn_registry.py: pre-approve/eligible and /not-eligible) and
 * ketch-com/ketch-forwarder (api/dsr/v1/Status.md, openapi/components/schemas/
 * DSRRequestStatusReason.yaml).
 */
#include "unit.h"

#include <string.h>

#include "idverify/platform.h"

static enum idv_platform_outcome
of(const char *status, bool closed, const char *response, const char *basis)
{
	struct idv_drp_case_state c = {status, closed, response, basis, false, false};
	return idv_platform_outcome_of(&c);
}

static void
test_outcomes(void **state)
{
	(void)state;
	assert_int_equal(of("awaiting_evidence", false, NULL, NULL), IDV_PO_WAITING);
	assert_int_equal(of("processing", false, NULL, NULL), IDV_PO_PROCESSING);
	assert_int_equal(of("manual_review", false, NULL, NULL), IDV_PO_REVIEW); /* a person decides */
	assert_int_equal(of("verified", false, NULL, NULL), IDV_PO_VERIFIED);
	assert_int_equal(of("no_verification_needed", false, NULL, NULL), IDV_PO_VERIFIED);
	assert_int_equal(of("not_verified", false, NULL, NULL), IDV_PO_NOT_VERIFIED);
	assert_int_equal(of("refused", false, NULL, NULL), IDV_PO_NOT_VERIFIED);
	assert_int_equal(of("closed", true, "fulfilled", NULL), IDV_PO_VERIFIED);
	assert_int_equal(of("closed", true, "withdrawn", NULL), IDV_PO_WITHDRAWN);
	assert_int_equal(of("closed", true, "denied", "abandoned"), IDV_PO_NOT_VERIFIED);
	assert_int_equal(of("closed", true, "denied", "no_personal_information"), IDV_PO_NO_MATCH);
	assert_int_equal(of("closed", true, "denied", "exempt"), IDV_PO_OTHER_DENIAL);
	struct idv_drp_case_state rev = {"verified", false, NULL, NULL, true, false};
	assert_int_equal(idv_platform_outcome_of(&rev), IDV_PO_WITHDRAWN);
}

static void
test_fides_words(void **state)
{
	(void)state;
	assert_null(idv_platform_fides_word(IDV_PO_WAITING));
	assert_null(idv_platform_fides_word(IDV_PO_PROCESSING));
	assert_string_equal(idv_platform_fides_word(IDV_PO_VERIFIED), "eligible");
	/* everything that is not verified goes to the platform's own manual review */
	assert_string_equal(idv_platform_fides_word(IDV_PO_NOT_VERIFIED), "not-eligible");
	assert_string_equal(idv_platform_fides_word(IDV_PO_NO_MATCH), "not-eligible");
	assert_string_equal(idv_platform_fides_word(IDV_PO_WITHDRAWN), "not-eligible");
}

static void
test_ketch_words(void **state)
{
	(void)state;
	static const struct {
		enum idv_platform_outcome o;
		const char *status, *reason;
	} v[] = {
		{IDV_PO_WAITING, "pending", "need_user_verification"},
		{IDV_PO_PROCESSING, "in_progress", NULL},
		{IDV_PO_VERIFIED, "completed", "requested"},
		{IDV_PO_NOT_VERIFIED, "completed", "insufficient_verification"},
		{IDV_PO_NO_MATCH, "completed", "no_match"},
		{IDV_PO_WITHDRAWN, "completed", "other"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(v); i++) {
		const char *status, *reason;
		idv_platform_ketch_status(v[i].o, &status, &reason);
		assert_string_equal(status, v[i].status);
		if (v[i].reason == NULL)
			assert_null(reason);
		else
			assert_string_equal(reason, v[i].reason);
		assert_int_equal(idv_platform_outcome_final(v[i].o),
				 strcmp(v[i].status, "completed") == 0);
	}
}

static void
test_transcend_words(void **state)
{
	(void)state;
	assert_null(idv_platform_transcend_word(IDV_PO_WAITING));
	assert_string_equal(idv_platform_transcend_word(IDV_PO_VERIFIED), "ENRICHED");
	assert_string_equal(idv_platform_transcend_word(IDV_PO_NOT_VERIFIED), "CANCELED");
	/* a person decides: on hold, not final, and Fides and Ketch hear nothing new */
	assert_string_equal(idv_platform_transcend_word(IDV_PO_REVIEW), "ON_HOLD");
	assert_false(idv_platform_outcome_final(IDV_PO_REVIEW));
	assert_null(idv_platform_fides_word(IDV_PO_REVIEW));
	const char *st, *why;
	idv_platform_ketch_status(IDV_PO_REVIEW, &st, &why);
	assert_string_equal(st, "in_progress");
	assert_null(why);
	struct idv_drp_case_state c = {"manual_review", false, "", "", false, false};
	assert_int_equal(idv_platform_outcome_of(&c), IDV_PO_REVIEW);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_fides_words),
		cmocka_unit_test(test_ketch_words),
		cmocka_unit_test(test_transcend_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
