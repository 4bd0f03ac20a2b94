/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agents.h: authorized agents (DRP.md, RULES.md R24-R27). The agent directory is a local copy of
 * the DRP service directory: a JSON array of entries, or an object whose "agents" member is
 * one, each with an "id" and a base64 Ed25519 "verify_key" (32 bytes) and any other fields
 * (name, web_url, identity_assurance_url, ...). idverify loads it at start and never fetches it.
 * An entry may also list "callback_hosts": the hosts ("agent.example", "127.0.0.1", "[::1]",
 * each optionally with ":PORT") its status callbacks may reach, whatever their addresses; an
 * agent without the list may only reach public addresses on port 443 (80 with
 * --allow-http-callbacks) (callback.h).
 *
 * The DRP endpoints (api_drp.c) turn an agent's signed exercise into a normal case (channel
 * "agent", requester role authorized_agent) with an agent_cases row; the consumer then takes
 * part directly (R24): a code goes to the contact on file (codes.h) and, typed on the page of
 * user_verification_url (which carries no credential), gives the consumer a session of their
 * own; a power of attorney goes to a reviewer (R25), and status changes are posted to the
 * agent's status_callback from the outbox.
 */
#ifndef IDVERIFY_AGENTS_H
#define IDVERIFY_AGENTS_H

#include <jansson.h>

#include "casectx.h"

#define IDV_AGENT_CALLBACK_HOSTS_MAX 16
#define IDV_AGENT_HOST_MAX 254

struct idv_agent_host {
	char host[IDV_AGENT_HOST_MAX]; /* lower case, IPv6 without brackets */
	uint16_t port;                 /* 0: the scheme's default port only */
};

struct idv_agent {
	char id[IDV_AGENT_ID_MAX];
	uint8_t verify_key[32];
	char name[128];
	/* "secretary_of_state_registration": the agent's entity number with the California
	 * Secretary of State (Civil Code 1798.140(d)), "" when the directory gives none */
	char sos_registration[64];
	size_t ncallback_hosts;
	struct idv_agent_host *callback_hosts; /* owned; NULL when not listed */
};

struct idv_agents {
	size_t n;
	struct idv_agent *list;
};

/* Load a directory file (at most 4 MiB, 10000 entries). Refuses entries without an id, with a
 * verify_key that is not 32 bytes of base64, with a callback_hosts that is not an array of at
 * most 16 "host[:port]" strings, and duplicate ids; why names the entry. */
enum idv_err idv_agents_load(const char *path, struct idv_agents *out, char *why, size_t whysz);
void idv_agents_free(struct idv_agents *a);
const struct idv_agent *idv_agents_find(const struct idv_agents *a, const char *id);

/* ---- the agent's side of a case (case_agents.c) ---- */

/* The agent part of a case view (NULL when the case is not an agent's): agent_id, agent_name
 * (from the directory, or null), drp_request_id, power_of_attorney, consumer_must,
 * permission_required, consumer_confirmed_at, consumer_verified_at. */
json_t *idv_case_agent_view(struct idv_cases *cs, const struct idv_case_row *row);

/* The DRP status object of an agent case (DRP.md); public_url prefixes user_verification_url
 * (the consumer's page, "<public_url>/requests/<reference>/agent", no token in it). */
json_t *idv_drp_status_json(struct idv_cases *cs, const struct idv_agent_case_row *agent,
			    const struct idv_case_row *row, const char *public_url);

#endif
