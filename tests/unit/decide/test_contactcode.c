/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include <string.h>

#include "idverify/contactcode.h"

#define T0 1800000000 /* any fixed instant; the clock is a parameter */

static void
test_rule_defaults(void **state)
{
	(void)state;
	struct idv_code_rule r;
	idv_code_rule_defaults(&r);
	assert_true(idv_code_rule_valid(&r));
	assert_int_equal(r.digits, 6);
	assert_int_equal(r.ttl_s, 600);
	assert_int_equal(r.max_attempts, 5);
	struct idv_code_rule bad = r;
	bad.digits = 5;
	assert_false(idv_code_rule_valid(&bad));
	bad = r;
	bad.digits = 9;
	assert_false(idv_code_rule_valid(&bad));
	bad = r;
	bad.ttl_s = 0;
	assert_false(idv_code_rule_valid(&bad));
	bad = r;
	bad.max_attempts = 0;
	assert_false(idv_code_rule_valid(&bad));
}

/* Digits come from bytes below 250 only (no modulo bias); too few usable bytes fail. */
static void
test_from_random(void **state)
{
	(void)state;
	char out[16];
	const uint8_t rnd[] = {255, 0, 251, 9, 249, 10, 123, 250, 77, 5, 1};
	assert_true(idv_code_from_random(rnd, sizeof rnd, 6, out, sizeof out));
	assert_string_equal(out, "099037"); /* 0, 9, 249, 10, 123, 77 */
	assert_true(idv_code_from_random(rnd, sizeof rnd, 8, out, sizeof out));
	assert_string_equal(out, "09903751");
	const uint8_t high[] = {250, 251, 252, 253, 254, 255, 1, 2, 3};
	assert_false(idv_code_from_random(high, sizeof high, 6, out, sizeof out));
	assert_string_equal(out, "");
	assert_false(idv_code_from_random(rnd, sizeof rnd, 6, out, 6)); /* no room for NUL */
	assert_false(idv_code_from_random(rnd, sizeof rnd, 9, out, sizeof out));
	/* every digit value is reachable and equally likely over the 250 accepted bytes */
	unsigned hist[10] = {0};
	for (unsigned b = 0; b < 250; b++) {
		uint8_t six[6] = {(uint8_t)b, (uint8_t)b, (uint8_t)b,
				  (uint8_t)b, (uint8_t)b, (uint8_t)b};
		assert_true(idv_code_from_random(six, 6, 6, out, sizeof out));
		hist[out[0] - '0']++;
	}
	for (int d = 0; d < 10; d++)
		assert_int_equal(hist[d], 25);
}

static void
test_shape_and_normalize(void **state)
{
	(void)state;
	char out[16];
	assert_true(idv_code_shape_ok("012345", 6, 6));
	assert_false(idv_code_shape_ok("01234", 5, 6));
	assert_false(idv_code_shape_ok("01234a", 6, 6));
	assert_false(idv_code_shape_ok("0123\0"
				       "5",
				       6, 6));
	assert_true(idv_code_normalize("012 345", 7, out, sizeof out));
	assert_string_equal(out, "012345");
	assert_true(idv_code_normalize("012-345", 7, out, sizeof out));
	assert_string_equal(out, "012345");
	assert_false(idv_code_normalize("0123456789012345678", 19, out, sizeof out));
}

static struct idv_code_rule
rule(void)
{
	struct idv_code_rule r;
	idv_code_rule_defaults(&r);
	return r;
}

/* Expiry: [issued, issued + ttl); a clock that went backwards does not revive a code. */
static void
test_expiry(void **state)
{
	(void)state;
	struct idv_code_rule r = rule();
	struct idv_code_state st = {0};
	assert_int_equal(idv_code_check(&r, &st, T0), IDV_CODE_NONE);
	idv_code_sent(&st, T0);
	assert_int_equal(idv_code_check(&r, &st, T0), IDV_CODE_TRY);
	assert_int_equal(idv_code_check(&r, &st, T0 + 599), IDV_CODE_TRY);
	assert_int_equal(idv_code_check(&r, &st, T0 + 600), IDV_CODE_EXPIRED);
	assert_int_equal(idv_code_check(&r, &st, T0 - 1), IDV_CODE_EXPIRED);
	assert_string_equal(idv_code_verdict_name(IDV_CODE_EXPIRED), "expired");
}

/* Five wrong tries exhaust a code; a match verifies; a fresh send resets the tries. */
static void
test_attempts(void **state)
{
	(void)state;
	struct idv_code_rule r = rule();
	struct idv_code_state st = {0};
	idv_code_sent(&st, T0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(idv_code_record(&r, &st, false, T0 + i), IDV_CODE_TRY);
	assert_int_equal(idv_code_record(&r, &st, false, T0 + 5), IDV_CODE_EXHAUSTED);
	assert_int_equal(idv_code_check(&r, &st, T0 + 6), IDV_CODE_EXHAUSTED);
	int64_t wait;
	assert_int_equal(idv_code_may_send(&r, &st, T0 + 61, &wait), IDV_CODE_SEND_OK);
	idv_code_sent(&st, T0 + 61);
	assert_int_equal(st.attempts, 0);
	assert_int_equal(idv_code_check(&r, &st, T0 + 62), IDV_CODE_TRY);
	assert_int_equal(idv_code_record(&r, &st, true, T0 + 63), IDV_CODE_VERIFIED);
	assert_int_equal(idv_code_check(&r, &st, T0 + 10000), IDV_CODE_VERIFIED);
	assert_int_equal(idv_code_may_send(&r, &st, T0 + 10000, &wait), IDV_CODE_SEND_DONE);
}

/* Resends: 60 s apart, three in all. */
static void
test_resend_limits(void **state)
{
	(void)state;
	struct idv_code_rule r = rule();
	struct idv_code_state st = {0};
	int64_t wait = -1;
	assert_int_equal(idv_code_may_send(&r, &st, T0, &wait), IDV_CODE_SEND_OK);
	assert_int_equal(wait, 0);
	idv_code_sent(&st, T0);
	assert_int_equal(idv_code_may_send(&r, &st, T0 + 10, &wait), IDV_CODE_SEND_WAIT);
	assert_int_equal(wait, 50);
	assert_int_equal(idv_code_may_send(&r, &st, T0 + 60, &wait), IDV_CODE_SEND_OK);
	idv_code_sent(&st, T0 + 60);
	idv_code_sent(&st, T0 + 120);
	assert_int_equal(st.sends, 3);
	assert_int_equal(idv_code_may_send(&r, &st, T0 + 5000, &wait), IDV_CODE_SEND_LIMIT);
}

static void
test_mask(void **state)
{
	(void)state;
	char out[64];
	assert_true(idv_code_mask_email("jane.doe@example.com", 20, out, sizeof out));
	assert_string_equal(out, "j\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2@example.com");
	assert_false(idv_code_mask_email("@example.com", 12, out, sizeof out));
	assert_string_equal(out, "");
	assert_false(idv_code_mask_email("jane", 4, out, sizeof out));
	assert_false(idv_code_mask_email("a@b@c.com", 9, out, sizeof out));
	assert_false(idv_code_mask_email("jane.doe@example.com", 20, out, 10));
	assert_true(idv_code_mask_phone("+1 415 555 0142", 15, out, sizeof out));
	assert_string_equal(out, "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"
				 "42");
	assert_false(idv_code_mask_phone("12345", 5, out, sizeof out));
	assert_false(idv_code_mask_phone("415x5550142", 11, out, sizeof out));
	/* the mask never holds more than the domain and one letter, or two digits */
	assert_null(strstr(out, "415"));
}

static void
test_contact_fold(void **state)
{
	char out[64], again[64];
	(void)state;
	assert_true(idv_code_contact_fold(true, "Jane.Doe@Example.COM", 20, out, sizeof out));
	assert_string_equal(out, "email:jane.doe@example.com");
	assert_true(idv_code_contact_fold(false, "+1 (415) 555-0142", 17, out, sizeof out));
	assert_string_equal(out, "phone:14155550142");
	assert_true(idv_code_contact_fold(false, "1.415.555.0142", 14, again, sizeof again));
	assert_string_equal(out, again);
	/* the channel is part of the text: an e-mail never meets a phone's counter */
	assert_true(idv_code_contact_fold(true, "14155550142", 11, again, sizeof again));
	assert_string_not_equal(out, again);
	assert_false(idv_code_contact_fold(false, "no digits", 9, out, sizeof out));
	assert_string_equal(out, "");
	assert_false(idv_code_contact_fold(true, "", 0, out, sizeof out));
	assert_false(idv_code_contact_fold(true, "jane.doe@example.com", 20, out, 12));
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_defaults),
		cmocka_unit_test(test_from_random),
		cmocka_unit_test(test_shape_and_normalize),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_attempts),
		cmocka_unit_test(test_resend_limits),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_contact_fold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
