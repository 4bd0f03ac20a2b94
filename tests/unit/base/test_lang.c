/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/lang.h"

static const char *const offered[] = {"en", "es"};

static void
test_pick(void **state)
{
	(void)state;
	static const struct {
		const char *header;
		int want;
	} cases[] = {
		{NULL, -1},
		{"", -1},
		{"fr", -1},
		{"en", 0},
		{"es", 1},
		{"ES-mx", 1},
		{"es-MX,es;q=0.9,en;q=0.8", 1},
		{"en-US,en;q=0.9,es;q=0.8", 0},
		{"fr-CA, es;q=0.5, en;q=0.4", 1},
		{"en;q=0.2, es;q=0.7", 1},
		{"es;q=0, en", 0}, /* q=0: not acceptable */
		{"es;q=0", -1},
		{"en, es", 0}, /* equal weights: the header's order */
		{"es, en", 1},
		{"*", 0}, /* anything: the first offered */
		{"de, *;q=0.1", 0},
		{"es;q=1.000", 1},
		{"es;q=1.5, en;q=0.1", 0}, /* a bad qvalue counts as 0 */
		{"es;q=abc", -1},
		{"e", -1},
		{"english", -1},
		{",,, ;;", -1},
		{"es;level=1;q=0.3,en;q=0.2", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = idv_lang_pick(cases[i].header, offered, 2);
		if (got != cases[i].want)
			fail_msg("%s: %d, want %d", cases[i].header ? cases[i].header : "(null)",
				 got, cases[i].want);
	}
	assert_int_equal(idv_lang_pick("es", offered, 0), -1);
}

static void
test_long_header(void **state)
{
	(void)state;
	char h[IDV_LANG_HEADER_MAX * 2];
	memset(h, ' ', sizeof h);
	memcpy(h + sizeof h - 3, "es", 3); /* past the ceiling: not read */
	assert_int_equal(idv_lang_pick(h, offered, 2), -1);
	memcpy(h, "es,", 3);
	assert_int_equal(idv_lang_pick(h, offered, 2), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_long_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
