/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/deadline.h"

static struct idv_date
D(const char *s)
{
	struct idv_date d;
	assert_int_equal(idv_date_parse(s, strlen(s), &d), IDV_OK);
	return d;
}

static void
assert_date(const struct idv_date *d, const char *want)
{
	char s[11];
	idv_date_format(d, s);
	assert_string_equal(s, want);
}

static void
test_holidays(void **state)
{
	(void)state;
	static const char *const holidays[] = {
		"2026-01-01", "2026-01-19", "2026-02-12", "2026-02-16", "2026-03-31",
		"2026-05-25", "2026-07-04", "2026-09-07", "2026-09-25", "2026-11-11",
		"2026-11-26", "2026-11-27", "2026-12-25",
		"2023-01-02", /* Jan 1 2023 was a Sunday: observed Monday */
		"2022-12-26", /* Christmas 2022 on a Sunday */
		"2028-01-17", "2027-11-25", "2027-11-26", "2030-05-27",
	};
	static const char *const ordinary[] = {
		"2026-01-02", "2026-01-12", "2026-07-03", "2026-11-12", "2026-11-28",
		"2023-01-03", "2026-12-24", "2026-09-18", "2026-10-12",
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(holidays); i++) {
		struct idv_date d = D(holidays[i]);
		if (!idv_deadline_is_holiday(&d))
			fail_msg("%s should be a holiday", holidays[i]);
	}
	for (size_t i = 0; i < IDV_ARRAY_LEN(ordinary); i++) {
		struct idv_date d = D(ordinary[i]);
		if (idv_deadline_is_holiday(&d))
			fail_msg("%s should not be a holiday", ordinary[i]);
	}
}

static void
test_due_dates(void **state)
{
	(void)state;
	static const struct {
		const char *received;
		int days;
		const char *ack, *respond;
	} cases[] = {
		/* A plain fortnight: Monday + 10 business days = Monday two weeks later. */
		{"2026-03-02", 0, "2026-03-16", "2026-04-16"},
		/* Received on a Saturday: counting starts Monday. */
		{"2026-03-07", 0, "2026-03-20", "2026-04-21"},
		/* Over Veterans Day; then over Thanksgiving (Thursday and Friday off). */
		{"2026-11-09", 0, "2026-11-24", "2026-12-24"},
		{"2026-11-18", 0, "2026-12-04", "2027-01-02"},
		/* Across the year boundary: Christmas, New Year's Day and MLK Day. */
		{"2026-12-22", 0, "2027-01-07", "2027-02-05"},
		{"2027-01-08", 0, "2027-01-25", "2027-02-22"},
		/* Leap year February. */
		{"2028-02-01", 0, "2028-02-15", "2028-03-17"}, /* Feb 12 2028 is a Saturday */
		/* A business that promises 30 days. */
		{"2026-03-02", 30, "2026-03-16", "2026-04-01"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		struct idv_date r = D(cases[i].received);
		struct idv_deadlines dl;
		assert_int_equal(idv_deadline_compute(&r, cases[i].days, &dl), IDV_OK);
		assert_date(&dl.acknowledge_by, cases[i].ack);
		assert_date(&dl.respond_by, cases[i].respond);
	}
	struct idv_date r = D("2026-03-02");
	struct idv_deadlines dl;
	assert_int_equal(idv_deadline_compute(&r, 46, &dl), IDV_E_INVAL);
	assert_int_equal(idv_deadline_compute(&r, -1, &dl), IDV_E_INVAL);
}

static void
test_extension(void **state)
{
	(void)state;
	struct idv_date r = D("2026-03-02"), out;
	struct idv_deadlines dl;
	assert_int_equal(idv_deadline_compute(&r, 0, &dl), IDV_OK); /* due 2026-04-16 */
	struct idv_date today = D("2026-04-10");
	struct idv_date to90 = D("2026-05-31"), to91 = D("2026-06-01"), same = D("2026-04-16");
	assert_int_equal(idv_deadline_extend(&dl, false, &today, &to90, &out), IDV_OK);
	assert_date(&out, "2026-05-31");
	assert_int_equal(idv_deadline_extend(&dl, false, &today, &to91, &out), IDV_E_INVAL);
	assert_int_equal(idv_deadline_extend(&dl, false, &today, &same, &out), IDV_E_INVAL);
	assert_int_equal(idv_deadline_extend(&dl, true, &today, &to90, &out), IDV_E_STATE);
	struct idv_date on_due = D("2026-04-16"), late = D("2026-04-17");
	assert_int_equal(idv_deadline_extend(&dl, false, &on_due, &to90, &out), IDV_OK);
	assert_int_equal(idv_deadline_extend(&dl, false, &late, &to90, &out), IDV_E_STATE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_due_dates),
		cmocka_unit_test(test_extension),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
