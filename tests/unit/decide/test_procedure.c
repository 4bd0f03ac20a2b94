/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/procedure.h"
#include "idverify/verdict.h"

static struct idv_date
D(const char *s)
{
	struct idv_date d;
	assert_int_equal(idv_date_parse(s, strlen(s), &d), IDV_OK);
	return d;
}

static void
assert_date(const struct idv_date *d, const char *want)
{
	char s[11];
	idv_date_format(d, s);
	assert_string_equal(s, want);
}

static void
test_defaults_are_the_regulations(void **state)
{
	(void)state;
	struct idv_procedure p;
	idv_procedure_defaults(&p);
	assert_int_equal(idv_procedure_validate(&p, NULL, 0), IDV_OK);
	struct idv_date rec = D("2026-06-01"), lim;
	struct idv_deadlines dl;
	assert_int_equal(idv_procedure_deadlines(&p, &rec, 0, &dl), IDV_OK);
	assert_date(&dl.acknowledge_by, "2026-06-15"); /* 10 business days */
	assert_date(&dl.respond_by, "2026-07-16");     /* 45 days */
	assert_true(idv_procedure_extension_limit(&p, &rec, &lim));
	assert_date(&lim, "2026-08-30");
	/* the --respond-days override */
	assert_int_equal(idv_procedure_deadlines(&p, &rec, 30, &dl), IDV_OK);
	assert_date(&dl.respond_by, "2026-07-01");
	assert_int_equal(idv_procedure_deadlines(&p, &rec, 46, &dl), IDV_E_INVAL);
}

static void
test_policy_clock(void **state)
{
	(void)state;
	struct idv_procedure p;
	idv_procedure_defaults(&p);
	p.respond_days = 30;
	p.acknowledge_days = 10;
	p.acknowledge_business_days = false;
	p.extension_max_total_days = 75;
	assert_int_equal(idv_procedure_validate(&p, NULL, 0), IDV_OK);
	struct idv_date rec = D("2026-06-01"), out;
	struct idv_deadlines dl;
	assert_int_equal(idv_procedure_deadlines(&p, &rec, 0, &dl), IDV_OK);
	assert_date(&dl.acknowledge_by, "2026-06-11");
	assert_date(&dl.respond_by, "2026-07-01");
	struct idv_date today = D("2026-06-20"), due = D("2026-08-15"); /* 75 days */
	assert_int_equal(idv_procedure_extend(&p, &dl, false, &today, &due, &out), IDV_OK);
	due = D("2026-08-16");
	assert_int_equal(idv_procedure_extend(&p, &dl, false, &today, &due, &out), IDV_E_INVAL);
	p.extension_allowed = false;
	assert_false(idv_procedure_extension_limit(&p, &rec, &out));
	assert_int_equal(idv_procedure_extend(&p, &dl, false, &today, &due, &out), IDV_E_STATE);
}

static void
test_never_weaker_than_the_law(void **state)
{
	(void)state;
	struct idv_procedure p;
	char why[128];
	static const struct {
		int field, value;
	} bad[] = {{0, 11}, {0, 0}, {1, 46}, {2, 91}, {2, 40}, {3, 1}, {4, 23}};
	for (size_t i = 0; i < IDV_ARRAY_LEN(bad); i++) {
		idv_procedure_defaults(&p);
		int *f[] = {&p.acknowledge_days, &p.respond_days, &p.extension_max_total_days,
			    &p.access_limit_12_months, &p.retention_months};
		*f[bad[i].field] = bad[i].value;
		assert_int_equal(idv_procedure_validate(&p, why, sizeof why), IDV_E_INVAL);
	}
	idv_procedure_defaults(&p);
	p.agent_proofs[IDV_AGENT_PROOF_POWER_OF_ATTORNEY] = false;
	assert_int_equal(idv_procedure_validate(&p, why, sizeof why), IDV_E_INVAL);
	idv_procedure_defaults(&p);
	p.never_disclose[IDV_SECRET_SSN] = false;
	assert_int_equal(idv_procedure_validate(&p, why, sizeof why), IDV_E_INVAL);
	idv_procedure_defaults(&p);
	p.access_limit_12_months = 0; /* answering every request is more than the law asks */
	assert_int_equal(idv_procedure_validate(&p, why, sizeof why), IDV_OK);
}

static void
test_apply(void **state)
{
	(void)state;
	struct idv_policy pol;
	idv_policy_defaults(&pol);
	struct idv_decision d;
	struct idv_request_facts f = {0};
	memset(&d, 0, sizeof d);
	d.outcome = IDV_OUT_VERIFIED;
	d.has_record = true;
	d.request_type = IDV_REQ_KNOW_CATEGORIES;
	f.access_answered_12_months = 1;
	assert_false(idv_score_apply_procedure(&pol, &f, &d));
	f.access_answered_12_months = 2;
	assert_true(idv_score_apply_procedure(&pol, &f, &d));
	assert_string_equal(d.reasons[d.nreasons - 1].code, "access_limit_reached");
	pol.procedure.access_limit_12_months = 0;
	memset(&d, 0, sizeof d);
	d.outcome = IDV_OUT_VERIFIED;
	d.has_record = true;
	d.request_type = IDV_REQ_KNOW_CATEGORIES;
	assert_false(idv_score_apply_procedure(&pol, &f, &d));
	/* a delete is never counted */
	idv_policy_defaults(&pol);
	d.request_type = IDV_REQ_DELETE;
	assert_false(idv_score_apply_procedure(&pol, &f, &d));
	/* agents */
	f.by_agent = true;
	f.agent_proof = IDV_AGENT_PROOF_SOS_REGISTRATION;
	assert_false(idv_score_apply_procedure(&pol, &f, &d));
	assert_int_equal(d.outcome, IDV_OUT_NOT_VERIFIED);
	assert_string_equal(d.reasons[d.nreasons - 1].code, "agent_proof_not_accepted");
	d.outcome = IDV_OUT_VERIFIED;
	f.agent_proof = IDV_AGENT_PROOF_POWER_OF_ATTORNEY;
	idv_score_apply_procedure(&pol, &f, &d);
	assert_int_equal(d.outcome, IDV_OUT_MANUAL_REVIEW);
}

static void
test_names(void **state)
{
	(void)state;
	for (int i = 0; i < IDV_AGENT_PROOF__COUNT; i++) {
		const char *n = idv_agent_proof_name((enum idv_agent_proof)i);
		assert_int_equal(idv_agent_proof_lookup(n, strlen(n)), i);
	}
	for (int i = 0; i < IDV_SECRET__COUNT; i++) {
		const char *n = idv_secret_kind_name((enum idv_secret_kind)i);
		assert_int_equal(idv_secret_kind_lookup(n, strlen(n)), i);
	}
	assert_int_equal(idv_agent_proof_lookup("notary", 6), IDV_AGENT_PROOF__COUNT);
	assert_false(idv_secret_kind_statutory(IDV_SECRET_DATE_OF_BIRTH));
}

static void
test_never_disclosed_fields(void **state)
{
	(void)state;
	/* every kind's own name is a field of that kind */
	for (int i = 0; i < IDV_SECRET__COUNT; i++)
		assert_int_equal(idv_secret_kind_of_field(
					 idv_secret_kind_name((enum idv_secret_kind)i)),
				 i);
	assert_int_equal(idv_secret_kind_of_field("document.D1.0.document_number"),
			 IDV_SECRET_DOCUMENT_NUMBER);
	assert_int_equal(idv_secret_kind_of_field("record.ssn"), IDV_SECRET_SSN);
	assert_int_equal(idv_secret_kind_of_field("claims.date_of_birth"),
			 IDV_SECRET_DATE_OF_BIRTH);
	assert_int_equal(idv_secret_kind_of_field("claims.email"), IDV_SECRET__COUNT);
	assert_int_equal(idv_secret_kind_of_field("document_number_x"), IDV_SECRET__COUNT);
	assert_int_equal(idv_secret_kind_of_field(NULL), IDV_SECRET__COUNT);
	struct idv_procedure p;
	idv_procedure_defaults(&p);
	assert_true(idv_procedure_never_discloses(&p, "document.D1.0.document_number"));
	assert_true(idv_procedure_never_discloses(&p, "record.ssn"));
	assert_false(idv_procedure_never_discloses(&p, "claims.date_of_birth")); /* not R36 */
	p.never_disclose[IDV_SECRET_DATE_OF_BIRTH] = true;
	assert_true(idv_procedure_never_discloses(&p, "claims.date_of_birth"));
	assert_false(idv_procedure_never_discloses(&p, "claims.phone"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_the_regulations),
		cmocka_unit_test(test_policy_clock),
		cmocka_unit_test(test_never_weaker_than_the_law),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_never_disclosed_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
