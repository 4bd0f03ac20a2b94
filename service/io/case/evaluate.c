/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evaluate.c: the evaluation of a case once its evidence is complete (evaluate.h): claims, the
 * documents as read, the signed declaration and the candidate records go to the decision engine
 * (score.h); the outcome, the level, the model and the reasons are recorded, sealed, in the
 * same transaction as the status change.
 * At most two access answers per consumer in 12 months (R38) are counted with a keyed hash of
 * the matched record.
 * Attempts are throttled (R9, attempts.h) per claimed name and per targeted record (the
 * closest candidate), both by keyed hash: past the limit the case goes to a reviewer with an
 * audit entry, whether or not any record exists.
 */
#include <time.h>

#include "idverify/attempts.h"
#include "audit.h"
#include "evaluate.h"
#include "codes.h"
#include "needs.h"
#include "policy.h"
#include "seal.h"
#include "decision.h"
#include "idverify/docmerge.h"
#include "idverify/verdict.h"
#include "log.h"
#include "model.h"
#include "recordstore.h"

#define SCORE_MAX_CANDIDATES 64
/* Candidate sets are padded to this size with stand-ins (issue 19): up to it, the time an
 * evaluation takes does not depend on how many records share a key with the claims. */
#define SCORE_PAD_CANDIDATES 16
#define SCORE_MAX_DOCS 16
#define SCORE_MAX_CLASSES 16

/* ---- evaluation ---------------------------------------------------------------------------- */

struct score_docs {
	const uint8_t *dek;
	const char *reference;
	struct idv_document *docs; /* one per group (several files of one document merged) */
	char groups[SCORE_MAX_DOCS][IDV_DOC_ID_MAX];
	size_t n;
	bool stale; /* a result stored by another version: read again */
};

static bool
score_doc(void *arg, const struct idv_doc_row *d)
{
	struct score_docs *s = arg;
	char group[IDV_DOC_ID_MAX];
	idv_doc_group(d->id, group);
	if (d->result_sealed.len == 0)
		return true;
	/* Only identity evidence is scored; an agent's permission or a proof of relationship is
	 * weighed by the agent rules and by reviewers, not read as an ID. */
	if (strcmp(d->kind, "government_id") != 0 && strcmp(d->kind, "proof_of_residence") != 0)
		return true;
	struct idv_document *one = idv_malloc(sizeof *one);
	if (idv_document_unseal(s->dek, s->reference, d->id, &d->result_sealed, one) != IDV_OK) {
		s->stale = true;
		free(one);
		return true;
	}
	if (one->kind == IDV_DOC_UNKNOWN)
		one->kind = idv_doc_kind_for_upload(d->kind);
	size_t k = 0;
	while (k < s->n && strcmp(s->groups[k], group) != 0)
		k++;
	if (k == s->n) {
		if (s->n == SCORE_MAX_DOCS) {
			free(one);
			return false;
		}
		idv_strlcpy(s->groups[k], group, sizeof s->groups[k]);
		s->docs[k] = *one;
		s->n++;
	} else {
		/* Front and back of one document: one reading, sources compared. */
		struct idv_document *merged = idv_malloc(sizeof *merged);
		idv_document_merge(&s->docs[k], one, merged);
		s->docs[k] = *merged;
		idv_wipe(merged, sizeof *merged);
		free(merged);
	}
	idv_wipe(one, sizeof *one);
	free(one);
	return true;
}

static enum idv_err
score_declaration(struct idv_store *store, const struct idv_case_row *row,
		  struct idv_declaration *decl)
{
	char version[32];
	int64_t at;
	struct idv_buf sealed, plain;
	memset(decl, 0, sizeof *decl);
	idv_buf_init(&sealed, 64 * 1024);
	enum idv_err err = idv_store_declaration_get(store, row->id, version, sizeof version, &at,
						     &sealed);
	if (err == IDV_E_NOTFOUND) {
		idv_buf_cleanup(&sealed);
		return IDV_OK;
	}
	idv_buf_init(&plain, 64 * 1024);
	if (err == IDV_OK)
		err = idv_crypto_derived(true, "declarations", sealed.data, sealed.len, &plain,
					 "idverify/declaration/%s", row->reference);
	if (err == IDV_OK) {
		json_t *d = json_loadb((const char *)plain.data, plain.len, 0, NULL);
		const char *name = json_string_value(json_object_get(d, "typed_name"));
		if (name != NULL) {
			decl->present = true;
			decl->is_signed = true;
			idv_strlcpy(decl->typed_name, name, sizeof decl->typed_name);
		}
		json_decref(d);
	}
	idv_buf_cleanup_wipe(&plain);
	idv_buf_cleanup(&sealed);
	return err;
}

static const char *
score_status(enum idv_outcome o)
{
	switch (o) {
	case IDV_OUT_VERIFIED: return IDV_CS_VERIFIED;
	case IDV_OUT_NOT_VERIFIED: return IDV_CS_NOT_VERIFIED;
	case IDV_OUT_MANUAL_REVIEW: return IDV_CS_MANUAL_REVIEW;
	case IDV_OUT_NOT_REQUIRED: return IDV_CS_NOT_REQUIRED;
	}
	return IDV_CS_MANUAL_REVIEW;
}

/* ---- attempts (R9) --------------------------------------------------------------------------- */

/* The keyed hash a target is counted under ("name:<folded>", "record:<id>"). */
static enum idv_err
score_target_hash(const char *kind, const char *text, uint8_t out[32])
{
	struct idv_buf b;
	idv_buf_init(&b, 512);
	enum idv_err err = idv_buf_printf(&b, "%s:%s", kind, text);
	if (err == IDV_OK)
		err = idv_crypto_hmac_derived("attempts", b.data, b.len, out);
	idv_buf_cleanup_wipe(&b);
	return err;
}

/* Count one attempt against a target: read, step, write (inside the caller's transaction). */
static enum idv_err
score_attempt_step(struct idv_store *store, const struct idv_attempts_rule *rule, const char *kind,
		   const char *text, int64_t now, enum idv_attempts_verdict *v)
{
	struct idv_attempts_state st;
	uint8_t h[32];
	enum idv_err err = score_target_hash(kind, text, h);
	if (err == IDV_OK)
		err = idv_store_attempts_get(store, h, &st);
	if (err == IDV_OK) {
		*v = idv_attempts_step(rule, &st, now);
		err = idv_store_attempts_put(store, h, &st);
	}
	return err;
}

/*
 * Did the typed name match the closest candidate? Only then does the attempt probe that
 * record: the name gates every model (a required point), so an attempt under another name is
 * refused whatever its other details and tells nothing about them.
 */
static bool
score_name_matched(const struct idv_decision *d)
{
	static const char *const unmatched[] = {
		"not_provided",    "below_threshold",       "no_match",
		"no_record_value", "subject_of_correction", "document_pending_review"};
	const char *why = d->points[IDV_PT_NAME].why;
	if (!d->has_points || why == NULL)
		return false;
	for (size_t i = 0; i < IDV_ARRAY_LEN(unmatched); i++)
		if (strcmp(why, unmatched[i]) == 0)
			return false;
	return true;
}

/*
 * Count this attempt against the claimed name and against the record it came closest to
 * under that name (target; NULL when there was none). Both counters are always stepped, the
 * same statements either way, so that neither the work done nor the verdict on the name tells
 * whether a record exists: without a target the record counter is a shared placeholder whose
 * verdict is ignored. *v is the worse verdict; *what names the locked targets.
 */
static enum idv_err
score_attempts(struct idv_store *store, const struct idv_attempts_rule *rule,
	       const struct idv_claims *c, const struct idv_record *target, int64_t now,
	       enum idv_attempts_verdict *v, const char **what)
{
	char name[2 * sizeof c->given_names + 2];
	enum idv_attempts_verdict vn = IDV_ATTEMPTS_ALLOW, vr = IDV_ATTEMPTS_ALLOW;
	bool has_name = idv_attempts_name_target(c->given_names, c->family_name, name, sizeof name);
	enum idv_err err = score_attempt_step(store, rule, "name", has_name ? name : "", now, &vn);
	if (!has_name)
		vn = IDV_ATTEMPTS_ALLOW;
	if (err == IDV_OK)
		err = score_attempt_step(store, rule, "record", target ? target->id : "", now, &vr);
	if (target == NULL)
		vr = IDV_ATTEMPTS_ALLOW;
	idv_wipe(name, sizeof name);
	*v = idv_attempts_worst(vn, vr);
	*what = vn != IDV_ATTEMPTS_ALLOW && vr != IDV_ATTEMPTS_ALLOW ? "name,record"
		: vn != IDV_ATTEMPTS_ALLOW                           ? "name"
								     : "record";
	return err;
}

/* What one evaluation carries from step to step (idv_case_evaluate). */
struct eval {
	struct idv_cases *cs;
	struct idv_case_row row;
	uint8_t dek[IDV_KEY_LEN];
	json_t *claims_json;
	struct idv_claims claims;
	const char *classes[SCORE_MAX_CLASSES]; /* borrowed from claims_json */
	size_t nclasses;
	struct score_docs sd;
	struct idv_declaration decl;
	struct idv_record *cands;
	size_t ncands;
	bool person_decides;
	const char *person_why;
	struct idv_decision *dec;
	uint8_t matched[32]; /* keyed hash of the matched record (R38) */
	bool has_matched;
	const char *status;
	enum idv_attempts_verdict verdict;
	const char *locked_what;
};

/* Step 1: the claims (opened with the case key), their data classes, the documents as read
 * and the declaration. */
static enum idv_err
eval_load(struct eval *e)
{
	struct idv_buf plain;
	char why[200];
	enum idv_err err;
	idv_buf_init(&plain, 256 * 1024);
	if ((err = idv_case_key_open(&e->row, e->dek)) != IDV_OK ||
	    (err = idv_case_open(e->dek, e->row.reference, "claims", e->row.claims_sealed.data,
				 e->row.claims_sealed.len, &plain)) != IDV_OK)
		goto out;
	e->claims_json = json_loadb((const char *)plain.data, plain.len, 0, NULL);
	if (!idv_claims_from_json(e->claims_json, &e->claims, why, sizeof why)) {
		idv_log(IDV_LOG_ERROR, "case.claims_unreadable", "{s:I}", "case_id",
			(json_int_t)e->row.id);
		err = IDV_E_STATE;
		goto out;
	}
	/* A code to a record's own contact came back (codes.h): that record's contact_code. */
	idv_case_code_record(e->cs, &e->row, e->dek, e->claims.contact_record,
			     sizeof e->claims.contact_record);
	json_t *jc = json_object_get(e->claims_json, "data_classes");
	for (size_t i = 0; i < json_array_size(jc) && e->nclasses < SCORE_MAX_CLASSES; i++)
		if (json_is_string(json_array_get(jc, i)))
			e->classes[e->nclasses++] = json_string_value(json_array_get(jc, i));
	e->sd.dek = e->dek;
	e->sd.reference = e->row.reference;
	e->sd.docs = idv_calloc(SCORE_MAX_DOCS, sizeof *e->sd.docs);
	if ((err = idv_store_doc_each(e->cs->store, e->row.id, score_doc, &e->sd)) == IDV_OK)
		err = score_declaration(e->cs->store, &e->row, &e->decl);
out:
	idv_buf_cleanup_wipe(&plain);
	return err;
}

/* Step 2 for the engine: score the candidates, then as many stand-ins as pad the set to
 * SCORE_PAD_CANDIDATES (the same work whatever the number of candidates, issue 19; the
 * stand-ins' decision is discarded). */
static enum idv_err
eval_score(struct eval *e)
{
	const struct idv_models *m = idv_scoring_models(e->cs->scoring);
	const struct idv_model *models[IDV_LEVEL__COUNT] = {NULL, &m->standard, &m->heightened};
	struct idv_score_input in = {
		.claims = &e->claims,
		.declaration = &e->decl,
		.docs = e->sd.docs,
		.ndocs = e->sd.n,
		.cands = e->cands,
		.ncands = e->ncands,
		.nick = m->nicknames,
		.today_days = idv_today_days(),
	};
	enum idv_request_type type = idv_request_type_lookup(e->row.request_type,
							     strlen(e->row.request_type));
	enum idv_level requested = idv_level_lookup(e->row.level, strlen(e->row.level));
	enum idv_err err = idv_score_request(&m->policy, models, type, requested, e->classes,
					     e->nclasses, &in, e->dec);
	if (err == IDV_OK && e->ncands < SCORE_PAD_CANDIDATES &&
	    idv_records_standins(e->cands + e->ncands, SCORE_PAD_CANDIDATES - e->ncands) ==
		    IDV_OK) {
		struct idv_decision *pad = idv_calloc(1, sizeof *pad);
		struct idv_score_input pin = in;
		pin.cands = e->cands + e->ncands;
		pin.ncands = SCORE_PAD_CANDIDATES - e->ncands;
		idv_score_request(&m->policy, models, type, requested, e->classes, e->nclasses,
				  &pin, pad);
		idv_wipe(pad, sizeof *pad);
		free(pad);
	}
	return err;
}

/* Step 2: the decision: a person's (a power of attorney, R25; a parent or guardian, R27; too
 * many look-alikes), or the engine's. */
static enum idv_err
eval_decide(struct eval *e)
{
	json_t *ignored = json_array();
	idv_case_role_requirements(e->cs, &e->row, ignored, &e->person_decides, &e->person_why);
	json_decref(ignored);
	e->cands = idv_calloc(SCORE_MAX_CANDIDATES, sizeof *e->cands);
	e->dec = idv_calloc(1, sizeof *e->dec);
	if (e->person_decides) {
		e->dec->level_required = idv_level_lookup(e->row.level, strlen(e->row.level));
		idv_verdict_person(e->dec, strcmp(e->person_why, "power_of_attorney") == 0
						   ? IDV_PERSON_POWER_OF_ATTORNEY
					   : strcmp(e->person_why, "agent_registration") == 0
						   ? IDV_PERSON_AGENT_REGISTRATION
						   : IDV_PERSON_PARENT_OR_GUARDIAN);
		return IDV_OK;
	}
	enum idv_err err = idv_records_candidates(e->cs->store, &e->claims, e->sd.docs, e->sd.n,
						  e->cands, SCORE_MAX_CANDIDATES, &e->ncands);
	if (err == IDV_E_TOOBIG) {
		idv_verdict_person(e->dec, IDV_PERSON_TOO_MANY_CANDIDATES);
		return IDV_OK;
	}
	return err == IDV_OK ? eval_score(e) : err;
}

/* Step 3, R38: a third access answer to the same consumer within 12 months is not owed. */
static void
eval_access_limit(struct eval *e)
{
	if (e->dec->has_record) {
		e->has_matched = idv_crypto_hmac_derived("access-count", e->dec->record_id,
							 strlen(e->dec->record_id),
							 e->matched) == IDV_OK;
	}
	e->status = score_status(e->dec->outcome);
	enum idv_request_type rtype = idv_request_type_lookup(e->row.request_type,
							      strlen(e->row.request_type));
	int64_t n = 0;
	if (e->has_matched && idv_access_counts(rtype, e->dec) &&
	    idv_store_case_count_access(e->cs->store, e->matched,
					idv_access_window_start((int64_t)time(NULL)), e->row.id,
					&n) == IDV_OK &&
	    idv_procedure_access_refused(idv_scoring_procedure(e->cs->scoring), (long)n) &&
	    idv_access_limit_reached(e->dec, n))
		e->status = IDV_CS_REFUSED;
}

/* Step 4a (in the transaction), R9: too many attempts against this name or record: a person
 * decides, whatever the engine found (its decision stays with the case for the reviewer). */
static enum idv_err
eval_attempts(struct eval *e, int64_t now)
{
	enum idv_err err = IDV_OK;
	e->verdict = IDV_ATTEMPTS_ALLOW;
	e->locked_what = "";
	if (!e->person_decides) {
		const struct idv_record *target = score_name_matched(e->dec) &&
								  e->dec->best_index < e->ncands
							  ? &e->cands[e->dec->best_index]
							  : NULL;
		err = score_attempts(e->cs->store,
				     &idv_scoring_models(e->cs->scoring)->policy.attempts,
				     &e->claims, target, now, &e->verdict, &e->locked_what);
	}
	if (err == IDV_OK && e->verdict != IDV_ATTEMPTS_ALLOW) {
		e->status = IDV_CS_MANUAL_REVIEW;
		idv_verdict_person(e->dec, strcmp(e->locked_what, "record") == 0
						   ? IDV_PERSON_TOO_MANY_ATTEMPTS_RECORD
						   : IDV_PERSON_TOO_MANY_ATTEMPTS_NAME);
	}
	return err;
}

/* Step 4b (in the transaction): the decision sealed into cur, with the status change, and
 * audited. The matched record's id stays with the sealed decision for the reviewers
 * (reviews.h); the requester's view shows none of it (idv_case_view). */
static enum idv_err
eval_apply(struct eval *e, struct idv_case_row *cur, int64_t now)
{
	const struct idv_decision *dec = e->dec;
	json_t *dj = idv_decision_json(dec, true);
	char *dtext = json_dumps(dj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(dj);
	enum idv_err err = dtext ? idv_case_seal(e->dek, e->row.reference, "decision", dtext,
						 strlen(dtext), &cur->decision_sealed)
				 : IDV_E_NOMEM;
	free(dtext);
	if (err != IDV_OK)
		return err;
	idv_strlcpy(cur->status, e->status, sizeof cur->status);
	idv_strlcpy(cur->outcome, idv_outcome_name(dec->outcome), sizeof cur->outcome);
	idv_strlcpy(cur->outcome_level, idv_level_name(dec->level), sizeof cur->outcome_level);
	if (!idv_fmt(cur->model, sizeof cur->model, "%.40s %.20s", dec->model.name,
		     dec->model.version))
		cur->model[0] = '\0';
	cur->has_matched = e->has_matched;
	if (e->has_matched)
		memcpy(cur->matched_hash, e->matched, 32);
	cur->decided_at = now;
	if ((err = idv_store_case_update(e->cs->store, cur)) == IDV_OK)
		err = idv_audit_append(e->cs->store, "system", "case.decided", cur->reference,
				       json_pack("{s:s,s:s,s:s}", "status", e->status, "level",
						 idv_level_name(dec->level), "model", cur->model));
	if (err == IDV_OK && e->verdict != IDV_ATTEMPTS_ALLOW)
		err = idv_audit_append(e->cs->store, "system", "case.attempts_locked",
				       cur->reference,
				       json_pack("{s:s,s:b}", "target", e->locked_what, "new_lock",
						 e->verdict == IDV_ATTEMPTS_LOCK));
	return err;
}

static bool
eval_undecided(const struct idv_case_row *row)
{
	return row->closed_at == 0 && (strcmp(row->status, IDV_CS_AWAITING_EVIDENCE) == 0 ||
				       strcmp(row->status, IDV_CS_PROCESSING) == 0);
}

/* Step 4: record the decision with the status change, unless someone decided meanwhile. */
static enum idv_err
eval_record(struct eval *e)
{
	struct idv_case_row cur;
	int64_t now = (int64_t)time(NULL);
	enum idv_err err = idv_store_begin(e->cs->store);
	if (err != IDV_OK)
		return err;
	idv_case_row_init(&cur);
	if (idv_store_case_get_id(e->cs->store, e->row.id, &cur) != IDV_OK ||
	    !eval_undecided(&cur)) {
		idv_store_rollback(e->cs->store);
		goto out;
	}
	if ((err = eval_attempts(e, now)) == IDV_OK)
		err = eval_apply(e, &cur, now);
	if ((err = idv_store_end(e->cs->store, err)) == IDV_OK)
		idv_log(IDV_LOG_INFO, "case.decided", "{s:I,s:s,s:s,s:s,s:I,s:b}", "case_id",
			(json_int_t)e->row.id, "status", e->status, "verification_level",
			idv_level_name(e->dec->level), "model", cur.model, "candidates",
			(json_int_t)e->dec->ncandidates, "attempts_locked",
			e->verdict != IDV_ATTEMPTS_ALLOW);
out:
	idv_case_row_cleanup(&cur);
	return err;
}

enum idv_err
idv_case_evaluate(struct idv_cases *cs, const char *reference)
{
	struct eval *e = idv_calloc(1, sizeof *e);
	enum idv_err err;
	e->cs = cs;
	idv_case_row_init(&e->row);
	if ((err = idv_store_case_get(cs->store, reference, &e->row)) != IDV_OK)
		goto out;
	/* Decided already, or nothing to decide yet. */
	if (!eval_undecided(&e->row) || !idv_case_evidence_complete(cs, &e->row, NULL))
		goto out;
	if ((err = eval_load(e)) != IDV_OK || (err = eval_decide(e)) != IDV_OK)
		goto out;
	eval_access_limit(e);
	err = eval_record(e);
out:
	if (e->sd.docs != NULL)
		idv_wipe(e->sd.docs, SCORE_MAX_DOCS * sizeof *e->sd.docs);
	free(e->sd.docs);
	if (e->cands != NULL)
		idv_wipe(e->cands, SCORE_MAX_CANDIDATES * sizeof *e->cands);
	free(e->cands);
	if (e->dec != NULL)
		idv_wipe(e->dec, sizeof *e->dec);
	free(e->dec);
	json_decref(e->claims_json);
	idv_case_row_cleanup(&e->row);
	idv_wipe(e, sizeof *e);
	free(e);
	return err;
}
