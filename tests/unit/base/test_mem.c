/* SPDX-License-Identifier: Apache-2.0 */
/* test_mem.c: allocation, the out-of-memory handler, wiping, constant-time compare, strlcpy. */
#include "unit.h"

#include <stdlib.h>

#include "idverify/common.h"

static jmp_buf mem_jmp;
static size_t mem_oom_size;

static void
mem_oom_catch(size_t n)
{
	mem_oom_size = n;
	longjmp(mem_jmp, 1);
}

static void
test_alloc(void **state)
{
	(void)state;
	/* Zero-byte requests give a real, freeable pointer. */
	void *p = idv_malloc(0);
	assert_non_null(p);
	free(p);
	unsigned char *z = idv_calloc(16, 4);
	for (size_t i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	z = idv_realloc(z, 256);
	z[255] = 7;
	free(z);
	assert_non_null(p = idv_calloc(0, 8));
	free(p);
	char *s = idv_strndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = idv_strndup("ab", 10); /* n past the end: stops at the NUL */
	assert_string_equal(s, "ab");
	free(s);
	s = idv_strdup("idverify");
	assert_string_equal(s, "idverify");
	free(s);
}

/* An overflowing calloc reaches the handler (never a short buffer). */
static void
test_calloc_overflow(void **state)
{
	(void)state;
	idv_set_oom_handler(mem_oom_catch);
	mem_oom_size = 0;
	volatile bool returned = false;
	if (setjmp(mem_jmp) == 0) {
		void *p = idv_calloc(SIZE_MAX / 2 + 1, 2);
		returned = true;
		free(p);
	}
	idv_set_oom_handler(NULL);
	assert_false(returned);
	assert_int_equal(mem_oom_size, SIZE_MAX);
}

static void
test_size_helpers(void **state)
{
	(void)state;
	size_t r;
	assert_false(idv_size_add(1, 2, &r));
	assert_int_equal(r, 3);
	assert_true(idv_size_add(SIZE_MAX, 1, &r));
	assert_false(idv_size_mul(1000, 1000, &r));
	assert_int_equal(r, 1000000);
	assert_true(idv_size_mul(SIZE_MAX / 2 + 1, 2, &r));
}

static void
test_wipe_and_compare(void **state)
{
	(void)state;
	unsigned char k[32];
	memset(k, 0xA5, sizeof k);
	idv_wipe(k, sizeof k);
	for (size_t i = 0; i < sizeof k; i++)
		assert_int_equal(k[i], 0);
	idv_wipe(k, 0);
	unsigned char a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8];
	memcpy(b, a, sizeof b);
	assert_true(idv_ct_equal(a, b, sizeof a));
	assert_true(idv_ct_equal(a, b, 0));
	for (size_t i = 0; i < sizeof a; i++) {
		b[i] ^= 0x80; /* a difference in any byte, first or last, is seen */
		assert_false(idv_ct_equal(a, b, sizeof a));
		b[i] ^= 0x80;
	}
}

static void
test_strlcpy(void **state)
{
	(void)state;
	char d[6];
	assert_true(idv_strlcpy(d, "abcde", sizeof d));
	assert_string_equal(d, "abcde");
	assert_false(idv_strlcpy(d, "abcdef", sizeof d)); /* truncated, reported, terminated */
	assert_string_equal(d, "abcde");
	assert_true(idv_strlcpy(d, "", sizeof d));
	assert_string_equal(d, "");
	d[0] = 'x';
	assert_false(idv_strlcpy(d, "abc", 0)); /* no room at all: dst untouched */
	assert_int_equal(d[0], 'x');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc),
		cmocka_unit_test(test_calloc_overflow),
		cmocka_unit_test(test_size_helpers),
		cmocka_unit_test(test_wipe_and_compare),
		cmocka_unit_test(test_strlcpy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
