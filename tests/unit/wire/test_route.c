/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/route.h"

struct entry {
	struct idv_route_pattern p;
	int id;
};

static const struct entry table[] = {
	{{"GET", "/healthz"}, 1},
	{{"POST", "/v1/requests"}, 2},
	{{"GET", "/v1/requests/{reference}"}, 3},
	{{"POST", "/v1/requests/{reference}/documents"}, 4},
	{{"DELETE", "/v1/requests/{reference}"}, 5},
	{{"GET", "/v1/reviews/{id}/documents/{doc}/image"}, 6},
};

static bool
match(const char *method, const char *path, struct idv_route_match *m)
{
	return idv_route_match(table, IDV_ARRAY_LEN(table), sizeof table[0], method, path,
			       strlen(path), m);
}

static void
test_literal_and_params(void **state)
{
	(void)state;
	struct idv_route_match m;
	assert_true(match("GET", "/healthz", &m));
	assert_int_equal(table[m.index].id, 1);
	assert_true(match("GET", "/v1/requests/ABC-123", &m));
	assert_int_equal(table[m.index].id, 3);
	assert_string_equal(idv_route_param(&m, "reference"), "ABC-123");
	assert_null(idv_route_param(&m, "id"));
	assert_true(match("GET", "/v1/reviews/r1/documents/d2/image", &m));
	assert_string_equal(idv_route_param(&m, "id"), "r1");
	assert_string_equal(idv_route_param(&m, "doc"), "d2");
}

static void
test_not_found_and_method(void **state)
{
	(void)state;
	static const struct {
		const char *method, *path;
		bool known;
		const char *allow;
	} cases[] = {
		{"GET", "/nope", false, ""},
		{"GET", "/healthz/", false, ""},
		{"GET", "/v1/requests/", false, ""},        /* empty parameter */
		{"GET", "/v1/requests/a/b", false, ""},
		{"GET", "/v1/requests/a%2Fb", false, ""},   /* '%' is not a parameter character */
		{"GET", "/v1/requests/a b", false, ""},
		{"PUT", "/v1/requests/abc", true, "GET, DELETE"},
		{"GET", "/v1/requests", true, "POST"},
		{"POST", "/healthz", true, "GET"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		struct idv_route_match m;
		assert_false(match(cases[i].method, cases[i].path, &m));
		assert_int_equal(m.index, -1);
		assert_int_equal(m.path_known, cases[i].known);
		assert_string_equal(m.allow, cases[i].allow);
	}
}

static void
test_long_parameter(void **state)
{
	(void)state;
	char path[256] = "/v1/requests/";
	size_t n = strlen(path);
	memset(path + n, 'a', IDV_ROUTE_PARAM_MAX);
	path[n + IDV_ROUTE_PARAM_MAX] = '\0';
	struct idv_route_match m;
	assert_false(match("GET", path, &m));
	path[n + IDV_ROUTE_PARAM_MAX - 1] = '\0';
	assert_true(match("GET", path, &m));
	assert_int_equal(strlen(idv_route_param(&m, "reference")), IDV_ROUTE_PARAM_MAX - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_and_params),
		cmocka_unit_test(test_not_found_and_method),
		cmocka_unit_test(test_long_parameter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
