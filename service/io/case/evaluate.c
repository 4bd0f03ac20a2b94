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
#include "needs.h"
#include "policy.h"
#include "seal.h"
#include "decision.h"
#include "idverify/docmerge.h"
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
	idv_strlcpy(group, d->id, sizeof group);
	char *dot = strchr(group, '.');
	if (dot != NULL)
		*dot = '\0';
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
	struct idv_buf sealed, plain, aad;
	uint8_t key[IDV_KEY_LEN];
	memset(decl, 0, sizeof *decl);
	idv_buf_init(&sealed, 64 * 1024);
	enum idv_err err = idv_store_declaration_get(store, row->id, version, sizeof version, &at,
						     &sealed);
	if (err == IDV_E_NOTFOUND) {
		idv_buf_cleanup(&sealed);
		return IDV_OK;
	}
	idv_buf_init(&plain, 64 * 1024);
	idv_buf_init(&aad, 128);
	idv_buf_printf(&aad, "idverify/declaration/%s", row->reference);
	if (err == IDV_OK && (err = idv_crypto_derive("declarations", key)) == IDV_OK)
		err = idv_crypto_open(key, aad.data, aad.len, sealed.data, sealed.len, &plain);
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
	idv_wipe(key, sizeof key);
	idv_buf_cleanup_wipe(&plain);
	idv_buf_cleanup(&sealed);
	idv_buf_cleanup(&aad);
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

static void
score_add_reason(struct idv_decision *d, const char *code, const char *detail)
{
	if (d->nreasons >= IDV_DECISION_MAX_REASONS)
		return;
	idv_strlcpy(d->reasons[d->nreasons].code, code, sizeof d->reasons[0].code);
	idv_strlcpy(d->reasons[d->nreasons].detail, detail, sizeof d->reasons[0].detail);
	d->nreasons++;
}

/* ---- attempts (R9) --------------------------------------------------------------------------- */

/* The keyed hash a target is counted under ("name:<folded>", "record:<id>"). */
static enum idv_err
score_target_hash(const char *kind, const char *text, uint8_t out[32])
{
	uint8_t key[IDV_KEY_LEN];
	struct idv_buf b;
	idv_buf_init(&b, 512);
	enum idv_err err = idv_crypto_derive("attempts", key);
	if (err == IDV_OK)
		err = idv_buf_printf(&b, "%s:%s", kind, text);
	if (err == IDV_OK)
		idv_crypto_hmac(key, b.data, b.len, out);
	idv_buf_cleanup_wipe(&b);
	idv_wipe(key, sizeof key);
	return err;
}

/* Count one attempt against a target: read, step, write (inside the caller's transaction). */
static enum idv_err
score_attempt_step(struct idv_store *store, const char *kind, const char *text, int64_t now,
		   enum idv_attempts_verdict *v)
{
	struct idv_attempts_rule rule;
	struct idv_attempts_state st;
	uint8_t h[32];
	idv_attempts_rule_defaults(&rule);
	enum idv_err err = score_target_hash(kind, text, h);
	if (err == IDV_OK)
		err = idv_store_attempts_get(store, h, &st);
	if (err == IDV_OK) {
		*v = idv_attempts_step(&rule, &st, now);
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
	static const char *const unmatched[] = {"not_provided", "below_threshold", "no_match",
						 "no_record_value", "subject_of_correction",
						 "document_pending_review"};
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
score_attempts(struct idv_store *store, const struct idv_claims *c,
	       const struct idv_record *target, int64_t now, enum idv_attempts_verdict *v,
	       const char **what)
{
	char name[2 * sizeof c->given_names + 2];
	enum idv_attempts_verdict vn = IDV_ATTEMPTS_ALLOW, vr = IDV_ATTEMPTS_ALLOW;
	bool has_name = idv_attempts_name_target(c->given_names, c->family_name, name,
						 sizeof name);
	enum idv_err err = score_attempt_step(store, "name", has_name ? name : "", now, &vn);
	if (!has_name)
		vn = IDV_ATTEMPTS_ALLOW;
	if (err == IDV_OK)
		err = score_attempt_step(store, "record", target ? target->id : "", now, &vr);
	if (target == NULL)
		vr = IDV_ATTEMPTS_ALLOW;
	idv_wipe(name, sizeof name);
	*v = idv_attempts_worst(vn, vr);
	*what = vn != IDV_ATTEMPTS_ALLOW && vr != IDV_ATTEMPTS_ALLOW ? "name,record"
		: vn != IDV_ATTEMPTS_ALLOW				 ? "name"
									 : "record";
	return err;
}

enum idv_err
idv_case_evaluate(struct idv_cases *cs, const char *reference)
{
	enum idv_err err;
	struct idv_case_row row;
	uint8_t dek[IDV_KEY_LEN] = {0};
	struct idv_buf plain;
	struct score_docs sd = {0};
	struct idv_record *cands = NULL;
	struct idv_decision *dec = NULL;
	json_t *claims_json = NULL;
	idv_case_row_init(&row);
	idv_buf_init(&plain, 256 * 1024);
	if ((err = idv_store_case_get(cs->store, reference, &row)) != IDV_OK)
		goto out;
	if (row.closed_at != 0 || (strcmp(row.status, IDV_CS_AWAITING_EVIDENCE) != 0 &&
				   strcmp(row.status, IDV_CS_PROCESSING) != 0))
		goto out; /* decided already, or nothing to decide */
	if (!idv_case_evidence_complete(cs, &row, NULL))
		goto out;
	if ((err = idv_case_key_open(&row, dek)) != IDV_OK ||
	    (err = idv_case_open(dek, row.reference, "claims", row.claims_sealed.data,
				 row.claims_sealed.len, &plain)) != IDV_OK)
		goto out;
	claims_json = json_loadb((const char *)plain.data, plain.len, 0, NULL);
	struct idv_claims claims;
	char why[200];
	if (!idv_claims_from_json(claims_json, &claims, why, sizeof why)) {
		idv_log(IDV_LOG_ERROR, "case.claims_unreadable", "{s:I}", "case_id",
			(json_int_t)row.id);
		err = IDV_E_STATE;
		goto out;
	}
	const char *classes[SCORE_MAX_CLASSES];
	size_t nclasses = 0;
	json_t *jc = json_object_get(claims_json, "data_classes");
	for (size_t i = 0; i < json_array_size(jc) && nclasses < SCORE_MAX_CLASSES; i++)
		if (json_is_string(json_array_get(jc, i)))
			classes[nclasses++] = json_string_value(json_array_get(jc, i));

	sd.dek = dek;
	sd.reference = row.reference;
	sd.docs = idv_calloc(SCORE_MAX_DOCS, sizeof *sd.docs);
	if ((err = idv_store_doc_each(cs->store, row.id, score_doc, &sd)) != IDV_OK)
		goto out;
	struct idv_declaration decl;
	if ((err = score_declaration(cs->store, &row, &decl)) != IDV_OK)
		goto out;
	cands = idv_calloc(SCORE_MAX_CANDIDATES, sizeof *cands);
	size_t ncands = 0;
	bool person_decides = false;
	const char *person_why = NULL;
	json_t *ignored = json_array();
	idv_case_role_requirements(cs, &row, ignored, &person_decides, &person_why);
	json_decref(ignored);
	err = person_decides ? IDV_OK
			     : idv_records_candidates(cs->store, &claims, sd.docs, sd.n, cands,
						      SCORE_MAX_CANDIDATES, &ncands);
	dec = idv_calloc(1, sizeof *dec);
	if (person_decides) {
		/* A power of attorney (R25) or a parent or guardian (R27): a person decides. */
		dec->outcome = IDV_OUT_MANUAL_REVIEW;
		dec->level_required = idv_level_lookup(row.level, strlen(row.level));
		score_add_reason(dec, person_why,
				 strcmp(person_why, "power_of_attorney") == 0
					 ? "a power of attorney was given: a reviewer checks it "
					   "(Probate Code 4121-4130)"
					 : "a parent or guardian filed the request: a reviewer checks "
					   "their identity and the proof of the relationship");
	} else if (err == IDV_E_TOOBIG) {
		/* Too many look-alikes to decide between: a person decides. */
		dec->outcome = IDV_OUT_MANUAL_REVIEW;
		score_add_reason(dec, "too_many_candidates",
				 "more candidate records than can be compared at once");
		err = IDV_OK;
	} else if (err != IDV_OK) {
		goto out;
	} else {
		const struct idv_models *m = idv_scoring_models(cs->scoring);
		const struct idv_model *models[IDV_LEVEL__COUNT] = {NULL, &m->standard,
								   &m->heightened};
		struct idv_score_input in = {
			.claims = &claims,
			.declaration = &decl,
			.docs = sd.docs,
			.ndocs = sd.n,
			.cands = cands,
			.ncands = ncands,
			.nick = m->nicknames,
			.today_days = idv_today_days(),
		};
		enum idv_request_type type =
			idv_request_type_lookup(row.request_type, strlen(row.request_type));
		enum idv_level requested = idv_level_lookup(row.level, strlen(row.level));
		err = idv_score_request(&m->policy, models, type, requested, classes, nclasses,
					&in, dec);
		if (err != IDV_OK)
			goto out;
		/* The same work whatever the number of candidates (issue 19): the rest of the set
		 * is filled with stand-ins, decided on apart and discarded. */
		if (ncands < SCORE_PAD_CANDIDATES &&
		    idv_records_standins(cands + ncands, SCORE_PAD_CANDIDATES - ncands) == IDV_OK) {
			struct idv_decision *pad = idv_calloc(1, sizeof *pad);
			struct idv_score_input pin = in;
			pin.cands = cands + ncands;
			pin.ncands = SCORE_PAD_CANDIDATES - ncands;
			idv_score_request(&m->policy, models, type, requested, classes, nclasses,
					  &pin, pad);
			idv_wipe(pad, sizeof *pad);
			free(pad);
		}
	}
	/* R38: a third access answer to the same consumer within 12 months is not owed. */
	uint8_t matched[32];
	bool has_matched = false;
	if (dec->has_record) {
		uint8_t key[IDV_KEY_LEN];
		if (idv_crypto_derive("access-count", key) == IDV_OK) {
			idv_crypto_hmac(key, dec->record_id, strlen(dec->record_id), matched);
			has_matched = true;
		}
		idv_wipe(key, sizeof key);
	}
	const char *status = score_status(dec->outcome);
	bool access = strncmp(row.request_type, "know_", 5) == 0;
	if (access && has_matched && dec->outcome == IDV_OUT_VERIFIED) {
		int64_t n = 0;
		if (idv_store_case_count_access(cs->store, matched, (int64_t)time(NULL) - 365 * 86400,
						row.id, &n) == IDV_OK &&
		    idv_procedure_access_refused(idv_scoring_procedure(cs->scoring), (long)n)) {
			status = IDV_CS_REFUSED;
			score_add_reason(dec, "access_limit_reached",
					 "the policy's number of requests to know were already "
					 "answered for this consumer in the last 12 months (Civil "
					 "Code 1798.130(b))");
		}
	}
	/* Record the decision with the status change, unless someone decided meanwhile. */
	if ((err = idv_store_begin(cs->store)) != IDV_OK)
		goto out;
	struct idv_case_row cur;
	struct idv_buf sealed;
	idv_case_row_init(&cur);
	idv_buf_init(&sealed, 1024 * 1024);
	if (idv_store_case_get_id(cs->store, row.id, &cur) != IDV_OK || cur.closed_at != 0 ||
	    (strcmp(cur.status, IDV_CS_AWAITING_EVIDENCE) != 0 &&
	     strcmp(cur.status, IDV_CS_PROCESSING) != 0)) {
		idv_store_rollback(cs->store);
		goto done;
	}
	/* R9: too many attempts against this name or record: a person decides, whatever the
	 * engine found (the engine's decision stays with the case for the reviewer). */
	enum idv_attempts_verdict verdict = IDV_ATTEMPTS_ALLOW;
	const char *locked_what = "";
	int64_t now = (int64_t)time(NULL);
	if (!person_decides) {
		const struct idv_record *target =
			score_name_matched(dec) && dec->best_index < ncands ? &cands[dec->best_index]
									    : NULL;
		err = score_attempts(cs->store, &claims, target, now, &verdict, &locked_what);
	}
	if (err == IDV_OK && verdict != IDV_ATTEMPTS_ALLOW) {
		dec->outcome = IDV_OUT_MANUAL_REVIEW;
		status = IDV_CS_MANUAL_REVIEW;
		score_add_reason(dec, "too_many_attempts",
				 strcmp(locked_what, "record") == 0
					 ? "too many recent attempts came closest to this record: a "
					   "reviewer decides (R9)"
					 : "too many recent attempts gave this name: a reviewer decides "
					   "(R9)");
	}
	/* The matched record's id stays with the sealed decision for the reviewers (reviews.h);
	 * the requester's view shows none of it (idv_case_view). */
	char *dtext = NULL;
	if (err == IDV_OK) {
		json_t *dj = idv_decision_json(dec, true);
		dtext = json_dumps(dj, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(dj);
		err = dtext ? idv_case_seal(dek, row.reference, "decision", dtext, strlen(dtext),
					    &sealed)
			    : IDV_E_NOMEM;
		free(dtext);
	}
	if (err == IDV_OK) {
		idv_strlcpy(cur.status, status, sizeof cur.status);
		idv_strlcpy(cur.outcome, idv_outcome_name(dec->outcome), sizeof cur.outcome);
		idv_strlcpy(cur.outcome_level, idv_level_name(dec->level), sizeof cur.outcome_level);
		if (snprintf(cur.model, sizeof cur.model, "%.40s %.20s", dec->model.name,
			     dec->model.version) < 0)
			cur.model[0] = '\0';
		cur.has_matched = has_matched;
		if (has_matched)
			memcpy(cur.matched_hash, matched, 32);
		cur.decided_at = now;
		idv_buf_reset(&cur.decision_sealed);
		idv_buf_append(&cur.decision_sealed, sealed.data, sealed.len);
		err = idv_store_case_update(cs->store, &cur);
	}
	if (err == IDV_OK)
		err = idv_audit_append(cs->store, "system", "case.decided", cur.reference,
				       json_pack("{s:s,s:s,s:s}", "status", status, "level",
						 idv_level_name(dec->level), "model", cur.model));
	if (err == IDV_OK && verdict != IDV_ATTEMPTS_ALLOW)
		err = idv_audit_append(cs->store, "system", "case.attempts_locked", cur.reference,
				       json_pack("{s:s,s:b}", "target", locked_what, "new_lock",
						 verdict == IDV_ATTEMPTS_LOCK));
	if ((err = idv_store_end(cs->store, err)) == IDV_OK)
		idv_log(IDV_LOG_INFO, "case.decided", "{s:I,s:s,s:s,s:s,s:I,s:b}", "case_id",
			(json_int_t)row.id, "status", status, "verification_level",
			idv_level_name(dec->level), "model", cur.model, "candidates",
			(json_int_t)dec->ncandidates, "attempts_locked",
			verdict != IDV_ATTEMPTS_ALLOW);
done:
	idv_case_row_cleanup(&cur);
	idv_buf_cleanup(&sealed);
out:
	if (sd.docs != NULL)
		idv_wipe(sd.docs, SCORE_MAX_DOCS * sizeof *sd.docs);
	free(sd.docs);
	if (cands != NULL)
		idv_wipe(cands, SCORE_MAX_CANDIDATES * sizeof *cands);
	free(cands);
	if (dec != NULL)
		idv_wipe(dec, sizeof *dec);
	free(dec);
	json_decref(claims_json);
	idv_wipe(dek, sizeof dek);
	idv_buf_cleanup_wipe(&plain);
	idv_case_row_cleanup(&row);
	return err;
}
