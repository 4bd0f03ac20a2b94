/* SPDX-License-Identifier: Apache-2.0 */
/* test_rate.c: token buckets (rate.h). The clock is a parameter. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "idverify/rate.h"

#define T0 1000000 /* ms of a monotonic clock: any value */

static void
test_burst_then_refill(void **state)
{
	(void)state;
	struct idv_rate_table *t = idv_calloc(1, sizeof *t);
	/* 60 a minute = one a second, burst 5: five at once, then one a second. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(idv_rate_take(t, "ip:192.0.2.1", 60, 5, T0), 0);
	assert_int_equal(idv_rate_take(t, "ip:192.0.2.1", 60, 5, T0), 1);
	assert_int_equal(idv_rate_take(t, "ip:192.0.2.1", 60, 5, T0 + 500), 1); /* half a token */
	assert_int_equal(idv_rate_take(t, "ip:192.0.2.1", 60, 5, T0 + 1000), 0);
	assert_int_equal(idv_rate_take(t, "ip:192.0.2.1", 60, 5, T0 + 1000), 1);
	/* A long pause refills up to the burst, never past it. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(idv_rate_take(t, "ip:192.0.2.1", 60, 5, T0 + 3600000), 0);
	assert_true(idv_rate_take(t, "ip:192.0.2.1", 60, 5, T0 + 3600000) > 0);
	/* Another name has its own bucket. */
	assert_int_equal(idv_rate_take(t, "key:abc", 60, 5, T0 + 3600000), 0);
	free(t);
}

static void
test_wait_seconds(void **state)
{
	(void)state;
	struct idv_rate_table *t = idv_calloc(1, sizeof *t);
	/* 2 a minute: a token every 30 s; the wait is rounded up to whole seconds. */
	assert_int_equal(idv_rate_take(t, "k", 2, 1, T0), 0);
	assert_int_equal(idv_rate_take(t, "k", 2, 1, T0), 30);
	assert_int_equal(idv_rate_take(t, "k", 2, 1, T0 + 10500), 20); /* 19.5 s left */
	assert_int_equal(idv_rate_take(t, "k", 2, 1, T0 + 30000), 0);
	/* A clock that goes backwards takes nothing away and refills nothing. */
	assert_int_equal(idv_rate_take(t, "b", 60, 1, T0), 0);
	assert_int_equal(idv_rate_take(t, "b", 60, 1, T0 - 5000), 1);
	/* No refill at all. */
	assert_int_equal(idv_rate_take(t, "z", 0, 1, T0), 0);
	assert_int_equal(idv_rate_take(t, "z", 0, 1, T0 + 999999), 60);
	free(t);
}

/* Many names: the table stays fixed; a name pushed out starts again with a full bucket. */
static void
test_bounded_table(void **state)
{
	(void)state;
	struct idv_rate_table *t = idv_calloc(1, sizeof *t);
	assert_int_equal(idv_rate_take(t, "victim", 1, 1, T0), 0);
	assert_true(idv_rate_take(t, "victim", 1, 1, T0) > 0);
	char name[32];
	for (int i = 0; i < 20 * IDV_RATE_SLOTS; i++) {
		snprintf(name, sizeof name, "ip:10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
		assert_int_equal(idv_rate_take(t, name, 1, 1, T0 + 1), 0);
	}
	size_t used = 0;
	for (size_t i = 0; i < IDV_RATE_SLOTS; i++)
		used += t->slots[i].key != 0;
	assert_true(used <= IDV_RATE_SLOTS);
	/* 2 ms later its own bucket would still be empty: a full one means it was replaced. */
	assert_int_equal(idv_rate_take(t, "victim", 1, 1, T0 + 2), 0);
	assert_int_not_equal(idv_rate_key("a"), idv_rate_key("b"));
	assert_int_not_equal(idv_rate_key(""), 0);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_refill),
		cmocka_unit_test(test_wait_seconds),
		cmocka_unit_test(test_bounded_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
