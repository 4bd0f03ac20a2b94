/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netaddr.h: IP addresses as the service reasons about them (issue 19, findings 3 and 9):
 *   - what kind of address a status callback would reach (loopback, RFC 1918, link-local,
 *     unique local, cloud metadata, ...; IPv4 embedded in IPv6 is judged as the IPv4 it holds);
 *   - CIDR lists (--trusted-proxy) and membership;
 *   - the client of a request that came through trusted proxies (X-Forwarded-For or RFC 7239
 *     Forwarded: the rightmost hop that is not a trusted proxy);
 *   - the rate-limit bucket of an address (IPv4 per address, IPv6 per /64).
 *
 * Pure: no allocation, no I/O, no name resolution (callers resolve; this judges what came
 * back). Text inputs are bytes plus a length; outputs are fixed-size.
 */
#ifndef IDVERIFY_NETADDR_H
#define IDVERIFY_NETADDR_H

#include "idverify/common.h"

/* Long enough for any address's text, a /64 bucket's and a "[v6]:port" form, with the NUL. */
#define IDV_NETADDR_TEXT_MAX 64
#define IDV_CIDR_LIST_MAX 32

struct idv_netaddr {
	uint8_t family; /* 4 or 6 (0: none) */
	uint8_t b[16];  /* network order; IPv4 in b[0..4) */
};

struct idv_cidr {
	struct idv_netaddr a; /* host bits cleared */
	unsigned bits;        /* prefix length: 0..32 or 0..128 */
};

/*
 * Parse an address: dotted-quad IPv4 ("10.0.0.1"; no octal, hex or short forms), IPv6
 * ("::1", "2001:db8::5", "::ffff:10.0.0.1"), or IPv6 in brackets ("[::1]"). Zone ids
 * ("fe80::1%eth0") and anything else are IDV_E_PARSE. An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is returned as the IPv4 address it maps, so that both forms are one.
 */
enum idv_err idv_netaddr_parse(const char *p, size_t len, struct idv_netaddr *out);

/* Text of a (out: IDV_NETADDR_TEXT_MAX bytes): "10.0.0.1", "2001:db8::5". */
void idv_netaddr_format(const struct idv_netaddr *a, char *out);

/* a from a raw socket address's bytes (4 or 16 of them); mapped IPv4 is unmapped. */
void idv_netaddr_from_bytes(int family, const uint8_t *bytes, struct idv_netaddr *out);

bool idv_netaddr_equal(const struct idv_netaddr *a, const struct idv_netaddr *b);

/* What an address reaches. Everything but IDV_NET_PUBLIC is refused as a callback target. */
enum idv_net_class {
	IDV_NET_PUBLIC = 0,
	IDV_NET_UNSPECIFIED, /* 0.0.0.0/8, :: */
	IDV_NET_LOOPBACK,    /* 127.0.0.0/8, ::1 */
	IDV_NET_PRIVATE,     /* 10/8, 172.16/12, 192.168/16 (RFC 1918) */
	IDV_NET_SHARED,      /* 100.64.0.0/10 (carrier-grade NAT, RFC 6598) */
	IDV_NET_LINK_LOCAL,  /* 169.254.0.0/16, fe80::/10 */
	IDV_NET_ULA,         /* fc00::/7 (unique local, RFC 4193) */
	IDV_NET_METADATA,    /* 169.254.169.254, fd00:ec2::254 (cloud instance metadata) */
	IDV_NET_MULTICAST,   /* 224.0.0.0/4, ff00::/8 */
	IDV_NET_RESERVED,    /* 192.0.0/24, documentation and benchmarking ranges, 240/4,
				255.255.255.255, 2001:db8::/32, site-local fec0::/10, ... */
};

/*
 * The class of a. IPv6 forms that embed an IPv4 address are judged by that address: mapped
 * (::ffff:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and 6to4
 * (2002::/16). Teredo (2001::/32) hides its target and is reserved.
 */
enum idv_net_class idv_netaddr_classify(const struct idv_netaddr *a);
const char *idv_net_class_name(enum idv_net_class c); /* "public", "loopback", ... */

/* "10.0.0.0/8", "fd00::/8", or a bare address (a /32 or /128). Host bits set below the
 * prefix are refused (IDV_E_PARSE), as a sign of a typing error. */
enum idv_err idv_cidr_parse(const char *p, size_t len, struct idv_cidr *out);
bool idv_cidr_contains(const struct idv_cidr *c, const struct idv_netaddr *a);

/*
 * A list of CIDRs separated by commas and/or spaces, at most max of them, into out; *n is
 * their number. IDV_E_PARSE names the first bad entry in why; IDV_E_TOOBIG when over max.
 */
enum idv_err idv_cidr_list_parse(const char *p, size_t len, struct idv_cidr *out, size_t max,
				 size_t *n, char *why, size_t whysz);
bool idv_cidr_list_contains(const struct idv_cidr *list, size_t n, const struct idv_netaddr *a);

/* Which header a trusted proxy writes. */
enum idv_fwd_header {
	IDV_FWD_X_FORWARDED_FOR = 0, /* X-Forwarded-For: client, proxy1, proxy2 */
	IDV_FWD_FORWARDED,           /* RFC 7239: for=client;proto=https, for="[2001:db8::1]:80" */
};

/*
 * The client of a request whose TCP peer is peer. Only when peer is in trusted is the
 * header (hdr[0..len), all its instances joined with commas in the order received; NULL when
 * absent) read, right to left: each hop that is a trusted proxy is stepped over, and the first
 * that is not is the client. When every hop is trusted, the leftmost is the client; when a hop
 * cannot be read (unknown, obfuscated, malformed), the last trusted address seen is (it is the
 * one that can be held to account). Never fails: *out is at least the peer.
 */
void idv_netaddr_client(const struct idv_netaddr *peer, const struct idv_cidr *trusted,
			size_t ntrusted, enum idv_fwd_header kind, const char *hdr, size_t len,
			struct idv_netaddr *out);

/* The rate-limit bucket of a: "ip:10.0.0.1", or for IPv6 its /64: "ip6:2001:db8:1:2::/64"
 * (one host is given a whole /64 by most networks). out: IDV_NETADDR_TEXT_MAX + 8 bytes. */
void idv_netaddr_rate_key(const struct idv_netaddr *a, char *out, size_t outsz);

#endif
