/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/score.h"

#define TODAY "2026-06-01"

static struct idv_record recs[6];
static struct idv_nicknames nick;

static void
rec(struct idv_record *r, const char *id, const char *given, const char *family,
    const char *suffix, const char *dob, const char *email, const char *phone, const char *street,
    const char *unit, const char *zip)
{
	memset(r, 0, sizeof *r);
	idv_strlcpy(r->id, id, sizeof r->id);
	idv_strlcpy(r->given_name, given, sizeof r->given_name);
	idv_strlcpy(r->family_name, family, sizeof r->family_name);
	idv_strlcpy(r->suffix, suffix, sizeof r->suffix);
	idv_strlcpy(r->date_of_birth, dob, sizeof r->date_of_birth);
	idv_strlcpy(r->email, email, sizeof r->email);
	idv_strlcpy(r->phone, phone, sizeof r->phone);
	idv_strlcpy(r->address.street, street, sizeof r->address.street);
	idv_strlcpy(r->address.unit, unit, sizeof r->address.unit);
	idv_strlcpy(r->address.city, "Oakland", sizeof r->address.city);
	idv_strlcpy(r->address.state, "CA", sizeof r->address.state);
	idv_strlcpy(r->address.postal_code, zip, sizeof r->address.postal_code);
}

static int
setup(void **state)
{
	(void)state;
	rec(&recs[0], "A", "Alice", "Doe", "", "1995-09-09", "alice@example.com", "+15105550105",
	    "17 Elm St", "Unit 3", "94607");
	rec(&recs[1], "B", "Anna", "Doe", "", "1995-09-09", "anna@example.com", "+15105550106",
	    "17 Elm St", "Unit 3", "94607");
	rec(&recs[2], "S", "Robert", "Miller", "Sr", "1955-04-12", "bob@example.com",
	    "+19165550107", "900 Pine St", "", "94601");
	rec(&recs[3], "J", "Robert", "Miller", "Jr", "1984-08-03", "rob@example.com",
	    "+19165550108", "900 Pine St", "", "94601");
	rec(&recs[4], "W", "William", "Jones", "", "1972-06-15", "bill@example.org", "+16195550103",
	    "800 Sunset Blvd", "", "94610");
	rec(&recs[5], "C", "Christine", "Lee", "", "1968-09-01", "c@example.com", "+14155550121",
	    "5 Ocean View Ter", "", "94612");
	const char table[] = "bill,william\nbob,robert\nchris,christine\nchris,christopher\n";
	return idv_nicknames_parse((const uint8_t *)table, sizeof table - 1, &nick, NULL) == IDV_OK
		       ? 0
		       : -1;
}

static int64_t
today(void)
{
	struct idv_date d;
	if (idv_date_parse(TODAY, 10, &d) != IDV_OK)
		return 0;
	return idv_date_to_days(&d);
}

/* Claims typed from a record: which points to copy. */
enum { C_DOB = 1, C_EMAIL = 2, C_PHONE = 4, C_ADDR = 8 };

static void
claims_from(struct idv_claims *c, const struct idv_record *r, unsigned what)
{
	memset(c, 0, sizeof *c);
	idv_strlcpy(c->given_names, r->given_name, sizeof c->given_names);
	idv_strlcpy(c->family_name, r->family_name, sizeof c->family_name);
	if (what & C_DOB)
		idv_strlcpy(c->date_of_birth, r->date_of_birth, sizeof c->date_of_birth);
	if (what & C_EMAIL)
		idv_strlcpy(c->email, r->email, sizeof c->email);
	if (what & C_PHONE)
		idv_strlcpy(c->phone, r->phone, sizeof c->phone);
	if (what & C_ADDR)
		c->address = r->address;
}

/* A licence of record r, read from its barcode. */
static void
licence_of(struct idv_document *d, const struct idv_record *r, const char *expiry)
{
	idv_document_init(d);
	d->kind = IDV_DOC_DRIVERS_LICENSE;
	struct {
		enum idv_field_id id;
		const char *v;
	} f[] = {
		{IDV_F_FAMILY_NAME, r->family_name}, {IDV_F_GIVEN_NAMES, r->given_name},
		{IDV_F_NAME_SUFFIX, r->suffix},      {IDV_F_DATE_OF_BIRTH, r->date_of_birth},
		{IDV_F_EXPIRY_DATE, expiry},         {IDV_F_STREET, r->address.street},
		{IDV_F_UNIT, r->address.unit},       {IDV_F_CITY, r->address.city},
		{IDV_F_STATE, r->address.state},     {IDV_F_POSTAL_CODE, r->address.postal_code},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(f); i++)
		if (f[i].v[0] != '\0')
			idv_document_set(d, f[i].id, f[i].v, strlen(f[i].v), IDV_SRC_PDF417, 0.99f, NULL);
}

static void
bill_of(struct idv_document *d, const char *holder, const char *street, const char *zip,
	const char *date, enum idv_residence_kind kind)
{
	idv_document_init(d);
	d->kind = IDV_DOC_PROOF_OF_RESIDENCE;
	d->residence_kind = kind;
	idv_document_set(d, IDV_F_HOLDER_NAME, holder, strlen(holder), IDV_SRC_PDF_TEXT, 1, NULL);
	idv_document_set(d, IDV_F_STREET, street, strlen(street), IDV_SRC_PDF_TEXT, 1, NULL);
	idv_document_set(d, IDV_F_CITY, "Oakland", 7, IDV_SRC_PDF_TEXT, 1, NULL);
	idv_document_set(d, IDV_F_STATE, "CA", 2, IDV_SRC_PDF_TEXT, 1, NULL);
	idv_document_set(d, IDV_F_POSTAL_CODE, zip, strlen(zip), IDV_SRC_PDF_TEXT, 1, NULL);
	idv_document_set(d, IDV_F_STATEMENT_DATE, date, strlen(date), IDV_SRC_PDF_TEXT, 1, NULL);
}

static bool
has_reason(const struct idv_decision *d, const char *code)
{
	for (size_t i = 0; i < d->nreasons; i++)
		if (strcmp(d->reasons[i].code, code) == 0)
			return true;
	return false;
}

static void
decide(const struct idv_model *m, const struct idv_claims *c, const struct idv_document *docs,
       size_t ndocs, const struct idv_declaration *decl, struct idv_decision *d)
{
	struct idv_score_input in = {
		.claims = c,
		.declaration = decl,
		.docs = docs,
		.ndocs = ndocs,
		.cands = recs,
		.ncands = IDV_ARRAY_LEN(recs),
		.nick = &nick,
		.today_days = today(),
	};
	assert_int_equal(idv_score_decide(m, &in, d), IDV_OK);
	/* Every decision names its model. */
	assert_string_equal(d->model.name, m->name);
	assert_string_equal(d->model.version, m->version);
}

static void
expect(const struct idv_decision *d, enum idv_outcome o, const char *record, const char *reason)
{
	if (d->outcome != o)
		fail_msg("outcome %s, want %s", idv_outcome_name(d->outcome), idv_outcome_name(o));
	if (record != NULL) {
		assert_true(d->has_record);
		assert_string_equal(d->record_id, record);
	}
	if (o == IDV_OUT_NOT_VERIFIED)
		assert_false(d->has_record);
	if (reason != NULL && !has_reason(d, reason))
		fail_msg("reason %s missing", reason);
}

static void
test_typed_points(void **state)
{
	(void)state;
	struct idv_model m;
	struct idv_claims c;
	struct idv_decision d;
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);

	claims_from(&c, &recs[0], C_DOB | C_EMAIL);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "A", "points_threshold_met");
	assert_int_equal(d.level, IDV_LEVEL_STANDARD);
	assert_true(d.total == 2.0);
	assert_true(d.points[IDV_PT_DOB].counted && d.points[IDV_PT_EMAIL].counted);
	assert_false(d.points[IDV_PT_PHONE].counted);
	assert_string_equal(d.points[IDV_PT_PHONE].why, "not_provided");
	assert_string_equal(d.points[IDV_PT_NAME].why, "matched_required_not_counted");

	/* One point is not enough. */
	claims_from(&c, &recs[0], C_EMAIL);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "points_threshold_not_met");

	/* Twins: the given name decides; an initial fits both and matches neither. */
	claims_from(&c, &recs[1], C_DOB | C_ADDR);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "B", NULL);
	idv_strlcpy(c.given_names, "A", sizeof c.given_names);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, NULL);

	/* A different DOB is a hard contradiction. */
	claims_from(&c, &recs[4], C_EMAIL | C_PHONE | C_ADDR);
	idv_strlcpy(c.date_of_birth, "1972-06-16", sizeof c.date_of_birth);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "date_of_birth_differs");
	/* Refused, it still names the record the attempt came closest to (attempts.h). */
	assert_true(d.has_points);
	assert_int_equal(d.best_index, 4);
	assert_string_equal(d.points[IDV_PT_NAME].why, "matched_required_not_counted");

	/* An unparseable DOB neither counts nor contradicts. */
	idv_strlcpy(c.date_of_birth, "1972-15-06", sizeof c.date_of_birth);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", NULL);
	/* Day and month exchanged: review, not a match. */
	claims_from(&c, &recs[2], C_EMAIL);
	idv_strlcpy(c.date_of_birth, "1955-12-04", sizeof c.date_of_birth);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_MANUAL_REVIEW, "S", "date_of_birth_day_month_swap");

	/* Father and son: the suffix conflicts. */
	claims_from(&c, &recs[2], C_DOB | C_ADDR);
	idv_strlcpy(c.suffix, "Jr", sizeof c.suffix);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, NULL);
	idv_strlcpy(c.suffix, "", sizeof c.suffix);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "S", NULL);

	/* Nickname. */
	claims_from(&c, &recs[4], C_DOB | C_PHONE);
	idv_strlcpy(c.given_names, "Bill", sizeof c.given_names);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", NULL);
	assert_int_equal(d.points[IDV_PT_NAME].reason, IDV_R_NICKNAME);
}

static void
test_ambiguity(void **state)
{
	(void)state;
	struct idv_model m;
	struct idv_claims c;
	struct idv_decision d;
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);
	/* Bob fits both Millers. Sr has address + e-mail (2), Jr the address (1): outside the
	 * margin of 1. */
	claims_from(&c, &recs[2], C_ADDR);
	idv_strlcpy(c.given_names, "Bob", sizeof c.given_names);
	idv_strlcpy(c.email, "bob@example.com", sizeof c.email);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "S", NULL);
	/* With a margin of 1.5 the son is too close: review, never a guess. */
	m.ambiguity_margin = 1.5;
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_MANUAL_REVIEW, NULL, "ambiguous_candidates");
	assert_false(d.has_record);
	/* ... or refused when the model says so. */
	m.on[IDV_FLAG_AMBIGUOUS] = IDV_ACT_NOT_VERIFIED;
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "ambiguous_candidates");
	/* A model may not accept ambiguity. */
	m.on[IDV_FLAG_AMBIGUOUS] = IDV_ACT_ACCEPT;
	char why[96];
	assert_int_equal(idv_model_validate(&m, why, sizeof why), IDV_E_INVAL);
	struct idv_score_input in = {.claims = &c, .cands = recs, .ncands = 1};
	assert_int_equal(idv_score_decide(&m, &in, &d), IDV_E_INVAL);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "invalid_model");
}

static void
test_model_changes(void **state)
{
	(void)state;
	struct idv_model m;
	struct idv_claims c;
	struct idv_decision d;
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);
	claims_from(&c, &recs[4], C_DOB | C_EMAIL);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", NULL);
	/* Three points needed. */
	m.points_needed = 3;
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "points_threshold_not_met");
	/* E-mail not reliable in this business's records. */
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);
	m.points[IDV_PT_EMAIL].reliable = false;
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, NULL);
	assert_string_equal(d.points[IDV_PT_EMAIL].why, "record_field_not_reliable");
	/* A government ID required at standard. */
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);
	m.documents_required[IDV_DCLASS_GOVERNMENT_ID] = true;
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "document_required");
	struct idv_document lic;
	licence_of(&lic, &recs[4], "2030-01-01");
	decide(&m, &c, &lic, 1, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", "document_requirement_met");
	/* The typed weight of a point. */
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);
	m.points[IDV_PT_DOB].typed_weight = 0.5;
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, NULL);
	assert_true(d.total == 1.5);
}

static void
test_documents(void **state)
{
	(void)state;
	struct idv_model m;
	struct idv_claims c;
	struct idv_decision d;
	struct idv_document docs[2];
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);

	/* A licence backs DOB and address: 1.5 each, with only the DOB typed besides the name. */
	claims_from(&c, &recs[5], C_DOB);
	licence_of(&docs[0], &recs[5], "2030-01-01");
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "C", NULL);
	assert_true(d.total == 3.0);
	assert_int_equal(d.points[IDV_PT_ADDRESS].source, IDV_PSRC_DOCUMENT);
	assert_int_equal(d.points[IDV_PT_DOB].source, IDV_PSRC_FORM_DOCUMENT);

	/* Low confidence fields are ignored. */
	m.min_field_confidence = 0.995;
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, NULL);
	m.min_field_confidence = 0.5;

	/* Expired: each action of the model. */
	licence_of(&docs[0], &recs[5], "2026-05-01");
	static const struct {
		enum idv_action a;
		enum idv_outcome o;
	} exp[] = {
		{IDV_ACT_MANUAL_REVIEW, IDV_OUT_MANUAL_REVIEW},
		{IDV_ACT_ACCEPT, IDV_OUT_VERIFIED},
		{IDV_ACT_IGNORE, IDV_OUT_NOT_VERIFIED}, /* then only the typed DOB counts */
		{IDV_ACT_NOT_VERIFIED, IDV_OUT_NOT_VERIFIED},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(exp); i++) {
		m.on[IDV_FLAG_EXPIRED_ID] = exp[i].a;
		decide(&m, &c, docs, 1, NULL, &d);
		expect(&d, exp[i].o, NULL, "expired_id");
	}
	/* A grace period. */
	m.on[IDV_FLAG_EXPIRED_ID] = IDV_ACT_NOT_VERIFIED;
	m.expired_id_grace_days = 60;
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "C", NULL);
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);

	/* A reader's failed check. */
	licence_of(&docs[0], &recs[5], "2030-01-01");
	idv_document_check(&docs[0], "barcode_matches_printed", IDV_CHECK_FAIL, "x");
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_MANUAL_REVIEW, "C", "document_check_failed");

	/* The ID of someone else: contradicts the claims and the record. */
	licence_of(&docs[0], &recs[0], "2030-01-01");
	claims_from(&c, &recs[1], C_DOB | C_EMAIL);
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, NULL);

	/* A proof of residence: recent, at the record's address, in the holder's name. */
	claims_from(&c, &recs[4], C_EMAIL);
	bill_of(&docs[0], "WILLIAM JONES", "800 Sunset Boulevard", "94610", "2026-05-20",
		IDV_RES_UTILITY_BILL);
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", NULL);
	assert_true(d.total == 2.5);
	/* Too old: disregarded. */
	bill_of(&docs[0], "WILLIAM JONES", "800 Sunset Boulevard", "94610", "2026-01-20",
		IDV_RES_UTILITY_BILL);
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "residence_proof_too_old");
	/* A kind the model refuses. */
	bill_of(&docs[0], "WILLIAM JONES", "800 Sunset Boulevard", "94610", "2026-05-20",
		IDV_RES_MOBILE_PHONE_BILL);
	m.residence_kinds_accepted[IDV_RES_MOBILE_PHONE_BILL] = false;
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "residence_kind_not_accepted");
	m.residence_kinds_accepted[IDV_RES_MOBILE_PHONE_BILL] = true;
	/* Another holder. */
	bill_of(&docs[0], "GRACE WU", "800 Sunset Boulevard", "94610", "2026-05-20",
		IDV_RES_UTILITY_BILL);
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_MANUAL_REVIEW, "W", "residence_holder_differs");
	/* A move: the bill is at another address than the record's. */
	claims_from(&c, &recs[4], C_DOB);
	idv_strlcpy(c.address.street, "1 New Rd", sizeof c.address.street);
	idv_strlcpy(c.address.city, "Oakland", sizeof c.address.city);
	idv_strlcpy(c.address.postal_code, "94611", sizeof c.address.postal_code);
	bill_of(&docs[0], "WILLIAM JONES", "1 New Road", "94611", "2026-05-20",
		IDV_RES_UTILITY_BILL);
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_MANUAL_REVIEW, "W", "recent_move");
	m.on[IDV_FLAG_RECENT_MOVE] = IDV_ACT_NOT_VERIFIED;
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "recent_move");
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);
	/* A move shown by an ID: the licence carries the claimed address, not the record's; the
	 * rule fires whatever the other points (issue 13), here enough to verify without it. */
	claims_from(&c, &recs[4], C_DOB | C_EMAIL | C_PHONE);
	idv_strlcpy(c.address.street, "1 New Rd", sizeof c.address.street);
	idv_strlcpy(c.address.city, "Oakland", sizeof c.address.city);
	idv_strlcpy(c.address.state, "CA", sizeof c.address.state);
	idv_strlcpy(c.address.postal_code, "94611", sizeof c.address.postal_code);
	struct idv_record moved = recs[4];
	idv_strlcpy(moved.address.street, "1 New Road", sizeof moved.address.street);
	idv_strlcpy(moved.address.postal_code, "94611", sizeof moved.address.postal_code);
	licence_of(&docs[0], &moved, "2030-01-01");
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_MANUAL_REVIEW, "W", "recent_move");
	/* An ID at an old address that is neither the record's nor the claim's: no move. */
	idv_strlcpy(moved.address.street, "3 Old Lane", sizeof moved.address.street);
	licence_of(&docs[0], &moved, "2030-01-01");
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", NULL);
	assert_false(has_reason(&d, "recent_move"));

	/* Unreadable: ignored when not required, review when required and the claims match. */
	claims_from(&c, &recs[4], C_DOB | C_EMAIL | C_PHONE);
	idv_document_init(&docs[0]);
	docs[0].kind = IDV_DOC_ID_CARD;
	docs[0].status = IDV_DOCSTAT_UNREADABLE;
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", "document_unreadable");
	m.documents_required[IDV_DCLASS_GOVERNMENT_ID] = true;
	decide(&m, &c, docs, 1, NULL, &d);
	expect(&d, IDV_OUT_MANUAL_REVIEW, "W", "unreadable_required_document");
	claims_from(&c, &recs[4], C_DOB);
	decide(&m, &c, docs, 1, NULL, &d); /* claims alone too weak: refused, not reviewed */
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, NULL);
}

static void
test_declaration_and_correction(void **state)
{
	(void)state;
	struct idv_model m;
	struct idv_claims c;
	struct idv_decision d;
	struct idv_document lic;
	struct idv_declaration decl = {true, true, "Bill Jones"};
	idv_model_defaults(&m, IDV_LEVEL_HEIGHTENED);
	claims_from(&c, &recs[4], C_DOB | C_EMAIL | C_ADDR);
	licence_of(&lic, &recs[4], "2030-01-01");
	decide(&m, &c, &lic, 1, &decl, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", "declaration_signed");
	assert_int_equal(d.level, IDV_LEVEL_HEIGHTENED);
	decl.is_signed = false;
	decide(&m, &c, &lic, 1, &decl, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "declaration_missing");
	decl.is_signed = true;
	idv_strlcpy(decl.typed_name, "Jane Roe", sizeof decl.typed_name);
	decide(&m, &c, &lic, 1, &decl, &d);
	expect(&d, IDV_OUT_MANUAL_REVIEW, "W", "declaration_name_differs");

	/* R11: the field being corrected never counts, even when it equals the record's. */
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);
	claims_from(&c, &recs[4], C_DOB | C_ADDR);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", NULL);
	c.correcting = 1u << IDV_PT_ADDRESS;
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, NULL);
	assert_string_equal(d.points[IDV_PT_ADDRESS].why, "subject_of_correction");
	/* A corrected DOB raises no contradiction. */
	claims_from(&c, &recs[4], C_EMAIL | C_PHONE);
	idv_strlcpy(c.date_of_birth, "1973-01-01", sizeof c.date_of_birth);
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "date_of_birth_differs");
	c.correcting = 1u << IDV_PT_DOB;
	decide(&m, &c, NULL, 0, NULL, &d);
	expect(&d, IDV_OUT_VERIFIED, "W", NULL);
}

static void
test_requests(void **state)
{
	(void)state;
	struct idv_model std, high;
	struct idv_policy pol;
	struct idv_claims c;
	struct idv_decision d;
	idv_model_defaults(&std, IDV_LEVEL_STANDARD);
	idv_model_defaults(&high, IDV_LEVEL_HEIGHTENED);
	idv_policy_defaults(&pol);
	pol.nclasses = 1;
	idv_strlcpy(pol.classes[0].name, "photos", sizeof pol.classes[0].name);
	pol.classes[0].level = IDV_LEVEL_HEIGHTENED;
	const struct idv_model *models[IDV_LEVEL__COUNT] = {NULL, &std, &high};
	claims_from(&c, &recs[4], C_DOB | C_EMAIL);
	struct idv_score_input in = {.claims = &c, .cands = recs, .ncands = IDV_ARRAY_LEN(recs),
				     .nick = &nick, .today_days = today()};

	/* R20: specific pieces not reached, categories reached. */
	assert_int_equal(idv_score_request(&pol, models, IDV_REQ_KNOW_SPECIFIC, IDV_LEVEL_NONE, NULL,
					   0, &in, &d),
			 IDV_OK);
	expect(&d, IDV_OUT_VERIFIED, "W", "heightened_not_reached");
	assert_int_equal(d.level, IDV_LEVEL_STANDARD);
	assert_int_equal(d.level_required, IDV_LEVEL_HEIGHTENED);
	assert_int_equal(d.nmodels, 2);
	assert_string_equal(d.model.name, std.name);
	assert_string_equal(d.policy.name, pol.name);

	/* Deletion of a sensitive class: heightened, no fallback. */
	const char *classes[] = {"photos"};
	assert_int_equal(idv_score_request(&pol, models, IDV_REQ_DELETE, IDV_LEVEL_NONE, classes, 1,
					   &in, &d),
			 IDV_OK);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, NULL);
	assert_int_equal(d.level_required, IDV_LEVEL_HEIGHTENED);
	/* An unknown class is heightened too; no class is the type's default. */
	const char *unknown[] = {"mystery"};
	assert_int_equal(idv_score_request(&pol, models, IDV_REQ_DELETE, IDV_LEVEL_NONE, unknown, 1,
					   &in, &d),
			 IDV_OK);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "unknown_data_class");
	assert_int_equal(idv_score_request(&pol, models, IDV_REQ_DELETE, IDV_LEVEL_NONE, NULL, 0,
					   &in, &d),
			 IDV_OK);
	expect(&d, IDV_OUT_VERIFIED, "W", NULL);
	/* A requested level raises, never lowers. */
	assert_int_equal(idv_score_request(&pol, models, IDV_REQ_KNOW_CATEGORIES,
					   IDV_LEVEL_HEIGHTENED, NULL, 0, &in, &d),
			 IDV_OK);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "level_raised_by_request");
	assert_int_equal(idv_score_request(&pol, models, IDV_REQ_KNOW_SPECIFIC, IDV_LEVEL_STANDARD,
					   NULL, 0, &in, &d),
			 IDV_OK);
	assert_int_equal(d.level_required, IDV_LEVEL_HEIGHTENED);
	/* Opt-out: never verified (R3). */
	assert_int_equal(idv_score_request(&pol, models, IDV_REQ_OPT_OUT, IDV_LEVEL_NONE, NULL, 0,
					   &in, &d),
			 IDV_OK);
	expect(&d, IDV_OUT_NOT_REQUIRED, NULL, "verification_not_required");
	/* No candidates at all. */
	in.ncands = 0;
	assert_int_equal(idv_score_request(&pol, models, IDV_REQ_KNOW_CATEGORIES, IDV_LEVEL_NONE,
					   NULL, 0, &in, &d),
			 IDV_OK);
	expect(&d, IDV_OUT_NOT_VERIFIED, NULL, "no_candidate_records");
	assert_int_equal(idv_score_request(NULL, models, IDV_REQ_KNOW_CATEGORIES, IDV_LEVEL_NONE,
					   NULL, 0, &in, &d),
			 IDV_E_INVAL);
}

static void
test_explain(void **state)
{
	(void)state;
	struct idv_model m;
	struct idv_claims c;
	struct idv_decision d;
	idv_model_defaults(&m, IDV_LEVEL_STANDARD);
	idv_strlcpy(m.name, "acme-standard", sizeof m.name);
	idv_strlcpy(m.version, "7.1", sizeof m.version);
	claims_from(&c, &recs[4], C_DOB | C_EMAIL);
	idv_strlcpy(c.phone, "+16195550199", sizeof c.phone);
	decide(&m, &c, NULL, 0, NULL, &d);
	char out[4096];
	idv_decision_explain(&d, out, sizeof out);
	assert_non_null(strstr(out, "Outcome: verified at level standard"));
	assert_non_null(strstr(out, "Model acme-standard version 7.1"));
	assert_non_null(strstr(out, "date_of_birth from form, exact"));
	assert_non_null(strstr(out, "phone (no_match; comparator: mismatch)"));
	/* No personal data in the explanation. */
	assert_null(strstr(out, "1972"));
	assert_null(strstr(out, "bill@"));
	assert_null(strstr(out, "William"));
	/* Truncation keeps a terminated string. */
	char small[16];
	idv_decision_explain(&d, small, sizeof small);
	assert_int_equal(strlen(small), sizeof small - 1);
	for (int f = 0; f < IDV_FLAG__COUNT; f++) {
		const char *n = idv_flag_name((enum idv_flag)f);
		assert_int_equal(idv_flag_lookup(n, strlen(n)), f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed_points),
		cmocka_unit_test(test_ambiguity),
		cmocka_unit_test(test_model_changes),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_declaration_and_correction),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_explain),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
