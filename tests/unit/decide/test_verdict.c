/* SPDX-License-Identifier: Apache-2.0 */
/* test_verdict.c: a person decides, and at most two access answers per consumer in 12 months
 * (R38) (verdict.h). The clock is a parameter. */
#include "unit.h"

#include "idverify/verdict.h"

#define T0 1800000000 /* any fixed instant */

static void
verified(struct idv_decision *d)
{
	memset(d, 0, sizeof *d);
	d->outcome = IDV_OUT_VERIFIED;
	d->level = IDV_LEVEL_STANDARD;
	d->has_record = true;
	idv_strlcpy(d->record_id, "r1", sizeof d->record_id);
}

static void
test_person_decides(void **state)
{
	(void)state;
	static const struct {
		enum idv_person why;
		const char *code;
		const char *in_detail;
	} cases[] = {
		{IDV_PERSON_POWER_OF_ATTORNEY, "power_of_attorney", "Probate Code 4121-4130"},
		{IDV_PERSON_PARENT_OR_GUARDIAN, "parent_or_guardian", "proof of the relationship"},
		{IDV_PERSON_TOO_MANY_CANDIDATES, "too_many_candidates", "candidate records"},
		{IDV_PERSON_TOO_MANY_ATTEMPTS_NAME, "too_many_attempts", "gave this name"},
		{IDV_PERSON_TOO_MANY_ATTEMPTS_RECORD, "too_many_attempts", "closest to this record"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		struct idv_decision d;
		verified(&d);
		idv_verdict_person(&d, cases[i].why);
		assert_int_equal(d.outcome, IDV_OUT_MANUAL_REVIEW);
		assert_int_equal(d.nreasons, 1);
		assert_string_equal(d.reasons[0].code, cases[i].code);
		assert_string_equal(idv_person_code(cases[i].why), cases[i].code);
		assert_non_null(strstr(d.reasons[0].detail, cases[i].in_detail));
		/* The engine's findings stay for the reviewer. */
		assert_true(d.has_record);
		assert_string_equal(d.record_id, "r1");
	}
	struct idv_decision d;
	verified(&d);
	idv_verdict_person(&d, IDV_PERSON__COUNT);
	assert_int_equal(d.outcome, IDV_OUT_VERIFIED);
	assert_int_equal(d.nreasons, 0);
	assert_string_equal(idv_person_code(IDV_PERSON__COUNT), "unknown");
	/* A full reason list is never overrun; the outcome still changes. */
	verified(&d);
	d.nreasons = IDV_DECISION_MAX_REASONS;
	idv_verdict_person(&d, IDV_PERSON_POWER_OF_ATTORNEY);
	assert_int_equal(d.outcome, IDV_OUT_MANUAL_REVIEW);
	assert_int_equal(d.nreasons, IDV_DECISION_MAX_REASONS);
}

static void
test_access_counts(void **state)
{
	(void)state;
	struct idv_decision d;
	verified(&d);
	assert_true(idv_access_counts(IDV_REQ_KNOW_CATEGORIES, &d));
	assert_true(idv_access_counts(IDV_REQ_KNOW_SPECIFIC, &d));
	assert_false(idv_access_counts(IDV_REQ_DELETE, &d));
	assert_false(idv_access_counts(IDV_REQ_CORRECT, &d));
	assert_false(idv_access_counts(IDV_REQ_OPT_OUT, &d));
	assert_false(idv_access_counts(IDV_REQ__COUNT, &d));
	d.outcome = IDV_OUT_MANUAL_REVIEW; /* only an answer given counts */
	assert_false(idv_access_counts(IDV_REQ_KNOW_CATEGORIES, &d));
	verified(&d);
	d.has_record = false; /* nobody to count it against */
	assert_false(idv_access_counts(IDV_REQ_KNOW_CATEGORIES, &d));
}

static void
test_access_limit(void **state)
{
	(void)state;
	assert_int_equal(idv_access_window_start(T0), T0 - 365 * 86400);
	struct idv_decision d;
	for (int64_t n = -1; n < IDV_ACCESS_MAX_ANSWERS; n++) {
		verified(&d);
		assert_false(idv_access_limit_reached(&d, n));
		assert_int_equal(d.nreasons, 0);
	}
	for (int64_t n = IDV_ACCESS_MAX_ANSWERS; n < 5; n++) {
		verified(&d);
		assert_true(idv_access_limit_reached(&d, n)); /* a third answer is not owed */
		assert_int_equal(d.nreasons, 1);
		assert_string_equal(d.reasons[0].code, "access_limit_reached");
		assert_non_null(strstr(d.reasons[0].detail, "1798.130(b)"));
		assert_int_equal(d.outcome, IDV_OUT_VERIFIED); /* the caller refuses */
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_person_decides),
		cmocka_unit_test(test_access_counts),
		cmocka_unit_test(test_access_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
