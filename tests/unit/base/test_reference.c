/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/reference.h"

static void
test_make_and_parse(void **state)
{
	(void)state;
	uint8_t rnd[IDV_REF_RANDOM_BYTES];
	char ref[IDV_REF_LEN + 1], back[IDV_REF_LEN + 1];
	uint32_t x = 12345;
	for (int round = 0; round < 2000; round++) {
		for (int i = 0; i < IDV_REF_RANDOM_BYTES; i++) {
			x = x * 1103515245u + 12345u;
			rnd[i] = (uint8_t)(x >> 16);
		}
		idv_ref_make(rnd, ref);
		assert_int_equal(strlen(ref), IDV_REF_LEN);
		assert_true(ref[4] == '-' && ref[9] == '-' && ref[14] == '-');
		assert_int_equal(idv_ref_parse(ref, strlen(ref), back), IDV_OK);
		assert_string_equal(ref, back);
		/* Every single-symbol change is caught. */
		static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
		for (int pos = 0; pos < IDV_REF_LEN; pos++) {
			if (ref[pos] == '-')
				continue;
			char bad[IDV_REF_LEN + 1];
			memcpy(bad, ref, sizeof bad);
			bad[pos] = alphabet[(strchr(alphabet, ref[pos]) - alphabet + 1 + round % 31) % 32];
			assert_int_equal(idv_ref_parse(bad, strlen(bad), back), IDV_E_CHECKSUM);
		}
		/* Every swap of two adjacent different symbols is caught, but 0 <-> Z (Luhn's
		 * one blind spot, as 09 <-> 90 is for credit card numbers). */
		char compact[13];
		size_t n = 0;
		for (int i = 0; i < IDV_REF_LEN; i++)
			if (ref[i] != '-')
				compact[n++] = ref[i];
		for (int i = 0; i + 1 < 13; i++) {
			if (compact[i] == compact[i + 1] ||
			    (compact[i] == '0' && compact[i + 1] == 'Z') ||
			    (compact[i] == 'Z' && compact[i + 1] == '0'))
				continue;
			char sw[13];
			memcpy(sw, compact, 13);
			sw[i] = compact[i + 1];
			sw[i + 1] = compact[i];
			assert_int_equal(idv_ref_parse(sw, 13, back), IDV_E_CHECKSUM);
		}
	}
}

static void
test_forgiving_input(void **state)
{
	(void)state;
	uint8_t rnd[IDV_REF_RANDOM_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8};
	char ref[IDV_REF_LEN + 1], back[IDV_REF_LEN + 1], typed[32];
	idv_ref_make(rnd, ref);
	size_t n = 0;
	for (int i = 0; ref[i]; i++) {
		char c = ref[i];
		if (c == '-') {
			typed[n++] = ' ';
			continue;
		}
		typed[n++] = c == '0' ? 'o' : c == '1' ? 'l' : (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	assert_int_equal(idv_ref_parse(typed, n, back), IDV_OK);
	assert_string_equal(back, ref);
	static const char *const bad[] = {"", "ABC", "7KQ4-M2XA-9FDP", "7KQ4-M2XA-9FDP-JJ",
					   "7KQ4-M2XA-9FDP-U", "7KQ4/M2XA/9FDP/J", "7KQ4-M2XA-9FDP-\x80"};
	for (size_t i = 0; i < IDV_ARRAY_LEN(bad); i++)
		assert_int_equal(idv_ref_parse(bad[i], strlen(bad[i]), back), IDV_E_PARSE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_and_parse),
		cmocka_unit_test(test_forgiving_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
