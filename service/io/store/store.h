/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.h: the one interface to persistent state. SQLite (service/io/store/store.c) is the
 * embedded default; PostgreSQL (store_pg.c) implements this same header behind the same
 * statements, so callers never see SQL or a database handle.
 *
 * Thread safety: every function may be called from any thread. idv_store_begin() takes the
 * store for the calling thread until idv_store_commit()/idv_store_rollback(); calls made by that
 * thread in between are part of the transaction, other threads wait.
 *
 * Personal data only ever reaches the store sealed (crypto.h); lookups use keyed hashes.
 */
#ifndef IDVERIFY_STORE_H
#define IDVERIFY_STORE_H

#include "idverify/attempts.h"
#include "idverify/common.h"

struct idv_store;

/* Open the database at where: a postgresql:// (or postgres://) address, libpq's form, or else
 * the path of a SQLite file (created if needed). Apply pending migrations in order, each in its
 * own transaction (on PostgreSQL under an advisory lock: instances starting together take
 * turns), and record them. On failure why gets a one-line explanation. */
enum idv_err idv_store_open(const char *where, struct idv_store **out, char *why, size_t whysz);
void idv_store_close(struct idv_store *s);

/* IDV_OK when the database answers and every migration this build knows is applied. */
enum idv_err idv_store_ready(struct idv_store *s);
int idv_store_schema_version(struct idv_store *s);
int idv_store_schema_latest(void);

/*
 * A transaction: idv_store_begin() (IDV_E_DB when it cannot start; then nothing is held), then
 * exactly one of idv_store_commit() (rolls back itself when the commit fails, IDV_E_DB),
 * idv_store_rollback() or idv_store_end(). Each of the three releases the store.
 */
enum idv_err idv_store_begin(struct idv_store *s);
enum idv_err idv_store_commit(struct idv_store *s);
void idv_store_rollback(struct idv_store *s);
/* The end of a transaction whose steps gave err: commit when err is IDV_OK (and return the
 * commit's result), else roll back and return err unchanged. */
enum idv_err idv_store_end(struct idv_store *s, enum idv_err err);

/*
 * The tasks one instance runs for all that share a database. idv_store_lead: may this
 * process run task now? On SQLite always (one process per database). On PostgreSQL the first
 * instance to ask takes a session-level advisory lock for the task and keeps it while its
 * connection lives; the others are told no, and when that instance stops or dies the next to
 * ask takes over. Ask before each run.
 */
enum idv_store_task {
	IDV_STORE_TASK_SWEEPER = 1, /* sweeper.c: abandoned cases, purges, old records */
	IDV_STORE_TASK_OUTBOX = 2,  /* outbox.c: status watchers, the outbox's deliveries */
};
bool idv_store_lead(struct idv_store *s, enum idv_store_task task);

/* --- The business's existing customer records --------------------------------------------- */

#define IDV_STORE_KEY_KIND_MAX 12

/* A blocking key: its kind ("name", "dob", "zip", "email", "phone") and a keyed hash. */
struct idv_store_key {
	char kind[IDV_STORE_KEY_KIND_MAX];
	uint8_t mac[32];
};

/* Insert or replace record id with its sealed content and its blocking keys. */
enum idv_err idv_store_record_put(struct idv_store *s, const char *id, const uint8_t *sealed,
				  size_t len, const struct idv_store_key *keys, size_t nkeys);
enum idv_err idv_store_record_count(struct idv_store *s, int64_t *out);

/* Called once per record; return false to stop. */
typedef bool (*idv_store_record_fn)(void *arg, const char *id, const uint8_t *sealed, size_t len);

/* Every distinct record sharing at least one blocking key with keys[0..nkeys). */
enum idv_err idv_store_record_candidates(struct idv_store *s, const struct idv_store_key *keys,
					 size_t nkeys, idv_store_record_fn fn, void *arg);
/* The record of that id: IDV_E_NOTFOUND when there is none. */
enum idv_err idv_store_record_get(struct idv_store *s, const char *id, idv_store_record_fn fn,
				  void *arg);

/* --- Cases ----------------------------------------------------------------------------------- */

#include "idverify/buf.h"

#define IDV_CASE_REF_MAX 20

/* One case row. Sealed columns are buffers the caller initialises (idv_case_row_init) and
 * frees (idv_case_row_cleanup); an empty buffer is NULL in the database. */
struct idv_case_row {
	int64_t id;
	char reference[IDV_CASE_REF_MAX];
	uint8_t token_hash[32];
	char request_type[24];
	char level[16];
	char channel[16];
	char requester_role[24];
	char status[24];
	int64_t received_at; /* unix seconds */
	char acknowledge_by[11];
	char respond_by[11];
	bool extended;
	char extension_reason[256];
	char outcome[24];
	char outcome_level[16];
	char model[64];
	bool has_matched;
	uint8_t matched_hash[32];
	int64_t decided_at, delete_confirmed_at, withdrawn_at, closed_at, purged_at, updated_at;
	char response[32];
	char denial_basis[64];
	struct idv_buf wrapped_key;
	struct idv_buf claims_sealed;
	struct idv_buf decision_sealed;
};

void idv_case_row_init(struct idv_case_row *row);
void idv_case_row_cleanup(struct idv_case_row *row);

enum idv_err idv_store_case_insert(struct idv_store *s, struct idv_case_row *row);
enum idv_err idv_store_case_get(struct idv_store *s, const char *reference,
				struct idv_case_row *row);
enum idv_err idv_store_case_get_id(struct idv_store *s, int64_t id, struct idv_case_row *row);
/* Writes every mutable column of row (by row->id). */
enum idv_err idv_store_case_update(struct idv_store *s, const struct idv_case_row *row);

/* Called once per case; return false to stop. row is valid during the call only. */
typedef bool (*idv_store_case_fn)(void *arg, const struct idv_case_row *row);

/* Cases received in [from, to) (unix seconds), oldest first. */
enum idv_err idv_store_case_each_received(struct idv_store *s, int64_t from, int64_t to,
					  idv_store_case_fn fn, void *arg);
/* Open (not closed) cases whose last change is before updated_before. */
enum idv_err idv_store_case_each_stale(struct idv_store *s, int64_t updated_before,
				       idv_store_case_fn fn, void *arg);
/* Closed cases whose new data has not been purged yet. */
enum idv_err idv_store_case_each_unpurged(struct idv_store *s, idv_store_case_fn fn, void *arg);
/* Delete request records (cases, their declarations and receipts) closed before `before`. */
enum idv_err idv_store_case_delete_closed_before(struct idv_store *s, int64_t before,
						 int64_t *deleted);
/* Access requests answered (closed as fulfilled or partially fulfilled) for the same matched
 * record since `since`, not counting case exclude_id. */
enum idv_err idv_store_case_count_access(struct idv_store *s, const uint8_t matched_hash[32],
					 int64_t since, int64_t exclude_id, int64_t *out);

/* --- Documents and extraction jobs --------------------------------------------------------- */

#define IDV_DOC_ID_MAX 40

struct idv_doc_row {
	char id[IDV_DOC_ID_MAX];
	int64_t case_id;
	char kind[24];   /* government_id, proof_of_residence, agent_permission ... */
	int part;        /* 0, 1 ... for a document sent as several files (front, back) */
	char status[16]; /* queued, processing, ok, unreadable, rejected */
	char error_type[80];
	char error_detail[160];
	int64_t size;
	int64_t created_at;
	struct idv_buf content_sealed; /* only filled when asked for */
	struct idv_buf result_sealed;
};

void idv_doc_row_init(struct idv_doc_row *row);
void idv_doc_row_cleanup(struct idv_doc_row *row);

/* Insert a document and, when queue is set, its extraction job (one transaction when the
 * caller holds idv_store_begin). */
enum idv_err idv_store_doc_insert(struct idv_store *s, const struct idv_doc_row *row, bool queue);
enum idv_err idv_store_doc_get(struct idv_store *s, const char *id, bool with_content,
			       struct idv_doc_row *row);
typedef bool (*idv_store_doc_fn)(void *arg, const struct idv_doc_row *row);
/* A case's documents in upload order, with their results but without their content. */
enum idv_err idv_store_doc_each(struct idv_store *s, int64_t case_id, idv_store_doc_fn fn,
				void *arg);
enum idv_err idv_store_doc_set_result(struct idv_store *s, const char *id, const char *status,
				      const char *error_type, const char *error_detail,
				      const uint8_t *result_sealed, size_t len);
enum idv_err idv_store_doc_delete_case(struct idv_store *s, int64_t case_id, int64_t *deleted);

/* Claim the oldest queued job: its document id and how many times it was tried before. */
enum idv_err idv_store_job_claim(struct idv_store *s, char doc_id[IDV_DOC_ID_MAX],
				 int *attempts);
enum idv_err idv_store_job_done(struct idv_store *s, const char *doc_id);
enum idv_err idv_store_job_retry(struct idv_store *s, const char *doc_id);
/* Back to the queue as if never claimed (the service is stopping; not the document's fault).
 * */
enum idv_err idv_store_job_release(struct idv_store *s, const char *doc_id);
/* At start: jobs left running by a stopped or crashed process go back to the queue. */
enum idv_err idv_store_job_requeue_running(struct idv_store *s, int64_t *requeued);
enum idv_err idv_store_job_count(struct idv_store *s, const char *state, int64_t *out);

/* --- Declarations and deletion receipts ----------------------------------------------------- */

enum idv_err idv_store_declaration_insert(struct idv_store *s, int64_t case_id,
					  const char *statement_version, int64_t signed_at,
					  const uint8_t *sealed, size_t len);
/* The latest declaration of a case: IDV_E_NOTFOUND when none. */
enum idv_err idv_store_declaration_get(struct idv_store *s, int64_t case_id, char *version,
				       size_t versionsz, int64_t *signed_at, struct idv_buf *sealed);
enum idv_err idv_store_receipt_insert(struct idv_store *s, int64_t case_id, const char *body,
				      const uint8_t mac[32]);
enum idv_err idv_store_receipt_get(struct idv_store *s, int64_t case_id, struct idv_buf *body,
				   uint8_t mac[32]);

/* Checkpoint the WAL into the database and truncate it (after purges). */
enum idv_err idv_store_checkpoint(struct idv_store *s);

/* --- API keys (store_access.c) ------------------------------------------------------------- */

#define IDV_KEY_ID_MAX 24
#define IDV_KEY_NAME_MAX 72

/* A role's API key: only a SHA-256 of its secret is stored. */
struct idv_key_row {
	char id[IDV_KEY_ID_MAX];
	char role[16]; /* admin, reviewer, intake */
	char name[IDV_KEY_NAME_MAX];
	uint8_t secret_hash[32];
	int64_t created_at;
	int64_t revoked_at; /* 0 while valid */
};

enum idv_err idv_store_key_insert(struct idv_store *s, const struct idv_key_row *row);
enum idv_err idv_store_key_get(struct idv_store *s, const char *id, struct idv_key_row *row);
/* IDV_E_NOTFOUND, or IDV_E_STATE when revoked already. */
enum idv_err idv_store_key_revoke(struct idv_store *s, const char *id, int64_t at);
typedef bool (*idv_store_key_fn)(void *arg, const struct idv_key_row *row);
enum idv_err idv_store_key_each(struct idv_store *s, idv_store_key_fn fn, void *arg);

/* --- The audit trail (store_access.c; chaining in audit.c) ----------------------------------- */

struct idv_audit_row {
	int64_t seq, at;
	char actor[160];
	char event[72];
	char case_ref[64];
	char detail[1024];
	uint8_t prev_mac[32], mac[32];
	bool well_formed; /* every column had its type and fitted (false: tampered with) */
};

/* The last entry's seq and MAC (0 and zeros when the trail is empty). */
enum idv_err idv_store_audit_last(struct idv_store *s, int64_t *seq, uint8_t mac[32]);
enum idv_err idv_store_audit_insert(struct idv_store *s, const struct idv_audit_row *row);
typedef bool (*idv_store_audit_fn)(void *arg, const struct idv_audit_row *row);
/* Every entry in seq order. */
enum idv_err idv_store_audit_each(struct idv_store *s, idv_store_audit_fn fn, void *arg);

/* --- Verification attempts (store_attempts.c) ---------------------------------------------- */

/* The attempt counter of a target (attempts.h), by the keyed hash of the target (a claimed
 * name, a record): all zero when it has none. Call inside a transaction with the put. */
enum idv_err idv_store_attempts_get(struct idv_store *s, const uint8_t target_hash[32],
				    struct idv_attempts_state *st);
enum idv_err idv_store_attempts_put(struct idv_store *s, const uint8_t target_hash[32],
				    const struct idv_attempts_state *st);
/* Forget the counters whose window started at or before window_before and whose lock (if
 * any) ended at or before now; *n (may be NULL) counts them. */
enum idv_err idv_store_attempts_forget(struct idv_store *s, int64_t window_before, int64_t now,
				       int64_t *n);

/* --- Reviews (store_access.c) ---------------------------------------------------------------- */

/* Cases in a status, the oldest due first (respond_by, then received_at). */
enum idv_err idv_store_case_each_status(struct idv_store *s, const char *status,
					idv_store_case_fn fn, void *arg);

/*
 * Claim a case for reviewer until expires_at. IDV_E_CONFLICT when another reviewer holds an
 * unexpired claim (then holder and *holder_expires name it). Renewing one's own claim is fine.
 */
enum idv_err idv_store_review_claim(struct idv_store *s, int64_t case_id, const char *reviewer,
				    int64_t now, int64_t expires_at, char *holder, size_t holdersz,
				    int64_t *holder_expires);
/* The claim on a case (IDV_E_NOTFOUND when none, expired or not). */
enum idv_err idv_store_review_claim_get(struct idv_store *s, int64_t case_id, char *reviewer,
					size_t reviewersz, int64_t *expires_at);
enum idv_err idv_store_review_release(struct idv_store *s, int64_t case_id);
enum idv_err idv_store_review_decision_insert(struct idv_store *s, int64_t case_id,
					      const char *reviewer, const char *decision,
					      const uint8_t *reason_sealed, size_t len, int64_t at);
typedef bool (*idv_store_review_fn)(void *arg, const char *reviewer, const char *decision,
				    int64_t decided_at);
/* A case's review decisions, oldest first. */
enum idv_err idv_store_review_decision_each(struct idv_store *s, int64_t case_id,
					    idv_store_review_fn fn, void *arg);

/* --- Authorized agents and DRP (store_access.c) ---------------------------------------------- */

#define IDV_AGENT_ID_MAX 128
#define IDV_DRP_REQUEST_ID_MAX 40

enum idv_err idv_store_agent_token_insert(struct idv_store *s, const uint8_t token_hash[32],
					  const char *agent_id, int64_t at);
/* The agent a token belongs to: IDV_E_NOTFOUND when none. */
enum idv_err idv_store_agent_token_agent(struct idv_store *s, const uint8_t token_hash[32],
					 char *agent_id, size_t agent_idsz);

/* A case filed by an authorized agent (through DRP or POST /v1/requests). */
struct idv_agent_case_row {
	int64_t case_id;
	char agent_id[IDV_AGENT_ID_MAX];
	char request_id[IDV_DRP_REQUEST_ID_MAX]; /* DRP request id; empty outside DRP */
	char agent_request_id[128];
	char exercise[32];
	char status_callback[512];
	bool has_poa;
	struct idv_buf poa_sealed;       /* the power-of-attorney reference, sealed (case key) */
	int64_t consumer_confirmed_at;   /* the consumer confirmed the agent's permission (R24) */
	int64_t consumer_verified_at;    /* the consumer verified directly (R24) */
	int64_t revoked_at;              /* the agent revoked the request (DRP) */
	char notified[64];               /* "status/reason" last queued for the status callback */
	int64_t created_at;
};

void idv_agent_case_row_init(struct idv_agent_case_row *row);
void idv_agent_case_row_cleanup(struct idv_agent_case_row *row);
enum idv_err idv_store_agent_case_insert(struct idv_store *s, const struct idv_agent_case_row *row);
enum idv_err idv_store_agent_case_get(struct idv_store *s, int64_t case_id,
				      struct idv_agent_case_row *row);
enum idv_err idv_store_agent_case_by_request(struct idv_store *s, const char *request_id,
					     struct idv_agent_case_row *row);
/* Writes poa_sealed, consumer_*_at, revoked_at and notified (by case_id). */
enum idv_err idv_store_agent_case_update(struct idv_store *s,
					 const struct idv_agent_case_row *row);
typedef bool (*idv_store_agent_case_fn)(void *arg, const struct idv_agent_case_row *row);
/* DRP cases with a status callback, for the status watcher. */
enum idv_err idv_store_agent_case_each_drp(struct idv_store *s, idv_store_agent_case_fn fn,
					   void *arg);

/*
 * Record the hash of a signed body until expires_at; IDV_E_CONFLICT when it was recorded
 * before and has not expired (a replay). Forgets expired hashes on the way, and any that
 * expire later than a valid body can (IDV_DRP_LIFETIME_MAX_S from now).
 */
enum idv_err idv_store_drp_replay(struct idv_store *s, const uint8_t body_hash[32],
				  int64_t expires_at, int64_t now);
/* Forget the hashes a replay check no longer needs (as idv_store_drp_replay does); the
 * sweeper calls it so that they go even when no agent writes. */
enum idv_err idv_store_drp_replay_trim(struct idv_store *s, int64_t now);

/* The outbox of status callbacks. */
struct idv_outbox_row {
	int64_t id, case_id;
	char url[512];
	struct idv_buf body_sealed;
	int attempts;
	int64_t next_at;
};
enum idv_err idv_store_outbox_insert(struct idv_store *s, int64_t case_id, const char *url,
				     const uint8_t *sealed, size_t len, int64_t now);
/* The oldest pending entry due at now: IDV_E_NOTFOUND when none. row->body_sealed must be
 * initialised by the caller. */
enum idv_err idv_store_outbox_next(struct idv_store *s, int64_t now, struct idv_outbox_row *row);
/* state: "pending" (retry at next_at), "delivered" or "failed"; last_status 0 = no answer. */
enum idv_err idv_store_outbox_mark(struct idv_store *s, int64_t id, const char *state,
				   int attempts, int64_t next_at, int last_status);
enum idv_err idv_store_outbox_count(struct idv_store *s, const char *state, int64_t *out);
/* Forget an entry (a message once delivered or given up: its sealed body holds a contact). */
enum idv_err idv_store_outbox_delete(struct idv_store *s, int64_t id);

/* --- One-time codes to a contact on file (store_codes.c; codes.h) ---------------------------- */

#include "idverify/contactcode.h"

struct idv_code_row {
	int64_t case_id;
	char purpose[16];  /* "verify" (a point), "consumer" (an agent's consumer, R24) */
	char channel[8];   /* "email", "phone" */
	bool has_mac;
	uint8_t code_mac[32];        /* HMAC of the live code (never the code) */
	struct idv_buf record_sealed; /* the record id it went to, sealed (case key); empty: none */
	struct idv_code_state st;
	char delivery[16]; /* none, queued, limited, sent, retrying, failed */
	int64_t created_at;
	int64_t reminded_at; /* the one reminder went out (0: not yet) */
};
void idv_code_row_init(struct idv_code_row *row);
void idv_code_row_cleanup(struct idv_code_row *row);
/* IDV_E_NOTFOUND when the case has none. */
enum idv_err idv_store_code_get(struct idv_store *s, int64_t case_id, struct idv_code_row *row);
/* Insert or replace the case's code row. */
enum idv_err idv_store_code_put(struct idv_store *s, const struct idv_code_row *row);
enum idv_err idv_store_code_delivery(struct idv_store *s, int64_t case_id, const char *delivery);
/* The case's code row and its messages still in the outbox. */
enum idv_err idv_store_code_delete_case(struct idv_store *s, int64_t case_id);
/* The case's messages still waiting in the outbox (a newer code replaces them). */
enum idv_err idv_store_code_messages_drop(struct idv_store *s, int64_t case_id);
/* Up to max cases of an open request awaiting evidence whose code (of purpose verify: the
 * consumer of an agent's request gets no reminder) went to a record's contact at or before
 * sent_before, is not confirmed and was not reminded: their ids into ids. */
enum idv_err idv_store_code_remind_due(struct idv_store *s, int64_t sent_before, int64_t *ids,
				       size_t max, size_t *n);

#endif
