/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/buf.h"

static void
test_append_within_cap(void **state)
{
	(void)state;
	struct idv_buf b;
	idv_buf_init(&b, 16);
	assert_int_equal(idv_buf_append_str(&b, "hello"), IDV_OK);
	assert_int_equal(idv_buf_printf(&b, " %d", 42), IDV_OK);
	assert_string_equal(idv_buf_str(&b), "hello 42");
	assert_int_equal(b.len, 8);
	idv_buf_cleanup(&b);
}

static void
test_over_cap_is_sticky(void **state)
{
	(void)state;
	struct idv_buf b;
	idv_buf_init(&b, 8);
	assert_int_equal(idv_buf_append_str(&b, "12345678"), IDV_OK);
	assert_int_equal(idv_buf_append_byte(&b, '9'), IDV_E_TOOBIG);
	assert_null(b.data);
	assert_int_equal(idv_buf_append_str(&b, "x"), IDV_E_TOOBIG);
	assert_int_equal(idv_buf_printf(&b, "%s", "y"), IDV_E_TOOBIG);
	idv_buf_reset(&b);
	assert_int_equal(idv_buf_append_str(&b, "ok"), IDV_OK);
	assert_string_equal(idv_buf_str(&b), "ok");
	idv_buf_cleanup(&b);
}

static void
test_printf_exact_cap(void **state)
{
	(void)state;
	struct idv_buf b;
	idv_buf_init(&b, 5);
	assert_int_equal(idv_buf_printf(&b, "%05d", 7), IDV_OK);
	assert_string_equal(idv_buf_str(&b), "00007");
	assert_int_equal(idv_buf_printf(&b, "%d", 1), IDV_E_TOOBIG);
	idv_buf_cleanup(&b);
}

static void
test_steal_and_empty(void **state)
{
	(void)state;
	struct idv_buf b;
	idv_buf_init(&b, 1024);
	assert_string_equal(idv_buf_str(&b), "");
	for (int i = 0; i < 100; i++)
		assert_int_equal(idv_buf_append(&b, "abcdefghij", 10), IDV_OK);
	size_t len = 0;
	uint8_t *p = idv_buf_steal(&b, &len);
	assert_int_equal(len, 1000);
	assert_memory_equal(p + 990, "abcdefghij", 10);
	assert_null(b.data);
	free(p);
	idv_buf_cleanup(&b);
}

static void
test_append_zeros(void **state)
{
	(void)state;
	struct idv_buf b;
	idv_buf_init(&b, 10);
	assert_int_equal(idv_buf_append_str(&b, "ab"), IDV_OK);
	assert_int_equal(idv_buf_append_zeros(&b, 8), IDV_OK);
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.data, "ab\0\0\0\0\0\0\0\0\0", 11); /* and the NUL after */
	assert_int_equal(idv_buf_append_zeros(&b, 0), IDV_OK);
	assert_int_equal(idv_buf_append_zeros(&b, 1), IDV_E_TOOBIG);
	assert_null(b.data);
	idv_buf_cleanup(&b);
}

static void
test_ids(void **state)
{
	(void)state;
	struct idv_ids l;
	idv_ids_init(&l, 100);
	for (int64_t i = 0; i < 100; i++)
		assert_true(idv_ids_push(&l, i * 3));
	assert_false(idv_ids_push(&l, 7)); /* the ceiling */
	assert_int_equal(l.n, 100);
	assert_true(l.v[0] == 0 && l.v[99] == 297);
	idv_ids_cleanup(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_within_cap), cmocka_unit_test(test_over_cap_is_sticky),
		cmocka_unit_test(test_printf_exact_cap),  cmocka_unit_test(test_steal_and_empty),
		cmocka_unit_test(test_append_zeros),      cmocka_unit_test(test_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
