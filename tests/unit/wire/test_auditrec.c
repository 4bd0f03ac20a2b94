/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/auditrec.h"

static void
test_canon_form(void **state)
{
	(void)state;
	uint8_t prev[IDV_AUDIT_MAC_LEN] = {0}, out[IDV_AUDIT_CANON_MAX];
	size_t len;
	struct idv_audit_entry e = {7, 1735732800, "key:ab12", "case.created", "ABCD-EFGH", "{}"};
	prev[0] = 0xfe;
	assert_int_equal(idv_audit_canon(&e, prev, out, sizeof out, &len), IDV_OK);
	const char *want = "idverify-audit-v1\n1:7\n10:1735732800\n8:key:ab12\n12:case.created\n"
			   "9:ABCD-EFGH\n2:{}\n64:fe000000000000000000000000000000000000000000000000"
			   "00000000000000\n";
	assert_int_equal(len, strlen(want));
	assert_memory_equal(out, want, len);
}

static void
test_canon_injective(void **state)
{
	(void)state;
	/* Moving bytes between fields must change the canonical form. */
	uint8_t prev[IDV_AUDIT_MAC_LEN] = {0}, a[IDV_AUDIT_CANON_MAX], b[IDV_AUDIT_CANON_MAX];
	size_t la, lb;
	struct idv_audit_entry x = {1, 2, "system", "case.decided", "AB", "C"};
	struct idv_audit_entry y = {1, 2, "system", "case.decided", "A", "BC"};
	assert_int_equal(idv_audit_canon(&x, prev, a, sizeof a, &la), IDV_OK);
	assert_int_equal(idv_audit_canon(&y, prev, b, sizeof b, &lb), IDV_OK);
	assert_false(la == lb && memcmp(a, b, la) == 0);
	/* and the previous link is part of it */
	prev[31] = 1;
	assert_int_equal(idv_audit_canon(&x, prev, b, sizeof b, &lb), IDV_OK);
	assert_false(la == lb && memcmp(a, b, la) == 0);
}

static void
test_refusals(void **state)
{
	(void)state;
	uint8_t prev[IDV_AUDIT_MAC_LEN] = {0}, out[IDV_AUDIT_CANON_MAX], tiny[40];
	size_t len;
	static const struct {
		const char *actor, *event;
		enum idv_err want;
	} v[] = {
		{"system", "case.created", IDV_OK},   {"admin", "key.created", IDV_OK},
		{"agent:CR_AA_DRP_ID_001", "drp.exercise", IDV_OK},
		{"platform:fides", "platform.request", IDV_OK},
		{"platform:", "platform.request", IDV_E_INVAL},
		{"consumer:IDV-7K2M-9QX4-T", "agent.consumer_confirmed", IDV_OK},
		{"web-agent:IDV-7K2M-9QX4-T", "case.created", IDV_OK},
		{"consumer:", "agent.consumer_confirmed", IDV_E_INVAL},
		{"anonymous", "contact_code.wrong", IDV_OK},
		{"case:ABCD-1234", "case.withdrawn", IDV_OK},
		{"root", "case.created", IDV_E_INVAL}, {"key:", "case.created", IDV_E_INVAL},
		{"key:a b", "case.created", IDV_E_INVAL}, {"system", "Case", IDV_E_INVAL},
		{"system", "", IDV_E_INVAL},           {"case:x\n", "a", IDV_E_INVAL},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(v); i++) {
		struct idv_audit_entry e = {1, 1, v[i].actor, v[i].event, "", ""};
		assert_int_equal(idv_audit_canon(&e, prev, out, sizeof out, &len), v[i].want);
	}
	struct idv_audit_entry e = {1, 1, "system", "case.created", "", ""};
	assert_int_equal(idv_audit_canon(&e, prev, tiny, sizeof tiny, &len), IDV_E_TOOBIG);
	e.detail = NULL;
	assert_int_equal(idv_audit_canon(&e, prev, out, sizeof out, &len), IDV_E_INVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canon_form),
		cmocka_unit_test(test_canon_injective),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
