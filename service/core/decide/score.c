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
 * Stage (1) and the reason lists are in score_doc.c, the names, built-in model and policy in
 * score_model.c, the reviewer's explanation in score_explain.c.
 */
#include "idverify/address.h"
#include "idverify/match.h"
#include "idverify/score.h"
#include "idverify/score_doc.h"
#include "idverify/str.h"

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
		default: continue;
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
	case IDV_PT_CONTACT_CODE: return rec->email[0] != '\0' || rec->phone[0] != '\0';
	case IDV_PT__COUNT: break;
	}
	return false;
}

/* One candidate as compared: the record's name and address parsed, the typed comparisons,
 * which points were claimed and which matched, and what is still unmet or pending. */
struct score_rec {
	const struct idv_record *rec;
	struct idv_name rname;
	struct idv_address raddr;
	struct idv_match typed[IDV_PT__COUNT];
	bool claimed[IDV_PT__COUNT];
	bool matched[IDV_PT__COUNT];
	bool unmet, pending;
};

/* Step 1: parse the record and compare it with what was typed. */
static void
score_rec_init(const struct score_ctx *c, const struct idv_record *rec, struct score_rec *sr)
{
	const struct idv_claims *cl = c->in->claims;
	memset(sr->matched, 0, sizeof sr->matched);
	sr->unmet = false;
	sr->pending = false;
	sr->rec = rec;
	if (idv_name_parse(rec->given_name, rec->middle_name, rec->family_name, rec->suffix,
			   &sr->rname) != IDV_OK)
		memset(&sr->rname, 0, sizeof sr->rname);
	if (idv_address_normalize(&rec->address, &sr->raddr) != IDV_OK)
		sr->raddr.empty = true;
	struct idv_match *typed = sr->typed;
	bool *claimed = sr->claimed;
	if (c->has_cname)
		idv_name_compare(&c->cname, &sr->rname, c->in->nick, &typed[IDV_PT_NAME]);
	else
		typed[IDV_PT_NAME] = (struct idv_match){0.0, IDV_R_MISSING};
	claimed[IDV_PT_NAME] = c->has_cname;
	idv_match_dob(cl->date_of_birth, rec->date_of_birth, &typed[IDV_PT_DOB]);
	claimed[IDV_PT_DOB] = cl->date_of_birth[0] != '\0';
	idv_address_compare(&c->caddr, &sr->raddr, &typed[IDV_PT_ADDRESS]);
	claimed[IDV_PT_ADDRESS] = !c->caddr.empty;
	idv_match_email(cl->email, rec->email, &typed[IDV_PT_EMAIL]);
	claimed[IDV_PT_EMAIL] = cl->email[0] != '\0';
	idv_match_phone(cl->phone, rec->phone, &typed[IDV_PT_PHONE]);
	claimed[IDV_PT_PHONE] = cl->phone[0] != '\0';
	/* A code to this record's own contact came back: an exact fact, not a similarity. */
	claimed[IDV_PT_CONTACT_CODE] = cl->contact_record[0] != '\0';
	typed[IDV_PT_CONTACT_CODE] = !claimed[IDV_PT_CONTACT_CODE]
					     ? (struct idv_match){0.0, IDV_R_MISSING}
				     : strcmp(cl->contact_record, rec->id) == 0
					     ? (struct idv_match){1.0, IDV_R_EXACT}
					     : (struct idv_match){0.0, IDV_R_MISMATCH};
}

/* Step 2: one data point, typed and from the documents: whether and what it counts. */
static void
score_point(const struct score_ctx *c, struct score_rec *sr, int t, struct score_cand *out)
{
	const struct idv_model *m = c->m;
	enum idv_point pt = (enum idv_point)t;
	const struct idv_model_point *mp = &m->points[t];
	struct idv_point_result *r = &out->points[t];
	const struct idv_match *typed = sr->typed;
	const bool *claimed = sr->claimed;
	struct idv_match du, dp;
	bool du_any, dp_any;
	score_doc_point(c, pt, &sr->rname, &sr->raddr, sr->rec, SDOC_USABLE, &du, &du_any);
	score_doc_point(c, pt, &sr->rname, &sr->raddr, sr->rec, SDOC_PENDING, &dp, &dp_any);
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
	sr->matched[t] = typed_ok || doc_ok;
	if (score_corrected(c, pt)) {
		r->why = "subject_of_correction";
		sr->matched[t] = false;
		return;
	}
	if (!score_record_has(sr->rec, pt, &sr->rname, &sr->raddr)) {
		r->why = "no_record_value";
		return;
	}
	if (!sr->matched[t]) {
		if (pend_ok) {
			r->why = "document_pending_review";
			if (mp->counts && mp->reliable)
				out->potential += mp->document_weight;
		} else if (!claimed[t] && !du_any) {
			r->why = "not_provided";
		} else {
			r->why = r->score > 0.0 ? "below_threshold" : "no_match";
		}
		return;
	}
	if (!mp->counts) {
		r->why = mp->required ? "matched_required_not_counted" : "not_counted_by_model";
		return;
	}
	if (!mp->reliable) {
		r->why = "record_field_not_reliable";
		return;
	}
	double v = typed_ok ? mp->typed_weight : 0.0;
	if (doc_ok && mp->document_weight > v)
		v = mp->document_weight;
	r->counted = v > 0.0;
	r->value = v;
	r->why = r->counted ? "matched" : "not_counted_by_model";
	out->total += v;
}

/* Step 3: required points: what the requester typed must match (a document alone does not
 * make a request about a record whose name the requester did not give). */
static void
score_required_points(const struct score_ctx *c, struct score_rec *sr, struct score_cand *out)
{
	const struct idv_model *m = c->m;
	for (int t = 0; t < IDV_PT__COUNT; t++) {
		if (!m->points[t].required || score_corrected(c, (enum idv_point)t))
			continue;
		if (sr->claimed[t] ? sr->typed[t].score >= m->points[t].threshold : sr->matched[t])
			continue;
		if (t == IDV_PT_NAME && sr->claimed[t]) {
			bool suffix = sr->typed[t].reason == IDV_R_SUFFIX_CONFLICT;
			score_raisef(m, &out->flags, &out->notes,
				     suffix ? IDV_FLAG_SUFFIX_CONFLICT : IDV_FLAG_NAME_DIFFERS,
				     "the typed name does not match the record (%s)",
				     idv_reason_name(sr->typed[t].reason));
		} else {
			sr->unmet = true;
			score_note(&out->notes, "required_point_not_matched",
				   "the model requires a matching %s",
				   idv_point_name((enum idv_point)t));
		}
	}
}

/* Step 4: the typed date of birth: a different date is a contradiction, a swapped one a
 * reason code. */
static void
score_typed_dob(const struct score_ctx *c, const struct score_rec *sr, struct score_cand *out)
{
	const struct idv_model *m = c->m;
	bool dob_doc_backed = out->points[IDV_PT_DOB].source == IDV_PSRC_DOCUMENT;
	if (score_corrected(c, IDV_PT_DOB) || !sr->claimed[IDV_PT_DOB])
		return;
	/* A typed DOB that differs while a usable ID shows the record's is a typing mistake the
	 * document contradicts (document_contradicts_claims, raised with the documents). */
	if (sr->typed[IDV_PT_DOB].reason == IDV_R_MISMATCH && dob_doc_backed)
		score_note(&out->notes, "date_of_birth_typed_differs",
			   "the typed date of birth differs from the record's, but the ID "
			   "shows the record's");
	else if (sr->typed[IDV_PT_DOB].reason == IDV_R_MISMATCH)
		score_raise(m, &out->flags, &out->notes, IDV_FLAG_DOB_DIFFERS,
			    "the typed date of birth differs from the record's");
	else if (sr->typed[IDV_PT_DOB].reason == IDV_R_DAY_MONTH_SWAP) {
		score_raise(m, &out->flags, &out->notes, IDV_FLAG_DOB_DAY_MONTH_SWAP,
			    "the typed date of birth is the record's with day and month "
			    "exchanged");
		if (m->points[IDV_PT_DOB].counts && m->points[IDV_PT_DOB].reliable)
			out->potential += m->points[IDV_PT_DOB].typed_weight;
	}
}

/* Step 5: each live government ID against the record (date of birth, name, address). */
static void
score_ids_vs_record(const struct score_ctx *c, const struct score_rec *sr, struct score_cand *out)
{
	const struct idv_model *m = c->m;
	for (size_t i = 0; i < c->ndocs; i++) {
		const struct score_doc *sd = &c->docs[i];
		if (!score_doc_live(sd) || sd->dclass != IDV_DCLASS_GOVERNMENT_ID)
			continue;
		if (sd->has_dob && !score_corrected(c, IDV_PT_DOB) &&
		    sr->rec->date_of_birth[0] != '\0') {
			struct idv_match dm;
			idv_match_dob(sd->dob, sr->rec->date_of_birth, &dm);
			if (dm.reason != IDV_R_EXACT) {
				score_raisef(
					m, &out->flags, &out->notes, IDV_FLAG_DOB_DIFFERS,
					"document %zu (%s): its date of birth differs from the "
					"record's (%s)",
					i + 1, sd->kind, idv_reason_name(dm.reason));
			}
		}
		if (sd->has_name && !score_corrected(c, IDV_PT_NAME)) {
			struct idv_match nm;
			idv_name_compare(&sd->name, &sr->rname, c->in->nick, &nm);
			if (nm.score < m->points[IDV_PT_NAME].threshold) {
				score_raisef(m, &out->flags, &out->notes, IDV_FLAG_DOC_VS_RECORD,
					     "document %zu (%s): the name on it does not match the "
					     "record (%s)",
					     i + 1, sd->kind, idv_reason_name(nm.reason));
			}
		}
		if (sd->has_addr && !sr->raddr.empty && !score_corrected(c, IDV_PT_ADDRESS)) {
			struct idv_match am;
			idv_address_compare(&sd->addr, &sr->raddr, &am);
			if (am.score < m->points[IDV_PT_ADDRESS].threshold)
				score_note(
					&out->notes, "id_address_differs",
					"document %zu (%s): its address differs from the record's "
					"(%s); IDs are often out of date, so it only does not count",
					i + 1, sd->kind, idv_reason_name(am.reason));
		}
	}
}

/*
 * Step 6: a move. A proof of residence at another address than the record's; or any other
 * document (an ID) whose address differs from the record's and is the one claimed: the claim
 * and the document agree on a newer address than the business holds, whatever else matched.
 */
static void
score_recent_move(const struct score_ctx *c, struct score_rec *sr, struct score_cand *out)
{
	const struct idv_model *m = c->m;
	const struct idv_model_point *ap = &m->points[IDV_PT_ADDRESS];
	if (score_corrected(c, IDV_PT_ADDRESS) || sr->raddr.empty)
		return;
	for (size_t i = 0; i < c->ndocs; i++) {
		const struct score_doc *sd = &c->docs[i];
		if (!score_doc_live(sd) || !sd->has_addr)
			continue;
		bool residence = sd->dclass == IDV_DCLASS_PROOF_OF_RESIDENCE;
		struct idv_match am, ca;
		idv_address_compare(&sd->addr, &sr->raddr, &am);
		if (am.score >= ap->threshold)
			continue;
		idv_address_compare(&sd->addr, &c->caddr, &ca);
		bool claimed = !c->caddr.empty && ca.score >= ap->threshold;
		if (!residence && !claimed)
			continue;
		if (residence)
			score_raisef(m, &out->flags, &out->notes, IDV_FLAG_RECENT_MOVE,
				     "document %zu: the proof of residence shows another address "
				     "than the record's (%s), more recent than it",
				     i + 1, idv_reason_name(am.reason));
		else
			score_raisef(m, &out->flags, &out->notes, IDV_FLAG_RECENT_MOVE,
				     "document %zu (%s): it shows the claimed address, not the "
				     "record's (%s): the consumer moved",
				     i + 1, sd->kind, idv_reason_name(am.reason));
		if (residence && !sr->matched[IDV_PT_ADDRESS] && claimed && ap->counts &&
		    ap->reliable && m->on[IDV_FLAG_RECENT_MOVE] == IDV_ACT_MANUAL_REVIEW) {
			out->potential += ap->typed_weight;
			sr->matched[IDV_PT_ADDRESS] = true; /* once only */
		}
	}
}

/* Step 7: the documents the model requires, class by class. */
static void
score_required_docs(const struct score_ctx *c, struct score_rec *sr, struct score_cand *out)
{
	const struct idv_model *m = c->m;
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
			if (unreadable && !usable &&
			    m->on[IDV_FLAG_UNREADABLE_OPTIONAL] != IDV_ACT_IGNORE)
				score_raise(m, &out->flags, &out->notes,
					    IDV_FLAG_UNREADABLE_OPTIONAL,
					    "a document that is not required could not be read");
			continue;
		}
		if (usable) {
			score_note(&out->notes, "document_requirement_met",
				   "a usable %s was provided",
				   idv_doc_class_name((enum idv_doc_class)k));
			continue;
		}
		if (pend) {
			sr->pending = true;
			score_note(&out->notes, "document_pending_review",
				   "the required %s needs a reviewer's acceptance",
				   idv_doc_class_name((enum idv_doc_class)k));
			continue;
		}
		if (unreadable) {
			score_raisef(m, &out->flags, &out->notes, IDV_FLAG_UNREADABLE_REQUIRED,
				     "the required %s could not be read",
				     idv_doc_class_name((enum idv_doc_class)k));
			enum idv_action a = m->on[IDV_FLAG_UNREADABLE_REQUIRED];
			if (a == IDV_ACT_MANUAL_REVIEW)
				sr->pending = true;
			else if (a != IDV_ACT_NOT_VERIFIED)
				sr->unmet = true;
			continue;
		}
		sr->unmet = true;
		score_note(&out->notes, "document_required", "the model requires a usable %s",
			   idv_doc_class_name((enum idv_doc_class)k));
	}
}

/* Step 8: the declaration under penalty of perjury (R17). */
static void
score_declaration(const struct score_ctx *c, struct score_rec *sr, struct score_cand *out)
{
	const struct idv_model *m = c->m;
	if (!m->declaration_required)
		return;
	const struct idv_declaration *dc = c->in->declaration;
	if (dc == NULL || !dc->present || !dc->is_signed || dc->typed_name[0] == '\0') {
		sr->unmet = true;
		score_note(&out->notes, "declaration_missing",
			   "the model requires a signed declaration under penalty of perjury");
		return;
	}
	struct idv_match dm;
	idv_name_compare_full(dc->typed_name, &sr->rname, c->in->nick, &dm);
	if (dm.score >= m->points[IDV_PT_NAME].threshold) {
		score_note(&out->notes, "declaration_signed",
			   "signed declaration; its typed name matches the record (%s)",
			   idv_reason_name(dm.reason));
		return;
	}
	score_raisef(m, &out->flags, &out->notes, IDV_FLAG_DECLARATION_NAME,
		     "the declaration's typed name does not match the record (%s)",
		     idv_reason_name(dm.reason));
	if (m->on[IDV_FLAG_DECLARATION_NAME] == IDV_ACT_IGNORE)
		sr->unmet = true;
}

/* Step 9: the candidate's status from its points, conditions and requirements. */
static void
score_status(const struct score_ctx *c, const struct score_rec *sr, struct score_cand *out)
{
	const struct idv_model *m = c->m;
	bool fail = score_any_action(m, &out->flags, IDV_ACT_NOT_VERIFIED) ||
		    score_any_action(m, &c->flags, IDV_ACT_NOT_VERIFIED);
	bool review = sr->pending || score_any_action(m, &out->flags, IDV_ACT_MANUAL_REVIEW) ||
		      score_any_action(m, &c->flags, IDV_ACT_MANUAL_REVIEW);
	const double eps = 1e-9;
	bool enough = out->total + eps >= m->points_needed;
	bool maybe = out->total + out->potential + eps >= m->points_needed;
	if (fail)
		out->status = SC_FAIL;
	else if (enough && !sr->unmet && !review)
		out->status = SC_PASS;
	else if (maybe && !sr->unmet && review)
		out->status = SC_REVIEW;
	else
		out->status = SC_INSUFFICIENT;
}

static void
score_candidate(struct score_ctx *c, const struct idv_record *rec, struct score_cand *out)
{
	struct score_rec sr;
	memset(out, 0, sizeof *out);
	score_rec_init(c, rec, &sr);
	out->name_match = sr.typed[IDV_PT_NAME];
	for (int t = 0; t < IDV_PT__COUNT; t++)
		score_point(c, &sr, t, out);
	score_required_points(c, &sr, out);
	score_typed_dob(c, &sr, out);
	score_ids_vs_record(c, &sr, out);
	score_recent_move(c, &sr, out);
	score_required_docs(c, &sr, out);
	score_declaration(c, &sr, out);
	score_status(c, &sr, out);
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
		if (r->counted) {
			(void)idv_fmt_cat(counted, sizeof counted, &oc, "%s%s (%s, %.2g)",
					  oc ? ", " : "", idv_point_name(r->type),
					  idv_point_source_name(r->source), r->value);
		} else {
			(void)idv_fmt_cat(not_counted, sizeof not_counted, &on, "%s%s (%s)",
					  on ? ", " : "", idv_point_name(r->type), r->why);
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

/* Stage 1: the claims parsed once, every document classified. */
static void
score_ctx_init(struct score_ctx *ctx, const struct idv_model *m, const struct idv_score_input *in)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->m = m;
	ctx->in = in;
	const struct idv_claims *cl = in->claims;
	if (idv_name_parse(cl->given_names, NULL, cl->family_name, cl->suffix, &ctx->cname) ==
		    IDV_OK &&
	    !idv_name_empty(&ctx->cname))
		ctx->has_cname = true;
	if (idv_address_normalize(&cl->address, &ctx->caddr) != IDV_OK) {
		memset(&ctx->caddr, 0, sizeof ctx->caddr);
		ctx->caddr.empty = true;
	}
	ctx->ndocs = in->ndocs;
	for (size_t i = 0; i < in->ndocs; i++)
		score_classify_doc(ctx, i);
	for (size_t i = 0; i < in->ndocs; i++)
		if (ctx->docs[i].state != SDOC_USABLE)
			score_note(&ctx->notes, "document_state", "document %zu (%s): %s", i + 1,
				   ctx->docs[i].kind, score_doc_state_name(ctx->docs[i].state));
}

/* Pass 2: the candidates other than best whose points come within the ambiguity margin (and
 * that best does not dominate), listed in rivals; returns how many. */
static size_t
score_rivals(struct score_ctx *ctx, const struct score_cand *best, size_t best_i, char *rivals,
	     size_t rivalssz)
{
	const struct idv_score_input *in = ctx->in;
	struct score_cand cur;
	size_t nrivals = 0, ro = 0;
	for (size_t i = 0; i < in->ncands; i++) {
		if (i == best_i)
			continue;
		score_candidate(ctx, &in->cands[i], &cur);
		if (cur.status == SC_FAIL || cur.total <= 0.0)
			continue;
		if (best->total - cur.total >= ctx->m->ambiguity_margin)
			continue;
		if (score_dominates(best, &cur))
			continue;
		nrivals++;
		(void)idv_fmt_cat(rivals, rivalssz, &ro, "%s%s (%.2g points)", ro ? ", " : "",
				  in->cands[i].id, cur.total);
	}
	return nrivals;
}

/* Stage 3: the outcome from the best candidate and its rivals. */
static void
score_outcome(const struct score_ctx *ctx, const struct score_cand *best, size_t best_i,
	      size_t nrivals, const char *rivals, struct idv_decision *out)
{
	const struct idv_model *m = ctx->m;
	const struct idv_score_input *in = ctx->in;
	bool eligible = best->status == SC_PASS || best->status == SC_REVIEW;
	if (eligible && nrivals > 0) {
		enum idv_action a = m->on[IDV_FLAG_AMBIGUOUS];
		score_reason(out, "ambiguous_candidates",
			     "record %s (%.2g points) and %zu other record(s) within the margin of "
			     "%.2g: %s (model action: %s)",
			     in->cands[best_i].id, best->total, nrivals, m->ambiguity_margin,
			     rivals, idv_action_name(a));
		out->outcome = a == IDV_ACT_NOT_VERIFIED ? IDV_OUT_NOT_VERIFIED
							 : IDV_OUT_MANUAL_REVIEW;
	} else if (best->status == SC_PASS) {
		out->outcome = IDV_OUT_VERIFIED;
		out->level = m->level;
		out->has_record = true;
	} else if (best->status == SC_REVIEW) {
		out->outcome = IDV_OUT_MANUAL_REVIEW;
		out->has_record = true;
	} else {
		out->outcome = IDV_OUT_NOT_VERIFIED;
		score_reason(out, "best_candidate",
			     "the closest of %zu candidate record(s) was %s under this model",
			     in->ncands, status_names[best->status]);
	}
	if (out->has_record) {
		out->record_index = best_i;
		idv_strlcpy(out->record_id, in->cands[best_i].id, sizeof out->record_id);
	}
}

enum idv_err
idv_score_decide(const struct idv_model *m, const struct idv_score_input *in,
		 struct idv_decision *out)
{
	score_decision_init(out);
	if (m == NULL || in == NULL || in->claims == NULL ||
	    (in->ncands > 0 && in->cands == NULL) || (in->ndocs > 0 && in->docs == NULL)) {
		score_reason(out, "invalid_input",
			     "missing model, claims, candidates or documents");
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
	score_ctx_init(&ctx, m, in);
	if (in->ncands == 0) {
		score_reason(
			out, "no_candidate_records",
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
	char rivals[IDV_REASON_DETAIL_MAX] = "";
	size_t nrivals = eligible ? score_rivals(&ctx, &best, best_i, rivals, sizeof rivals) : 0;
	score_summary(out, m, &best);
	score_outcome(&ctx, &best, best_i, nrivals, rivals, out);
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
		  const struct idv_model *const models[IDV_LEVEL__COUNT],
		  enum idv_request_type type, enum idv_level requested,
		  const char *const *data_classes, size_t nclasses,
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
					score_reason(
						out, "standard_reached",
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
						score_reason(out, "heightened_not_reached",
							     "%s: %s", code, hi.reasons[i].detail);
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
