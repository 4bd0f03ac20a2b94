/* SPDX-License-Identifier: Apache-2.0 */
/*
 * score_doc.c: the claim-level stage of the decision (score.c): the reason lists every stage
 * writes to, and the classification of each document (usable, pending review, unusable,
 * unreadable, refused) under the model's rules for kinds, expiry, recency and reader checks,
 * with the documents compared to the claims. Declarations in score_doc.h, private to score*.c.
 */
#include <stdarg.h>

#include "idverify/address.h"
#include "idverify/match.h"
#include "idverify/score_doc.h"
#include "idverify/str.h"

/* ---- Reason lists ---- */

/* Fill reason r: code, and the detail formatted (truncated to its room; empty on error). */
static void
score_vset(struct idv_decision_reason *r, const char *code, const char *fmt, va_list ap)
{
	idv_strlcpy(r->code, code, sizeof r->code);
	idv_vwhy(r->detail, sizeof r->detail, fmt, ap);
}

void
score_note(struct score_notes *l, const char *code, const char *fmt, ...)
{
	if (l->n >= SCORE_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	score_vset(&l->r[l->n++], code, fmt, ap);
	va_end(ap);
}

void
score_reason(struct idv_decision *d, const char *code, const char *fmt, ...)
{
	if (d->nreasons >= IDV_DECISION_MAX_REASONS)
		return;
	va_list ap;
	va_start(ap, fmt);
	score_vset(&d->reasons[d->nreasons++], code, fmt, ap);
	va_end(ap);
}

void
score_copy_notes(struct idv_decision *d, const struct score_notes *l)
{
	for (size_t i = 0; i < l->n && d->nreasons < IDV_DECISION_MAX_REASONS; i++)
		d->reasons[d->nreasons++] = l->r[i];
}

void
score_raise(const struct idv_model *m, struct score_flags *f, struct score_notes *notes,
	    enum idv_flag flag, const char *detail)
{
	f->raised[flag] = true;
	score_note(notes, idv_flag_name(flag), "%s (model action: %s)", detail,
		   idv_action_name(m->on[flag]));
}

void
score_raisef(const struct idv_model *m, struct score_flags *f, struct score_notes *notes,
	     enum idv_flag flag, const char *fmt, ...)
{
	char det[IDV_REASON_DETAIL_MAX];
	va_list ap;
	va_start(ap, fmt);
	idv_vwhy(det, sizeof det, fmt, ap);
	va_end(ap);
	score_raise(m, f, notes, flag, det);
}

bool
score_any_action(const struct idv_model *m, const struct score_flags *f, enum idv_action a)
{
	for (int i = 0; i < IDV_FLAG__COUNT; i++)
		if (f->raised[i] && m->on[i] == a)
			return true;
	return false;
}

/* ---- Documents ---- */

static const char *const sdoc_state_names[] = {"usable", "pending_review", "unusable", "unreadable",
					       "refused"};

IDV_NAME_FN(score_doc_state, enum score_doc_state, sdoc_state_names,
	    IDV_ARRAY_LEN(sdoc_state_names), "unknown")

bool
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

/* Step 1: the document's class from its kind; false when it is unreadable or of no class. */
static bool
score_doc_kind(struct score_ctx *c, const struct idv_document *d, size_t i, struct score_doc *sd)
{
	memset(sd, 0, sizeof *sd);
	sd->dclass = -1;
	sd->kind = idv_doc_kind_name(d->kind);
	switch (d->kind) {
	case IDV_DOC_DRIVERS_LICENSE:
	case IDV_DOC_ID_CARD:
	case IDV_DOC_PASSPORT: sd->dclass = IDV_DCLASS_GOVERNMENT_ID; break;
	case IDV_DOC_PROOF_OF_RESIDENCE: sd->dclass = IDV_DCLASS_PROOF_OF_RESIDENCE; break;
	default: break;
	}
	if (d->status != IDV_DOCSTAT_OK) {
		sd->state = SDOC_UNREADABLE;
		score_note(&c->notes, "document_unreadable", "document %zu (%s) was %s: %s", i + 1,
			   sd->kind, idv_doc_status_name(d->status), d->error_detail);
		return false;
	}
	if (sd->dclass < 0) {
		sd->state = SDOC_UNUSABLE;
		score_note(&c->notes, "document_kind_unknown",
			   "document %zu: its kind could not be determined; disregarded", i + 1);
		return false;
	}
	return true;
}

/* Step 2: the name, date of birth and address read from the document. */
static void
score_doc_fields(const struct score_ctx *c, const struct idv_document *d, struct score_doc *sd)
{
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
	if (street == NULL)
		return;
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

/* Step 3a: a government ID's kind, legibility and expiry; false when it is disregarded. */
static bool
score_doc_id(struct score_ctx *c, const struct idv_document *d, size_t i, struct score_doc *sd)
{
	const struct idv_model *m = c->m;
	char det[160];
	if (!m->id_kinds_accepted[d->kind]) {
		sd->state = SDOC_UNUSABLE;
		score_note(&c->notes, "id_kind_not_accepted",
			   "document %zu: a %s is not an accepted government ID under this model",
			   i + 1, sd->kind);
		return false;
	}
	if (!sd->has_name && !sd->has_dob) {
		sd->state = SDOC_UNREADABLE;
		score_note(&c->notes, "document_unreadable",
			   "document %zu (%s): no name or date of birth could be read", i + 1,
			   sd->kind);
		return false;
	}
	int64_t exp;
	const struct idv_check *ck = idv_document_find_check(d, "expired");
	bool expired = ck != NULL && ck->result == IDV_CHECK_FAIL;
	if (score_doc_date(score_field(c, d, IDV_F_EXPIRY_DATE), &exp))
		expired = exp + m->expired_id_grace_days < c->in->today_days;
	if (expired) {
		idv_why(det, sizeof det, "document %zu (%s) is expired", i + 1, sd->kind);
		sd->state = score_doc_condition(c, IDV_FLAG_EXPIRED_ID, sd->state, det);
	}
	return true;
}

/* Step 3b: a proof of residence's address, kind and date; false when it is disregarded. */
static bool
score_doc_residence(struct score_ctx *c, const struct idv_document *d, size_t i,
		    struct score_doc *sd)
{
	const struct idv_model *m = c->m;
	if (!sd->has_addr) {
		sd->state = SDOC_UNREADABLE;
		score_note(&c->notes, "document_unreadable",
			   "document %zu (proof of residence): no address could be read", i + 1);
		return false;
	}
	if (!m->residence_kinds_accepted[d->residence_kind]) {
		sd->state = SDOC_UNUSABLE;
		score_note(&c->notes, "residence_kind_not_accepted",
			   "document %zu: a %s is not an accepted proof of residence under this "
			   "model",
			   i + 1, idv_residence_kind_name(d->residence_kind));
		return false;
	}
	int64_t sdays;
	if (!score_doc_date(score_field(c, d, IDV_F_STATEMENT_DATE), &sdays)) {
		sd->state = SDOC_UNUSABLE;
		score_note(&c->notes, "statement_date_unknown",
			   "document %zu: the proof of residence has no readable date; disregarded",
			   i + 1);
		return false;
	}
	if (sdays > c->in->today_days + 1) {
		sd->state = SDOC_UNUSABLE;
		score_note(&c->notes, "statement_date_in_future",
			   "document %zu: the proof of residence is dated in the future; "
			   "disregarded",
			   i + 1);
		return false;
	}
	int64_t age = c->in->today_days - sdays;
	if (age > m->residence_max_age_days) {
		sd->state = SDOC_UNUSABLE;
		score_note(&c->notes, "residence_proof_too_old",
			   "document %zu: the proof of residence is %lld days old (maximum %d); "
			   "disregarded",
			   i + 1, (long long)age, m->residence_max_age_days);
		return false;
	}
	return true;
}

/* Step 4: checks made by the readers (expiry and recency are judged here, under the model). */
static void
score_doc_checks(struct score_ctx *c, const struct idv_document *d, size_t i, struct score_doc *sd)
{
	char det[160];
	for (size_t k = 0; k < d->nchecks; k++) {
		const struct idv_check *ck = &d->checks[k];
		if (ck->result != IDV_CHECK_FAIL || strcmp(ck->name, "expired") == 0 ||
		    strcmp(ck->name, "statement_recent") == 0 ||
		    strcmp(ck->name, "residence_kind_accepted") == 0)
			continue;
		idv_why(det, sizeof det, "document %zu (%s): check %s failed", i + 1, sd->kind,
			ck->name);
		sd->state = score_doc_condition(c, IDV_FLAG_DOC_CHECK_FAILED, sd->state, det);
	}
}

/* Step 5: the document against the claims (name, date of birth). */
static void
score_doc_vs_claims(struct score_ctx *c, size_t i, const struct score_doc *sd)
{
	const struct idv_model *m = c->m;
	const struct idv_model_point *np = &m->points[IDV_PT_NAME];
	if (sd->has_name && c->has_cname && !score_corrected(c, IDV_PT_NAME)) {
		struct idv_match mm;
		if (sd->holder != NULL)
			idv_name_compare_full(sd->holder, &c->cname, c->in->nick, &mm);
		else
			idv_name_compare(&sd->name, &c->cname, c->in->nick, &mm);
		if (mm.score < np->threshold) {
			score_raisef(m, &c->flags, &c->notes,
				     sd->dclass == IDV_DCLASS_PROOF_OF_RESIDENCE
					     ? IDV_FLAG_RESIDENCE_HOLDER
					     : IDV_FLAG_DOC_VS_CLAIMS,
				     "document %zu (%s): the name on it does not match the typed "
				     "name (%s)",
				     i + 1, sd->kind, idv_reason_name(mm.reason));
		}
	}
	if (sd->has_dob && c->in->claims->date_of_birth[0] != '\0' &&
	    !score_corrected(c, IDV_PT_DOB)) {
		struct idv_match dm;
		idv_match_dob(sd->dob, c->in->claims->date_of_birth, &dm);
		if (dm.reason != IDV_R_EXACT) {
			score_raisef(m, &c->flags, &c->notes, IDV_FLAG_DOC_VS_CLAIMS,
				     "document %zu (%s): the date of birth on it differs from the "
				     "typed one (%s)",
				     i + 1, sd->kind, idv_reason_name(dm.reason));
		}
	}
}

void
score_classify_doc(struct score_ctx *c, size_t i)
{
	const struct idv_document *d = &c->in->docs[i];
	struct score_doc *sd = &c->docs[i];
	if (!score_doc_kind(c, d, i, sd))
		return;
	score_doc_fields(c, d, sd);
	sd->state = SDOC_USABLE;
	bool keep = sd->dclass == IDV_DCLASS_GOVERNMENT_ID ? score_doc_id(c, d, i, sd)
							   : score_doc_residence(c, d, i, sd);
	if (!keep)
		return;
	score_doc_checks(c, d, i, sd);
	if (sd->state == SDOC_UNUSABLE || sd->state == SDOC_FAILED)
		return;
	score_doc_vs_claims(c, i, sd);
}

bool
score_doc_live(const struct score_doc *sd)
{
	return sd->state == SDOC_USABLE || sd->state == SDOC_PENDING;
}
