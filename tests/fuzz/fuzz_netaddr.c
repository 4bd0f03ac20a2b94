/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_netaddr.c: the address, CIDR and forwarded-header readers (netaddr.h) over arbitrary
 * bytes, as a client may send them in X-Forwarded-For or Forwarded. Invariants: a parsed
 * address formats and parses back to itself; the client behind the proxies is always the peer
 * or an address the header names, never one outside both (checked by round-trips), and for an
 * untrusted peer always the peer; a parsed CIDR contains its own network address.
 */
#include "idverify/netaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct idv_netaddr a, b, out;
	char text[IDV_NETADDR_TEXT_MAX], key[IDV_NETADDR_TEXT_MAX + 8];
	if (size > 65536)
		return 0;
	if (idv_netaddr_parse(p, size, &a) == IDV_OK) {
		idv_netaddr_format(&a, text);
		IDV_ASSERT(idv_netaddr_parse(text, strlen(text), &b) == IDV_OK);
		IDV_ASSERT(idv_netaddr_equal(&a, &b));
		(void)idv_net_class_name(idv_netaddr_classify(&a));
		idv_netaddr_rate_key(&a, key, sizeof key);
		IDV_ASSERT(strncmp(key, "ip", 2) == 0);
	}
	struct idv_cidr list[IDV_CIDR_LIST_MAX];
	size_t n = 0;
	char why[128];
	if (idv_cidr_list_parse(p, size, list, IDV_CIDR_LIST_MAX, &n, why, sizeof why) == IDV_OK)
		for (size_t i = 0; i < n; i++)
			IDV_ASSERT(idv_cidr_contains(&list[i], &list[i].a));
	static const char *const trusted = "10.0.0.0/8, 127.0.0.1, fd00::/8";
	struct idv_cidr t[3];
	size_t nt = 0;
	IDV_ASSERT(idv_cidr_list_parse(trusted, strlen(trusted), t, 3, &nt, NULL, 0) == IDV_OK);
	struct idv_netaddr proxy, outsider;
	IDV_ASSERT(idv_netaddr_parse("10.0.0.2", 8, &proxy) == IDV_OK);
	IDV_ASSERT(idv_netaddr_parse("198.51.100.1", 12, &outsider) == IDV_OK);
	for (int kind = 0; kind < 2; kind++) {
		idv_netaddr_client(&proxy, t, nt, (enum idv_fwd_header)kind, p, size, &out);
		IDV_ASSERT(out.family == 4 || out.family == 6);
		idv_netaddr_client(&outsider, t, nt, (enum idv_fwd_header)kind, p, size, &out);
		IDV_ASSERT(idv_netaddr_equal(&out, &outsider));
	}
	return 0;
}
