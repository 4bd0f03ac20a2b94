/* SPDX-License-Identifier: Apache-2.0 */
/* callback.c: the status-callback target check (see callback.h). URLs are parsed by libcurl. */
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "callback.h"
#include "idverify/str.h"

/* The agent's entry for host:port, if it lists one. */
static bool
callback_listed(const struct idv_agent *agent, const struct idv_callback_target *t,
		uint16_t default_port)
{
	struct idv_netaddr a, b;
	bool is_addr = idv_netaddr_parse(t->host, strlen(t->host), &a) == IDV_OK;
	for (size_t i = 0; agent != NULL && i < agent->ncallback_hosts; i++) {
		const struct idv_agent_host *h = &agent->callback_hosts[i];
		bool same = strcmp(h->host, t->host) == 0 ||
			    (is_addr && idv_netaddr_parse(h->host, strlen(h->host), &b) == IDV_OK &&
			     idv_netaddr_equal(&a, &b));
		if (same && t->port == (h->port != 0 ? h->port : default_port))
			return true;
	}
	return false;
}

static enum idv_err
callback_parse(const char *url, bool allow_http, struct idv_callback_target *t,
	       uint16_t *default_port, char *why, size_t whysz)
{
	enum idv_err result = IDV_E_INVAL;
	char *scheme = NULL, *user = NULL, *pass = NULL, *host = NULL, *port = NULL,
	     *zone = NULL;
	CURLU *u = curl_url();
	if (u == NULL)
		return IDV_E_NOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		idv_why(why, whysz, "status_callback is not a URL");
		goto out;
	}
	bool https = strcmp(scheme, "https") == 0;
	if (!https && !(allow_http && strcmp(scheme, "http") == 0)) {
		idv_why(why, whysz, "status_callback must be an https URL");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK) {
		idv_why(why, whysz, "status_callback may not hold credentials or a zone id");
		goto out;
	}
	const char *h = host;
	size_t hlen = strlen(host);
	if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
		h++;
		hlen -= 2;
	}
	uint64_t p = 0;
	if (hlen == 0 || hlen >= sizeof t->host || idv_parse_u64z(port, 65535, &p) != IDV_OK ||
	    p == 0) {
		idv_why(why, whysz, "status_callback has no usable host or port");
		goto out;
	}
	for (size_t i = 0; i < hlen; i++)
		t->host[i] = (char)((h[i] >= 'A' && h[i] <= 'Z') ? h[i] + 32 : h[i]);
	t->host[hlen] = '\0';
	t->port = (uint16_t)p;
	*default_port = https ? 443 : 80;
	result = IDV_OK;
out:
	curl_free(scheme);
	curl_free(user);
	curl_free(pass);
	curl_free(host);
	curl_free(port);
	curl_free(zone);
	curl_url_cleanup(u);
	return result;
}

enum idv_err
idv_callback_check(const struct idv_config *cfg, const struct idv_agent *agent, const char *url,
		   struct idv_callback_target *out, char *why, size_t whysz)
{
	uint16_t default_port = 443;
	struct addrinfo hints = {0}, *ai = NULL;
	memset(out, 0, sizeof *out);
	enum idv_err err = callback_parse(url, cfg->allow_http_callbacks, out, &default_port, why,
					  whysz);
	if (err != IDV_OK)
		return err;
	out->listed = callback_listed(agent, out, default_port);
	if (!out->listed && out->port != default_port) {
		idv_why(why, whysz, "status_callback must use port %u (the agent's directory "
				    "entry lists no other)", (unsigned)default_port);
		return IDV_E_FORBIDDEN;
	}
	/* One lookup: every address it gives must be allowed; the first few are the ones used. */
	struct idv_netaddr addrs[16];
	size_t n = 0;
	if (idv_netaddr_parse(out->host, strlen(out->host), &addrs[0]) == IDV_OK) {
		out->literal = true;
		n = 1;
	} else {
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(out->host, NULL, &hints, &ai) != 0)
			ai = NULL;
		for (const struct addrinfo *p = ai; p != NULL && n < IDV_ARRAY_LEN(addrs);
		     p = p->ai_next) {
			const void *sa = p->ai_addr;
			if (p->ai_family == AF_INET)
				idv_netaddr_from_bytes(
					4, (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr,
					&addrs[n++]);
			else if (p->ai_family == AF_INET6)
				idv_netaddr_from_bytes(
					6, ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr,
					&addrs[n++]);
		}
	}
	err = IDV_OK;
	if (n == 0) {
		idv_why(why, whysz, "the host of status_callback does not resolve");
		err = IDV_E_NOTFOUND;
	}
	for (size_t i = 0; err == IDV_OK && i < n; i++) {
		enum idv_net_class c = idv_netaddr_classify(&addrs[i]);
		if (c != IDV_NET_PUBLIC && !out->listed) {
			idv_why(why, whysz, "status_callback %s a %s address, which callbacks may "
					    "not reach (the agent's directory entry does not list "
					    "this host)", out->literal ? "is" : "resolves to",
				idv_net_class_name(c));
			err = IDV_E_FORBIDDEN;
		}
	}
	if (err == IDV_OK) {
		out->naddrs = n < IDV_CALLBACK_ADDRS_MAX ? n : IDV_CALLBACK_ADDRS_MAX;
		memcpy(out->addrs, addrs, out->naddrs * sizeof addrs[0]);
	}
	if (ai != NULL)
		freeaddrinfo(ai);
	return err;
}
