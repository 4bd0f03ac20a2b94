/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procedure.h: the parts of a business's published procedure that are not scoring (the
 * "procedure" object of policy.json, models/README.md): its clock (acknowledgement and response
 * days, the extension rule), how many requests to know it answers per consumer in 12 months,
 * which proofs of an authorized agent's authority it accepts, how long it keeps request records,
 * and which kinds of personal information it never discloses. Pure: dates and counts in,
 * decisions out; loading is service/io/case/model.c.
 *
 * Never weaker than the regulations, checked by idv_procedure_validate(): acknowledgement within
 * 10 business days (R29; calendar days at most 10, never more than 10 business days), a response
 * within 45 days (R30), an extension only to 90 days in all (R31), at least two access answers
 * per 12 months or no limit (R38: the business need not answer more than two, never fewer),
 * records kept at least 24 months (R39), a power of attorney always accepted (R25), and the
 * Civil Code 1798.130 / 11 CCR 7024(d) kinds (R36) always in never_disclose.
 */
#ifndef IDVERIFY_PROCEDURE_H
#define IDVERIFY_PROCEDURE_H

#include "idverify/deadline.h"

/* Proofs of an authorized agent's authority (R24, R25; RULES.md open question 6). */
enum idv_agent_proof {
	IDV_AGENT_PROOF_SIGNED_PERMISSION = 0, /* "signed_permission": the consumer's signed
						  permission (R24) */
	IDV_AGENT_PROOF_POWER_OF_ATTORNEY,     /* "power_of_attorney": Probate Code 4121-4130 */
	IDV_AGENT_PROOF_SOS_REGISTRATION,      /* "secretary_of_state_registration": a business
						  entity registered with the California
						  Secretary of State (Civil Code 1798.140(d)) */
	IDV_AGENT_PROOF__COUNT
};
const char *idv_agent_proof_name(enum idv_agent_proof p);
enum idv_agent_proof idv_agent_proof_lookup(const char *name, size_t len); /* __COUNT: unknown */

/* Kinds of personal information a response never discloses (R36 and what a business adds). */
enum idv_secret_kind {
	IDV_SECRET_SSN = 0,         /* "social_security_number" (R36) */
	IDV_SECRET_DOCUMENT_NUMBER, /* "document_number": driver's licence, state ID, passport (R36) */
	IDV_SECRET_FINANCIAL,       /* "financial_account_number" (R36) */
	IDV_SECRET_HEALTH,          /* "health_insurance_number" (R36, health or medical ID) */
	IDV_SECRET_PASSWORD,        /* "account_password" (R36) */
	IDV_SECRET_SECURITY_ANSWERS, /* "security_answers" (R36) */
	IDV_SECRET_BIOMETRIC,        /* "biometric_data" (R36) */
	IDV_SECRET_DATE_OF_BIRTH,    /* "date_of_birth": not in R36; a business may add it */
	IDV_SECRET__COUNT
};
const char *idv_secret_kind_name(enum idv_secret_kind k);
enum idv_secret_kind idv_secret_kind_lookup(const char *name, size_t len); /* __COUNT: unknown */
/* True for the kinds R36 lists (every policy's never_disclose must hold them). */
bool idv_secret_kind_statutory(enum idv_secret_kind k);
/*
 * The kind of a field or record column by its name ("document_number", "ssn", "date_of_birth",
 * "account_number", ...; a dotted path is judged by its last part: "claims.date_of_birth"), or
 * IDV_SECRET__COUNT when the name is none of them.
 */
enum idv_secret_kind idv_secret_kind_of_field(const char *name);

struct idv_procedure {
	int acknowledge_days;           /* 1..10 */
	bool acknowledge_business_days; /* count business days (R29), else calendar days */
	int respond_days;               /* 1..45, calendar days from receipt (R30) */
	bool extension_allowed;         /* one extension with notice and reason (R31) */
	int extension_max_total_days;   /* respond_days..90 after receipt when allowed */
	int access_limit_12_months;     /* 0 = every verified request to know is answered; else
					   2.. (R38) */
	int retention_months;           /* request records kept, 24..120 (R39) */
	bool agent_proofs[IDV_AGENT_PROOF__COUNT];
	bool never_disclose[IDV_SECRET__COUNT];
};

/* The procedure of the regulations as written: 10 business days, 45 days, one extension to 90,
 * two access answers per 12 months, 24 months, signed permission and power of attorney, the R36
 * kinds. A policy.json without "procedure" gets this. */
void idv_procedure_defaults(struct idv_procedure *p);

/* IDV_E_INVAL with a short reason (no personal data) when p is weaker than the regulations. */
enum idv_err idv_procedure_validate(const struct idv_procedure *p, char *why, size_t whysz);

/*
 * The due dates of a request received on `received`: acknowledge_by per the procedure,
 * respond_by after respond_override days when it is 1..45 (the --respond-days override), else
 * after the procedure's respond_days. IDV_E_INVAL on an invalid date or override.
 */
enum idv_err idv_procedure_deadlines(const struct idv_procedure *p, const struct idv_date *received,
				     int respond_override, struct idv_deadlines *out);

/* The latest date an extension may reach (received + extension_max_total_days), false when the
 * procedure allows none. */
bool idv_procedure_extension_limit(const struct idv_procedure *p, const struct idv_date *received,
				   struct idv_date *out);

/*
 * Extend the response due date under the procedure: as idv_deadline_extend(), with the
 * procedure's total in place of 90 days; IDV_E_STATE when the procedure allows no extension.
 */
enum idv_err idv_procedure_extend(const struct idv_procedure *p, const struct idv_deadlines *d,
				  bool already_extended, const struct idv_date *today,
				  const struct idv_date *new_due, struct idv_date *out);

/* True when a request to know is refused because `answered` requests to know were already
 * answered for this consumer in the last 12 months (R38). */
bool idv_procedure_access_refused(const struct idv_procedure *p, long answered);

/* True when the procedure never discloses the field called name (idv_secret_kind_of_field). */
bool idv_procedure_never_discloses(const struct idv_procedure *p, const char *name);

/* True when an agent's proof counts under the procedure. */
bool idv_procedure_agent_proof_accepted(const struct idv_procedure *p, enum idv_agent_proof proof);

#endif
