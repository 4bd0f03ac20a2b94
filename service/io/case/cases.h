/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cases.h: the life of a case (DESIGN.md 2) on top of the store: creation with its reference,
 * token and due dates, the case's own data key, sealed claims and documents, the extraction
 * workers, evaluation when the evidence is complete, closing, and the purge of the new
 * verification data (RULES.md R7) with a signed deletion receipt, and the sweeper.
 *
 * Every state change happens in one store transaction with what causes it.
 */
#ifndef IDVERIFY_CASES_H
#define IDVERIFY_CASES_H

#include <jansson.h>

#include "config.h"
#include "crypto.h"
#include "idverify/document.h"
#include "store.h"

/* Statuses (stable strings in the API). */
#define IDV_CS_AWAITING_EVIDENCE "awaiting_evidence"
#define IDV_CS_PROCESSING "processing"
#define IDV_CS_VERIFIED "verified"
#define IDV_CS_NOT_VERIFIED "not_verified"
#define IDV_CS_MANUAL_REVIEW "manual_review"
#define IDV_CS_NOT_REQUIRED "no_verification_needed"
#define IDV_CS_REFUSED "refused"
#define IDV_CS_CLOSED "closed"

struct idv_scoring; /* models and policy, loaded once (case_score.c) */
struct idv_agents;  /* agents.h */

/* What a running service shares with the case code. Not owned; all outlive the cases. */
struct idv_cases {
	struct idv_store *store;
	const struct idv_config *cfg;
	struct idv_scoring *scoring;
	const struct idv_agents *agents; /* the DRP directory views name agents from; may be NULL */
};

/* The case key: a new random one (wrapped for storage), or the stored one unwrapped. */
enum idv_err idv_case_key_new(const char *reference, uint8_t dek[IDV_KEY_LEN],
			      struct idv_buf *wrapped);
enum idv_err idv_case_key_open(const struct idv_case_row *row, uint8_t dek[IDV_KEY_LEN]);

/* Seal or open a case blob; label names what it is ("claims", "doc/<id>", "result/<id>"). */
enum idv_err idv_case_seal(const uint8_t dek[IDV_KEY_LEN], const char *reference,
			   const char *label, const void *p, size_t len, struct idv_buf *out);
enum idv_err idv_case_open(const uint8_t dek[IDV_KEY_LEN], const char *reference,
			   const char *label, const void *p, size_t len, struct idv_buf *out);

/*
 * A new case: what creating one takes. claims is the cleaned claims object (api.h
 * idv_api_claims_clean; sealed under the new case's key). token is the case's bearer token when
 * the caller chose it (64 hex characters), NULL for a fresh random one. within, when set, runs
 * inside the creation transaction once the row exists (row->id set), with the case key, to
 * record what belongs with the case (an agent's request). actor is the audit actor; NULL
 * means the requester ("case:<reference>").
 */
struct idv_case_new {
	const char *request_type;
	const char *level; /* requested, or NULL: the policy's */
	const char *channel;
	const char *requester_role;
	json_t *claims;
	const char *token;
	const char *actor;
	enum idv_err (*within)(void *arg, struct idv_case_row *row, const uint8_t dek[IDV_KEY_LEN]);
	void *arg;
};

/*
 * Create a case: reference, token (out, 65 bytes), due dates (R29, R30), its own key, sealed
 * claims, the row and the audit entry "case.created" in one transaction; then evaluate it at
 * once when it can be (a request needing only typed claims). row receives the case as stored.
 */
enum idv_err idv_case_create(struct idv_cases *cs, const struct idv_case_new *in,
			     struct idv_case_row *row, char token[65]);

/* Is token the case's bearer token? Constant time. */
bool idv_case_token_ok(struct idv_store *store, const char *reference, const char *token);

/* Is the case's evidence complete, and what is missing (a JSON array of strings)? */
bool idv_case_evidence_complete(struct idv_cases *cs, const struct idv_case_row *row,
				json_t **missing);

/*
 * The case as the requester (case token, agent) sees it: status, due dates, documents, what is
 * still needed, and the outcome in plain words with what to do next ("message",
 * "next_step"), never the decision's reasons (which field matched, how many candidate
 * records, why a point did not count). idv_case_view_full adds the reasons (outcome.reasons),
 * for the business's admins.
 */
json_t *idv_case_view(struct idv_cases *cs, const struct idv_case_row *row);
json_t *idv_case_view_full(struct idv_cases *cs, const struct idv_case_row *row);

/* Score the case if its evidence is complete and it is not decided yet. */
enum idv_err idv_case_evaluate(struct idv_cases *cs, const char *reference);

/*
 * Close a case with the response given (fulfilled, partially_fulfilled, denied, withdrawn) and
 * the basis of a denial: the row and the audit entry "case.closed" (as actor) in one
 * transaction, with also(arg) when given; then purge its new verification data (R7).
 */
enum idv_err idv_case_close(struct idv_cases *cs, struct idv_case_row *row, const char *response,
			    const char *basis, const char *actor,
			    enum idv_err (*also)(void *arg, struct idv_case_row *row), void *arg);

/* Destroy a closed case's new verification data; keep the request record and declarations;
 * write a deletion receipt. Idempotent. */
enum idv_err idv_case_purge(struct idv_cases *cs, int64_t case_id);

/* Extraction workers: threads of serve, each handing documents to its own sandboxed worker
 * process (workerproc.h); stopping kills the processes and puts their documents back in the
 * queue. */
struct idv_workers;
enum idv_err idv_workers_start(struct idv_cases *cs, unsigned n, struct idv_workers **out);
void idv_workers_wake(struct idv_workers *w);
void idv_workers_stop(struct idv_workers *w);
/* May nfiles more documents be queued (at most cfg->max_queue waiting)? When not, a sensible
 * Retry-After in seconds. *queued (may be NULL): the documents waiting now. */
bool idv_workers_admit(struct idv_workers *w, unsigned nfiles, int64_t *queued,
		       unsigned *retry_after_s);
/* Open a document's stored reading result (IDV_E_STATE: stored by another version). */
enum idv_err idv_document_unseal(const uint8_t dek[IDV_KEY_LEN], const char *reference,
				 const char *doc_id, const struct idv_buf *sealed,
				 struct idv_document *doc);
/* Process one queued job from the calling thread (in a worker process of its own):
 * IDV_E_NOTFOUND when there is none. */
enum idv_err idv_workers_run_one(struct idv_cases *cs);

/* The sweeper: close abandoned cases, purge closed ones, delete request records older than
 * 24 months. Counts what it did. */
struct idv_sweep_report {
	int64_t abandoned, purged, records_deleted;
};
enum idv_err idv_sweep(struct idv_cases *cs, int64_t now, struct idv_sweep_report *rep);

/* Models and policy (case_score.c). */
enum idv_err idv_scoring_load(const char *models_dir, struct idv_scoring **out, char *why,
			      size_t whysz);
void idv_scoring_free(struct idv_scoring *s);
/* The level a request type needs under the policy: "standard", "heightened" or "none". */
const char *idv_scoring_level(struct idv_scoring *s, const char *request_type,
			      const char *requested, json_t *data_classes);
/* The loaded models and policy (read-only; valid until idv_scoring_free). */
struct idv_models;
const struct idv_models *idv_scoring_models(const struct idv_scoring *s);
/* What a level needs: documents by class, declaration. */
void idv_scoring_requirements(struct idv_scoring *s, const char *level, bool *government_id,
			      bool *proof_of_residence, bool *declaration);

#endif
