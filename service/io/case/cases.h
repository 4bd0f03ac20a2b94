/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cases.h: the life of a case (DESIGN.md 2) on top of the store (lifecycle.c): creation with
 * its reference, token and due dates, the view a requester reads, closing, and the purge of
 * the new verification data (RULES.md R7) with a signed deletion receipt, and the sweep.
 * The case folder's other modules, which the lifecycle calls and which never call it:
 * seal.h (the case key and sealed blobs), policy.h (models and policy), needs.h (what is still
 * missing), evaluate.h (the decision once the evidence is complete).
 *
 * Every state change happens in one store transaction with what causes it.
 *
 * Conventions of this header: cs and its members are the caller's and outlive every call; rows
 * are the caller's (idv_case_row_init/cleanup, store.h), filled or updated in place; nothing is
 * kept after a call returns. Errors are enum idv_err: IDV_E_DB (the store), IDV_E_NOMEM,
 * IDV_E_CRYPTO (the master key or a case key), IDV_E_INVAL (bad input), as said per function;
 * on an error nothing of the change is stored (its transaction is rolled back).
 */
#ifndef IDVERIFY_CASES_H
#define IDVERIFY_CASES_H

#include "casectx.h"
#include "evaluate.h"
#include "needs.h"
#include "policy.h"
#include "seal.h"

/*
 * A new case: what creating one takes. claims is the cleaned claims object (api.h
 * idv_api_claims_clean; sealed under the new case's key). token is the case's bearer token when
 * the caller chose it (64 hex characters), NULL for a fresh random one. within, when set, runs
 * inside the creation transaction once the row exists (row->id set), with the case key, to
 * record what belongs with the case (an agent's request); its error undoes the creation. actor
 * is the audit actor; NULL means the requester ("case:<reference>"). Every pointer is
 * borrowed for the call; claims is not stolen.
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
 * once when it can be (a request needing only typed claims). row (initialised by the caller)
 * receives the case as stored; token is only valid on IDV_OK. An evaluation that fails does
 * not fail the creation: the case waits for its evidence as any other.
 */
enum idv_err idv_case_create(struct idv_cases *cs, const struct idv_case_new *in,
			     struct idv_case_row *row, char token[65]);

/* Who holds token (not NULL) for the case: its requester (a consumer's own request), the agent
 * that filed it through POST /v1/requests (its case token), or its consumer (the session
 * exchanged for the code sent to the contact on file, codes.h). Constant time; NONE for an
 * unknown reference, another case's token or a store error. A DRP agent holds no case token:
 * its own DRP token names it (api_drp.c). */
enum idv_case_holder {
	IDV_HOLDER_NONE = 0,
	IDV_HOLDER_REQUESTER,
	IDV_HOLDER_AGENT,
	IDV_HOLDER_CONSUMER,
};
enum idv_case_holder idv_case_token_holder(struct idv_store *store, const char *reference,
					   const char *token);

/*
 * The case as the requester (case token, agent) sees it: status, due dates, documents, what is
 * still needed, and the outcome in plain words with what to do next ("message",
 * "next_step"), never the decision's reasons (which field matched, how many candidate
 * records, why a point did not count). idv_case_view_full adds the reasons (outcome.reasons),
 * for the business's admins. A new object, the caller's (json_decref, or steal it into a
 * response); NULL only when memory runs out.
 */
json_t *idv_case_view(struct idv_cases *cs, const struct idv_case_row *row);
json_t *idv_case_view_full(struct idv_cases *cs, const struct idv_case_row *row);

/*
 * Close a case with the response given (fulfilled, partially_fulfilled, denied, withdrawn) and
 * the basis of a denial: the row and the audit entry "case.closed" (as actor) in one
 * transaction, with also(arg) when given (its error undoes the close); then purge its new
 * verification data (R7). row is updated in place (status, closed_at, response, basis), even
 * when the close fails: reload it then. Returns the close's error, else the purge's (a case
 * closed but not purged yet is purged by the next sweep, idv_sweep).
 */
enum idv_err idv_case_close(struct idv_cases *cs, struct idv_case_row *row, const char *response,
			    const char *basis, const char *actor,
			    enum idv_err (*also)(void *arg, struct idv_case_row *row), void *arg);

/* Destroy a closed case's new verification data; keep the request record and declarations;
 * write a deletion receipt. Idempotent (IDV_OK for a case purged already); IDV_E_NOTFOUND for
 * no such case, IDV_E_STATE for one still open. */
enum idv_err idv_case_purge(struct idv_cases *cs, int64_t case_id);

/* The sweeper: close abandoned cases, purge closed ones, delete request records older than
 * 24 months, forget attempt counters whose window and lock are over. Counts what it did in
 * *rep (zeroed first). A case that fails is skipped and left for the next sweep; the error of
 * listing the cases, deleting old records or forgetting counters is returned. */
struct idv_sweep_report {
	int64_t abandoned, purged, records_deleted;
};
enum idv_err idv_sweep(struct idv_cases *cs, int64_t now, struct idv_sweep_report *rep);

#endif
