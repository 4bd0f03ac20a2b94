/* SPDX-License-Identifier: Apache-2.0 */
/*
 * callback.h: where a DRP status callback may go (issue 19, finding 3: server-side request
 * forgery). An agent's status_callback is checked when the exercise arrives (api_drp.c, a DRP
 * error when refused) and again before every delivery (outbox.c), because names can change
 * what they resolve to:
 *   - https only (http too with --allow-http-callbacks, a switch for tests and local agents);
 *     no user name or password in the URL; no zone id;
 *   - a host the agent's directory entry lists in "callback_hosts" (agents.h) may have any
 *     address, on its listed port (or the scheme's default port);
 *   - any other host must resolve only to public addresses (netaddr.h: loopback, RFC 1918,
 *     shared, link-local, unique local, metadata, multicast and reserved addresses are
 *     refused, in IPv4-mapped and other embedded forms too), on port 443 (80 for http);
 *   - the addresses checked are the only ones connected to: the sender pins them
 *     (CURLOPT_RESOLVE) and refuses any other at connect time (CURLOPT_OPENSOCKETFUNCTION);
 *     no redirects, no proxy.
 */
#ifndef IDVERIFY_CALLBACK_H
#define IDVERIFY_CALLBACK_H

#include "agents.h"
#include "idverify/netaddr.h"

#define IDV_CALLBACK_ADDRS_MAX 8

struct idv_callback_target {
	char host[IDV_AGENT_HOST_MAX]; /* as in the URL, lower case, IPv6 without brackets */
	bool literal;                  /* the host is an address */
	bool listed;                   /* the agent's directory entry lists it */
	uint16_t port;                 /* the port connected to */
	size_t naddrs;                 /* the checked addresses, tried in order: the only ones */
	struct idv_netaddr addrs[IDV_CALLBACK_ADDRS_MAX]; /* connected to */
};

/*
 * Check url as a status callback of agent (NULL: an agent no longer in the directory, which
 * has no list) and resolve it (getaddrinfo; this blocks for the resolver's time). IDV_OK with
 * the target; IDV_E_INVAL when the URL is malformed or of another scheme; IDV_E_FORBIDDEN when
 * its port or an address it resolves to is refused; IDV_E_NOTFOUND when it does not resolve.
 * why says which, without the URL.
 */
enum idv_err idv_callback_check(const struct idv_config *cfg, const struct idv_agent *agent,
				const char *url, struct idv_callback_target *out, char *why,
				size_t whysz);

#endif
