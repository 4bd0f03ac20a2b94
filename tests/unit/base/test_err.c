/* SPDX-License-Identifier: Apache-2.0 */
/* test_err.c: every error has a stable name, a sentence and an HTTP problem (err.h). */
#include "unit.h"

#include <stdio.h>

#include "idverify/common.h"

static void
test_every_error_described(void **state)
{
	(void)state;
	for (int e = 0; e < IDV_E__COUNT; e++) {
		const char *name = idv_err_name((enum idv_err)e);
		const char *text = idv_err_str((enum idv_err)e);
		const struct idv_problem *p = idv_err_problem((enum idv_err)e);
		assert_non_null(name);
		assert_non_null(text);
		assert_non_null(p);
		assert_string_not_equal(name, "unknown");
		assert_true(p->status >= 200 && p->status <= 599);
		assert_non_null(p->title);
		if (e == IDV_OK)
			continue;
		/* Every failure is a 4xx or 5xx with a type under the project's prefix. */
		assert_true(p->status >= 400);
		assert_memory_equal(p->type, IDV_PROBLEM_PREFIX, strlen(IDV_PROBLEM_PREFIX));
		/* Names are unique (they are stable identifiers). */
		for (int k = 0; k < e; k++)
			assert_string_not_equal(name, idv_err_name((enum idv_err)k));
	}
}

static void
test_published_mapping(void **state)
{
	(void)state;
	/* Problem types and statuses are published: they never change. */
	static const struct {
		enum idv_err e;
		int status;
		const char *type;
		const char *name;
	} pub[] = {
		{IDV_E_TOOBIG, 413, IDV_PROBLEM_PREFIX "too-large", "too_big"},
		{IDV_E_PARSE, 400, IDV_PROBLEM_PREFIX "malformed", "parse"},
		{IDV_E_NOTFOUND, 404, IDV_PROBLEM_PREFIX "not-found", "not_found"},
		{IDV_E_UNAUTH, 401, IDV_PROBLEM_PREFIX "unauthorized", "unauthorized"},
		{IDV_E_FORBIDDEN, 403, IDV_PROBLEM_PREFIX "forbidden", "forbidden"},
		{IDV_E_LIMIT, 429, IDV_PROBLEM_PREFIX "rate-limited", "limit"},
		{IDV_E_CONFLICT, 409, IDV_PROBLEM_PREFIX "conflict", "conflict"},
		{IDV_E_UNSUPPORTED, 415, IDV_PROBLEM_PREFIX "unsupported-format", "unsupported"},
		{IDV_E_DB, 500, IDV_PROBLEM_PREFIX "internal", "db"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(pub); i++) {
		const struct idv_problem *p = idv_err_problem(pub[i].e);
		assert_int_equal(p->status, pub[i].status);
		assert_string_equal(p->type, pub[i].type);
		assert_string_equal(idv_err_name(pub[i].e), pub[i].name);
	}
	/* Internal failures share one problem: nothing about the cause leaks to a client. */
	assert_string_equal(idv_err_problem(IDV_E_IO)->type, idv_err_problem(IDV_E_CRYPTO)->type);
}

static void
test_out_of_range(void **state)
{
	(void)state;
	enum idv_err bad[] = {IDV_E__COUNT, (enum idv_err)1000, (enum idv_err)-1};
	for (size_t i = 0; i < IDV_ARRAY_LEN(bad); i++) {
		assert_string_equal(idv_err_name(bad[i]), "unknown");
		assert_string_equal(idv_err_str(bad[i]), "unknown error");
		assert_int_equal(idv_err_problem(bad[i])->status, 500);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_error_described),
		cmocka_unit_test(test_published_mapping),
		cmocka_unit_test(test_out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
