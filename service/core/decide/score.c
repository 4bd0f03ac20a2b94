/* SPDX-License-Identifier: Apache-2.0 */
/*
 * score.c: the verification decision (see score.h).
 *
 * Three stages. (1) Claim-level: parse the claimed name and address, classify each document
 * (usable, pending review, unusable, unreadable, failed) under the model's rules for kinds,
 * expiry, recency and reader checks, and compare documents with the claims. (2) Per candidate:
 * score every data point against the record, raise the record-level conditions (DOB differs,
 * name differs, a recent move, a declaration in another name), check the required documents
 * and the declaration, and give the candidate a status: pass, review, insufficient or fail.
 * (3) Across candidates: take the best pass/review candidate; any other candidate within the
 * ambiguity margin makes the decision ambiguous (never a guess).
 */
#include <math.h>
#include <stdarg.h>

#include "idverify/address.h"
#include "idverify/match.h"
#include "idverify/score.h"
#include "idverify/str.h"

/* ---- Names of enums ---- */

static const char *const level_names[IDV_LEVEL__COUNT] = {"none", "standard", "heightened"};
static const char *const request_names[IDV_REQ__COUNT] = {
	"know_categories", "know_specific", "delete", "correct", "opt_out",
};
static const char *const action_names[IDV_ACT__COUNT] = {
	"ignore", "accept", "manual_review", "not_verified",
};
static const char *const flag_names[IDV_FLAG__COUNT] = {
	"date_of_birth_differs", "date_of_birth_day_month_swap", "name_differs", "suffix_conflict",
	"document_contradicts_claims", "document_contradicts_record", "residence_holder_differs",
	"recent_move", "declaration_name_differs", "unreadable_required_document",
	"unreadable_optional_document", "document_check_failed", "expired_id",
	"ambiguous_candidates",
};
static const char *const dclass_names[IDV_DCLASS__COUNT] = {"government_id", "proof_of_residence"};

static int
score_lookup(const char *const *names, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return (int)i;
	return (int)n;
}

const char *
idv_level_name(enum idv_level l)
{
	return (unsigned)l < IDV_LEVEL__COUNT ? level_names[l] : "none";
}

enum idv_level
idv_level_lookup(const char *name, size_t len)
{
	return (enum idv_level)score_lookup(level_names, IDV_LEVEL__COUNT, name, len);
}

const char *
idv_outcome_name(enum idv_outcome o)
{
	switch (o) {
	case IDV_OUT_VERIFIED: return "verified";
	case IDV_OUT_NOT_VERIFIED: return "not_verified";
	case IDV_OUT_MANUAL_REVIEW: return "manual_review";
	case IDV_OUT_NOT_REQUIRED: return "not_required";
	}
	return "not_verified";
}

const char *
idv_request_type_name(enum idv_request_type t)
{
	return (unsigned)t < IDV_REQ__COUNT ? request_names[t] : "unknown";
}

enum idv_request_type
idv_request_type_lookup(const char *name, size_t len)
{
	return (enum idv_request_type)score_lookup(request_names, IDV_REQ__COUNT, name, len);
}

const char *
idv_action_name(enum idv_action a)
{
	return (unsigned)a < IDV_ACT__COUNT ? action_names[a] : "not_verified";
}

enum idv_action
idv_action_lookup(const char *name, size_t len)
{
	return (enum idv_action)score_lookup(action_names, IDV_ACT__COUNT, name, len);
}

const char *
idv_flag_name(enum idv_flag f)
{
	return (unsigned)f < IDV_FLAG__COUNT ? flag_names[f] : "unknown";
}

enum idv_flag
idv_flag_lookup(const char *name, size_t len)
{
	return (enum idv_flag)score_lookup(flag_names, IDV_FLAG__COUNT, name, len);
}

const char *
idv_doc_class_name(enum idv_doc_class c)
{
	return (unsigned)c < IDV_DCLASS__COUNT ? dclass_names[c] : "unknown";
}

enum idv_doc_class
idv_doc_class_lookup(const char *name, size_t len)
{
	return (enum idv_doc_class)score_lookup(dclass_names, IDV_DCLASS__COUNT, name, len);
}

const char *
idv_point_source_name(enum idv_point_source s)
{
	switch (s) {
	case IDV_PSRC_NONE: return "none";
	case IDV_PSRC_FORM: return "form";
	case IDV_PSRC_DOCUMENT: return "document";
	case IDV_PSRC_FORM_DOCUMENT: return "form+document";
	}
	return "none";
}

/* ---- Models and policies ---- */

void
idv_model_defaults(struct idv_model *m, enum idv_level level)
{
	memset(m, 0, sizeof *m);
	bool high = level == IDV_LEVEL_HEIGHTENED;
	idv_strlcpy(m->name, high ? "builtin-heightened" : "builtin-standard", sizeof m->name);
	idv_strlcpy(m->version, "0", sizeof m->version);
	m->level = high ? IDV_LEVEL_HEIGHTENED : IDV_LEVEL_STANDARD;
	static const struct idv_model_point pts[IDV_PT__COUNT] = {
		[IDV_PT_NAME] = {false, true, true, 0.85, 0.0, 0.0},
		[IDV_PT_DOB] = {true, true, false, 1.0, 1.0, 1.5},
		[IDV_PT_ADDRESS] = {true, true, false, 0.85, 1.0, 1.5},
		[IDV_PT_EMAIL] = {true, true, false, 0.95, 1.0, 1.0},
		[IDV_PT_PHONE] = {true, true, false, 1.0, 1.0, 1.0},
	};
	memcpy(m->points, pts, sizeof pts);
	m->points_needed = high ? 3.0 : 2.0;
	m->documents_required[IDV_DCLASS_GOVERNMENT_ID] = high;
	m->id_kinds_accepted[IDV_DOC_DRIVERS_LICENSE] = true;
	m->id_kinds_accepted[IDV_DOC_ID_CARD] = true;
	m->id_kinds_accepted[IDV_DOC_PASSPORT] = true;
	for (int k = IDV_RES_UTILITY_BILL; k < IDV_RES_OTHER; k++)
		m->residence_kinds_accepted[k] = true;
	m->residence_max_age_days = 90;
	m->expired_id_grace_days = 0;
	m->declaration_required = high;
	m->ambiguity_margin = 1.0;
	m->min_field_confidence = 0.5;
	static const enum idv_action on[IDV_FLAG__COUNT] = {
		[IDV_FLAG_DOB_DIFFERS] = IDV_ACT_NOT_VERIFIED,
		[IDV_FLAG_DOB_DAY_MONTH_SWAP] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_NAME_DIFFERS] = IDV_ACT_NOT_VERIFIED,
		[IDV_FLAG_SUFFIX_CONFLICT] = IDV_ACT_NOT_VERIFIED,
		[IDV_FLAG_DOC_VS_CLAIMS] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_DOC_VS_RECORD] = IDV_ACT_NOT_VERIFIED,
		[IDV_FLAG_RESIDENCE_HOLDER] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_RECENT_MOVE] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_DECLARATION_NAME] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_UNREADABLE_REQUIRED] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_UNREADABLE_OPTIONAL] = IDV_ACT_IGNORE,
		[IDV_FLAG_DOC_CHECK_FAILED] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_EXPIRED_ID] = IDV_ACT_MANUAL_REVIEW,
		[IDV_FLAG_AMBIGUOUS] = IDV_ACT_MANUAL_REVIEW,
	};
	memcpy(m->on, on, sizeof on);
}

static bool
score_unit(double v)
{
	return isfinite(v) && v >= 0.0 && v <= 1.0;
}

enum idv_err
idv_model_validate(const struct idv_model *m, char *why, size_t whysz)
{
	const char *w = NULL;
	if (m->name[0] == '\0' || m->version[0] == '\0')
		w = "name and version are required";
	else if (m->level != IDV_LEVEL_STANDARD && m->level != IDV_LEVEL_HEIGHTENED)
		w = "level must be standard or heightened";
	else if (!isfinite(m->points_needed) || m->points_needed <= 0.0)
		w = "points_needed must be positive";
	else if (!isfinite(m->ambiguity_margin) || m->ambiguity_margin < 0.0)
		w = "ambiguity_margin must not be negative";
	else if (!score_unit(m->min_field_confidence))
		w = "min_field_confidence must be in [0,1]";
	else if (m->residence_max_age_days < 0 || m->expired_id_grace_days < 0)
		w = "day counts must not be negative";
	else if (m->on[IDV_FLAG_AMBIGUOUS] != IDV_ACT_MANUAL_REVIEW &&
		 m->on[IDV_FLAG_AMBIGUOUS] != IDV_ACT_NOT_VERIFIED)
		w = "ambiguous_candidates must be manual_review or not_verified (never a guess)";
	for (int t = 0; w == NULL && t < IDV_PT__COUNT; t++) {
		const struct idv_model_point *p = &m->points[t];
		if (!score_unit(p->threshold) || p->threshold <= 0.0)
			w = "a point threshold is not in (0,1]";
		else if (!isfinite(p->typed_weight) || p->typed_weight < 0.0 ||
			 !isfinite(p->document_weight) || p->document_weight < 0.0)
			w = "a point weight is negative";
	}
	for (int f = 0; w == NULL && f < IDV_FLAG__COUNT; f++)
		if ((unsigned)m->on[f] >= IDV_ACT__COUNT)
			w = "an action is invalid";
	if (w == NULL)
		return IDV_OK;
	if (why != NULL && whysz > 0)
		idv_strlcpy(why, w, whysz);
	return IDV_E_INVAL;
}

void
idv_policy_defaults(struct idv_policy *p)
{
	memset(p, 0, sizeof *p);
	idv_strlcpy(p->name, "builtin-policy", sizeof p->name);
	idv_strlcpy(p->version, "0", sizeof p->version);
	p->level[IDV_REQ_KNOW_CATEGORIES] = IDV_LEVEL_STANDARD;
	p->level[IDV_REQ_KNOW_SPECIFIC] = IDV_LEVEL_HEIGHTENED;
	p->level[IDV_REQ_DELETE] = IDV_LEVEL_STANDARD;
	p->level[IDV_REQ_CORRECT] = IDV_LEVEL_STANDARD;
	p->level[IDV_REQ_OPT_OUT] = IDV_LEVEL_NONE;
	p->agents.consumer_must = IDV_AGENT_CONSUMER_EITHER;
	p->agents.permission_required = true;
	idv_attempts_rule_defaults(&p->attempts);
}

static const char *const score_agent_consumer_names[IDV_AGENT_CONSUMER__COUNT] = {
	"either", "verify", "confirm",
};

const char *
idv_agent_consumer_name(enum idv_agent_consumer c)
{
	return (unsigned)c < IDV_AGENT_CONSUMER__COUNT ? score_agent_consumer_names[c] : "either";
}

enum idv_agent_consumer
idv_agent_consumer_lookup(const char *name, size_t len)
{
	for (int i = 0; i < IDV_AGENT_CONSUMER__COUNT; i++)
		if (strlen(score_agent_consumer_names[i]) == len &&
		    memcmp(score_agent_consumer_names[i], name, len) == 0)
			return (enum idv_agent_consumer)i;
	return IDV_AGENT_CONSUMER__COUNT;
}

/* ---- Reason lists ---- */

#define SCORE_MAX_NOTES 24

struct score_notes {
	size_t n;
	struct idv_decision_reason r[SCORE_MAX_NOTES];
};

static void score_note(struct score_notes *l, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
score_note(struct score_notes *l, const char *code, const char *fmt, ...)
{
	if (l->n >= SCORE_MAX_NOTES)
		return;
	struct idv_decision_reason *r = &l->r[l->n++];
	idv_strlcpy(r->code, code, sizeof r->code);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(r->detail, sizeof r->detail, fmt, ap);
	va_end(ap);
	if (n < 0)
		r->detail[0] = '\0';
}

static void score_reason(struct idv_decision *d, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
score_reason(struct idv_decision *d, const char *code, const char *fmt, ...)
{
	if (d->nreasons >= IDV_DECISION_MAX_REASONS)
		return;
	struct idv_decision_reason *r = &d->reasons[d->nreasons++];
	idv_strlcpy(r->code, code, sizeof r->code);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(r->detail, sizeof r->detail, fmt, ap);
	va_end(ap);
	if (n < 0)
		r->detail[0] = '\0';
}

static void
score_copy_notes(struct idv_decision *d, const struct score_notes *l)
{
	for (size_t i = 0; i < l->n && d->nreasons < IDV_DECISION_MAX_REASONS; i++)
		d->reasons[d->nreasons++] = l->r[i];
}

/* Conditions raised, with the model's action applied. */
struct score_flags {
	bool raised[IDV_FLAG__COUNT];
};

static void
score_raise(const struct idv_model *m, struct score_flags *f, struct score_notes *notes,
	    enum idv_flag flag, const char *detail)
{
	f->raised[flag] = true;
	score_note(notes, idv_flag_name(flag), "%s (model action: %s)", detail,
		   idv_action_name(m->on[flag]));
}

static bool
score_any_action(const struct idv_model *m, const struct score_flags *f, enum idv_action a)
{
	for (int i = 0; i < IDV_FLAG__COUNT; i++)
		if (f->raised[i] && m->on[i] == a)
			return true;
	return false;
}

/* ---- Documents ---- */

#define SCORE_MAX_DOCS 8

enum score_doc_state {
	SDOC_USABLE = 0,
	SDOC_PENDING,    /* usable only once a reviewer accepts it */
	SDOC_UNUSABLE,   /* disregarded (too old, kind not accepted, ...) */
	SDOC_UNREADABLE, /* not read, or nothing identifying read */
	SDOC_FAILED,     /* its condition refuses the request */
};

static const char *const sdoc_state_names[] = {"usable", "pending_review", "unusable",
					       "unreadable", "refused"};

struct score_doc {
	int dclass; /* enum idv_doc_class, or -1 */
	enum score_doc_state state;
	const char *kind;
	bool has_name, has_dob, has_addr;
	struct idv_name name;
	const char *holder; /* proof of residence holder line, or NULL */
	const char *dob;
	struct idv_address addr;
};

struct score_ctx {
	const struct idv_model *m;
	const struct idv_score_input *in;
	struct idv_name cname;
	bool has_cname;
	struct idv_address caddr;
	size_t ndocs;
	struct score_doc docs[SCORE_MAX_DOCS];
	struct score_flags flags; /* claim-level conditions */
	struct score_notes notes;
};

static bool
score_corrected(const struct score_ctx *c, enum idv_point pt)
{
	return (c->in->claims->correcting & (1u << pt)) != 0;
}

/* A document field worth reading: present, read from the document (not typed), confident. */
static const char *
score_field(const struct score_ctx *c, const struct idv_document *d, enum idv_field_id id)
{
	const struct idv_field *f = &d->fields[id];
	if (!f->present || f->value[0] == '\0')
		return NULL;
	if (f->source == IDV_SRC_FORM || f->source == IDV_SRC_NONE)
		return NULL;
	if (f->confidence < c->m->min_field_confidence)
		return NULL;
	return f->value;
}

static bool
score_doc_date(const char *v, int64_t *days)
{
	struct idv_date d;
	if (v == NULL || idv_match_parse_dob(v, strlen(v), &d) != IDV_OK)
		return false;
	*days = idv_date_to_days(&d);
	return true;
}

/* The action of a condition on a document: returns the document's new state. */
static enum score_doc_state
score_doc_condition(struct score_ctx *c, enum idv_flag flag, enum score_doc_state cur,
		    const char *detail)
{
	enum idv_action a = c->m->on[flag];
	score_raise(c->m, &c->flags, &c->notes, flag, detail);
	switch (a) {
	case IDV_ACT_ACCEPT: return cur;
	case IDV_ACT_IGNORE: return SDOC_UNUSABLE;
	case IDV_ACT_MANUAL_REVIEW: return cur == SDOC_USABLE ? SDOC_PENDING : cur;
	case IDV_ACT_NOT_VERIFIED: return SDOC_FAILED;
	case IDV_ACT__COUNT: break;
	}
	return SDOC_FAILED;
}

static void
score_classify_doc(struct score_ctx *c, size_t i)
{
	const struct idv_document *d = &c->in->docs[i];
	struct score_doc *sd = &c->docs[i];
	const struct idv_model *m = c->m;
	char det[160];
	memset(sd, 0, sizeof *sd);
	sd->dclass = -1;
	sd->kind = idv_doc_kind_name(d->kind);
	switch (d->kind) {
	case IDV_DOC_DRIVERS_LICENSE:
	case IDV_DOC_ID_CARD:
	case IDV_DOC_PASSPORT:
		sd->dclass = IDV_DCLASS_GOVERNMENT_ID;
		break;
	case IDV_DOC_PROOF_OF_RESIDENCE:
		sd->dclass = IDV_DCLASS_PROOF_OF_RESIDENCE;
		break;
	default:
		break;
	}
	if (d->status != IDV_DOCSTAT_OK) {
		sd->state = SDOC_UNREADABLE;
		score_note(&c->notes, "document_unreadable", "document %zu (%s) was %s: %s", i + 1,
			   sd->kind, idv_doc_status_name(d->status), d->error_detail);
		return;
	}
	if (sd->dclass < 0) {
		sd->state = SDOC_UNUSABLE;
		score_note(&c->notes, "document_kind_unknown",
			   "document %zu: its kind could not be determined; disregarded", i + 1);
		return;
	}
	/* Fields. */
	const char *fam = score_field(c, d, IDV_F_FAMILY_NAME);
	const char *giv = score_field(c, d, IDV_F_GIVEN_NAMES);
	const char *suf = score_field(c, d, IDV_F_NAME_SUFFIX);
	sd->holder = score_field(c, d, IDV_F_HOLDER_NAME);
	if ((fam != NULL || giv != NULL) &&
	    idv_name_parse(giv, NULL, fam, suf, &sd->name) == IDV_OK && !idv_name_empty(&sd->name))
		sd->has_name = true;
	if (sd->holder != NULL)
		sd->has_name = true;
	sd->dob = score_field(c, d, IDV_F_DATE_OF_BIRTH);
	sd->has_dob = sd->dob != NULL;
	const char *street = score_field(c, d, IDV_F_STREET);
	if (street != NULL) {
		struct idv_address_in ain;
		memset(&ain, 0, sizeof ain);
		const char *v;
		idv_strlcpy(ain.street, street, sizeof ain.street);
		if ((v = score_field(c, d, IDV_F_UNIT)) != NULL)
			idv_strlcpy(ain.unit, v, sizeof ain.unit);
		if ((v = score_field(c, d, IDV_F_CITY)) != NULL)
			idv_strlcpy(ain.city, v, sizeof ain.city);
		if ((v = score_field(c, d, IDV_F_STATE)) != NULL)
			idv_strlcpy(ain.state, v, sizeof ain.state);
		if ((v = score_field(c, d, IDV_F_POSTAL_CODE)) != NULL)
			idv_strlcpy(ain.postal_code, v, sizeof ain.postal_code);
		if (idv_address_normalize(&ain, &sd->addr) == IDV_OK && !sd->addr.empty)
			sd->has_addr = true;
	}

	sd->state = SDOC_USABLE;
	if (sd->dclass == IDV_DCLASS_GOVERNMENT_ID) {
		if (!m->id_kinds_accepted[d->kind]) {
			sd->state = SDOC_UNUSABLE;
			score_note(&c->notes, "id_kind_not_accepted",
				   "document %zu: a %s is not an accepted government ID under this model",
				   i + 1, sd->kind);
			return;
		}
		if (!sd->has_name && !sd->has_dob) {
			sd->state = SDOC_UNREADABLE;
			score_note(&c->notes, "document_unreadable",
				   "document %zu (%s): no name or date of birth could be read", i + 1,
				   sd->kind);
			return;
		}
		int64_t exp;
		const struct idv_check *ck = idv_document_find_check(d, "expired");
		bool expired = ck != NULL && ck->result == IDV_CHECK_FAIL;
		if (score_doc_date(score_field(c, d, IDV_F_EXPIRY_DATE), &exp))
			expired = exp + m->expired_id_grace_days < c->in->today_days;
		if (expired) {
			int n = snprintf(det, sizeof det, "document %zu (%s) is expired", i + 1, sd->kind);
			if (n < 0)
				det[0] = '\0';
			sd->state = score_doc_condition(c, IDV_FLAG_EXPIRED_ID, sd->state, det);
		}
	} else {
		if (!sd->has_addr) {
			sd->state = SDOC_UNREADABLE;
			score_note(&c->notes, "document_unreadable",
				   "document %zu (proof of residence): no address could be read", i + 1);
			return;
		}
		if (!m->residence_kinds_accepted[d->residence_kind]) {
			sd->state = SDOC_UNUSABLE;
			score_note(&c->notes, "residence_kind_not_accepted",
				   "document %zu: a %s is not an accepted proof of residence under this "
				   "model",
				   i + 1, idv_residence_kind_name(d->residence_kind));
			return;
		}
		int64_t sdays;
		if (!score_doc_date(score_field(c, d, IDV_F_STATEMENT_DATE), &sdays)) {
			sd->state = SDOC_UNUSABLE;
			score_note(&c->notes, "statement_date_unknown",
				   "document %zu: the proof of residence has no readable date; disregarded",
				   i + 1);
			return;
		}
		if (sdays > c->in->today_days + 1) {
			sd->state = SDOC_UNUSABLE;
			score_note(&c->notes, "statement_date_in_future",
				   "document %zu: the proof of residence is dated in the future; "
				   "disregarded",
				   i + 1);
			return;
		}
		int64_t age = c->in->today_days - sdays;
		if (age > m->residence_max_age_days) {
			sd->state = SDOC_UNUSABLE;
			score_note(&c->notes, "residence_proof_too_old",
				   "document %zu: the proof of residence is %lld days old (maximum %d); "
				   "disregarded",
				   i + 1, (long long)age, m->residence_max_age_days);
			return;
		}
	}
	/* Checks made by the readers (expiry and recency are judged here, under the model). */
	for (size_t k = 0; k < d->nchecks; k++) {
		const struct idv_check *ck = &d->checks[k];
		if (ck->result != IDV_CHECK_FAIL || strcmp(ck->name, "expired") == 0 ||
		    strcmp(ck->name, "statement_recent") == 0 ||
		    strcmp(ck->name, "residence_kind_accepted") == 0)
			continue;
		int n = snprintf(det, sizeof det, "document %zu (%s): check %s failed", i + 1, sd->kind,
				 ck->name);
		if (n < 0)
			det[0] = '\0';
		sd->state = score_doc_condition(c, IDV_FLAG_DOC_CHECK_FAILED, sd->state, det);
	}
	if (sd->state == SDOC_UNUSABLE || sd->state == SDOC_FAILED)
		return;
	/* Documents against the claims. */
	const struct idv_model_point *np = &m->points[IDV_PT_NAME];
	if (sd->has_name && c->has_cname && !score_corrected(c, IDV_PT_NAME)) {
		struct idv_match mm;
		if (sd->holder != NULL)
			idv_name_compare_full(sd->holder, &c->cname, c->in->nick, &mm);
		else
			idv_name_compare(&sd->name, &c->cname, c->in->nick, &mm);
		if (mm.score < np->threshold) {
			int n = snprintf(det, sizeof det,
					 "document %zu (%s): the name on it does not match the typed "
					 "name (%s)",
					 i + 1, sd->kind, idv_reason_name(mm.reason));
			if (n < 0)
				det[0] = '\0';
			score_raise(m, &c->flags, &c->notes,
				    sd->dclass == IDV_DCLASS_PROOF_OF_RESIDENCE ? IDV_FLAG_RESIDENCE_HOLDER
										: IDV_FLAG_DOC_VS_CLAIMS,
				    det);
		}
	}
	if (sd->has_dob && c->in->claims->date_of_birth[0] != '\0' &&
	    !score_corrected(c, IDV_PT_DOB)) {
		struct idv_match dm;
		idv_match_dob(sd->dob, c->in->claims->date_of_birth, &dm);
		if (dm.reason != IDV_R_EXACT) {
			int n = snprintf(det, sizeof det,
					 "document %zu (%s): the date of birth on it differs from the "
					 "typed one (%s)",
					 i + 1, sd->kind, idv_reason_name(dm.reason));
			if (n < 0)
				det[0] = '\0';
			score_raise(m, &c->flags, &c->notes, IDV_FLAG_DOC_VS_CLAIMS, det);
		}
	}
}

static bool
score_doc_live(const struct score_doc *sd)
{
	return sd->state == SDOC_USABLE || sd->state == SDOC_PENDING;
}

/* ---- Candidates ---- */

enum score_status { SC_PASS, SC_REVIEW, SC_INSUFFICIENT, SC_FAIL };
static const char *const status_names[] = {"pass", "review", "insufficient", "fail"};

struct score_cand {
	enum score_status status;
	double total, potential;
	struct idv_match name_match;
	struct idv_point_result points[IDV_PT__COUNT];
	struct score_flags flags;
	struct score_notes notes;
};

/* Best document match for point pt on live documents in the given state. */
static void
score_doc_point(const struct score_ctx *c, enum idv_point pt, const struct idv_name *rname,
		const struct idv_address *raddr, const struct idv_record *rec,
		enum score_doc_state state, struct idv_match *best, bool *any)
{
	best->score = 0.0;
	best->reason = IDV_R_MISSING;
	*any = false;
	for (size_t i = 0; i < c->ndocs; i++) {
		const struct score_doc *sd = &c->docs[i];
		if (sd->state != state)
			continue;
		struct idv_match mm;
		switch (pt) {
		case IDV_PT_NAME:
			if (!sd->has_name)
				continue;
			if (sd->holder != NULL)
				idv_name_compare_full(sd->holder, rname, c->in->nick, &mm);
			else
				idv_name_compare(&sd->name, rname, c->in->nick, &mm);
			break;
		case IDV_PT_DOB:
			if (!sd->has_dob)
				continue;
			idv_match_dob(sd->dob, rec->date_of_birth, &mm);
			break;
		case IDV_PT_ADDRESS:
			if (!sd->has_addr)
				continue;
			idv_address_compare(&sd->addr, raddr, &mm);
			break;
		default:
			continue;
		}
		*any = true;
		if (mm.score > best->score || best->reason == IDV_R_MISSING)
			*best = mm;
	}
}

static bool
score_record_has(const struct idv_record *rec, enum idv_point pt, const struct idv_name *rname,
		 const struct idv_address *raddr)
{
	switch (pt) {
	case IDV_PT_NAME: return !idv_name_empty(rname);
	case IDV_PT_DOB: return rec->date_of_birth[0] != '\0';
	case IDV_PT_ADDRESS: return !raddr->empty;
	case IDV_PT_EMAIL: return rec->email[0] != '\0';
	case IDV_PT_PHONE: return rec->phone[0] != '\0';
	case IDV_PT__COUNT: break;
	}
	return false;
}

static void
score_candidate(struct score_ctx *c, const struct idv_record *rec, struct score_cand *out)
{
	const struct idv_model *m = c->m;
	const struct idv_claims *cl = c->in->claims;
	struct idv_name rname;
	struct idv_address raddr;
	char det[IDV_REASON_DETAIL_MAX];
	bool matched[IDV_PT__COUNT] = {false};
	bool unmet = false, pending = false;

	memset(out, 0, sizeof *out);
	if (idv_name_parse(rec->given_name, rec->middle_name, rec->family_name, rec->suffix,
			   &rname) != IDV_OK)
		memset(&rname, 0, sizeof rname);
	if (idv_address_normalize(&rec->address, &raddr) != IDV_OK)
		raddr.empty = true;

	/* Typed comparisons. */
	struct idv_match typed[IDV_PT__COUNT];
	bool claimed[IDV_PT__COUNT];
	if (c->has_cname)
		idv_name_compare(&c->cname, &rname, c->in->nick, &typed[IDV_PT_NAME]);
	else
		typed[IDV_PT_NAME] = (struct idv_match){0.0, IDV_R_MISSING};
	claimed[IDV_PT_NAME] = c->has_cname;
	idv_match_dob(cl->date_of_birth, rec->date_of_birth, &typed[IDV_PT_DOB]);
	claimed[IDV_PT_DOB] = cl->date_of_birth[0] != '\0';
	idv_address_compare(&c->caddr, &raddr, &typed[IDV_PT_ADDRESS]);
	claimed[IDV_PT_ADDRESS] = !c->caddr.empty;
	idv_match_email(cl->email, rec->email, &typed[IDV_PT_EMAIL]);
	claimed[IDV_PT_EMAIL] = cl->email[0] != '\0';
	idv_match_phone(cl->phone, rec->phone, &typed[IDV_PT_PHONE]);
	claimed[IDV_PT_PHONE] = cl->phone[0] != '\0';
	out->name_match = typed[IDV_PT_NAME];

	for (int t = 0; t < IDV_PT__COUNT; t++) {
		enum idv_point pt = (enum idv_point)t;
		const struct idv_model_point *mp = &m->points[t];
		struct idv_point_result *r = &out->points[t];
		struct idv_match du, dp;
		bool du_any, dp_any;
		score_doc_point(c, pt, &rname, &raddr, rec, SDOC_USABLE, &du, &du_any);
		score_doc_point(c, pt, &rname, &raddr, rec, SDOC_PENDING, &dp, &dp_any);
		bool typed_ok = claimed[t] && typed[t].score >= mp->threshold;
		bool doc_ok = du_any && du.score >= mp->threshold;
		bool pend_ok = dp_any && dp.score >= mp->threshold;
		r->type = pt;
		r->counted = false;
		r->value = 0.0;
		if (typed_ok && doc_ok)
			r->source = IDV_PSRC_FORM_DOCUMENT;
		else if (doc_ok)
			r->source = IDV_PSRC_DOCUMENT;
		else if (typed_ok || claimed[t])
			r->source = IDV_PSRC_FORM;
		else if (du_any || dp_any)
			r->source = IDV_PSRC_DOCUMENT;
		else
			r->source = IDV_PSRC_NONE;
		if (doc_ok && (!typed_ok || du.score > typed[t].score)) {
			r->score = du.score;
			r->reason = du.reason;
		} else if (claimed[t] || !du_any) {
			r->score = typed[t].score;
			r->reason = typed[t].reason;
		} else {
			r->score = du.score;
			r->reason = du.reason;
		}
		matched[t] = typed_ok || doc_ok;
		if (score_corrected(c, pt)) {
			r->why = "subject_of_correction";
			matched[t] = false;
			continue;
		}
		if (!score_record_has(rec, pt, &rname, &raddr)) {
			r->why = "no_record_value";
			continue;
		}
		if (!matched[t]) {
			if (pend_ok) {
				r->why = "document_pending_review";
				if (mp->counts && mp->reliable)
					out->potential += mp->document_weight;
			} else if (!claimed[t] && !du_any) {
				r->why = "not_provided";
			} else {
				r->why = r->score > 0.0 ? "below_threshold" : "no_match";
			}
			continue;
		}
		if (!mp->counts) {
			r->why = mp->required ? "matched_required_not_counted" : "not_counted_by_model";
			continue;
		}
		if (!mp->reliable) {
			r->why = "record_field_not_reliable";
			continue;
		}
		double v = typed_ok ? mp->typed_weight : 0.0;
		if (doc_ok && mp->document_weight > v)
			v = mp->document_weight;
		r->counted = v > 0.0;
		r->value = v;
		r->why = r->counted ? "matched" : "not_counted_by_model";
		out->total += v;
	}

	/* Required points: what the requester typed must match (a document alone does not
	 * make a request about a record whose name the requester did not give). */
	for (int t = 0; t < IDV_PT__COUNT; t++) {
		if (!m->points[t].required || score_corrected(c, (enum idv_point)t))
			continue;
		if (claimed[t] ? typed[t].score >= m->points[t].threshold : matched[t])
			continue;
		if (t == IDV_PT_NAME && claimed[t]) {
			bool suffix = typed[t].reason == IDV_R_SUFFIX_CONFLICT;
			int n = snprintf(det, sizeof det, "the typed name does not match the record (%s)",
					 idv_reason_name(typed[t].reason));
			if (n < 0)
				det[0] = '\0';
			score_raise(m, &out->flags, &out->notes,
				    suffix ? IDV_FLAG_SUFFIX_CONFLICT : IDV_FLAG_NAME_DIFFERS, det);
		} else {
			unmet = true;
			score_note(&out->notes, "required_point_not_matched",
				   "the model requires a matching %s", idv_point_name((enum idv_point)t));
		}
	}

	/* Date of birth: a different date is a contradiction, a swapped one a reason code. */
	bool dob_doc_backed = out->points[IDV_PT_DOB].source == IDV_PSRC_DOCUMENT;
	if (!score_corrected(c, IDV_PT_DOB) && claimed[IDV_PT_DOB]) {
		/* A typed DOB that differs while a usable ID shows the record's is a typing
		 * mistake the document contradicts (document_contradicts_claims, raised above). */
		if (typed[IDV_PT_DOB].reason == IDV_R_MISMATCH && dob_doc_backed)
			score_note(&out->notes, "date_of_birth_typed_differs",
				   "the typed date of birth differs from the record's, but the ID "
				   "shows the record's");
		else if (typed[IDV_PT_DOB].reason == IDV_R_MISMATCH)
			score_raise(m, &out->flags, &out->notes, IDV_FLAG_DOB_DIFFERS,
				    "the typed date of birth differs from the record's");
		else if (typed[IDV_PT_DOB].reason == IDV_R_DAY_MONTH_SWAP) {
			score_raise(m, &out->flags, &out->notes, IDV_FLAG_DOB_DAY_MONTH_SWAP,
				    "the typed date of birth is the record's with day and month "
				    "exchanged");
			if (m->points[IDV_PT_DOB].counts && m->points[IDV_PT_DOB].reliable)
				out->potential += m->points[IDV_PT_DOB].typed_weight;
		}
	}
	for (size_t i = 0; i < c->ndocs; i++) {
		const struct score_doc *sd = &c->docs[i];
		if (!score_doc_live(sd) || sd->dclass != IDV_DCLASS_GOVERNMENT_ID)
			continue;
		if (sd->has_dob && !score_corrected(c, IDV_PT_DOB) && rec->date_of_birth[0] != '\0') {
			struct idv_match dm;
			idv_match_dob(sd->dob, rec->date_of_birth, &dm);
			if (dm.reason != IDV_R_EXACT) {
				int n = snprintf(det, sizeof det,
						 "document %zu (%s): its date of birth differs from the "
						 "record's (%s)",
						 i + 1, sd->kind, idv_reason_name(dm.reason));
				if (n < 0)
					det[0] = '\0';
				score_raise(m, &out->flags, &out->notes, IDV_FLAG_DOB_DIFFERS, det);
			}
		}
		if (sd->has_name && !score_corrected(c, IDV_PT_NAME)) {
			struct idv_match nm;
			idv_name_compare(&sd->name, &rname, c->in->nick, &nm);
			if (nm.score < m->points[IDV_PT_NAME].threshold) {
				int n = snprintf(det, sizeof det,
						 "document %zu (%s): the name on it does not match the "
						 "record (%s)",
						 i + 1, sd->kind, idv_reason_name(nm.reason));
				if (n < 0)
					det[0] = '\0';
				score_raise(m, &out->flags, &out->notes, IDV_FLAG_DOC_VS_RECORD, det);
			}
		}
		if (sd->has_addr && !raddr.empty && !score_corrected(c, IDV_PT_ADDRESS)) {
			struct idv_match am;
			idv_address_compare(&sd->addr, &raddr, &am);
			if (am.score < m->points[IDV_PT_ADDRESS].threshold)
				score_note(&out->notes, "id_address_differs",
					   "document %zu (%s): its address differs from the record's "
					   "(%s); IDs are often out of date, so it only does not count",
					   i + 1, sd->kind, idv_reason_name(am.reason));
		}
	}

	/* A proof of residence at another address than the record's: a move. */
	if (!score_corrected(c, IDV_PT_ADDRESS) && !raddr.empty) {
		for (size_t i = 0; i < c->ndocs; i++) {
			const struct score_doc *sd = &c->docs[i];
			if (!score_doc_live(sd) || sd->dclass != IDV_DCLASS_PROOF_OF_RESIDENCE ||
			    !sd->has_addr)
				continue;
			struct idv_match am;
			idv_address_compare(&sd->addr, &raddr, &am);
			if (am.score >= m->points[IDV_PT_ADDRESS].threshold)
				continue;
			int n = snprintf(det, sizeof det,
					 "document %zu: the proof of residence shows another address "
					 "than the record's (%s), more recent than it",
					 i + 1, idv_reason_name(am.reason));
			if (n < 0)
				det[0] = '\0';
			score_raise(m, &out->flags, &out->notes, IDV_FLAG_RECENT_MOVE, det);
			struct idv_match ca;
			idv_address_compare(&sd->addr, &c->caddr, &ca);
			const struct idv_model_point *ap = &m->points[IDV_PT_ADDRESS];
			if (!matched[IDV_PT_ADDRESS] && ca.score >= ap->threshold && ap->counts &&
			    ap->reliable && m->on[IDV_FLAG_RECENT_MOVE] == IDV_ACT_MANUAL_REVIEW) {
				out->potential += ap->typed_weight;
				matched[IDV_PT_ADDRESS] = true; /* once only */
			}
		}
	}

	/* Required documents. */
	for (int k = 0; k < IDV_DCLASS__COUNT; k++) {
		bool usable = false, pend = false, unreadable = false;
		for (size_t i = 0; i < c->ndocs; i++) {
			const struct score_doc *sd = &c->docs[i];
			if (sd->dclass != k && !(sd->dclass < 0 && sd->state == SDOC_UNREADABLE))
				continue;
			if (sd->dclass == k && sd->state == SDOC_USABLE)
				usable = true;
			else if (sd->dclass == k && sd->state == SDOC_PENDING)
				pend = true;
			else if (sd->state == SDOC_UNREADABLE)
				unreadable = true;
		}
		if (!m->documents_required[k]) {
			if (unreadable && !usable && m->on[IDV_FLAG_UNREADABLE_OPTIONAL] != IDV_ACT_IGNORE)
				score_raise(m, &out->flags, &out->notes, IDV_FLAG_UNREADABLE_OPTIONAL,
					    "a document that is not required could not be read");
			continue;
		}
		if (usable) {
			score_note(&out->notes, "document_requirement_met", "a usable %s was provided",
				   idv_doc_class_name((enum idv_doc_class)k));
			continue;
		}
		if (pend) {
			pending = true;
			score_note(&out->notes, "document_pending_review",
				   "the required %s needs a reviewer's acceptance",
				   idv_doc_class_name((enum idv_doc_class)k));
			continue;
		}
		if (unreadable) {
			int n = snprintf(det, sizeof det, "the required %s could not be read",
					 idv_doc_class_name((enum idv_doc_class)k));
			if (n < 0)
				det[0] = '\0';
			score_raise(m, &out->flags, &out->notes, IDV_FLAG_UNREADABLE_REQUIRED, det);
			enum idv_action a = m->on[IDV_FLAG_UNREADABLE_REQUIRED];
			if (a == IDV_ACT_MANUAL_REVIEW)
				pending = true;
			else if (a != IDV_ACT_NOT_VERIFIED)
				unmet = true;
			continue;
		}
		unmet = true;
		score_note(&out->notes, "document_required", "the model requires a usable %s",
			   idv_doc_class_name((enum idv_doc_class)k));
	}

	/* The declaration under penalty of perjury (R17). */
	if (m->declaration_required) {
		const struct idv_declaration *dc = c->in->declaration;
		if (dc == NULL || !dc->present || !dc->is_signed || dc->typed_name[0] == '\0') {
			unmet = true;
			score_note(&out->notes, "declaration_missing",
				   "the model requires a signed declaration under penalty of perjury");
		} else {
			struct idv_match dm;
			idv_name_compare_full(dc->typed_name, &rname, c->in->nick, &dm);
			if (dm.score >= m->points[IDV_PT_NAME].threshold) {
				score_note(&out->notes, "declaration_signed",
					   "signed declaration; its typed name matches the record (%s)",
					   idv_reason_name(dm.reason));
			} else {
				int n = snprintf(det, sizeof det,
						 "the declaration's typed name does not match the record "
						 "(%s)",
						 idv_reason_name(dm.reason));
				if (n < 0)
					det[0] = '\0';
				score_raise(m, &out->flags, &out->notes, IDV_FLAG_DECLARATION_NAME, det);
				enum idv_action a = m->on[IDV_FLAG_DECLARATION_NAME];
				if (a == IDV_ACT_IGNORE)
					unmet = true;
			}
		}
	}

	/* Status. */
	bool fail = score_any_action(m, &out->flags, IDV_ACT_NOT_VERIFIED) ||
		    score_any_action(m, &c->flags, IDV_ACT_NOT_VERIFIED);
	bool review = pending || score_any_action(m, &out->flags, IDV_ACT_MANUAL_REVIEW) ||
		      score_any_action(m, &c->flags, IDV_ACT_MANUAL_REVIEW);
	const double eps = 1e-9;
	bool enough = out->total + eps >= m->points_needed;
	bool maybe = out->total + out->potential + eps >= m->points_needed;
	if (fail)
		out->status = SC_FAIL;
	else if (enough && !unmet && !review)
		out->status = SC_PASS;
	else if (maybe && !unmet && review)
		out->status = SC_REVIEW;
	else
		out->status = SC_INSUFFICIENT;
}

/* Ordering of candidates: status class, counted points, name score, pending points. */
static bool
score_cand_better(const struct score_cand *a, const struct score_cand *b)
{
	int ca = a->status == SC_PASS || a->status == SC_REVIEW ? 2 : a->status == SC_FAIL ? 0 : 1;
	int cb = b->status == SC_PASS || b->status == SC_REVIEW ? 2 : b->status == SC_FAIL ? 0 : 1;
	if (ca != cb)
		return ca > cb;
	if (a->total != b->total)
		return a->total > b->total;
	if (a->name_match.score != b->name_match.score)
		return a->name_match.score > b->name_match.score;
	if (a->status != b->status)
		return a->status < b->status;
	return a->potential > b->potential;
}

/* An exact name outranks a name matched only by a typo, an initial or a middle name. */
static bool
score_dominates(const struct score_cand *best, const struct score_cand *other)
{
	enum idv_reason b = best->name_match.reason, o = other->name_match.reason;
	bool strong = b == IDV_R_EXACT || b == IDV_R_TRANSLITERATION;
	bool weak = o == IDV_R_TYPO || o == IDV_R_INITIAL || o == IDV_R_MIDDLE_AS_GIVEN;
	return strong && weak;
}

static void
score_summary(struct idv_decision *d, const struct idv_model *m, const struct score_cand *b)
{
	char counted[IDV_REASON_DETAIL_MAX] = "", not_counted[IDV_REASON_DETAIL_MAX] = "";
	size_t oc = 0, on = 0;
	for (int t = 0; t < IDV_PT__COUNT; t++) {
		const struct idv_point_result *r = &b->points[t];
		int n;
		if (r->counted) {
			n = snprintf(counted + oc, sizeof counted - oc, "%s%s (%s, %.2g)",
				     oc ? ", " : "", idv_point_name(r->type),
				     idv_point_source_name(r->source), r->value);
			if (n > 0 && (size_t)n < sizeof counted - oc)
				oc += (size_t)n;
		} else {
			n = snprintf(not_counted + on, sizeof not_counted - on, "%s%s (%s)",
				     on ? ", " : "", idv_point_name(r->type), r->why);
			if (n > 0 && (size_t)n < sizeof not_counted - on)
				on += (size_t)n;
		}
	}
	bool met = b->total + 1e-9 >= m->points_needed;
	score_reason(d, met ? "points_threshold_met" : "points_threshold_not_met",
		     "%.2g of %.2g points needed; counted: %s", b->total, m->points_needed,
		     oc ? counted : "none");
	if (on)
		score_reason(d, "points_not_counted", "%s", not_counted);
}

static void
score_decision_init(struct idv_decision *d)
{
	memset(d, 0, sizeof *d);
	d->outcome = IDV_OUT_NOT_VERIFIED;
	d->level = IDV_LEVEL_NONE;
}

static void
score_set_model(struct idv_decision *d, const struct idv_model *m)
{
	idv_strlcpy(d->model.name, m->name, sizeof d->model.name);
	idv_strlcpy(d->model.version, m->version, sizeof d->model.version);
	if (d->nmodels < IDV_ARRAY_LEN(d->models))
		d->models[d->nmodels++] = d->model;
}

enum idv_err
idv_score_decide(const struct idv_model *m, const struct idv_score_input *in,
		 struct idv_decision *out)
{
	score_decision_init(out);
	if (m == NULL || in == NULL || in->claims == NULL || (in->ncands > 0 && in->cands == NULL) ||
	    (in->ndocs > 0 && in->docs == NULL)) {
		score_reason(out, "invalid_input", "missing model, claims, candidates or documents");
		return IDV_E_INVAL;
	}
	char why[96];
	if (idv_model_validate(m, why, sizeof why) != IDV_OK) {
		score_reason(out, "invalid_model", "%s", why);
		return IDV_E_INVAL;
	}
	if (in->ndocs > SCORE_MAX_DOCS) {
		score_reason(out, "too_many_documents", "at most %d documents are scored",
			     SCORE_MAX_DOCS);
		return IDV_E_TOOBIG;
	}
	score_set_model(out, m);
	out->level_required = m->level;
	out->needed = m->points_needed;
	out->ncandidates = in->ncands;

	/* Static storage would not be reentrant; these are large but bounded. */
	struct score_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.m = m;
	ctx.in = in;
	const struct idv_claims *cl = in->claims;
	if (idv_name_parse(cl->given_names, NULL, cl->family_name, cl->suffix, &ctx.cname) ==
		    IDV_OK &&
	    !idv_name_empty(&ctx.cname))
		ctx.has_cname = true;
	if (idv_address_normalize(&cl->address, &ctx.caddr) != IDV_OK) {
		memset(&ctx.caddr, 0, sizeof ctx.caddr);
		ctx.caddr.empty = true;
	}
	ctx.ndocs = in->ndocs;
	for (size_t i = 0; i < in->ndocs; i++)
		score_classify_doc(&ctx, i);
	for (size_t i = 0; i < in->ndocs; i++)
		if (ctx.docs[i].state != SDOC_USABLE)
			score_note(&ctx.notes, "document_state", "document %zu (%s): %s", i + 1,
				   ctx.docs[i].kind, sdoc_state_names[ctx.docs[i].state]);

	if (in->ncands == 0) {
		score_reason(out, "no_candidate_records",
			     "no existing record shares a name, date of birth, ZIP, e-mail or phone "
			     "with the claims");
		score_copy_notes(out, &ctx.notes);
		return IDV_OK;
	}

	/* Pass 1: the best candidate. */
	struct score_cand best, cur;
	size_t best_i = 0;
	score_candidate(&ctx, &in->cands[0], &best);
	for (size_t i = 1; i < in->ncands; i++) {
		score_candidate(&ctx, &in->cands[i], &cur);
		if (score_cand_better(&cur, &best)) {
			best = cur;
			best_i = i;
		}
	}
	out->has_points = true;
	out->best_index = best_i;
	memcpy(out->points, best.points, sizeof out->points);
	out->total = best.total;

	bool eligible = best.status == SC_PASS || best.status == SC_REVIEW;
	/* Pass 2: rivals within the margin. */
	size_t nrivals = 0;
	char rivals[IDV_REASON_DETAIL_MAX] = "";
	size_t ro = 0;
	if (eligible) {
		for (size_t i = 0; i < in->ncands; i++) {
			if (i == best_i)
				continue;
			score_candidate(&ctx, &in->cands[i], &cur);
			if (cur.status == SC_FAIL || cur.total <= 0.0)
				continue;
			if (best.total - cur.total >= m->ambiguity_margin)
				continue;
			if (score_dominates(&best, &cur))
				continue;
			nrivals++;
			int n = snprintf(rivals + ro, sizeof rivals - ro, "%s%s (%.2g points)",
					 ro ? ", " : "", in->cands[i].id, cur.total);
			if (n > 0 && (size_t)n < sizeof rivals - ro)
				ro += (size_t)n;
		}
	}

	score_summary(out, m, &best);
	if (eligible && nrivals > 0) {
		enum idv_action a = m->on[IDV_FLAG_AMBIGUOUS];
		score_reason(out, "ambiguous_candidates",
			     "record %s (%.2g points) and %zu other record(s) within the margin of "
			     "%.2g: %s (model action: %s)",
			     in->cands[best_i].id, best.total, nrivals, m->ambiguity_margin, rivals,
			     idv_action_name(a));
		out->outcome = a == IDV_ACT_NOT_VERIFIED ? IDV_OUT_NOT_VERIFIED : IDV_OUT_MANUAL_REVIEW;
	} else if (best.status == SC_PASS) {
		out->outcome = IDV_OUT_VERIFIED;
		out->level = m->level;
		out->has_record = true;
	} else if (best.status == SC_REVIEW) {
		out->outcome = IDV_OUT_MANUAL_REVIEW;
		out->has_record = true;
	} else {
		out->outcome = IDV_OUT_NOT_VERIFIED;
		score_reason(out, "best_candidate",
			     "the closest of %zu candidate record(s) was %s under this model",
			     in->ncands, status_names[best.status]);
	}
	if (out->has_record) {
		out->record_index = best_i;
		idv_strlcpy(out->record_id, in->cands[best_i].id, sizeof out->record_id);
	}
	score_copy_notes(out, &best.notes);
	score_copy_notes(out, &ctx.notes);
	return IDV_OK;
}

/* ---- Requests ---- */

static enum idv_level
score_policy_level(const struct idv_policy *p, enum idv_request_type type,
		   const char *const *classes, size_t nclasses, struct idv_decision *d)
{
	enum idv_level lvl = p->level[type];
	if (type != IDV_REQ_DELETE && type != IDV_REQ_CORRECT)
		return lvl;
	for (size_t i = 0; i < nclasses; i++) {
		bool found = false;
		for (size_t k = 0; k < p->nclasses; k++) {
			if (strcmp(p->classes[k].name, classes[i]) != 0)
				continue;
			found = true;
			if (p->classes[k].level > lvl)
				lvl = p->classes[k].level;
		}
		if (!found) {
			/* An unknown class is treated as the most sensitive: never less strict. */
			lvl = IDV_LEVEL_HEIGHTENED;
			score_reason(d, "unknown_data_class",
				     "a data class is not in the policy; heightened is applied");
		}
	}
	return lvl;
}

enum idv_err
idv_score_request(const struct idv_policy *policy,
		  const struct idv_model *const models[IDV_LEVEL__COUNT], enum idv_request_type type,
		  enum idv_level requested, const char *const *data_classes, size_t nclasses,
		  const struct idv_score_input *in, struct idv_decision *out)
{
	struct idv_decision pre;
	score_decision_init(&pre);
	score_decision_init(out);
	if (policy == NULL || models == NULL || (unsigned)type >= IDV_REQ__COUNT ||
	    (unsigned)requested >= IDV_LEVEL__COUNT) {
		score_reason(out, "invalid_input", "missing policy or models, or bad request type");
		return IDV_E_INVAL;
	}
	enum idv_level lvl = score_policy_level(policy, type, data_classes, nclasses, &pre);
	if (type != IDV_REQ_OPT_OUT && requested > lvl) {
		score_reason(&pre, "level_raised_by_request", "the request asks for %s",
			     idv_level_name(requested));
		lvl = requested;
	}
	if (type == IDV_REQ_OPT_OUT || lvl == IDV_LEVEL_NONE) {
		out->outcome = IDV_OUT_NOT_REQUIRED;
		out->request_type = type;
		idv_strlcpy(out->policy.name, policy->name, sizeof out->policy.name);
		idv_strlcpy(out->policy.version, policy->version, sizeof out->policy.version);
		score_reason(out, "verification_not_required",
			     "%s requests are never verified (R3)", idv_request_type_name(type));
		return IDV_OK;
	}
	const struct idv_model *m = models[lvl];
	if (m == NULL) {
		score_reason(out, "invalid_input", "no model for level %s", idv_level_name(lvl));
		return IDV_E_INVAL;
	}
	enum idv_err err = idv_score_decide(m, in, out);
	if (err == IDV_OK && lvl == IDV_LEVEL_HEIGHTENED && type == IDV_REQ_KNOW_SPECIFIC &&
	    out->outcome != IDV_OUT_VERIFIED && models[IDV_LEVEL_STANDARD] != NULL) {
		/* R20: evaluate as a request to know categories. */
		struct idv_decision hi = *out;
		struct idv_decision tmp;
		err = idv_score_decide(models[IDV_LEVEL_STANDARD], in, &tmp);
		if (err == IDV_OK) {
			if (hi.outcome == IDV_OUT_MANUAL_REVIEW) {
				*out = hi;
				if (tmp.outcome == IDV_OUT_VERIFIED) {
					out->level = IDV_LEVEL_STANDARD;
					score_reason(out, "standard_reached",
						     "the standard level is reached (record %s); the "
						     "heightened level awaits review",
						     tmp.record_id);
				}
			} else if (tmp.outcome == IDV_OUT_VERIFIED) {
				*out = tmp;
				score_reason(out, "heightened_not_reached",
					     "the specific pieces are denied and the request is "
					     "answered as a request to know categories (R20); "
					     "heightened model %s %s: %.2g of %.2g points",
					     hi.model.name, hi.model.version, hi.total, hi.needed);
				for (size_t i = 0; i < hi.nreasons; i++) {
					const char *code = hi.reasons[i].code;
					if (strcmp(code, "declaration_missing") == 0 ||
					    strcmp(code, "document_required") == 0 ||
					    strcmp(code, "points_threshold_not_met") == 0 ||
					    strcmp(code, "declaration_name_differs") == 0)
						score_reason(out, "heightened_not_reached", "%s: %s",
							     code, hi.reasons[i].detail);
				}
			} else {
				*out = hi;
				score_reason(out, "standard_not_reached",
					     "the standard level (%s %s) is not reached either: %s",
					     tmp.model.name, tmp.model.version,
					     idv_outcome_name(tmp.outcome));
			}
			/* Both models were evaluated. */
			out->nmodels = 0;
			out->models[out->nmodels++] = hi.model;
			out->models[out->nmodels++] = tmp.model;
		}
	}
	out->request_type = type;
	out->level_required = lvl;
	idv_strlcpy(out->policy.name, policy->name, sizeof out->policy.name);
	idv_strlcpy(out->policy.version, policy->version, sizeof out->policy.version);
	/* Policy notes first. */
	for (size_t i = 0; i < pre.nreasons; i++)
		score_reason(out, pre.reasons[i].code, "%s", pre.reasons[i].detail);
	return err;
}

/* ---- Explanation ---- */

struct score_out {
	char *p;
	size_t size, len;
};

static void score_put(struct score_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
score_put(struct score_out *o, const char *fmt, ...)
{
	if (o->len + 1 >= o->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->p + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->len += (size_t)n < o->size - o->len ? (size_t)n : o->size - o->len - 1;
}

void
idv_decision_explain(const struct idv_decision *d, char *out, size_t outsz)
{
	struct score_out o = {out, outsz, 0};
	if (outsz == 0)
		return;
	out[0] = '\0';
	score_put(&o, "Outcome: %s", idv_outcome_name(d->outcome));
	if (d->level != IDV_LEVEL_NONE)
		score_put(&o, " at level %s", idv_level_name(d->level));
	score_put(&o, " (required: %s, request %s).", idv_level_name(d->level_required),
		  idv_request_type_name(d->request_type));
	if (d->model.name[0] != '\0')
		score_put(&o, " Model %s version %s.", d->model.name, d->model.version);
	if (d->has_record)
		score_put(&o, " Record %s.", d->record_id);
	if (d->has_points) {
		score_put(&o, " Points counted (%.2g of %.2g needed):", d->total, d->needed);
		bool any = false;
		for (int t = 0; t < IDV_PT__COUNT; t++) {
			const struct idv_point_result *r = &d->points[t];
			if (!r->counted)
				continue;
			score_put(&o, "%s %s from %s, %s, %.2g", any ? ";" : "", idv_point_name(r->type),
				  idv_point_source_name(r->source), idv_reason_name(r->reason),
				  r->value);
			any = true;
		}
		if (!any)
			score_put(&o, " none");
		score_put(&o, ". Not counted:");
		any = false;
		for (int t = 0; t < IDV_PT__COUNT; t++) {
			const struct idv_point_result *r = &d->points[t];
			if (r->counted)
				continue;
			score_put(&o, "%s %s (%s; comparator: %s)", any ? ";" : "",
				  idv_point_name(r->type), r->why != NULL ? r->why : "-",
				  idv_reason_name(r->reason));
			any = true;
		}
		if (!any)
			score_put(&o, " none");
		score_put(&o, ".");
	}
	for (size_t i = 0; i < d->nreasons; i++)
		score_put(&o, " [%s] %s.", d->reasons[i].code, d->reasons[i].detail);
}
