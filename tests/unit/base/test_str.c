/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/str.h"

static void
test_parse_u64(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		uint64_t max;
		enum idv_err err;
		uint64_t val;
	} cases[] = {
		{"0", 10, IDV_OK, 0},
		{"42", 100, IDV_OK, 42},
		{"101", 100, IDV_E_TOOBIG, 0},
		{"", 100, IDV_E_PARSE, 0},
		{"-1", 100, IDV_E_PARSE, 0},
		{" 1", 100, IDV_E_PARSE, 0},
		{"1x", 100, IDV_E_PARSE, 0},
		{"18446744073709551615", UINT64_MAX, IDV_OK, UINT64_MAX},
		{"18446744073709551616", UINT64_MAX, IDV_E_TOOBIG, 0},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		uint64_t v = 0;
		assert_int_equal(idv_parse_u64z(cases[i].in, cases[i].max, &v), cases[i].err);
		if (cases[i].err == IDV_OK)
			assert_true(v == cases[i].val);
	}
}

static void
test_dates(void **state)
{
	(void)state;
	struct idv_date d;
	assert_int_equal(idv_date_parse("2024-02-29", 10, &d), IDV_OK);
	assert_int_equal(idv_date_parse("2023-02-29", 10, &d), IDV_E_INVAL);
	assert_int_equal(idv_date_parse("1900-02-29", 10, &d), IDV_E_INVAL);
	assert_int_equal(idv_date_parse("2000-02-29", 10, &d), IDV_OK);
	assert_int_equal(idv_date_parse("2024-13-01", 10, &d), IDV_E_INVAL);
	assert_int_equal(idv_date_parse("2024/01/01", 10, &d), IDV_E_PARSE);
	assert_int_equal(idv_date_parse("24-01-01", 8, &d), IDV_E_PARSE);
	assert_int_equal(idv_date_make(2023, 2, 29, &d), IDV_E_INVAL);
	assert_int_equal(idv_date_make(2024, 2, 29, &d), IDV_OK);
	assert_true(d.year == 2024 && d.month == 2 && d.day == 29);
	assert_int_equal(idv_date_make(2024, 0, 1, &d), IDV_E_INVAL);
	assert_int_equal(d.month, 2); /* untouched on an error */
	assert_int_equal(idv_date_parse("1970-01-01", 10, &d), IDV_OK);
	assert_true(idv_date_to_days(&d) == 0);
	assert_int_equal(idv_date_weekday(&d), 3); /* Thursday */
	struct idv_date back;
	for (int64_t day = -800000; day < 800000; day += 997) {
		idv_date_from_days(day, &back);
		assert_true(idv_date_to_days(&back) == day);
	}
	assert_int_equal(idv_date_parse("2026-11-22", 10, &d), IDV_OK);
	assert_int_equal(idv_date_weekday(&d), 6); /* Sunday */
	char out[11];
	idv_date_format(&d, out);
	assert_string_equal(out, "2026-11-22");
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(idv_utf8_valid((const uint8_t *)"abc", 3));
	assert_true(idv_utf8_valid((const uint8_t *)"M\xc3\xbcller", 7));
	assert_false(idv_utf8_valid((const uint8_t *)"\xc3", 1));
	assert_false(idv_utf8_valid((const uint8_t *)"\xc0\xaf", 2));     /* overlong */
	assert_false(idv_utf8_valid((const uint8_t *)"\xed\xa0\x80", 3)); /* surrogate */
	assert_false(idv_utf8_valid((const uint8_t *)"a\0b", 3));
}

static void
test_trim_and_ieq(void **state)
{
	(void)state;
	const char *p = "  Hello \t";
	size_t n = strlen(p);
	idv_str_trim(&p, &n);
	assert_int_equal(n, 5);
	assert_true(idv_str_ieq(p, n, "hELLo"));
	assert_false(idv_str_ieq(p, n, "hell"));
	char small[4];
	assert_false(idv_strlcpy(small, "abcd", sizeof small));
	assert_string_equal(small, "abc");
	assert_true(idv_strlcpy(small, "abc", sizeof small));
}

static void
test_fmt_and_why(void **state)
{
	(void)state;
	char out[6];
	assert_true(idv_fmt(out, sizeof out, "%s-%d", "ab", 12));
	assert_string_equal(out, "ab-12");
	assert_false(idv_fmt(out, sizeof out, "%s-%d", "ab", 123));
	assert_string_equal(out, "ab-12");
	assert_false(idv_fmt(out, 0, "x"));
	char list[8] = "";
	size_t n = 0;
	assert_true(idv_fmt_cat(list, sizeof list, &n, "%s", "ab"));
	assert_true(idv_fmt_cat(list, sizeof list, &n, ",%s", "cd"));
	assert_false(idv_fmt_cat(list, sizeof list, &n, ",%s", "efgh")); /* nothing half written */
	assert_string_equal(list, "ab,cd");
	assert_int_equal(n, 5);
	assert_true(idv_fmt_cat(list, sizeof list, &n, ",x"));
	assert_string_equal(list, "ab,cd,x");
	assert_false(idv_fmt_cat(list, sizeof list, &n, "y"));
	assert_string_equal(list, "ab,cd,x");
	assert_int_equal(idv_why_invalid(NULL, out, sizeof out), IDV_OK);
	assert_int_equal(idv_why_invalid("bad value", out, sizeof out), IDV_E_INVAL);
	assert_string_equal(out, "bad v");
	assert_int_equal(idv_why_invalid("bad", NULL, 0), IDV_E_INVAL);
	idv_why(out, sizeof out, "no %s", "way out");
	assert_string_equal(out, "no wa");
	idv_why(NULL, 10, "ignored %d", 1);
	out[0] = 'q';
	idv_why(out, 0, "ignored %d", 1);
	assert_int_equal(out[0], 'q');
}

enum test_colour { TEST_RED, TEST_GREEN, TEST_BLUE, TEST_COLOUR__COUNT };
static const char *const test_colour_names[TEST_COLOUR__COUNT] = {"red", "green", "blue"};
const char *test_colour_name(enum test_colour v);
enum test_colour test_colour_lookup(const char *name, size_t len);
IDV_NAME_LOOKUP_FN(test_colour, enum test_colour, test_colour_names, TEST_COLOUR__COUNT, "none")

static void
test_name_tables(void **state)
{
	(void)state;
	assert_string_equal(idv_name_of(test_colour_names, 3, 1, "none"), "green");
	assert_string_equal(idv_name_of(test_colour_names, 3, 3, "none"), "none");
	assert_int_equal(idv_name_find(test_colour_names, 3, "blue", 4), 2);
	assert_int_equal(idv_name_find(test_colour_names, 3, "bluer", 4), 2); /* a prefix of len */
	assert_int_equal(idv_name_find(test_colour_names, 3, "blu", 3), 3);
	assert_int_equal(idv_name_find(test_colour_names, 3, "Blue", 4), 3);
	assert_int_equal(idv_name_find(test_colour_names, 3, "", 0), 3);
	assert_string_equal(test_colour_name(TEST_RED), "red");
	int minus = -1;
	assert_string_equal(test_colour_name((enum test_colour)minus), "none");
	assert_string_equal(test_colour_name(TEST_COLOUR__COUNT), "none");
	assert_int_equal(test_colour_lookup("green", 5), TEST_GREEN);
	assert_int_equal(test_colour_lookup("gree", 4), TEST_COLOUR__COUNT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),   cmocka_unit_test(test_dates),
		cmocka_unit_test(test_utf8),        cmocka_unit_test(test_trim_and_ieq),
		cmocka_unit_test(test_fmt_and_why), cmocka_unit_test(test_name_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
