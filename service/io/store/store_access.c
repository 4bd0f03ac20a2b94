/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_access.c: who may do what, in SQLite (store.h): API keys, the audit trail, reviewers'
 * claims and decisions, authorized agents' tokens and cases, replayed DRP bodies and the
 * outbox of status callbacks.
 */
#include <time.h>

#include "idverify/drp.h"
#include "log.h"
#include "store_sqlite.h"

/* ---- API keys -------------------------------------------------------------------------------- */

static void
key_from_stmt(sqlite3_stmt *st, struct idv_key_row *row)
{
	store_col_text(st, 0, row->id, sizeof row->id, NULL);
	store_col_text(st, 1, row->role, sizeof row->role, NULL);
	store_col_text(st, 2, row->name, sizeof row->name, NULL);
	store_col_blob32(st, 3, row->secret_hash);
	row->created_at = sqlite3_column_int64(st, 4);
	row->revoked_at = sqlite3_column_int64(st, 5);
}

enum idv_err
idv_store_key_insert(struct idv_store *s, const struct idv_key_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO api_keys(id, role, name, secret_hash, created_at)"
			       " VALUES(?,?,?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, row->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, row->role, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, row->name, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, row->secret_hash, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, row->created_at);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_key_get(struct idv_store *s, const char *id, struct idv_key_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, role, name, secret_hash, created_at, revoked_at"
			       " FROM api_keys WHERE id = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			key_from_stmt(st, row);
			result = IDV_OK;
		} else if (rc == SQLITE_DONE) {
			result = IDV_E_NOTFOUND;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_key_revoke(struct idv_store *s, const char *id, int64_t at)
{
	struct idv_key_row row;
	pthread_mutex_lock(&s->lock);
	enum idv_err result = idv_store_key_get(s, id, &row);
	sqlite3_stmt *st = NULL;
	if (result != IDV_OK)
		goto out;
	if (row.revoked_at != 0) {
		result = IDV_E_STATE;
		goto out;
	}
	result = IDV_E_DB;
	if (sqlite3_prepare_v2(s->db, "UPDATE api_keys SET revoked_at = ? WHERE id = ?", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, at);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		result = store_step_done(st);
	}
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_key_each(struct idv_store *s, idv_store_key_fn fn, void *arg)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	struct idv_key_row row;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, role, name, secret_hash, created_at, revoked_at"
			       " FROM api_keys ORDER BY created_at, id",
			       -1, &st, NULL) == SQLITE_OK) {
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			key_from_stmt(st, &row);
			if (!fn(arg, &row))
				break;
		}
		result = rc == SQLITE_ROW || rc == SQLITE_DONE ? IDV_OK : IDV_E_DB;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

/* ---- audit ----------------------------------------------------------------------------------- */

enum idv_err
idv_store_audit_last(struct idv_store *s, int64_t *seq, uint8_t mac[32])
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	*seq = 0;
	memset(mac, 0, 32);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1", -1,
			       &st, NULL) == SQLITE_OK) {
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*seq = sqlite3_column_int64(st, 0);
			store_col_blob32(st, 1, mac);
			result = IDV_OK;
		} else if (rc == SQLITE_DONE) {
			result = IDV_OK;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_audit_insert(struct idv_store *s, const struct idv_audit_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO audit(seq, at, actor, event, case_ref, detail, prev_mac, mac)"
			       " VALUES(?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, row->seq);
		sqlite3_bind_int64(st, 2, row->at);
		sqlite3_bind_text(st, 3, row->actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, row->event, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, row->case_ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, row->detail, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 7, row->prev_mac, 32, SQLITE_STATIC);
		sqlite3_bind_blob(st, 8, row->mac, 32, SQLITE_STATIC);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_audit_each(struct idv_store *s, idv_store_audit_fn fn, void *arg)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	struct idv_audit_row *row = idv_calloc(1, sizeof *row);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT seq, at, actor, event, case_ref, detail, prev_mac, mac,"
			       " typeof(actor) = 'text' AND typeof(event) = 'text' AND"
			       " typeof(case_ref) = 'text' AND typeof(detail) = 'text'"
			       " FROM audit ORDER BY seq",
			       -1, &st, NULL) == SQLITE_OK) {
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			bool ok = sqlite3_column_int(st, 8) != 0;
			row->seq = sqlite3_column_int64(st, 0);
			row->at = sqlite3_column_int64(st, 1);
			store_col_text(st, 2, row->actor, sizeof row->actor, &ok);
			store_col_text(st, 3, row->event, sizeof row->event, &ok);
			store_col_text(st, 4, row->case_ref, sizeof row->case_ref, &ok);
			store_col_text(st, 5, row->detail, sizeof row->detail, &ok);
			ok &= store_col_blob32(st, 6, row->prev_mac);
			ok &= store_col_blob32(st, 7, row->mac);
			row->well_formed = ok;
			if (!fn(arg, row))
				break;
		}
		result = rc == SQLITE_ROW || rc == SQLITE_DONE ? IDV_OK : IDV_E_DB;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	free(row);
	return result;
}

/* ---- reviews --------------------------------------------------------------------------------- */

enum idv_err
idv_store_review_claim_get(struct idv_store *s, int64_t case_id, char *reviewer,
			   size_t reviewersz, int64_t *expires_at)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT reviewer, expires_at FROM review_claims WHERE case_id = ?", -1,
			       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			store_col_text(st, 0, reviewer, reviewersz, NULL);
			*expires_at = sqlite3_column_int64(st, 1);
			result = IDV_OK;
		} else if (rc == SQLITE_DONE) {
			result = IDV_E_NOTFOUND;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_review_claim(struct idv_store *s, int64_t case_id, const char *reviewer, int64_t now,
		       int64_t expires_at, char *holder, size_t holdersz, int64_t *holder_expires)
{
	enum idv_err result;
	sqlite3_stmt *st = NULL;
	char cur[64];
	int64_t cur_exp = 0;
	pthread_mutex_lock(&s->lock);
	result = idv_store_review_claim_get(s, case_id, cur, sizeof cur, &cur_exp);
	if (result == IDV_OK && cur_exp > now && strcmp(cur, reviewer) != 0) {
		idv_strlcpy(holder, cur, holdersz);
		*holder_expires = cur_exp;
		result = IDV_E_CONFLICT;
		goto out;
	}
	if (result != IDV_OK && result != IDV_E_NOTFOUND)
		goto out;
	result = IDV_E_DB;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT OR REPLACE INTO review_claims(case_id, reviewer, expires_at)"
			       " VALUES(?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		sqlite3_bind_text(st, 2, reviewer, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, expires_at);
		result = store_step_done(st);
	}
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_review_release(struct idv_store *s, int64_t case_id)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, "DELETE FROM review_claims WHERE case_id = ?", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_review_decision_insert(struct idv_store *s, int64_t case_id, const char *reviewer,
				 const char *decision, const uint8_t *reason_sealed, size_t len,
				 int64_t at)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	if (len > INT32_MAX)
		return IDV_E_TOOBIG;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO review_decisions(case_id, reviewer, decision, reason_sealed,"
			       " decided_at) VALUES(?,?,?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		sqlite3_bind_text(st, 2, reviewer, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, decision, -1, SQLITE_STATIC);
		if (reason_sealed != NULL && len > 0)
			sqlite3_bind_blob(st, 4, reason_sealed, (int)len, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_int64(st, 5, at);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_review_decision_each(struct idv_store *s, int64_t case_id, idv_store_review_fn fn,
			       void *arg)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT reviewer, decision, decided_at FROM review_decisions"
			       " WHERE case_id = ? ORDER BY id",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		int rc;
		char reviewer[64], decision[24];
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			store_col_text(st, 0, reviewer, sizeof reviewer, NULL);
			store_col_text(st, 1, decision, sizeof decision, NULL);
			if (!fn(arg, reviewer, decision, sqlite3_column_int64(st, 2)))
				break;
		}
		result = rc == SQLITE_ROW || rc == SQLITE_DONE ? IDV_OK : IDV_E_DB;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

/* ---- agents ---------------------------------------------------------------------------------- */

enum idv_err
idv_store_agent_token_insert(struct idv_store *s, const uint8_t token_hash[32],
			     const char *agent_id, int64_t at)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO agent_tokens(token_hash, agent_id, created_at) VALUES(?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, agent_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, at);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_agent_token_agent(struct idv_store *s, const uint8_t token_hash[32], char *agent_id,
			    size_t agent_idsz)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, "SELECT agent_id FROM agent_tokens WHERE token_hash = ?", -1,
			       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			store_col_text(st, 0, agent_id, agent_idsz, NULL);
			result = IDV_OK;
		} else if (rc == SQLITE_DONE) {
			result = IDV_E_NOTFOUND;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
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

static void
agent_case_from_stmt(sqlite3_stmt *st, struct idv_agent_case_row *row)
{
	row->case_id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, row->agent_id, sizeof row->agent_id, NULL);
	store_col_text(st, 2, row->request_id, sizeof row->request_id, NULL);
	store_col_text(st, 3, row->agent_request_id, sizeof row->agent_request_id, NULL);
	store_col_text(st, 4, row->exercise, sizeof row->exercise, NULL);
	store_col_text(st, 5, row->status_callback, sizeof row->status_callback, NULL);
	row->has_poa = sqlite3_column_int(st, 6) != 0;
	idv_buf_reset(&row->poa_sealed);
	if (sqlite3_column_bytes(st, 7) > 0)
		idv_buf_append(&row->poa_sealed, sqlite3_column_blob(st, 7),
			       (size_t)sqlite3_column_bytes(st, 7));
	row->consumer_confirmed_at = sqlite3_column_int64(st, 8);
	row->consumer_verified_at = sqlite3_column_int64(st, 9);
	row->revoked_at = sqlite3_column_int64(st, 10);
	store_col_text(st, 11, row->notified, sizeof row->notified, NULL);
	row->created_at = sqlite3_column_int64(st, 12);
}

enum idv_err
idv_store_agent_case_insert(struct idv_store *s, const struct idv_agent_case_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO agent_cases(" AGENT_CASE_COLUMNS ")"
			       " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, row->case_id);
		sqlite3_bind_text(st, 2, row->agent_id, -1, SQLITE_STATIC);
		store_bind_text(st, 3, row->request_id);
		store_bind_text(st, 4, row->agent_request_id);
		store_bind_text(st, 5, row->exercise);
		store_bind_text(st, 6, row->status_callback);
		sqlite3_bind_int(st, 7, row->has_poa ? 1 : 0);
		store_bind_buf(st, 8, &row->poa_sealed);
		store_bind_i64(st, 9, row->consumer_confirmed_at);
		store_bind_i64(st, 10, row->consumer_verified_at);
		store_bind_i64(st, 11, row->revoked_at);
		store_bind_text(st, 12, row->notified);
		sqlite3_bind_int64(st, 13, row->created_at);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

static enum idv_err
agent_case_get(struct idv_store *s, const char *where, int64_t id, const char *text,
	       struct idv_agent_case_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT " AGENT_CASE_COLUMNS " FROM agent_cases WHERE %s", where);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (text != NULL)
			sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, 1, id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			agent_case_from_stmt(st, row);
			result = IDV_OK;
		} else if (rc == SQLITE_DONE) {
			result = IDV_E_NOTFOUND;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_agent_case_get(struct idv_store *s, int64_t case_id, struct idv_agent_case_row *row)
{
	return agent_case_get(s, "case_id = ?", case_id, NULL, row);
}

enum idv_err
idv_store_agent_case_by_request(struct idv_store *s, const char *request_id,
				struct idv_agent_case_row *row)
{
	return agent_case_get(s, "request_id = ?", 0, request_id, row);
}

enum idv_err
idv_store_agent_case_update(struct idv_store *s, const struct idv_agent_case_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE agent_cases SET poa_sealed=?, consumer_confirmed_at=?,"
			       " consumer_verified_at=?, revoked_at=?, notified=? WHERE case_id=?",
			       -1, &st, NULL) == SQLITE_OK) {
		store_bind_buf(st, 1, &row->poa_sealed);
		store_bind_i64(st, 2, row->consumer_confirmed_at);
		store_bind_i64(st, 3, row->consumer_verified_at);
		store_bind_i64(st, 4, row->revoked_at);
		store_bind_text(st, 5, row->notified);
		sqlite3_bind_int64(st, 6, row->case_id);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_agent_case_each_drp(struct idv_store *s, idv_store_agent_case_fn fn, void *arg)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	struct idv_agent_case_row row;
	idv_agent_case_row_init(&row);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT " AGENT_CASE_COLUMNS " FROM agent_cases WHERE request_id IS NOT"
			       " NULL AND status_callback IS NOT NULL ORDER BY case_id",
			       -1, &st, NULL) == SQLITE_OK) {
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			agent_case_from_stmt(st, &row);
			if (!fn(arg, &row))
				break;
		}
		result = rc == SQLITE_ROW || rc == SQLITE_DONE ? IDV_OK : IDV_E_DB;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	idv_agent_case_row_cleanup(&row);
	return result;
}

enum idv_err
idv_store_drp_replay(struct idv_store *s, const uint8_t body_hash[32], int64_t expires_at,
		     int64_t now)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	/* Trimmed as it grows: what expired, and rows no valid body can need any more (kept
	 * until a far expires-at before lifetimes were bounded, drp.h). */
	if (sqlite3_prepare_v2(s->db, "DELETE FROM drp_replay WHERE expires_at <= ? OR expires_at > ?",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now + IDV_DRP_LIFETIME_MAX_S);
	if (store_step_done(st) != IDV_OK)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO drp_replay(body_hash, expires_at) VALUES(?,?)"
			       " ON CONFLICT(body_hash) DO NOTHING",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, body_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, expires_at);
	if ((result = store_step_done(st)) == IDV_OK && sqlite3_changes(s->db) == 0)
		result = IDV_E_CONFLICT;
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

/* ---- outbox ---------------------------------------------------------------------------------- */

enum idv_err
idv_store_outbox_insert(struct idv_store *s, int64_t case_id, const char *url,
			const uint8_t *sealed, size_t len, int64_t now)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	if (len > INT32_MAX)
		return IDV_E_TOOBIG;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO outbox(case_id, url, body_sealed, state, next_at, created_at,"
			       " updated_at) VALUES(?,?,?,'pending',?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		sqlite3_bind_text(st, 2, url, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, sealed, (int)len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_int64(st, 5, now);
		sqlite3_bind_int64(st, 6, now);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_outbox_next(struct idv_store *s, int64_t now, struct idv_outbox_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, coalesce(case_id, 0), url, body_sealed, attempts, next_at"
			       " FROM outbox WHERE state = 'pending' AND next_at <= ?"
			       " ORDER BY next_at, id LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, now);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			row->id = sqlite3_column_int64(st, 0);
			row->case_id = sqlite3_column_int64(st, 1);
			store_col_text(st, 2, row->url, sizeof row->url, NULL);
			idv_buf_reset(&row->body_sealed);
			if (sqlite3_column_bytes(st, 3) > 0)
				idv_buf_append(&row->body_sealed, sqlite3_column_blob(st, 3),
					       (size_t)sqlite3_column_bytes(st, 3));
			row->attempts = sqlite3_column_int(st, 4);
			row->next_at = sqlite3_column_int64(st, 5);
			result = IDV_OK;
		} else if (rc == SQLITE_DONE) {
			result = IDV_E_NOTFOUND;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_outbox_mark(struct idv_store *s, int64_t id, const char *state, int attempts,
		      int64_t next_at, int last_status)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE outbox SET state=?, attempts=?, next_at=?, last_status=?,"
			       " updated_at=? WHERE id=?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, attempts);
		sqlite3_bind_int64(st, 3, next_at);
		if (last_status != 0)
			sqlite3_bind_int(st, 4, last_status);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
		sqlite3_bind_int64(st, 6, id);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_outbox_count(struct idv_store *s, const char *state, int64_t *out)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM outbox WHERE state = ?", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			result = IDV_OK;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}
