/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/netaddr.h"

static struct idv_netaddr
addr(const char *s)
{
	struct idv_netaddr a;
	assert_int_equal(idv_netaddr_parse(s, strlen(s), &a), IDV_OK);
	return a;
}

static void
test_parse_and_format(void **state)
{
	(void)state;
	static const struct {
		const char *in, *text;
		int family;
	} ok[] = {
		{"10.0.0.1", "10.0.0.1", 4},
		{"::1", "::1", 6},
		{"[::1]", "::1", 6},
		{"2001:DB8:0:0::5", "2001:db8::5", 6},
		{"::ffff:127.0.0.1", "127.0.0.1", 4}, /* mapped: one form */
		{"::ffff:7f00:1", "127.0.0.1", 4},
		{"[::ffff:169.254.169.254]", "169.254.169.254", 4},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(ok); i++) {
		struct idv_netaddr a = addr(ok[i].in);
		char text[IDV_NETADDR_TEXT_MAX];
		idv_netaddr_format(&a, text);
		assert_string_equal(text, ok[i].text);
		assert_int_equal(a.family, ok[i].family);
	}
	static const char *const bad[] = {"", "1.2.3", "010.0.0.1", "0x7f.0.0.1", "2130706433",
					  "1.2.3.4.5", "fe80::1%eth0", "[10.0.0.1", "::g",
					  "localhost", "1.2.3.4 ", "[]"};
	for (size_t i = 0; i < IDV_ARRAY_LEN(bad); i++) {
		struct idv_netaddr a;
		assert_int_equal(idv_netaddr_parse(bad[i], strlen(bad[i]), &a), IDV_E_PARSE);
	}
	/* bytes with a NUL inside never parse */
	struct idv_netaddr a;
	assert_int_equal(idv_netaddr_parse("10.0.0.1\0x", 10, &a), IDV_E_PARSE);
	assert_true(idv_netaddr_equal(&(struct idv_netaddr){0}, &(struct idv_netaddr){0}) == false);
}

static void
test_classes(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum idv_net_class want;
	} v[] = {
		{"93.184.215.14", IDV_NET_PUBLIC},
		{"8.8.8.8", IDV_NET_PUBLIC},
		{"2606:4700::1111", IDV_NET_PUBLIC},
		{"172.15.255.255", IDV_NET_PUBLIC},
		{"172.32.0.1", IDV_NET_PUBLIC},
		{"100.63.255.255", IDV_NET_PUBLIC},
		{"100.128.0.0", IDV_NET_PUBLIC},
		{"0.0.0.0", IDV_NET_UNSPECIFIED},
		{"0.1.2.3", IDV_NET_UNSPECIFIED},
		{"::", IDV_NET_UNSPECIFIED},
		{"127.0.0.1", IDV_NET_LOOPBACK},
		{"127.255.255.254", IDV_NET_LOOPBACK},
		{"::1", IDV_NET_LOOPBACK},
		{"::ffff:127.0.0.1", IDV_NET_LOOPBACK},
		{"10.1.2.3", IDV_NET_PRIVATE},
		{"172.16.0.1", IDV_NET_PRIVATE},
		{"172.31.255.255", IDV_NET_PRIVATE},
		{"192.168.1.1", IDV_NET_PRIVATE},
		{"::ffff:10.0.0.1", IDV_NET_PRIVATE},
		{"::ffff:192.168.0.1", IDV_NET_PRIVATE},
		{"100.64.0.1", IDV_NET_SHARED},
		{"100.127.255.255", IDV_NET_SHARED},
		{"169.254.1.1", IDV_NET_LINK_LOCAL},
		{"fe80::1", IDV_NET_LINK_LOCAL},
		{"febf::1", IDV_NET_LINK_LOCAL},
		{"fc00::1", IDV_NET_ULA},
		{"fdff:ffff::1", IDV_NET_ULA},
		{"169.254.169.254", IDV_NET_METADATA},
		{"::ffff:169.254.169.254", IDV_NET_METADATA},
		{"fd00:ec2::254", IDV_NET_METADATA},
		{"224.0.0.1", IDV_NET_MULTICAST},
		{"ff02::1", IDV_NET_MULTICAST},
		{"255.255.255.255", IDV_NET_RESERVED},
		{"240.0.0.1", IDV_NET_RESERVED},
		{"192.0.2.1", IDV_NET_RESERVED},
		{"2001:db8::1", IDV_NET_RESERVED},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", IDV_NET_RESERVED}, /* Teredo */
		/* IPv4 embedded in IPv6 is judged as the IPv4 address */
		{"::127.0.0.1", IDV_NET_LOOPBACK},                /* IPv4-compatible */
		{"64:ff9b::10.0.0.1", IDV_NET_PRIVATE},           /* NAT64 */
		{"64:ff9b::8.8.8.8", IDV_NET_PUBLIC},
		{"64:ff9b:1::a00:1", IDV_NET_RESERVED},
		{"2002:7f00:1::1", IDV_NET_LOOPBACK},             /* 6to4 of 127.0.0.1 */
		{"2002:a9fe:a9fe::1", IDV_NET_METADATA},          /* 6to4 of 169.254.169.254 */
		{"2002:808:808::1", IDV_NET_PUBLIC},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(v); i++) {
		struct idv_netaddr a = addr(v[i].in);
		if (idv_netaddr_classify(&a) != v[i].want)
			fail_msg("%s: %s, want %s", v[i].in,
				 idv_net_class_name(idv_netaddr_classify(&a)),
				 idv_net_class_name(v[i].want));
	}
	assert_string_equal(idv_net_class_name(IDV_NET_METADATA), "metadata");
	assert_int_equal(idv_netaddr_classify(&(struct idv_netaddr){0}), IDV_NET_RESERVED);
}

static void
test_cidr(void **state)
{
	(void)state;
	struct idv_cidr c;
	assert_int_equal(idv_cidr_parse("10.0.0.0/8", 10, &c), IDV_OK);
	assert_int_equal(c.bits, 8);
	struct idv_netaddr in = addr("10.200.0.1"), out = addr("11.0.0.1"), six = addr("::1");
	assert_true(idv_cidr_contains(&c, &in));
	assert_false(idv_cidr_contains(&c, &out));
	assert_false(idv_cidr_contains(&c, &six));
	struct idv_netaddr mapped = addr("::ffff:10.9.9.9");
	assert_true(idv_cidr_contains(&c, &mapped));
	assert_int_equal(idv_cidr_parse("fd00::/8", 8, &c), IDV_OK);
	struct idv_netaddr ula = addr("fdab::1");
	assert_true(idv_cidr_contains(&c, &ula));
	assert_int_equal(idv_cidr_parse("192.168.1.7", 11, &c), IDV_OK);
	assert_int_equal(c.bits, 32);
	assert_int_equal(idv_cidr_parse("::ffff:10.0.0.0/104", 19, &c), IDV_OK);
	assert_int_equal(c.bits, 8);
	assert_int_equal(idv_cidr_parse("0.0.0.0/0", 9, &c), IDV_OK);
	assert_true(idv_cidr_contains(&c, &out));
	static const char *const bad[] = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "/8",
					  "::/129", "10.0.0.0/8x", "fd00::1/8", "::ffff:10.0.0.0/90"};
	for (size_t i = 0; i < IDV_ARRAY_LEN(bad); i++)
		assert_int_equal(idv_cidr_parse(bad[i], strlen(bad[i]), &c), IDV_E_PARSE);
	struct idv_cidr list[3];
	size_t n;
	char why[128];
	const char *l = "10.0.0.0/8, 192.168.0.1 ::1";
	assert_int_equal(idv_cidr_list_parse(l, strlen(l), list, 3, &n, why, sizeof why), IDV_OK);
	assert_int_equal(n, 3);
	assert_true(idv_cidr_list_contains(list, n, &six));
	l = "10.0.0.0/8,nonsense";
	assert_int_equal(idv_cidr_list_parse(l, strlen(l), list, 3, &n, why, sizeof why),
			 IDV_E_PARSE);
	assert_non_null(strstr(why, "nonsense"));
	l = "1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4";
	assert_int_equal(idv_cidr_list_parse(l, strlen(l), list, 3, &n, why, sizeof why),
			 IDV_E_TOOBIG);
}

static void
client_of(const char *peer, const char *trusted, enum idv_fwd_header kind, const char *hdr,
	  const char *want)
{
	struct idv_cidr list[8];
	size_t n = 0;
	assert_int_equal(idv_cidr_list_parse(trusted, strlen(trusted), list, 8, &n, NULL, 0),
			 IDV_OK);
	struct idv_netaddr p = addr(peer), out;
	idv_netaddr_client(&p, list, n, kind, hdr, hdr ? strlen(hdr) : 0, &out);
	char text[IDV_NETADDR_TEXT_MAX];
	idv_netaddr_format(&out, text);
	if (strcmp(text, want) != 0)
		fail_msg("peer %s, header '%s': %s, want %s", peer, hdr ? hdr : "(none)", text,
			 want);
}

static void
test_client_behind_proxies(void **state)
{
	(void)state;
	const enum idv_fwd_header X = IDV_FWD_X_FORWARDED_FOR, F = IDV_FWD_FORWARDED;
	/* no trusted proxy: headers are ignored */
	client_of("203.0.113.9", "", X, "198.51.100.1", "203.0.113.9");
	/* an untrusted peer's headers are ignored */
	client_of("203.0.113.9", "10.0.0.0/8", X, "198.51.100.1", "203.0.113.9");
	/* a trusted proxy: the rightmost hop that is not trusted */
	client_of("10.0.0.2", "10.0.0.0/8", X, "198.51.100.1", "198.51.100.1");
	client_of("10.0.0.2", "10.0.0.0/8", X, "6.6.6.6, 198.51.100.1", "198.51.100.1");
	client_of("10.0.0.2", "10.0.0.0/8", X, "6.6.6.6, 198.51.100.1, 10.0.0.7", "198.51.100.1");
	client_of("10.0.0.2", "10.0.0.0/8", X, " 2001:db8::7 ", "2001:db8::7");
	client_of("10.0.0.2", "10.0.0.0/8", X, "[2001:db8::7]:4711", "2001:db8::7");
	client_of("10.0.0.2", "10.0.0.0/8", X, "198.51.100.1:5555", "198.51.100.1");
	/* every hop trusted: the leftmost; no header: the proxy */
	client_of("10.0.0.2", "10.0.0.0/8", X, "10.1.1.1, 10.0.0.7", "10.1.1.1");
	client_of("10.0.0.2", "10.0.0.0/8", X, NULL, "10.0.0.2");
	/* an unreadable hop: the last trusted address seen, never what lies to its left */
	client_of("10.0.0.2", "10.0.0.0/8", X, "6.6.6.6, garbage", "10.0.0.2");
	client_of("10.0.0.2", "10.0.0.0/8", X, "6.6.6.6, unknown, 10.0.0.9", "10.0.0.9");
	client_of("10.0.0.2", "10.0.0.0/8", X, ",", "10.0.0.2");
	/* RFC 7239 */
	client_of("10.0.0.2", "10.0.0.0/8", F, "for=192.0.2.60;proto=http;by=203.0.113.43",
		  "192.0.2.60");
	client_of("10.0.0.2", "10.0.0.0/8", F,
		  "for=6.6.6.6, For=\"[2001:db8:cafe::17]:4711\", for=10.0.0.3",
		  "2001:db8:cafe::17");
	client_of("10.0.0.2", "10.0.0.0/8", F, "proto=https;for=\"198.51.100.4:80\"",
		  "198.51.100.4");
	client_of("10.0.0.2", "10.0.0.0/8", F, "for=\"6.6.6.6, 7.7.7.7\"", "10.0.0.2");
	client_of("10.0.0.2", "10.0.0.0/8", F, "for=_hidden", "10.0.0.2");
	client_of("10.0.0.2", "10.0.0.0/8", F, "by=10.0.0.2", "10.0.0.2");
	client_of("10.0.0.2", "10.0.0.0/8", F, "for=\"unterminated", "10.0.0.2");
	/* the X-Forwarded-For form in a Forwarded header is not read */
	client_of("10.0.0.2", "10.0.0.0/8", F, "198.51.100.1", "10.0.0.2");
	/* many hops: only the rightmost ones are looked at */
	char many[4096];
	size_t at = 0;
	for (int i = 0; i < 200; i++)
		at += (size_t)snprintf(many + at, sizeof many - at, "10.0.0.5, ");
	snprintf(many + at, sizeof many - at, "198.51.100.77");
	client_of("10.0.0.2", "10.0.0.0/8", X, many, "198.51.100.77");
}

static void
test_rate_keys(void **state)
{
	(void)state;
	char k[IDV_NETADDR_TEXT_MAX + 8];
	struct idv_netaddr a = addr("198.51.100.7");
	idv_netaddr_rate_key(&a, k, sizeof k);
	assert_string_equal(k, "ip:198.51.100.7");
	a = addr("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
	idv_netaddr_rate_key(&a, k, sizeof k);
	assert_string_equal(k, "ip6:2001:db8:1:2::/64");
	struct idv_netaddr b = addr("2001:db8:1:2::1");
	char k2[sizeof k];
	idv_netaddr_rate_key(&b, k2, sizeof k2);
	assert_string_equal(k, k2); /* one /64, one bucket */
	b = addr("2001:db8:1:3::1");
	idv_netaddr_rate_key(&b, k2, sizeof k2);
	assert_string_not_equal(k, k2);
	a = addr("::ffff:198.51.100.7");
	idv_netaddr_rate_key(&a, k, sizeof k);
	assert_string_equal(k, "ip:198.51.100.7");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_format), cmocka_unit_test(test_classes),
		cmocka_unit_test(test_cidr),             cmocka_unit_test(test_client_behind_proxies),
		cmocka_unit_test(test_rate_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
