/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include <string.h>

#include "idverify/attempts.h"

#define T0 1800000000 /* 2027-01-15: any fixed instant; the clock is a parameter */
#define DAY 86400

static struct idv_attempts_rule
rule(uint32_t max, int64_t window, int64_t lockout)
{
	struct idv_attempts_rule r = {max, window, lockout};
	return r;
}

static void
test_defaults_and_validation(void **state)
{
	(void)state;
	struct idv_attempts_rule r;
	idv_attempts_rule_defaults(&r);
	assert_true(idv_attempts_rule_valid(&r));
	assert_int_equal(r.max_attempts, 5);
	assert_int_equal(r.window_s, 30 * DAY);
	struct idv_attempts_rule bad[] = {
		rule(0, DAY, DAY), rule(1001, DAY, DAY), rule(5, 0, DAY), rule(5, DAY, 0),
		rule(5, 400 * DAY, DAY), rule(5, DAY, -1),
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(idv_attempts_rule_valid(&bad[i]));
}

/* max attempts pass; the next one locks; later ones are locked, whatever their timing. */
static void
test_lock_after_max(void **state)
{
	(void)state;
	struct idv_attempts_rule r = rule(3, 30 * DAY, 10 * DAY);
	struct idv_attempts_state st = {0};
	for (int i = 0; i < 3; i++)
		assert_int_equal(idv_attempts_step(&r, &st, T0 + i * 60), IDV_ATTEMPTS_ALLOW);
	assert_int_equal(st.count, 3);
	assert_int_equal(st.locked_until, 0);
	assert_int_equal(idv_attempts_step(&r, &st, T0 + 3 * 60), IDV_ATTEMPTS_LOCK);
	assert_int_equal(st.locked_until, T0 + 3 * 60 + 10 * DAY);
	assert_int_equal(idv_attempts_step(&r, &st, T0 + DAY), IDV_ATTEMPTS_LOCKED);
	/* past the window but inside the lock: still locked */
	struct idv_attempts_rule shortwin = rule(3, DAY, 10 * DAY);
	assert_int_equal(idv_attempts_step(&shortwin, &st, T0 + 5 * DAY), IDV_ATTEMPTS_LOCKED);
	/* the lock lapses: counting starts again from one */
	assert_int_equal(idv_attempts_step(&r, &st, T0 + 3 * 60 + 10 * DAY), IDV_ATTEMPTS_ALLOW);
	assert_int_equal(st.count, 1);
	assert_int_equal(st.locked_until, 0);
}

/* Attempts spread over windows never lock: the window restarts with the first attempt after
 * it ended. */
static void
test_window_restarts(void **state)
{
	(void)state;
	struct idv_attempts_rule r = rule(2, DAY, DAY);
	struct idv_attempts_state st = {0};
	for (int d = 0; d < 20; d++) {
		assert_int_equal(idv_attempts_step(&r, &st, T0 + d * DAY), IDV_ATTEMPTS_ALLOW);
		assert_int_equal(idv_attempts_step(&r, &st, T0 + d * DAY + 100), IDV_ATTEMPTS_ALLOW);
	}
	assert_int_equal(st.count, 2);
	assert_int_equal(st.window_start, T0 + 19 * DAY);
	/* a third in the same window locks */
	assert_int_equal(idv_attempts_step(&r, &st, T0 + 19 * DAY + 200), IDV_ATTEMPTS_LOCK);
}

/* A clock that goes backwards neither opens a new window nor lifts a lock. */
static void
test_clock_backwards(void **state)
{
	(void)state;
	struct idv_attempts_rule r = rule(2, DAY, DAY);
	struct idv_attempts_state st = {0};
	assert_int_equal(idv_attempts_step(&r, &st, T0), IDV_ATTEMPTS_ALLOW);
	assert_int_equal(idv_attempts_step(&r, &st, T0 - 5 * DAY), IDV_ATTEMPTS_ALLOW);
	assert_int_equal(idv_attempts_step(&r, &st, T0 - 10 * DAY), IDV_ATTEMPTS_LOCK);
	assert_int_equal(idv_attempts_step(&r, &st, T0 - 20 * DAY), IDV_ATTEMPTS_LOCKED);
}

static void
test_expired_and_worst(void **state)
{
	(void)state;
	struct idv_attempts_rule r = rule(1, DAY, 3 * DAY);
	struct idv_attempts_state st = {0};
	assert_true(idv_attempts_expired(&r, &st, T0));
	idv_attempts_step(&r, &st, T0);
	assert_false(idv_attempts_expired(&r, &st, T0 + DAY - 1));
	assert_true(idv_attempts_expired(&r, &st, T0 + DAY));
	assert_int_equal(idv_attempts_step(&r, &st, T0 + 10), IDV_ATTEMPTS_LOCK);
	assert_false(idv_attempts_expired(&r, &st, T0 + 2 * DAY)); /* the lock outlives the window */
	assert_true(idv_attempts_expired(&r, &st, T0 + 10 + 3 * DAY));
	assert_int_equal(idv_attempts_worst(IDV_ATTEMPTS_ALLOW, IDV_ATTEMPTS_LOCKED),
			 IDV_ATTEMPTS_LOCKED);
	assert_int_equal(idv_attempts_worst(IDV_ATTEMPTS_LOCK, IDV_ATTEMPTS_LOCKED),
			 IDV_ATTEMPTS_LOCK);
	assert_int_equal(idv_attempts_worst(IDV_ATTEMPTS_ALLOW, IDV_ATTEMPTS_ALLOW),
			 IDV_ATTEMPTS_ALLOW);
}

/* The rule sees only the target's counter and the clock: the same sequence of attempts gives
 * the same verdicts for every target (a customer's name or nobody's). */
static void
test_same_sequence_same_verdicts(void **state)
{
	(void)state;
	struct idv_attempts_rule r;
	idv_attempts_rule_defaults(&r);
	struct idv_attempts_state a = {0}, b = {0};
	for (int i = 0; i < 12; i++) {
		int64_t t = T0 + i * 3600;
		assert_int_equal(idv_attempts_step(&r, &a, t), idv_attempts_step(&r, &b, t));
		assert_memory_equal(&a, &b, sizeof a);
	}
	assert_int_equal(a.count, 12);
}

static void
test_name_target(void **state)
{
	(void)state;
	char a[128], b[128], small[8];
	assert_true(idv_attempts_name_target("Jos\xc3\xa9  Mar\xc3\xad" "a", "O'Neil", a, sizeof a));
	assert_true(idv_attempts_name_target("JOSE maria", "o'neil", b, sizeof b));
	assert_string_equal(a, b);
	assert_non_null(strchr(a, '|'));
	/* given and family stay apart: "Ann Lee|" is not "Ann|Lee" */
	assert_true(idv_attempts_name_target("Ann Lee", "", a, sizeof a));
	assert_true(idv_attempts_name_target("Ann", "Lee", b, sizeof b));
	assert_string_not_equal(a, b);
	assert_false(idv_attempts_name_target("", " ", a, sizeof a));
	assert_string_equal(a, "");
	assert_false(idv_attempts_name_target("Bartholomew", "Smith", small, sizeof small));
	assert_string_equal(small, "");
	assert_false(idv_attempts_name_target("\xff\xfe", "Smith", a, sizeof a)); /* not UTF-8 */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_validation),
		cmocka_unit_test(test_lock_after_max),
		cmocka_unit_test(test_window_restarts),
		cmocka_unit_test(test_clock_backwards),
		cmocka_unit_test(test_expired_and_worst),
		cmocka_unit_test(test_same_sequence_same_verdicts),
		cmocka_unit_test(test_name_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
