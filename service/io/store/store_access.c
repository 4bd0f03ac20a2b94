/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_access.c: who may do what (store.h): API keys, the audit trail, reviewers'
 * claims and decisions, authorized agents' tokens and cases, replayed DRP bodies and the
 * outbox of status callbacks.
 */
#include <time.h>

#include "idverify/drp.h"
#include "log.h"
#include "store_sqlite.h"

/* ---- API keys -------------------------------------------------------------------------------- */

#define KEY_SELECT "SELECT id, role, name, secret_hash, created_at, revoked_at FROM api_keys"

static bool
key_from_stmt(const struct store_row *r, void *arg)
{
	struct idv_key_row *row = arg;
	store_col_text(r, 0, row->id, sizeof row->id, NULL);
	store_col_text(r, 1, row->role, sizeof row->role, NULL);
	store_col_text(r, 2, row->name, sizeof row->name, NULL);
	store_col_blob32(r, 3, row->secret_hash);
	row->created_at = store_col_i64(r, 4);
	row->revoked_at = store_col_i64(r, 5);
	return true;
}

enum idv_err
idv_store_key_insert(struct idv_store *s, const struct idv_key_row *row)
{
	return store_run(s,
			 "INSERT INTO api_keys(id, role, name, secret_hash, created_at)"
			 " VALUES(?,?,?,?,?)",
			 STORE_VALS(STORE_TEXT(row->id), STORE_TEXT(row->role), STORE_TEXT(row->name),
				    STORE_HASH(row->secret_hash), STORE_I64(row->created_at)),
			 NULL, NULL);
}

enum idv_err
idv_store_key_get(struct idv_store *s, const char *id, struct idv_key_row *row)
{
	return store_get(s, KEY_SELECT " WHERE id = ?", STORE_VALS(STORE_TEXT(id)), key_from_stmt,
			 row);
}

enum idv_err
idv_store_key_revoke(struct idv_store *s, const char *id, int64_t at)
{
	struct idv_key_row row;
	pthread_mutex_lock(&s->lock);
	enum idv_err result = idv_store_key_get(s, id, &row);
	if (result == IDV_OK && row.revoked_at != 0)
		result = IDV_E_STATE;
	if (result == IDV_OK)
		result = store_run(s, "UPDATE api_keys SET revoked_at = ? WHERE id = ?",
				   STORE_VALS(STORE_I64(at), STORE_TEXT(id)), NULL, NULL);
	pthread_mutex_unlock(&s->lock);
	return result;
}

STORE_EACH(key_each, struct idv_key_row, idv_store_key_fn, key_from_stmt)

enum idv_err
idv_store_key_each(struct idv_store *s, idv_store_key_fn fn, void *arg)
{
	struct key_each e = {.fn = fn, .arg = arg};
	return store_run(s, KEY_SELECT " ORDER BY created_at, id", NULL, 0, key_each_row, &e);
}

/* ---- audit ----------------------------------------------------------------------------------- */

enum idv_err
idv_store_audit_last(struct idv_store *s, int64_t *seq, uint8_t mac[32])
{
	*seq = 0;
	memset(mac, 0, 32);
	enum idv_err result = store_get_cols(s, "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1",
					     NULL, 0, STORE_COLS(STORE_COL_I64(seq), STORE_COL_HASH(mac)));
	return result == IDV_E_NOTFOUND ? IDV_OK : result; /* an empty trail */
}

enum idv_err
idv_store_audit_insert(struct idv_store *s, const struct idv_audit_row *row)
{
	return store_run(s,
			 "INSERT INTO audit(seq, at, actor, event, case_ref, detail, prev_mac, mac)"
			 " VALUES(?,?,?,?,?,?,?,?)",
			 STORE_VALS(STORE_I64(row->seq), STORE_I64(row->at), STORE_TEXT(row->actor),
				    STORE_TEXT(row->event), STORE_TEXT(row->case_ref),
				    STORE_TEXT(row->detail), STORE_HASH(row->prev_mac),
				    STORE_HASH(row->mac)),
			 NULL, NULL);
}

struct audit_each {
	idv_store_audit_fn fn;
	void *arg;
	struct idv_audit_row *row;
};

static bool
audit_each_row(const struct store_row *r, void *arg)
{
	struct audit_each *e = arg;
	struct idv_audit_row *row = e->row;
	bool ok = store_col_int(r, 8) != 0;
	row->seq = store_col_i64(r, 0);
	row->at = store_col_i64(r, 1);
	store_col_text(r, 2, row->actor, sizeof row->actor, &ok);
	store_col_text(r, 3, row->event, sizeof row->event, &ok);
	store_col_text(r, 4, row->case_ref, sizeof row->case_ref, &ok);
	store_col_text(r, 5, row->detail, sizeof row->detail, &ok);
	ok &= store_col_blob32(r, 6, row->prev_mac);
	ok &= store_col_blob32(r, 7, row->mac);
	row->well_formed = ok;
	return e->fn(e->arg, row);
}

enum idv_err
idv_store_audit_each(struct idv_store *s, idv_store_audit_fn fn, void *arg)
{
	struct audit_each e = {.fn = fn, .arg = arg, .row = idv_calloc(1, sizeof *e.row)};
	enum idv_err result =
		store_run(s,
			  "SELECT seq, at, actor, event, case_ref, detail, prev_mac, mac,"
			  " typeof(actor) = 'text' AND typeof(event) = 'text' AND"
			  " typeof(case_ref) = 'text' AND typeof(detail) = 'text'"
			  " FROM audit ORDER BY seq",
			  NULL, 0, audit_each_row, &e);
	free(e.row);
	return result;
}

/* ---- reviews --------------------------------------------------------------------------------- */

enum idv_err
idv_store_review_claim_get(struct idv_store *s, int64_t case_id, char *reviewer,
			   size_t reviewersz, int64_t *expires_at)
{
	return store_get_cols(s, "SELECT reviewer, expires_at FROM review_claims WHERE case_id = ?",
			      STORE_VALS(STORE_I64(case_id)),
			      STORE_COLS(STORE_COL_TEXT(reviewer, reviewersz),
					 STORE_COL_I64(expires_at)));
}

enum idv_err
idv_store_review_claim(struct idv_store *s, int64_t case_id, const char *reviewer, int64_t now,
		       int64_t expires_at, char *holder, size_t holdersz, int64_t *holder_expires)
{
	enum idv_err result;
	char cur[64];
	int64_t cur_exp = 0, changed = 0;
	pthread_mutex_lock(&s->lock);
	/* Taken only if free, expired or one's own, in one statement: two instances sharing a
	 * PostgreSQL database cannot both win a claim. */
	result = store_change(s,
			      "INSERT INTO review_claims(case_id, reviewer, expires_at)"
			      " VALUES(?,?,?) ON CONFLICT(case_id) DO UPDATE SET"
			      " reviewer = excluded.reviewer, expires_at = excluded.expires_at"
			      " WHERE review_claims.reviewer = excluded.reviewer"
			      " OR review_claims.expires_at <= ?",
			      STORE_VALS(STORE_I64(case_id), STORE_TEXT(reviewer), STORE_I64(expires_at),
					 STORE_I64(now)),
			      &changed);
	if (result == IDV_OK && changed == 0) {
		result = idv_store_review_claim_get(s, case_id, cur, sizeof cur, &cur_exp);
		if (result == IDV_OK) {
			idv_strlcpy(holder, cur, holdersz);
			*holder_expires = cur_exp;
			result = IDV_E_CONFLICT;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_review_release(struct idv_store *s, int64_t case_id)
{
	return store_run(s, "DELETE FROM review_claims WHERE case_id = ?",
			 STORE_VALS(STORE_I64(case_id)), NULL, NULL);
}

enum idv_err
idv_store_review_decision_insert(struct idv_store *s, int64_t case_id, const char *reviewer,
				 const char *decision, const uint8_t *reason_sealed, size_t len,
				 int64_t at)
{
	return store_run(s,
			 "INSERT INTO review_decisions(case_id, reviewer, decision, reason_sealed,"
			 " decided_at) VALUES(?,?,?,?,?)",
			 STORE_VALS(STORE_I64(case_id), STORE_TEXT(reviewer), STORE_TEXT(decision),
				    STORE_BLOB_OR_NULL(reason_sealed, len), STORE_I64(at)),
			 NULL, NULL);
}

struct review_each {
	idv_store_review_fn fn;
	void *arg;
};

static bool
review_each_row(const struct store_row *r, void *arg)
{
	struct review_each *e = arg;
	char reviewer[64], decision[24];
	store_col_text(r, 0, reviewer, sizeof reviewer, NULL);
	store_col_text(r, 1, decision, sizeof decision, NULL);
	return e->fn(e->arg, reviewer, decision, store_col_i64(r, 2));
}

enum idv_err
idv_store_review_decision_each(struct idv_store *s, int64_t case_id, idv_store_review_fn fn,
			       void *arg)
{
	struct review_each e = {fn, arg};
	return store_run(s,
			 "SELECT reviewer, decision, decided_at FROM review_decisions"
			 " WHERE case_id = ? ORDER BY id",
			 STORE_VALS(STORE_I64(case_id)), review_each_row, &e);
}

/* ---- agents ---------------------------------------------------------------------------------- */

enum idv_err
idv_store_agent_token_insert(struct idv_store *s, const uint8_t token_hash[32],
			     const char *agent_id, int64_t at)
{
	return store_run(s,
			 "INSERT INTO agent_tokens(token_hash, agent_id, created_at) VALUES(?,?,?)",
			 STORE_VALS(STORE_HASH(token_hash), STORE_TEXT(agent_id), STORE_I64(at)),
			 NULL, NULL);
}

enum idv_err
idv_store_agent_token_agent(struct idv_store *s, const uint8_t token_hash[32], char *agent_id,
			    size_t agent_idsz)
{
	return store_get_cols(s, "SELECT agent_id FROM agent_tokens WHERE token_hash = ?",
			      STORE_VALS(STORE_HASH(token_hash)),
			      STORE_COLS(STORE_COL_TEXT(agent_id, agent_idsz)));
}

#define AGENT_CASE_COLUMNS                                                                       \
	"case_id, agent_id, request_id, agent_request_id, exercise, status_callback, has_poa,"  \
	" poa_sealed, consumer_confirmed_at, consumer_verified_at, revoked_at, notified,"       \
	" created_at"

void
idv_agent_case_row_init(struct idv_agent_case_row *row)
{
	memset(row, 0, sizeof *row);
	idv_buf_init(&row->poa_sealed, 4096);
}

void
idv_agent_case_row_cleanup(struct idv_agent_case_row *row)
{
	idv_buf_cleanup(&row->poa_sealed);
}

static bool
agent_case_from_stmt(const struct store_row *r, void *arg)
{
	struct idv_agent_case_row *row = arg;
	row->case_id = store_col_i64(r, 0);
	store_col_text(r, 1, row->agent_id, sizeof row->agent_id, NULL);
	store_col_text(r, 2, row->request_id, sizeof row->request_id, NULL);
	store_col_text(r, 3, row->agent_request_id, sizeof row->agent_request_id, NULL);
	store_col_text(r, 4, row->exercise, sizeof row->exercise, NULL);
	store_col_text(r, 5, row->status_callback, sizeof row->status_callback, NULL);
	row->has_poa = store_col_int(r, 6) != 0;
	store_col_buf(r, 7, &row->poa_sealed);
	row->consumer_confirmed_at = store_col_i64(r, 8);
	row->consumer_verified_at = store_col_i64(r, 9);
	row->revoked_at = store_col_i64(r, 10);
	store_col_text(r, 11, row->notified, sizeof row->notified, NULL);
	row->created_at = store_col_i64(r, 12);
	return true;
}

enum idv_err
idv_store_agent_case_insert(struct idv_store *s, const struct idv_agent_case_row *row)
{
	return store_run(
		s,
		"INSERT INTO agent_cases(" AGENT_CASE_COLUMNS ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
		STORE_VALS(STORE_I64(row->case_id), STORE_TEXT(row->agent_id),
			   STORE_TEXT_OR_NULL(row->request_id),
			   STORE_TEXT_OR_NULL(row->agent_request_id),
			   STORE_TEXT_OR_NULL(row->exercise), STORE_TEXT_OR_NULL(row->status_callback),
			   STORE_BOOL(row->has_poa), STORE_BUF(&row->poa_sealed),
			   STORE_I64_OR_NULL(row->consumer_confirmed_at),
			   STORE_I64_OR_NULL(row->consumer_verified_at),
			   STORE_I64_OR_NULL(row->revoked_at), STORE_TEXT_OR_NULL(row->notified),
			   STORE_I64(row->created_at)),
		NULL, NULL);
}

enum idv_err
idv_store_agent_case_get(struct idv_store *s, int64_t case_id, struct idv_agent_case_row *row)
{
	return store_get(s, "SELECT " AGENT_CASE_COLUMNS " FROM agent_cases WHERE case_id = ?",
			 STORE_VALS(STORE_I64(case_id)), agent_case_from_stmt, row);
}

enum idv_err
idv_store_agent_case_by_request(struct idv_store *s, const char *request_id,
				struct idv_agent_case_row *row)
{
	return store_get(s, "SELECT " AGENT_CASE_COLUMNS " FROM agent_cases WHERE request_id = ?",
			 STORE_VALS(STORE_TEXT(request_id)), agent_case_from_stmt, row);
}

enum idv_err
idv_store_agent_case_update(struct idv_store *s, const struct idv_agent_case_row *row)
{
	return store_run(s,
			 "UPDATE agent_cases SET poa_sealed=?, consumer_confirmed_at=?,"
			 " consumer_verified_at=?, revoked_at=?, notified=? WHERE case_id=?",
			 STORE_VALS(STORE_BUF(&row->poa_sealed),
				    STORE_I64_OR_NULL(row->consumer_confirmed_at),
				    STORE_I64_OR_NULL(row->consumer_verified_at),
				    STORE_I64_OR_NULL(row->revoked_at),
				    STORE_TEXT_OR_NULL(row->notified), STORE_I64(row->case_id)),
			 NULL, NULL);
}

STORE_EACH(agent_case_each, struct idv_agent_case_row, idv_store_agent_case_fn, agent_case_from_stmt)

enum idv_err
idv_store_agent_case_each_drp(struct idv_store *s, idv_store_agent_case_fn fn, void *arg)
{
	struct agent_case_each e = {.fn = fn, .arg = arg};
	idv_agent_case_row_init(&e.row);
	enum idv_err result = store_run(s,
					"SELECT " AGENT_CASE_COLUMNS " FROM agent_cases"
					" WHERE request_id IS NOT NULL AND status_callback IS NOT"
					" NULL ORDER BY case_id",
					NULL, 0, agent_case_each_row, &e);
	idv_agent_case_row_cleanup(&e.row);
	return result;
}

/* What expired, and rows no valid body can need any more (kept until a far expires-at
 * before lifetimes were bounded, drp.h). Called with the lock held. */
static enum idv_err
store_drp_replay_trim(struct idv_store *s, int64_t now)
{
	return store_run(s, "DELETE FROM drp_replay WHERE expires_at <= ? OR expires_at > ?",
			 STORE_VALS(STORE_I64(now), STORE_I64(now + IDV_DRP_LIFETIME_MAX_S)), NULL,
			 NULL);
}

enum idv_err
idv_store_drp_replay_trim(struct idv_store *s, int64_t now)
{
	pthread_mutex_lock(&s->lock);
	enum idv_err result = store_drp_replay_trim(s, now);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_drp_replay(struct idv_store *s, const uint8_t body_hash[32], int64_t expires_at,
		     int64_t now)
{
	int64_t added = 0;
	pthread_mutex_lock(&s->lock);
	enum idv_err result = store_drp_replay_trim(s, now); /* trimmed as it grows */
	if (result == IDV_OK)
		result = store_change(s,
				      "INSERT INTO drp_replay(body_hash, expires_at) VALUES(?,?)"
				      " ON CONFLICT(body_hash) DO NOTHING",
				      STORE_VALS(STORE_HASH(body_hash), STORE_I64(expires_at)),
				      &added);
	if (result == IDV_OK && added == 0)
		result = IDV_E_CONFLICT;
	pthread_mutex_unlock(&s->lock);
	return result;
}

/* ---- outbox ---------------------------------------------------------------------------------- */

enum idv_err
idv_store_outbox_insert(struct idv_store *s, int64_t case_id, const char *url,
			const uint8_t *sealed, size_t len, int64_t now)
{
	return store_run(s,
			 "INSERT INTO outbox(case_id, url, body_sealed, state, next_at, created_at,"
			 " updated_at) VALUES(?,?,?,'pending',?,?,?)",
			 STORE_VALS(STORE_I64(case_id), STORE_TEXT(url), STORE_BLOB(sealed, len),
				    STORE_I64(now), STORE_I64(now), STORE_I64(now)),
			 NULL, NULL);
}

enum idv_err
idv_store_outbox_next(struct idv_store *s, int64_t now, struct idv_outbox_row *row)
{
	return store_get_cols(s,
			 "SELECT id, coalesce(case_id, 0), url, body_sealed, attempts, next_at"
			 " FROM outbox WHERE state = 'pending' AND next_at <= ?"
			 " ORDER BY next_at, id LIMIT 1",
			 STORE_VALS(STORE_I64(now)),
			 STORE_COLS(STORE_COL_I64(&row->id), STORE_COL_I64(&row->case_id),
				    STORE_COL_TEXT(row->url, sizeof row->url),
				    STORE_COL_BUF(&row->body_sealed), STORE_COL_INT(&row->attempts),
				    STORE_COL_I64(&row->next_at)));
}

enum idv_err
idv_store_outbox_mark(struct idv_store *s, int64_t id, const char *state, int attempts,
		      int64_t next_at, int last_status)
{
	return store_run(s,
			 "UPDATE outbox SET state=?, attempts=?, next_at=?, last_status=?,"
			 " updated_at=? WHERE id=?",
			 STORE_VALS(STORE_TEXT(state), STORE_I64(attempts), STORE_I64(next_at),
				    STORE_I64_OR_NULL(last_status), STORE_I64((int64_t)time(NULL)),
				    STORE_I64(id)),
			 NULL, NULL);
}

enum idv_err
idv_store_outbox_count(struct idv_store *s, const char *state, int64_t *out)
{
	return store_get(s, "SELECT count(*) FROM outbox WHERE state = ?",
			 STORE_VALS(STORE_TEXT(state)), store_row_i64, out);
}
