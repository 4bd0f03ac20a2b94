/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/csv.h"

/* Parse all rows into "a|b|c\n" lines (cells joined by '|'), or "ERR <err> @<line>". */
static void
csv_dump(const char *in, size_t len, char *out, size_t outsz, size_t scratch_size,
	 size_t max_cells)
{
	char scratch[256];
	struct idv_csv_cell cells[8];
	struct idv_csv csv;
	size_t n, o = 0;
	enum idv_err e;
	assert_true(scratch_size <= sizeof scratch && max_cells <= 8);
	idv_csv_init(&csv, (const uint8_t *)in, len, scratch, scratch_size, cells, max_cells);
	out[0] = '\0';
	while ((e = idv_csv_next(&csv, &n)) == IDV_OK) {
		for (size_t i = 0; i < n; i++) {
			int k = snprintf(out + o, outsz - o, "%s%s", i ? "|" : "", cells[i].p);
			assert_true(k >= 0 && (size_t)k < outsz - o);
			o += (size_t)k;
			assert_int_equal(strlen(cells[i].p), cells[i].len);
		}
		int k = snprintf(out + o, outsz - o, "@%zu\n", csv.row_line);
		assert_true(k >= 0 && (size_t)k < outsz - o);
		o += (size_t)k;
	}
	if (e != IDV_E_NOTFOUND) {
		int k = snprintf(out + o, outsz - o, "ERR %s @%zu", idv_err_name(e), csv.err_line);
		assert_true(k >= 0 && (size_t)k < outsz - o);
	}
	/* Sticky: the error (or the end) repeats. */
	assert_int_equal(idv_csv_next(&csv, &n), e);
}

static void
test_csv_table(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{"a,b,c\n", "a|b|c@1\n"},
		{"a,b,c", "a|b|c@1\n"},
		{"a,b\r\nc,d\r\n", "a|b@1\nc|d@2\n"},
		{"a,b\rc\n", "a|b\rc@1\n"}, /* a lone CR inside a field is data */
		{"a,b\r", "a|b@1\n"},
		{",,\n", "||@1\n"},
		{"\"a,b\",c\n", "a,b|c@1\n"},
		{"\"say \"\"hi\"\"\",x\n", "say \"hi\"|x@1\n"},
		{"\"multi\nline\",z\nnext,row\n", "multi\nline|z@1\nnext|row@3\n"},
		{"\n\nA,B\n\n\nC,D\n", "A|B@3\nC|D@6\n"},
		{"\xEF\xBB\xBFid,name\n1,x\n", "id|name@1\n1|x@2\n"},
		{"\"\"\n", "@1\n"},
		{"M\xC3\xBCller,Jos\xC3\xA9\n", "M\xC3\xBCller|Jos\xC3\xA9@1\n"},
		{"\"open,b\n", "ERR parse @1"},
		{"a\n\"x\ny\"z\n", "a@1\nERR parse @2"},
		{"ab\"c,d\n", "ERR parse @1"},
		{"\"ab\"c,d\n", "ERR parse @1"},
		{"ok,row\nbad\"x\n", "ok|row@1\nERR parse @2"},
		{"", ""},
		{"\n\r\n", ""},
	};
	char out[512];
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		csv_dump(cases[i].in, strlen(cases[i].in), out, sizeof out, 256, 8);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu: got [%s] want [%s]", i, out, cases[i].out);
	}
}

static void
test_csv_limits(void **state)
{
	(void)state;
	char out[512];
	/* Too many cells for the array. */
	csv_dump("a,b,c,d\n", 8, out, sizeof out, 256, 3);
	assert_string_equal(out, "ERR too_big @1");
	/* Exactly as many cells as the array holds. */
	csv_dump("a,b,c\n", 6, out, sizeof out, 256, 3);
	assert_string_equal(out, "a|b|c@1\n");
	/* Values that do not fit the scratch buffer: "abcd" needs 5 bytes with its NUL. */
	csv_dump("abcd\n", 5, out, sizeof out, 4, 3);
	assert_string_equal(out, "ERR too_big @1");
	csv_dump("abc\n", 4, out, sizeof out, 4, 3);
	assert_string_equal(out, "abc@1\n");
	/* A NUL byte is refused. */
	csv_dump("a,b\0c\n", 6, out, sizeof out, 256, 8);
	assert_string_equal(out, "ERR parse @1");
}

/* Every split of a buffer handled through lengths only (no reliance on a NUL). */
static void
test_csv_no_nul(void **state)
{
	(void)state;
	const char src[] = "x,\"y\"\nz";
	char out[128];
	for (size_t len = 0; len <= sizeof src - 1; len++) {
		char *copy = idv_malloc(len ? len : 1);
		memcpy(copy, src, len);
		csv_dump(copy, len, out, sizeof out, 256, 8);
		free(copy);
	}
	csv_dump(src, 3, out, sizeof out, 256, 8);
	assert_string_equal(out, "ERR parse @1");
	csv_dump(src, 5, out, sizeof out, 256, 8);
	assert_string_equal(out, "x|y@1\n");
	csv_dump(src, 7, out, sizeof out, 256, 8);
	assert_string_equal(out, "x|y@1\nz@2\n");
}

static void
test_csv_header_map(void **state)
{
	(void)state;
	static const char *const names[] = {"id", "family_name", "postal_code"};
	char scratch[128];
	struct idv_csv_cell cells[8];
	struct idv_csv csv;
	size_t n, dup = 99;
	int idx[3];
	const char *hdr = "Postal_Code, id ,extra,FAMILY_NAME\n";
	idv_csv_init(&csv, (const uint8_t *)hdr, strlen(hdr), scratch, sizeof scratch, cells, 8);
	assert_int_equal(idv_csv_next(&csv, &n), IDV_OK);
	assert_int_equal(idv_csv_header_map(cells, n, names, 3, idx, &dup), IDV_OK);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 3);
	assert_int_equal(idx[2], 0);

	const char *hdr2 = "id,ID\n";
	idv_csv_init(&csv, (const uint8_t *)hdr2, strlen(hdr2), scratch, sizeof scratch, cells, 8);
	assert_int_equal(idv_csv_next(&csv, &n), IDV_OK);
	assert_int_equal(idv_csv_header_map(cells, n, names, 3, idx, &dup), IDV_E_CONFLICT);
	assert_int_equal(dup, 0);

	const char *hdr3 = "family_name\n";
	idv_csv_init(&csv, (const uint8_t *)hdr3, strlen(hdr3), scratch, sizeof scratch, cells, 8);
	assert_int_equal(idv_csv_next(&csv, &n), IDV_OK);
	assert_int_equal(idv_csv_header_map(cells, n, names, 3, idx, NULL), IDV_OK);
	assert_int_equal(idx[0], -1);
	assert_int_equal(idx[1], 0);
	assert_int_equal(idx[2], -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_table),
		cmocka_unit_test(test_csv_limits),
		cmocka_unit_test(test_csv_no_nul),
		cmocka_unit_test(test_csv_header_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
