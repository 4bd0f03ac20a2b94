/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/name.h"

static const char nick_csv[] = "nickname,formal\n"
			       "# comment\n"
			       "bill,william\n"
			       "will,william\n"
			       "bob,robert\n"
			       "peggy,margaret\n"
			       "jack,john\n"
			       "liz,elizabeth\n"
			       "beth,elizabeth\n";

static struct idv_nicknames nick;

static int
setup(void **state)
{
	(void)state;
	size_t line = 0;
	return idv_nicknames_parse((const uint8_t *)nick_csv, sizeof nick_csv - 1, &nick, &line) ==
			       IDV_OK
		       ? 0
		       : -1;
}

static void
test_fold(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		unsigned flags;
		const char *out;
		enum idv_err err;
	} cases[] = {
		{"  jos\xC3\xA9   garc\xC3\xAD" "a-l\xC3\xB3pez ", 0, "JOSE GARCIA LOPEZ", IDV_OK},
		{"M\xC3\xBCller", 0, "MULLER", IDV_OK},
		{"M\xC3\xBCller", IDV_FOLD_ICAO, "MUELLER", IDV_OK},
		{"Stra\xC3\x9F" "e", 0, "STRASSE", IDV_OK},
		{"\xC3\x85sa \xC3\x98stergaard", IDV_FOLD_ICAO, "AASA OESTERGAARD", IDV_OK},
		{"\xC3\x85sa \xC3\x98stergaard", 0, "ASA OSTERGAARD", IDV_OK},
		{"O'Brien", 0, "OBRIEN", IDV_OK},
		{"O\xE2\x80\x99" "Brien", 0, "OBRIEN", IDV_OK},     /* right single quote */
		{"Jose\xCC\x81", 0, "JOSE", IDV_OK},                 /* combining acute */
		{"\xC5\x81" "ukasz \xC5\xBB\xC3\xB3\xC5\x82w", 0, "LUKASZ ZOLW", IDV_OK},
		{"\xC8\x98tefan", 0, "STEFAN", IDV_OK},
		{"\xC3\x86" "lfred", 0, "AELFRED", IDV_OK},
		{"J.R.R. Tolkien", 0, "J R R TOLKIEN", IDV_OK},
		{"\xE7\x8E\x8B", 0, "#738b", IDV_OK},                /* kept distinguishable */
		{"12 Main St. #4-B", IDV_FOLD_ADDRESS, "12 MAIN ST # 4-B", IDV_OK},
		{"\xC3", 0, "", IDV_E_PARSE},
		{"", 0, "", IDV_OK},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		char out[64];
		enum idv_err e = idv_name_fold(cases[i].in, strlen(cases[i].in), cases[i].flags, out,
					       sizeof out);
		assert_int_equal(e, cases[i].err);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu: got [%s] want [%s]", i, out, cases[i].out);
	}
	/* Too small: ends on a token boundary. */
	char small[10];
	assert_int_equal(idv_name_fold("ANNA MARIA SMITH", 16, 0, small, sizeof small), IDV_E_TOOBIG);
	assert_string_equal(small, "ANNA");
}

static void
test_parse(void **state)
{
	(void)state;
	struct idv_name n;
	assert_int_equal(idv_name_parse("John Robert", "", "Smith Jr.", NULL, &n), IDV_OK);
	assert_int_equal(n.given[0].n, 2);
	assert_int_equal(n.family[0].n, 1);
	assert_string_equal(n.family[0].tok[0], "SMITH");
	assert_string_equal(n.suffix, "JR");
	assert_int_equal(idv_name_parse("Mr John", "Q", "Public", "III", &n), IDV_OK);
	assert_int_equal(n.given[0].n, 2);
	assert_string_equal(n.given[0].tok[0], "JOHN");
	assert_string_equal(n.given[0].tok[1], "Q");
	assert_string_equal(n.suffix, "III");
	assert_int_equal(idv_name_parse("Ann", NULL, "Lee", "Senior", &n), IDV_OK);
	assert_string_equal(n.suffix, "SR");
	assert_int_equal(idv_name_parse("Ann", NULL, "Lee PhD", "", &n), IDV_OK);
	assert_int_equal(n.family[0].n, 1);
	assert_string_equal(n.suffix, "");
	/* "V" at the end of given names is an initial, not a suffix. */
	assert_int_equal(idv_name_parse("John V", NULL, "Doe", NULL, &n), IDV_OK);
	assert_string_equal(n.suffix, "");
	assert_int_equal(n.given[0].n, 2);
	assert_int_equal(idv_name_parse("J\xC3", NULL, "Doe", NULL, &n), IDV_E_PARSE);
	assert_true(idv_name_empty(&n));
}

static void
test_jaro_winkler(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		double lo, hi;
	} cases[] = {
		{"MARTHA", "MARHTA", 0.960, 0.962},     /* the textbook value 0.961 */
		{"DWAYNE", "DUANE", 0.839, 0.841},      /* 0.84 */
		{"DIXON", "DICKSONX", 0.812, 0.814},    /* 0.813 */
		{"SAME", "SAME", 1.0, 1.0},
		{"ABC", "XYZ", 0.0, 0.0},
		{"", "", 1.0, 1.0},
		{"A", "", 0.0, 0.0},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		double v = idv_jaro_winkler(cases[i].a, strlen(cases[i].a), cases[i].b,
					    strlen(cases[i].b));
		if (v < cases[i].lo || v > cases[i].hi)
			fail_msg("case %zu: %s/%s = %f", i, cases[i].a, cases[i].b, v);
		double w = idv_jaro_winkler(cases[i].b, strlen(cases[i].b), cases[i].a,
					    strlen(cases[i].a));
		assert_true(w > v - 1e-9 && w < v + 1e-9); /* symmetric */
	}
}

static void
test_one_edit(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		bool want;
	} cases[] = {
		{"PENNSYLVANIA", "PENSYLVANIA", true}, {"MAIN", "MAIN", true}, {"MAIN", "MAINE", true},
		{"ABCD", "ABDC", true}, {"ABCD", "XBCD", true}, {"ABCD", "BADC", false},
		{"ABCD", "AB", false}, {"", "A", true}, {"", "AB", false}, {"SMITH", "SMYTHE", false},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		assert_int_equal(idv_one_edit(cases[i].a, strlen(cases[i].a), cases[i].b,
					      strlen(cases[i].b)),
				 cases[i].want);
		assert_int_equal(idv_one_edit(cases[i].b, strlen(cases[i].b), cases[i].a,
					      strlen(cases[i].a)),
				 cases[i].want);
	}
}

static void
test_nicknames(void **state)
{
	(void)state;
	assert_int_equal(nick.n, 7);
	assert_true(idv_nickname_score(&nick, "BILL", "WILLIAM") == 0.9);
	assert_true(idv_nickname_score(&nick, "WILLIAM", "BILL") == 0.9);
	assert_true(idv_nickname_score(&nick, "BILL", "WILL") == 0.85);
	assert_true(idv_nickname_score(&nick, "LIZ", "BETH") == 0.85);
	assert_true(idv_nickname_score(&nick, "BOB", "WILLIAM") == 0.0);
	assert_true(idv_nickname_score(NULL, "BILL", "WILLIAM") == 0.0);
	/* Bad tables. */
	struct idv_nicknames *t = idv_malloc(sizeof *t);
	size_t line = 0;
	const char bad1[] = "bill,william\nbob\n";
	assert_int_equal(idv_nicknames_parse((const uint8_t *)bad1, sizeof bad1 - 1, t, &line),
			 IDV_E_PARSE);
	assert_int_equal(line, 2);
	const char bad2[] = "bill,william\nmary ann,marian\n";
	assert_int_equal(idv_nicknames_parse((const uint8_t *)bad2, sizeof bad2 - 1, t, &line),
			 IDV_E_PARSE);
	assert_int_equal(line, 2);
	const char bad3[] = "a,\"b\n";
	assert_int_equal(idv_nicknames_parse((const uint8_t *)bad3, sizeof bad3 - 1, t, &line),
			 IDV_E_PARSE);
	free(t);
}

/* The shipped table (models/nicknames.csv) parses and has the common pairs. */
static void
test_shipped_nicknames(void **state)
{
	(void)state;
	FILE *f = fopen(IDV_SOURCE_ROOT "/models/nicknames.csv", "rb");
	assert_non_null(f);
	static uint8_t buf[64 * 1024];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_true(len > 0 && len < sizeof buf);
	struct idv_nicknames *t = idv_malloc(sizeof *t);
	size_t line = 0;
	assert_int_equal(idv_nicknames_parse(buf, len, t, &line), IDV_OK);
	assert_true(t->n >= 200);
	static const char *const pairs[][2] = {
		{"BILL", "WILLIAM"}, {"BOB", "ROBERT"}, {"PEGGY", "MARGARET"}, {"DICK", "RICHARD"},
		{"PEG", "MARGARET"}, {"JACK", "JOHN"}, {"TED", "EDWARD"}, {"LIZ", "ELIZABETH"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(pairs); i++)
		assert_true(idv_nickname_score(t, pairs[i][0], pairs[i][1]) >= 0.85);
	free(t);
}

struct name_case {
	const char *ag, *af, *as; /* a: given, family, suffix */
	const char *bg, *bf, *bs;
	enum idv_reason reason;
	double lo, hi;
};

static void
test_compare(void **state)
{
	(void)state;
	static const struct name_case cases[] = {
		{"John", "Smith", "", "JOHN", "SMITH", "", IDV_R_EXACT, 1.0, 1.0},
		{"jos\xC3\xA9", "garc\xC3\xAD" "a", "", "Jose", "Garcia", "", IDV_R_EXACT, 1.0, 1.0},
		{"Hans", "M\xC3\xBCller", "", "HANS", "MUELLER", "", IDV_R_TRANSLITERATION, 1.0, 1.0},
		{"Hans", "MUELLER", "", "Hans", "M\xC3\xBCller", "", IDV_R_TRANSLITERATION, 1.0, 1.0},
		{"Hans", "Muller", "", "Hans", "M\xC3\xBCller", "", IDV_R_EXACT, 1.0, 1.0},
		/* typed without diacritics against an MRZ's transliteration (issue 13) */
		{"Jurgen", "Muller", "", "JUERGEN", "MUELLER", "", IDV_R_TRANSLITERATION, 1.0, 1.0},
		{"Bjorn", "Angstrom", "", "BJOERN", "AANGSTROEM", "", IDV_R_TRANSLITERATION, 1.0, 1.0},
		{"Strasse", "Weiss", "", "STRASE", "WEIS", "", IDV_R_TRANSLITERATION, 1.0, 1.0},
		{"Jurgen", "Muller", "", "JUERGEN", "MEYER", "", IDV_R_MISMATCH, 0.0, 0.0},
		{"Maria", "Garcia-Lopez", "", "Maria", "Garcia Lopez", "", IDV_R_EXACT, 1.0, 1.0},
		{"Maria", "GarciaLopez", "", "Maria", "Garcia Lopez", "", IDV_R_EXACT, 1.0, 1.0},
		{"Maria", "Garcia", "", "Maria", "Garcia-Lopez", "", IDV_R_FAMILY_PARTIAL, 0.9, 0.9},
		{"Maria", "Lopez", "", "Maria", "Garcia Lopez", "", IDV_R_FAMILY_PARTIAL, 0.9, 0.9},
		{"Sean", "O'Brien", "", "Sean", "OBrien", "", IDV_R_EXACT, 1.0, 1.0},
		{"Bill", "Jones", "", "William", "Jones", "", IDV_R_NICKNAME, 0.9, 0.9},
		{"Peggy", "Olsen", "", "Margaret", "Olsen", "", IDV_R_NICKNAME, 0.9, 0.9},
		{"Will", "Jones", "", "Bill", "Jones", "", IDV_R_NICKNAME, 0.85, 0.85},
		{"J.", "Smith", "", "John", "Smith", "", IDV_R_INITIAL, 0.8, 0.8},
		{"K", "Smith", "", "John", "Smith", "", IDV_R_MISMATCH, 0.0, 0.0},
		{"Jonathon", "Smith", "", "Jonathan", "Smith", "", IDV_R_TYPO, 0.9, 0.96},
		{"John", "Smtih", "", "John", "Smith", "", IDV_R_TYPO, 0.9, 0.96},
		{"Smith", "John", "", "John", "Smith", "", IDV_R_SWAPPED, 0.95, 0.95},
		{"John", "Smith", "Jr", "John", "Smith", "Sr", IDV_R_SUFFIX_CONFLICT, 0.3, 0.3},
		{"John", "Smith Jr", "", "John", "Smith", "JR", IDV_R_EXACT, 1.0, 1.0},
		{"John", "Smith", "", "John", "Smith", "II", IDV_R_EXACT, 1.0, 1.0},
		{"John", "Smith", "2nd", "John", "Smith", "II", IDV_R_EXACT, 1.0, 1.0},
		{"John", "Smith", "III", "John", "Smith", "IV", IDV_R_SUFFIX_CONFLICT, 0.3, 0.3},
		{"John Robert", "Smith", "", "John Michael", "Smith", "", IDV_R_MIDDLE_CONFLICT, 0.5, 0.5},
		{"John R", "Smith", "", "John Robert", "Smith", "", IDV_R_EXACT, 1.0, 1.0},
		{"John", "Smith", "", "John Robert", "Smith", "", IDV_R_EXACT, 1.0, 1.0},
		{"Robert", "Smith", "", "John Robert", "Smith", "", IDV_R_MIDDLE_AS_GIVEN, 0.85, 0.85},
		{"Mary Ann", "Lee", "", "Maryann", "Lee", "", IDV_R_EXACT, 1.0, 1.0},
		{"Anna", "Doe", "", "Anne", "Doe", "", IDV_R_MISMATCH, 0.0, 0.0},
		{"Alice", "Doe", "", "Anna", "Doe", "", IDV_R_MISMATCH, 0.0, 0.0},
		{"John", "Smith", "", "John", "Jones", "", IDV_R_MISMATCH, 0.0, 0.0},
		{"Mark", "Smith", "", "Marc", "Smith", "", IDV_R_MISMATCH, 0.0, 0.0},
		{"", "", "", "John", "Smith", "", IDV_R_MISSING, 0.0, 0.0},
		{"", "Suharto", "", "", "Suharto", "", IDV_R_EXACT, 1.0, 1.0}, /* mononyms */
		{"Madonna", "", "", "Madonna", "", "", IDV_R_EXACT, 1.0, 1.0},
		{"", "Suharto", "", "Ali", "Suharto", "", IDV_R_MISSING, 0.0, 0.0},
		{"John", "St. John", "", "John", "Saint John", "", IDV_R_EXACT, 1.0, 1.0},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		const struct name_case *c = &cases[i];
		struct idv_name a, b;
		struct idv_match m, r;
		assert_int_equal(idv_name_parse(c->ag, NULL, c->af, c->as, &a), IDV_OK);
		assert_int_equal(idv_name_parse(c->bg, NULL, c->bf, c->bs, &b), IDV_OK);
		idv_name_compare(&a, &b, &nick, &m);
		if (m.reason != c->reason || m.score < c->lo - 1e-9 || m.score > c->hi + 1e-9)
			fail_msg("case %zu (%s %s / %s %s): %s %f, want %s [%f,%f]", i, c->ag, c->af,
				 c->bg, c->bf, idv_reason_name(m.reason), m.score,
				 idv_reason_name(c->reason), c->lo, c->hi);
		/* Symmetric in score. */
		idv_name_compare(&b, &a, &nick, &r);
		if (r.score < m.score - 1e-9 || r.score > m.score + 1e-9)
			fail_msg("case %zu: not symmetric (%f vs %f)", i, m.score, r.score);
	}
}

static void
test_compare_full(void **state)
{
	(void)state;
	static const struct {
		const char *full;
		const char *bg, *bf;
		enum idv_reason reason;
		double lo;
	} cases[] = {
		{"JOHN Q SMITH", "John Quincy", "Smith", IDV_R_EXACT, 1.0},
		{"Smith, John", "John", "Smith", IDV_R_EXACT, 1.0},
		{"SMITH JOHN", "John", "Smith", IDV_R_SWAPPED, 0.95},
		{"Maria Garcia Lopez", "Maria", "Garcia Lopez", IDV_R_EXACT, 1.0},
		{"Maria Garcia Lopez", "Maria", "Garcia", IDV_R_FAMILY_PARTIAL, 0.9},
		{"Jane Doe; John Smith", "John", "Smith", IDV_R_EXACT, 1.0},
		{"Jane Doe & Bill Smith", "William", "Smith", IDV_R_NICKNAME, 0.9},
		{"Jane Doe and John Smith", "John", "Smith", IDV_R_EXACT, 1.0},
		{"Mr John Smith Jr", "John", "Smith", IDV_R_EXACT, 1.0},
		{"Jane Doe", "John", "Smith", IDV_R_MISMATCH, 0.0},
		{"Smith", "John", "Smith", IDV_R_MISMATCH, 0.0},
		{"", "John", "Smith", IDV_R_MISSING, 0.0},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		struct idv_name b;
		struct idv_match m;
		assert_int_equal(idv_name_parse(cases[i].bg, NULL, cases[i].bf, NULL, &b), IDV_OK);
		idv_name_compare_full(cases[i].full, &b, &nick, &m);
		if (m.reason != cases[i].reason || m.score < cases[i].lo - 1e-9 ||
		    (cases[i].lo == 0.0 && m.score > 0.0))
			fail_msg("case %zu (%s): %s %f", i, cases[i].full, idv_reason_name(m.reason),
				 m.score);
	}
}

/* Issue 19, finding 10: a holder longer than the comparison buffer (256 bytes) whose comma
 * lies past the clamp. name.c clamped the length after looking for the comma, so the family
 * part was copied past its buffer and the given part's length wrapped around. */
static void
test_compare_full_long_holder(void **state)
{
	(void)state;
	struct idv_name b;
	assert_int_equal(idv_name_parse("John", NULL, "Smith", NULL, &b), IDV_OK);
	char full[1200];
	for (size_t at = 250; at < 1100; at += 137) {
		memset(full, 'A', sizeof full);
		memcpy(full + at, ", John", 6);
		full[at + 6] = '\0';
		for (size_t k = 40; k < at; k += 41)
			full[k] = ' '; /* words, as a name would have */
		struct idv_match m;
		idv_name_compare_full(full, &b, &nick, &m);
		assert_true(m.score >= 0.0 && m.score < 0.5);
	}
	/* a comma inside the clamp still splits family and given names */
	memset(full, 0, sizeof full);
	memcpy(full, "Smith, John", 11);
	memset(full + 11, ' ', 300);
	memcpy(full + 311, "Extra", 5);
	struct idv_match m;
	idv_name_compare_full(full, &b, &nick, &m);
	assert_true(m.score >= 0.9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_jaro_winkler),
		cmocka_unit_test(test_one_edit),
		cmocka_unit_test(test_nicknames),
		cmocka_unit_test(test_shipped_nicknames),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_compare_full),
		cmocka_unit_test(test_compare_full_long_holder),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
