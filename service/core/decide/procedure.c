/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procedure.c: a business's procedure beyond scoring (procedure.h): its clock, the access
 * limit, agent proofs, retention and what is never disclosed, and the checks that keep a
 * procedure from being weaker than the regulations (R25, R29-R31, R36, R38, R39).
 */
#include "idverify/procedure.h"
#include "idverify/str.h"

static const char *const procedure_proof_names[IDV_AGENT_PROOF__COUNT] = {
	"signed_permission",
	"power_of_attorney",
	"secretary_of_state_registration",
};

static const char *const procedure_secret_names[IDV_SECRET__COUNT] = {
	"social_security_number",  "document_number",  "financial_account_number",
	"health_insurance_number", "account_password", "security_answers",
	"biometric_data",          "date_of_birth",
};

IDV_NAME_LOOKUP_FN(idv_agent_proof, enum idv_agent_proof, procedure_proof_names,
		   IDV_AGENT_PROOF__COUNT, "unknown")

IDV_NAME_LOOKUP_FN(idv_secret_kind, enum idv_secret_kind, procedure_secret_names, IDV_SECRET__COUNT,
		   "unknown")

bool
idv_secret_kind_statutory(enum idv_secret_kind k)
{
	return (unsigned)k < IDV_SECRET__COUNT && k != IDV_SECRET_DATE_OF_BIRTH;
}

/* Field and column names of each kind, as documents, claims and customer records spell them. */
static const struct {
	const char *name;
	enum idv_secret_kind kind;
} procedure_secret_fields[] = {
	{"social_security_number", IDV_SECRET_SSN},
	{"ssn", IDV_SECRET_SSN},
	{"document_number", IDV_SECRET_DOCUMENT_NUMBER},
	{"licence_number", IDV_SECRET_DOCUMENT_NUMBER},
	{"license_number", IDV_SECRET_DOCUMENT_NUMBER},
	{"passport_number", IDV_SECRET_DOCUMENT_NUMBER},
	{"financial_account_number", IDV_SECRET_FINANCIAL},
	{"account_number", IDV_SECRET_FINANCIAL},
	{"card_number", IDV_SECRET_FINANCIAL},
	{"health_insurance_number", IDV_SECRET_HEALTH},
	{"medical_record_number", IDV_SECRET_HEALTH},
	{"account_password", IDV_SECRET_PASSWORD},
	{"password", IDV_SECRET_PASSWORD},
	{"security_answers", IDV_SECRET_SECURITY_ANSWERS},
	{"security_answer", IDV_SECRET_SECURITY_ANSWERS},
	{"biometric_data", IDV_SECRET_BIOMETRIC},
	{"date_of_birth", IDV_SECRET_DATE_OF_BIRTH},
	{"dob", IDV_SECRET_DATE_OF_BIRTH},
};

enum idv_secret_kind
idv_secret_kind_of_field(const char *name)
{
	if (name == NULL)
		return IDV_SECRET__COUNT;
	const char *dot = strrchr(name, '.');
	const char *last = dot != NULL ? dot + 1 : name;
	for (size_t i = 0; i < sizeof procedure_secret_fields / sizeof procedure_secret_fields[0];
	     i++)
		if (strcmp(procedure_secret_fields[i].name, last) == 0)
			return procedure_secret_fields[i].kind;
	return IDV_SECRET__COUNT;
}

bool
idv_procedure_never_discloses(const struct idv_procedure *p, const char *name)
{
	enum idv_secret_kind k = idv_secret_kind_of_field(name);
	return k != IDV_SECRET__COUNT && p->never_disclose[k];
}

void
idv_procedure_defaults(struct idv_procedure *p)
{
	memset(p, 0, sizeof *p);
	p->acknowledge_days = IDV_DEADLINE_ACK_BUSINESS_DAYS;
	p->acknowledge_business_days = true;
	p->respond_days = IDV_DEADLINE_RESPOND_DAYS;
	p->extension_allowed = true;
	p->extension_max_total_days = IDV_DEADLINE_MAX_TOTAL_DAYS;
	p->access_limit_12_months = 2;
	p->retention_months = 24;
	p->agent_proofs[IDV_AGENT_PROOF_SIGNED_PERMISSION] = true;
	p->agent_proofs[IDV_AGENT_PROOF_POWER_OF_ATTORNEY] = true;
	for (int k = 0; k < IDV_SECRET__COUNT; k++)
		p->never_disclose[k] = idv_secret_kind_statutory((enum idv_secret_kind)k);
}

enum idv_err
idv_procedure_validate(const struct idv_procedure *p, char *why, size_t whysz)
{
	const char *w = NULL;
	if (p->acknowledge_days < 1 || p->acknowledge_days > IDV_DEADLINE_ACK_BUSINESS_DAYS)
		w = "acknowledge_days must be 1 to 10 (R29)";
	else if (p->respond_days < 1 || p->respond_days > IDV_DEADLINE_RESPOND_DAYS)
		w = "respond_days must be 1 to 45 (R30)";
	else if (p->extension_allowed &&
		 (p->extension_max_total_days <= p->respond_days ||
		  p->extension_max_total_days > IDV_DEADLINE_MAX_TOTAL_DAYS))
		w = "extension.max_total_days must be after respond_days and at most 90 (R31)";
	else if (p->access_limit_12_months != 0 &&
		 (p->access_limit_12_months < 2 || p->access_limit_12_months > 100))
		w = "access_requests_per_12_months must be 0 (no limit) or 2 to 100 (R38)";
	else if (p->retention_months < 24 || p->retention_months > 120)
		w = "retention_months must be 24 to 120 (R39)";
	else if (!p->agent_proofs[IDV_AGENT_PROOF_POWER_OF_ATTORNEY])
		w = "agent_proofs must accept power_of_attorney (R25)";
	for (int k = 0; w == NULL && k < IDV_SECRET__COUNT; k++)
		if (idv_secret_kind_statutory((enum idv_secret_kind)k) && !p->never_disclose[k])
			w = "never_disclose must list every kind of 11 CCR 7024(d) (R36)";
	return idv_why_invalid(w, why, whysz);
}

enum idv_err
idv_procedure_deadlines(const struct idv_procedure *p, const struct idv_date *received,
			int respond_override, struct idv_deadlines *out)
{
	int days = respond_override != 0 ? respond_override : p->respond_days;
	enum idv_err err = idv_deadline_compute(received, days, out);
	if (err != IDV_OK)
		return err;
	if (p->acknowledge_business_days)
		idv_deadline_add_business_days(received, p->acknowledge_days, &out->acknowledge_by);
	else
		idv_date_from_days(idv_date_to_days(received) + p->acknowledge_days,
				   &out->acknowledge_by);
	return IDV_OK;
}

bool
idv_procedure_extension_limit(const struct idv_procedure *p, const struct idv_date *received,
			      struct idv_date *out)
{
	if (!p->extension_allowed)
		return false;
	idv_date_from_days(idv_date_to_days(received) + p->extension_max_total_days, out);
	return true;
}

enum idv_err
idv_procedure_extend(const struct idv_procedure *p, const struct idv_deadlines *d,
		     bool already_extended, const struct idv_date *today,
		     const struct idv_date *new_due, struct idv_date *out)
{
	struct idv_date limit;
	if (!idv_procedure_extension_limit(p, &d->received, &limit))
		return IDV_E_STATE;
	if (!already_extended && idv_date_to_days(today) <= idv_date_to_days(&d->respond_by) &&
	    idv_date_to_days(new_due) > idv_date_to_days(&limit))
		return IDV_E_INVAL;
	return idv_deadline_extend(d, already_extended, today, new_due, out);
}

bool
idv_procedure_access_refused(const struct idv_procedure *p, long answered)
{
	return p->access_limit_12_months > 0 && answered >= p->access_limit_12_months;
}

bool
idv_procedure_agent_proof_accepted(const struct idv_procedure *p, enum idv_agent_proof proof)
{
	return (unsigned)proof < IDV_AGENT_PROOF__COUNT && p->agent_proofs[proof];
}
