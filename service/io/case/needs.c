/* SPDX-License-Identifier: Apache-2.0 */
/*
 * needs.c: what a case still needs before it can be decided (needs.h): the documents and the
 * declaration its level requires, and what its requester's role adds (an agent's permission and
 * the consumer's own part, a parent's proof of the relationship).
 */
#include "agents.h"
#include "codes.h"
#include "model.h"
#include "needs.h"
#include "policy.h"
#include "store_platforms.h"
#include "idverify/score.h"
#include "idverify/str.h"
#include "vocab.h"

struct evidence {
	bool gov_ok, gov_pending, res_ok, res_pending, any_pending;
	size_t ndocs;
};

static bool
cases_doc_evidence(void *arg, const struct idv_doc_row *d)
{
	struct evidence *e = arg;
	bool pending = strcmp(d->status, "queued") == 0 || strcmp(d->status, "processing") == 0;
	bool done = !pending; /* ok, unreadable or rejected: each is evidence the model weighs */
	e->ndocs++;
	e->any_pending |= pending;
	if (strcmp(d->kind, "government_id") == 0) {
		e->gov_ok |= done;
		e->gov_pending |= pending;
	} else if (strcmp(d->kind, "proof_of_residence") == 0) {
		e->res_ok |= done;
		e->res_pending |= pending;
	}
	return true;
}

bool
idv_case_evidence_complete(struct idv_cases *cs, const struct idv_case_row *row, json_t **missing)
{
	bool need_gov = false, need_res = false, need_decl = false;
	struct evidence e = {0};
	json_t *m = json_array();
	idv_scoring_requirements(cs->scoring, row->level, &need_gov, &need_res, &need_decl);
	idv_store_doc_each(cs->store, row->id, cases_doc_evidence, &e);
	if (need_gov && !e.gov_ok && !e.gov_pending)
		json_array_append_new(m, json_string("government_id"));
	if (need_res && !e.res_ok && !e.res_pending)
		json_array_append_new(m, json_string("proof_of_residence"));
	if (need_decl) {
		char version[32];
		int64_t at;
		if (idv_store_declaration_get(cs->store, row->id, version, sizeof version, &at,
					      NULL) != IDV_OK)
			json_array_append_new(m, json_string("declaration"));
	}
	/* A request filed to be verified with a code waits for it (codes.h). */
	if (!idv_case_code_settled(cs, row->id))
		json_array_append_new(m, json_string("contact_code"));
	bool person_decides;
	const char *why;
	idv_case_role_requirements(cs, row, m, &person_decides, &why);
	bool complete = json_array_size(m) == 0 && !e.any_pending;
	if (missing != NULL)
		*missing = m;
	else
		json_decref(m);
	return complete;
}

struct role_docs {
	bool government_id, relationship_proof, agent_permission, agent_registration,
		power_of_attorney;
};

static bool
role_doc(void *arg, const struct idv_doc_row *d)
{
	struct role_docs *r = arg;
	r->government_id |= strcmp(d->kind, "government_id") == 0;
	r->relationship_proof |= strcmp(d->kind, "relationship_proof") == 0;
	r->agent_permission |= strcmp(d->kind, "agent_permission") == 0;
	r->agent_registration |= strcmp(d->kind, "agent_registration") == 0;
	r->power_of_attorney |= strcmp(d->kind, "power_of_attorney") == 0;
	return true;
}

static void
role_need(json_t *missing, const char *what)
{
	size_t i;
	json_t *v;
	json_array_foreach(missing, i, v)
		if (strcmp(json_string_value(v), what) == 0)
			return;
	json_array_append_new(missing, json_string(what));
}

void
idv_case_role_requirements(struct idv_cases *cs, const struct idv_case_row *row, json_t *missing,
			   bool *person_decides, const char **why)
{
	struct role_docs docs = {0};
	*person_decides = false;
	*why = NULL;
	if (strcmp(row->request_type, "opt_out") == 0)
		return; /* never verified (R3) */
	bool parent = idv_requester_is(row->requester_role, IDV_REQUESTER_PARENT_OR_GUARDIAN);
	bool agent = idv_requester_is(row->requester_role, IDV_REQUESTER_AUTHORIZED_AGENT);
	if (idv_platform_channel(row->channel)) {
		/* A privacy platform filed it: the consumer gives their own details at the
		 * verification link before anything is decided (api_platforms.c). */
		struct idv_platform_case_row pc;
		idv_platform_case_row_init(&pc);
		if (idv_store_platform_case_get(cs->store, row->id, &pc) != IDV_OK ||
		    pc.consumer_at == 0)
			role_need(missing, "consumer_details");
		idv_platform_case_row_cleanup(&pc);
	}
	if (!parent && !agent)
		return;
	idv_store_doc_each(cs->store, row->id, role_doc, &docs);
	if (parent) {
		/* R27: the parent's or guardian's own identity, proof of the relationship and the
		 * declaration signed under penalty of perjury; a reviewer decides. */
		char version[32];
		int64_t at;
		if (!docs.government_id)
			role_need(missing, "government_id");
		if (!docs.relationship_proof)
			role_need(missing, "relationship_proof");
		if (idv_store_declaration_get(cs->store, row->id, version, sizeof version, &at,
					      NULL) != IDV_OK)
			role_need(missing, "declaration");
		*person_decides = true;
		*why = "parent_or_guardian";
		return;
	}
	struct idv_agent_case_row ac;
	idv_agent_case_row_init(&ac);
	bool have = idv_store_agent_case_get(cs->store, row->id, &ac) == IDV_OK;
	if ((have && ac.has_poa) || docs.power_of_attorney) {
		/* R25: a power of attorney replaces the consumer's part, whatever the procedure
		 * says (it always accepts one); a person checks it. */
		*person_decides = true;
		*why = "power_of_attorney";
		goto out;
	}
	const struct idv_policy *p = &idv_scoring_models(cs->scoring)->policy;
	/* The agent's authority, as the procedure accepts it (procedure.agent_proofs): a
	 * registration with the Secretary of State (from the DRP directory, trusted as given, or
	 * a document a person checks), or the consumer's signed permission. */
	const struct idv_procedure *pr = &p->procedure;
	bool by_sos = idv_procedure_agent_proof_accepted(pr, IDV_AGENT_PROOF_SOS_REGISTRATION);
	bool by_permission =
		idv_procedure_agent_proof_accepted(pr, IDV_AGENT_PROOF_SIGNED_PERMISSION);
	const struct idv_agent *listed =
		have && cs->agents != NULL ? idv_agents_find(cs->agents, ac.agent_id) : NULL;
	bool registered = by_sos && listed != NULL && listed->sos_registration[0] != '\0';
	bool registration_doc = by_sos && docs.agent_registration;
	if (registered || registration_doc) {
		/* a registered agent: its registration stands for the signed permission */
	} else if (by_permission) {
		if (p->agents.permission_required && !docs.agent_permission)
			role_need(missing, "agent_permission");
	} else {
		/* a signed permission does not count here: only a registration does */
		role_need(missing, "agent_registration");
	}
	bool confirmed = have && ac.consumer_confirmed_at != 0;
	bool verified = have && ac.consumer_verified_at != 0;
	switch (p->agents.consumer_must) {
	case IDV_AGENT_CONSUMER_CONFIRM:
		if (!confirmed)
			role_need(missing, "consumer_confirmation");
		break;
	case IDV_AGENT_CONSUMER_VERIFY:
		if (!verified)
			role_need(missing, "consumer_verification");
		break;
	default:
		if (!confirmed && !verified)
			role_need(missing, "consumer_confirmation_or_verification");
		break;
	}
	if (registration_doc && !registered) {
		/* a certificate of registration is read by a person, not by the engine */
		*person_decides = true;
		*why = "agent_registration";
	}
out:
	idv_agent_case_row_cleanup(&ac);
}
