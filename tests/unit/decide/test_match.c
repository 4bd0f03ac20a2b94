/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/match.h"
#include "idverify/record.h"

static void
test_dob(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		enum idv_reason reason;
		double score;
	} cases[] = {
		{"1980-03-07", "1980-03-07", IDV_R_EXACT, 1.0},
		{"1980-03-07", "03/07/1980", IDV_R_EXACT, 1.0},
		{"1980-03-07", "3/7/1980", IDV_R_EXACT, 1.0},
		{"1980-03-07", "19800307", IDV_R_EXACT, 1.0},
		{"1980-03-07", "1980-07-03", IDV_R_DAY_MONTH_SWAP, 0.0},
		{"1980-03-07", "1981-03-07", IDV_R_MISMATCH, 0.0},
		{"1980-03-07", "1980-03-08", IDV_R_MISMATCH, 0.0},
		{"1980-03-03", "1980-03-03", IDV_R_EXACT, 1.0},
		{"1980-03-07", "", IDV_R_MISSING, 0.0},
		{"1980-02-30", "1980-02-30", IDV_R_UNPARSEABLE, 0.0},
		{"yesterday", "1980-03-07", IDV_R_UNPARSEABLE, 0.0},
		{"13/01/1980", "1980-01-13", IDV_R_UNPARSEABLE, 0.0}, /* US order only */
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		struct idv_match m;
		idv_match_dob(cases[i].a, cases[i].b, &m);
		if (m.reason != cases[i].reason || m.score != cases[i].score)
			fail_msg("case %zu: %s %f", i, idv_reason_name(m.reason), m.score);
	}
}

static void
test_phone(void **state)
{
	(void)state;
	static const struct {
		const char *in, *e164;
	} norm[] = {
		{"(415) 555-0134", "+14155550134"},
		{"415.555.0134", "+14155550134"},
		{"1-415-555-0134", "+14155550134"},
		{"+1 415 555 0134", "+14155550134"},
		{"4155550134 x22", "+14155550134"},
		{"415-555-0134 ext. 9", "+14155550134"},
		{"+44 20 7946 0958", "+442079460958"},
		{"0044 20 7946 0958", "+442079460958"},
		{"011 44 20 7946 0958", "+442079460958"},
		{"555-0134", NULL},
		{"0155550134", NULL},      /* NANP area code cannot start with 0 */
		{"4150550134", NULL},      /* nor the exchange */
		{"+1 415 555 01345", NULL},
		{"call me", NULL},
		{"", NULL},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(norm); i++) {
		char out[IDV_PHONE_MAX];
		enum idv_err e = idv_match_phone_e164(norm[i].in, strlen(norm[i].in), out);
		if (norm[i].e164 == NULL) {
			if (e == IDV_OK)
				fail_msg("case %zu: accepted as %s", i, out);
		} else {
			assert_int_equal(e, IDV_OK);
			assert_string_equal(out, norm[i].e164);
		}
	}
	struct idv_match m;
	idv_match_phone("(415) 555-0134", "+14155550134", &m);
	assert_int_equal(m.reason, IDV_R_EXACT);
	idv_match_phone("(415) 555-0134", "+14155550135", &m);
	assert_int_equal(m.reason, IDV_R_MISMATCH);
	idv_match_phone("555-0134", "+14155550134", &m);
	assert_int_equal(m.reason, IDV_R_UNPARSEABLE);
	idv_match_phone("", "+14155550134", &m);
	assert_int_equal(m.reason, IDV_R_MISSING);
}

static void
test_email(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		enum idv_reason reason;
		double score;
	} cases[] = {
		{"Jane.Doe@Example.com", "jane.doe@example.com", IDV_R_EXACT, 1.0},
		{" jane@example.com ", "JANE@EXAMPLE.COM", IDV_R_EXACT, 1.0},
		{"jane+shop@example.com", "jane@example.com", IDV_R_EMAIL_PLUS_TAG, 0.8},
		{"jane.doe@gmail.com", "janedoe@gmail.com", IDV_R_EMAIL_DOTS, 0.75},
		{"jane.doe@googlemail.com", "janedoe@gmail.com", IDV_R_EMAIL_DOTS, 0.75},
		{"jane@example.com", "jane@example.org", IDV_R_MISMATCH, 0.0},
		{"jane@example.com", "", IDV_R_MISSING, 0.0},
		{"jane", "jane@example.com", IDV_R_UNPARSEABLE, 0.0},
		{"a@b@c", "a@b", IDV_R_UNPARSEABLE, 0.0},
		{"ja ne@example.com", "jane@example.com", IDV_R_UNPARSEABLE, 0.0},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		struct idv_match m;
		idv_match_email(cases[i].a, cases[i].b, &m);
		if (m.reason != cases[i].reason || m.score != cases[i].score)
			fail_msg("case %zu: %s %f", i, idv_reason_name(m.reason), m.score);
	}
}

static void
rec_set(struct idv_record *r, const char *id, const char *given, const char *family,
	const char *dob, const char *email, const char *phone, const char *zip)
{
	memset(r, 0, sizeof *r);
	assert_int_equal(idv_record_set(r, IDV_COL_ID, id, strlen(id)), IDV_OK);
	assert_int_equal(idv_record_set(r, IDV_COL_GIVEN_NAME, given, strlen(given)), IDV_OK);
	assert_int_equal(idv_record_set(r, IDV_COL_FAMILY_NAME, family, strlen(family)), IDV_OK);
	assert_int_equal(idv_record_set(r, IDV_COL_DATE_OF_BIRTH, dob, strlen(dob)), IDV_OK);
	assert_int_equal(idv_record_set(r, IDV_COL_EMAIL, email, strlen(email)), IDV_OK);
	assert_int_equal(idv_record_set(r, IDV_COL_PHONE, phone, strlen(phone)), IDV_OK);
	assert_int_equal(idv_record_set(r, IDV_COL_POSTAL_CODE, zip, strlen(zip)), IDV_OK);
}

static void
test_record(void **state)
{
	(void)state;
	struct idv_record r;
	memset(&r, 0, sizeof r);
	assert_int_equal(idv_record_set(&r, IDV_COL_FAMILY_NAME, "  Smith ", 8), IDV_OK);
	assert_string_equal(idv_record_get(&r, IDV_COL_FAMILY_NAME), "Smith");
	char big[300];
	memset(big, 'a', sizeof big);
	assert_int_equal(idv_record_set(&r, IDV_COL_ID, big, sizeof big), IDV_E_TOOBIG);
	assert_int_equal(idv_record_set(&r, IDV_COL_ID, "\xC3", 1), IDV_E_PARSE);
	assert_int_equal(idv_record_set(&r, IDV_COL__COUNT, "x", 1), IDV_E_INVAL);
	assert_int_equal(idv_record_validate(&r), IDV_E_INVAL); /* no id */
	assert_int_equal(idv_record_set(&r, IDV_COL_ID, "c1", 2), IDV_OK);
	assert_int_equal(idv_record_validate(&r), IDV_OK);
	for (int c = 0; c < IDV_COL__COUNT; c++)
		assert_non_null(idv_record_get(&r, (enum idv_record_col)c));
	assert_int_equal(idv_point_lookup("date_of_birth", 13), IDV_PT_DOB);
	assert_int_equal(idv_point_lookup("dob", 3), IDV_PT__COUNT);
}

static void
test_blocking(void **state)
{
	(void)state;
	struct idv_record recs[6];
	rec_set(&recs[0], "r0", "John", "Smith", "1980-03-07", "js@example.com", "4155550100", "94110");
	rec_set(&recs[1], "r1", "Hans", "M\xC3\xBCller", "1975-01-02", "", "", "10001");
	rec_set(&recs[2], "r2", "Maria", "Garcia Lopez", "1990-12-12", "", "", "33101");
	rec_set(&recs[3], "r3", "Ann", "Other", "1970-07-03", "", "", "60601");
	rec_set(&recs[4], "r4", "Zed", "Nobody", "1999-09-09", "zed@example.com", "+1 212 555 0199", "");
	rec_set(&recs[5], "r5", "Ann", "Unrelated", "1960-01-01", "", "", "");

	assert_int_equal(idv_record_set(&recs[5], IDV_COL_STREET, "12-14 Elm St", 12), IDV_OK);
	assert_int_equal(idv_record_set(&recs[5], IDV_COL_CITY, "Chicago", 7), IDV_OK);

	static const struct {
		const char *given, *family, *dob, *email, *phone, *zip, *street, *city;
		const char *want; /* candidate ids, concatenated */
	} cases[] = {
		{"John", "Smith", "", "", "", "94110", "", "", "r0"},          /* name + ZIP */
		{"John", "Smith", "", "", "", "", "", "", ""},                 /* a name alone: no */
		{"X", "Y", "", "", "", "94110", "", "", ""},                    /* a ZIP alone: no */
		{"Jon", "Smyth", "1980-03-07", "", "", "", "", "", "r0"},      /* by DOB */
		{"X", "Y", "", "JS@EXAMPLE.COM", "", "", "", "", "r0"},        /* by e-mail */
		{"X", "Y", "", "", "(415) 555-0100", "", "", "", "r0"},        /* by phone */
		{"Smith", "John", "", "", "", "94110", "", "", "r0"},          /* swapped order */
		{"Hans", "Mueller", "", "", "", "10001", "", "", "r1"},        /* ICAO */
		{"Maria", "Lopez", "", "", "", "33101", "", "", "r2"},         /* one part */
		{"X", "Y", "1970-03-07", "", "", "", "", "", "r3"},            /* day/month swap */
		{"X", "Y", "", "", "212-555-0199", "", "", "", "r4"},
		{"Q", "Q", "", "", "", "", "12 Elm Street", "Chicago", "r5"},  /* city + number */
		{"Q", "Q", "", "", "", "", "16 Elm Street", "Chicago", ""},
		{"Q", "Unrelated", "", "", "", "", "", "Chicago", "r5"},       /* name + city */
		{"X", "Y", "", "", "", "", "", "", ""},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		struct idv_claims c;
		memset(&c, 0, sizeof c);
		idv_strlcpy(c.given_names, cases[i].given, sizeof c.given_names);
		idv_strlcpy(c.family_name, cases[i].family, sizeof c.family_name);
		idv_strlcpy(c.date_of_birth, cases[i].dob, sizeof c.date_of_birth);
		idv_strlcpy(c.email, cases[i].email, sizeof c.email);
		idv_strlcpy(c.phone, cases[i].phone, sizeof c.phone);
		idv_strlcpy(c.address.postal_code, cases[i].zip, sizeof c.address.postal_code);
		idv_strlcpy(c.address.street, cases[i].street, sizeof c.address.street);
		idv_strlcpy(c.address.city, cases[i].city, sizeof c.address.city);
		size_t idx[6], n = 0;
		assert_int_equal(idv_match_select(recs, 6, &c, idx, 6, &n), IDV_OK);
		char got[32] = "";
		for (size_t k = 0; k < n; k++) {
			size_t l = strlen(got);
			int w = snprintf(got + l, sizeof got - l, "%s", recs[idx[k]].id);
			assert_true(w > 0);
		}
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got [%s] want [%s]", i, got, cases[i].want);
	}
	/* Truncation is reported. */
	struct idv_claims all;
	memset(&all, 0, sizeof all);
	idv_strlcpy(all.given_names, "Ann", sizeof all.given_names);
	idv_strlcpy(all.family_name, "Other", sizeof all.family_name);
	idv_strlcpy(all.date_of_birth, "1980-03-07", sizeof all.date_of_birth);
	idv_strlcpy(all.email, "zed@example.com", sizeof all.email);
	size_t idx[1], n = 0;
	assert_int_equal(idv_match_select(recs, 6, &all, idx, 1, &n), IDV_E_TOOBIG);
	assert_int_equal(n, 1);
	/* A correction does not block on the field being corrected. */
	struct idv_claims corr;
	memset(&corr, 0, sizeof corr);
	idv_strlcpy(corr.given_names, "Q", sizeof corr.given_names);
	idv_strlcpy(corr.family_name, "Q", sizeof corr.family_name);
	idv_strlcpy(corr.email, "js@example.com", sizeof corr.email);
	corr.correcting = 1u << IDV_PT_EMAIL;
	assert_int_equal(idv_match_select(recs, 6, &corr, idx, 1, &n), IDV_OK);
	assert_int_equal(n, 0);
	assert_string_equal(idv_reason_name(IDV_R_DAY_MONTH_SWAP), "day_month_swap");
	assert_string_equal(idv_reason_name(IDV_R_PO_BOX_VS_STREET), "po_box_vs_street");
	for (int r = 0; r < IDV_R__COUNT; r++)
		assert_non_null(idv_reason_name((enum idv_reason)r));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dob),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_blocking),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
