/* SPDX-License-Identifier: Apache-2.0 */
/* test_record.c: records (record.h): setters, CSV header maps and rows, the business's rules
 * for one row, and the data point names. */
#include "unit.h"

#include "idverify/record.h"

#define TODAY_2026 20454 /* 2026-01-01, days since 1970-01-01 */

static void
test_set_get(void **state)
{
	(void)state;
	struct idv_record r;
	memset(&r, 0, sizeof r);
	assert_int_equal(idv_record_set(&r, IDV_COL_FAMILY_NAME, "  Müller \t", 11), IDV_OK);
	assert_string_equal(idv_record_get(&r, IDV_COL_FAMILY_NAME), "Müller"); /* trimmed */
	assert_int_equal(idv_record_set(&r, IDV_COL_POSTAL_CODE, "90001", 5), IDV_OK);
	assert_string_equal(r.address.postal_code, "90001");
	char longv[100];
	memset(longv, 'a', sizeof longv);
	assert_int_equal(idv_record_set(&r, IDV_COL_SUFFIX, longv, sizeof longv), IDV_E_TOOBIG);
	assert_int_equal(idv_record_set(&r, IDV_COL_CITY, "\xff\xfe", 2), IDV_E_PARSE);
	assert_int_equal(idv_record_set(&r, IDV_COL__COUNT, "x", 1), IDV_E_INVAL);
	assert_null(idv_record_get(&r, IDV_COL__COUNT));
	assert_int_equal(idv_record_validate(&r), IDV_E_INVAL); /* no id */
	assert_int_equal(idv_record_set(&r, IDV_COL_ID, "r1", 2), IDV_OK);
	assert_int_equal(idv_record_validate(&r), IDV_OK);
}

static void
cells_of(struct idv_csv_cell *cells, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cells[i].p = v[i];
		cells[i].len = strlen(v[i]);
		cells[i].quoted = false;
	}
}

static void
test_header_and_row(void **state)
{
	(void)state;
	struct idv_csv_cell cells[6];
	int map[IDV_COL__COUNT];
	const char *hdr[] = {"Family_Name", "extra", "ID", "date_of_birth"};
	cells_of(cells, hdr, 4);
	assert_int_equal(idv_record_header(cells, 4, map), IDV_OK);
	assert_int_equal(map[IDV_COL_FAMILY_NAME], 0);
	assert_int_equal(map[IDV_COL_ID], 2);
	assert_int_equal(map[IDV_COL_EMAIL], -1);
	const char *row[] = {"Smith", "ignored", "r-7", "1980-02-03"};
	cells_of(cells, row, 4);
	struct idv_record r;
	enum idv_record_col bad = IDV_COL__COUNT;
	assert_int_equal(idv_record_from_row(map, cells, 4, &r, &bad), IDV_OK);
	assert_string_equal(r.id, "r-7");
	assert_string_equal(r.family_name, "Smith");
	assert_string_equal(r.date_of_birth, "1980-02-03");
	/* A short row leaves the missing fields empty; a missing id names the id column. */
	const char *shortrow[] = {"Smith"};
	cells_of(cells, shortrow, 1);
	assert_int_equal(idv_record_from_row(map, cells, 1, &r, &bad), IDV_E_INVAL);
	assert_int_equal(bad, IDV_COL_ID);
	/* Headers: id and family_name are required, no column twice. */
	const char *noid[] = {"family_name", "email"};
	cells_of(cells, noid, 2);
	assert_int_equal(idv_record_header(cells, 2, map), IDV_E_INVAL);
	const char *twice[] = {"id", "family_name", "ID"};
	cells_of(cells, twice, 3);
	assert_int_equal(idv_record_header(cells, 3, map), IDV_E_CONFLICT);
}

static void
row_set(struct idv_record_row *row, enum idv_record_col c, const char *v)
{
	row->v[c] = v;
	row->len[c] = strlen(v);
}

static struct idv_record_row
good_row(void)
{
	struct idv_record_row row;
	memset(&row, 0, sizeof row);
	row_set(&row, IDV_COL_ID, "cust_1.a");
	row_set(&row, IDV_COL_GIVEN_NAME, "Ann");
	row_set(&row, IDV_COL_FAMILY_NAME, "Lee");
	row_set(&row, IDV_COL_DATE_OF_BIRTH, "1990-05-06");
	row_set(&row, IDV_COL_EMAIL, "ann@example.com");
	row_set(&row, IDV_COL_PHONE, "+1 (415) 555-0100");
	row_set(&row, IDV_COL_STATE, "ca");
	row_set(&row, IDV_COL_POSTAL_CODE, "94103-1234");
	return row;
}

static void
test_check_row(void **state)
{
	(void)state;
	char why[128];
	enum idv_record_col bad;
	struct idv_record_row row = good_row();
	assert_int_equal(idv_record_check_row(&row, TODAY_2026, &bad, why, sizeof why), IDV_OK);
	static const struct {
		enum idv_record_col col;
		const char *value;
	} broken[] = {
		{IDV_COL_ID, "a b"},
		{IDV_COL_ID, ""},
		{IDV_COL_GIVEN_NAME, "   "},
		{IDV_COL_DATE_OF_BIRTH, "1990-02-30"},
		{IDV_COL_DATE_OF_BIRTH, "1899-12-31"},
		{IDV_COL_DATE_OF_BIRTH, "2026-01-02"}, /* after today */
		{IDV_COL_EMAIL, "ann.example.com"},
		{IDV_COL_PHONE, "555-0100"},
		{IDV_COL_STATE, "XX"},
		{IDV_COL_POSTAL_CODE, "9410"},
		{IDV_COL_CITY, "Los\tAngeles"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(broken); i++) {
		row = good_row();
		row_set(&row, broken[i].col, broken[i].value);
		bad = IDV_COL__COUNT;
		why[0] = '\0';
		assert_int_equal(idv_record_check_row(&row, TODAY_2026, &bad, why, sizeof why),
				 IDV_E_INVAL);
		assert_int_equal(bad, broken[i].col);
		assert_true(why[0] != '\0');
		/* The rule is named, never the value. */
		if (strlen(broken[i].value) > 3)
			assert_null(strstr(why, broken[i].value));
	}
}

static void
test_points(void **state)
{
	(void)state;
	for (int p = 0; p < IDV_PT__COUNT; p++) {
		const char *n = idv_point_name((enum idv_point)p);
		assert_int_equal(idv_point_lookup(n, strlen(n)), p);
	}
	assert_string_equal(idv_point_name(IDV_PT_DOB), "date_of_birth");
	assert_string_equal(idv_point_name(IDV_PT__COUNT), "unknown");
	assert_int_equal(idv_point_lookup("nam", 3), IDV_PT__COUNT);
	assert_string_equal(idv_record_columns[IDV_COL_POSTAL_CODE], "postal_code");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_get),
		cmocka_unit_test(test_header_and_row),
		cmocka_unit_test(test_check_row),
		cmocka_unit_test(test_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
