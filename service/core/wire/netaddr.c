/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netaddr.c: address parsing and classes, CIDR lists, the client behind trusted proxies and
 * rate-limit buckets (see netaddr.h). Text to bytes goes through libc's inet_pton and
 * inet_ntop (pure functions, no resolver); the classes follow the IANA special-purpose
 * address registries (RFC 6890) and the cloud metadata addresses.
 */
#include <arpa/inet.h>

#include "idverify/netaddr.h"
#include "idverify/str.h"

/* ---- parsing and text -------------------------------------------------------------------- */

static const uint8_t netaddr_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

void
idv_netaddr_from_bytes(int family, const uint8_t *bytes, struct idv_netaddr *out)
{
	memset(out, 0, sizeof *out);
	if (family == 4) {
		out->family = 4;
		memcpy(out->b, bytes, 4);
	} else if (family == 6 && memcmp(bytes, netaddr_mapped_prefix, 12) == 0) {
		out->family = 4;
		memcpy(out->b, bytes + 12, 4);
	} else if (family == 6) {
		out->family = 6;
		memcpy(out->b, bytes, 16);
	}
}

enum idv_err
idv_netaddr_parse(const char *p, size_t len, struct idv_netaddr *out)
{
	char tmp[IDV_NETADDR_TEXT_MAX];
	uint8_t b[16];
	memset(out, 0, sizeof *out);
	if (len >= 2 && p[0] == '[' && p[len - 1] == ']') {
		p++;
		len -= 2;
		if (memchr(p, '.', len) == NULL && memchr(p, ':', len) == NULL)
			return IDV_E_PARSE;
	}
	if (len == 0 || len >= sizeof tmp || memchr(p, '\0', len) != NULL)
		return IDV_E_PARSE;
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	if (memchr(tmp, ':', len) == NULL) {
		if (inet_pton(AF_INET, tmp, b) != 1)
			return IDV_E_PARSE;
		idv_netaddr_from_bytes(4, b, out);
		return IDV_OK;
	}
	if (inet_pton(AF_INET6, tmp, b) != 1)
		return IDV_E_PARSE;
	idv_netaddr_from_bytes(6, b, out);
	return IDV_OK;
}

void
idv_netaddr_format(const struct idv_netaddr *a, char *out)
{
	out[0] = '\0';
	if (a->family == 4)
		inet_ntop(AF_INET, a->b, out, IDV_NETADDR_TEXT_MAX);
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->b, out, IDV_NETADDR_TEXT_MAX);
}

bool
idv_netaddr_equal(const struct idv_netaddr *a, const struct idv_netaddr *b)
{
	if (a->family != b->family || a->family == 0)
		return false;
	return memcmp(a->b, b->b, a->family == 4 ? 4 : 16) == 0;
}

/* ---- classes ----------------------------------------------------------------------------- */

/* true when the first bits of a and of prefix agree */
static bool
netaddr_prefix(const uint8_t *a, const uint8_t *prefix, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	if (memcmp(a, prefix, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xffu << (8 - rest));
	return (a[whole] & mask) == (prefix[whole] & mask);
}

struct netaddr_range {
	uint8_t prefix[16];
	unsigned bits;
	enum idv_net_class cls;
};

/* Most specific first: the metadata address sits inside link-local. */
static const struct netaddr_range netaddr_v4[] = {
	{{169, 254, 169, 254}, 32, IDV_NET_METADATA},
	{{0}, 8, IDV_NET_UNSPECIFIED},
	{{10}, 8, IDV_NET_PRIVATE},
	{{100, 64}, 10, IDV_NET_SHARED},
	{{127}, 8, IDV_NET_LOOPBACK},
	{{169, 254}, 16, IDV_NET_LINK_LOCAL},
	{{172, 16}, 12, IDV_NET_PRIVATE},
	{{192, 0, 0}, 24, IDV_NET_RESERVED},   /* IETF protocol assignments */
	{{192, 0, 2}, 24, IDV_NET_RESERVED},   /* TEST-NET-1 */
	{{192, 88, 99}, 24, IDV_NET_RESERVED}, /* 6to4 relay anycast (deprecated) */
	{{192, 168}, 16, IDV_NET_PRIVATE},
	{{198, 18}, 15, IDV_NET_RESERVED},      /* benchmarking */
	{{198, 51, 100}, 24, IDV_NET_RESERVED}, /* TEST-NET-2 */
	{{203, 0, 113}, 24, IDV_NET_RESERVED},  /* TEST-NET-3 */
	{{224}, 4, IDV_NET_MULTICAST},
	{{240}, 4, IDV_NET_RESERVED}, /* and 255.255.255.255 */
};

static const struct netaddr_range netaddr_v6[] = {
	{{0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54}, 128, IDV_NET_METADATA},
	{{0}, 128, IDV_NET_UNSPECIFIED},
	{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, IDV_NET_LOOPBACK},
	{{0x01, 0x00}, 64, IDV_NET_RESERVED},                   /* discard-only, RFC 6666 */
	{{0x20, 0x01, 0x00, 0x00}, 32, IDV_NET_RESERVED},       /* Teredo: the target is hidden */
	{{0x20, 0x01, 0x00, 0x02, 0, 0}, 48, IDV_NET_RESERVED}, /* benchmarking */
	{{0x20, 0x01, 0x0d, 0xb8}, 32, IDV_NET_RESERVED},       /* documentation */
	{{0x20, 0x01, 0x00, 0x10}, 28, IDV_NET_RESERVED},       /* ORCHID */
	{{0x20, 0x01, 0x00, 0x20}, 28, IDV_NET_RESERVED},       /* ORCHIDv2 */
	{{0xfc}, 7, IDV_NET_ULA},
	{{0xfe, 0x80}, 10, IDV_NET_LINK_LOCAL},
	{{0xfe, 0xc0}, 10, IDV_NET_RESERVED}, /* site-local (deprecated) */
	{{0xff}, 8, IDV_NET_MULTICAST},
};

static enum idv_net_class
netaddr_classify_v4(const uint8_t b[4])
{
	for (size_t i = 0; i < IDV_ARRAY_LEN(netaddr_v4); i++)
		if (netaddr_prefix(b, netaddr_v4[i].prefix, netaddr_v4[i].bits))
			return netaddr_v4[i].cls;
	return IDV_NET_PUBLIC;
}

enum idv_net_class
idv_netaddr_classify(const struct idv_netaddr *a)
{
	static const uint8_t compat[12] = {0};
	static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};
	static const uint8_t nat64_local[6] = {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01};
	if (a->family == 4)
		return netaddr_classify_v4(a->b);
	if (a->family != 6)
		return IDV_NET_RESERVED;
	for (size_t i = 0; i < 3; i++) /* metadata, ::, ::1 before the embedded forms */
		if (netaddr_prefix(a->b, netaddr_v6[i].prefix, netaddr_v6[i].bits))
			return netaddr_v6[i].cls;
	/* IPv4 inside IPv6: judged as that IPv4 address (a mapped one is unmapped on parse) */
	if (memcmp(a->b, netaddr_mapped_prefix, 12) == 0 || memcmp(a->b, compat, 12) == 0 ||
	    memcmp(a->b, nat64, 12) == 0)
		return netaddr_classify_v4(a->b + 12);
	if (memcmp(a->b, nat64_local, 6) == 0) /* RFC 8215: the IPv4 address may sit anywhere */
		return IDV_NET_RESERVED;
	if (a->b[0] == 0x20 && a->b[1] == 0x02) /* 6to4: 2002:AABB:CCDD::/48 */
		return netaddr_classify_v4(a->b + 2);
	for (size_t i = 3; i < IDV_ARRAY_LEN(netaddr_v6); i++)
		if (netaddr_prefix(a->b, netaddr_v6[i].prefix, netaddr_v6[i].bits))
			return netaddr_v6[i].cls;
	return IDV_NET_PUBLIC;
}

const char *
idv_net_class_name(enum idv_net_class c)
{
	static const char *const names[] = {"public",    "unspecified", "loopback",     "private",
					    "shared",    "link-local",  "unique-local", "metadata",
					    "multicast", "reserved"};
	return (size_t)c < IDV_ARRAY_LEN(names) ? names[c] : "reserved";
}

/* ---- CIDR -------------------------------------------------------------------------------- */

enum idv_err
idv_cidr_parse(const char *p, size_t len, struct idv_cidr *out)
{
	const char *slash = memchr(p, '/', len);
	size_t alen = slash ? (size_t)(slash - p) : len;
	memset(out, 0, sizeof *out);
	if (idv_netaddr_parse(p, alen, &out->a) != IDV_OK)
		return IDV_E_PARSE;
	unsigned max = out->a.family == 4 ? 32 : 128;
	/* a mapped IPv6 prefix (::ffff:10.0.0.0/104) was unmapped: its length loses 96 */
	bool mapped = out->a.family == 4 && memchr(p, ':', alen) != NULL;
	out->bits = max;
	if (slash != NULL) {
		uint64_t v;
		size_t dlen = len - alen - 1;
		char digits[8];
		if (dlen == 0 || dlen >= sizeof digits)
			return IDV_E_PARSE;
		memcpy(digits, slash + 1, dlen);
		digits[dlen] = '\0';
		if (idv_parse_u64z(digits, mapped ? 128 : max, &v) != IDV_OK || (mapped && v < 96))
			return IDV_E_PARSE;
		out->bits = (unsigned)(mapped ? v - 96 : v);
	}
	/* host bits below the prefix must be zero */
	unsigned bytes = max / 8;
	for (unsigned i = 0; i < bytes; i++) {
		unsigned from = i * 8;
		uint8_t mask = from >= out->bits       ? 0xff
			       : from + 8 <= out->bits ? 0x00
						       : (uint8_t)(0xffu >> (out->bits - from));
		if ((out->a.b[i] & mask) != 0)
			return IDV_E_PARSE;
	}
	return IDV_OK;
}

bool
idv_cidr_contains(const struct idv_cidr *c, const struct idv_netaddr *a)
{
	return c->a.family != 0 && a->family == c->a.family &&
	       netaddr_prefix(a->b, c->a.b, c->bits);
}

enum idv_err
idv_cidr_list_parse(const char *p, size_t len, struct idv_cidr *out, size_t max, size_t *n,
		    char *why, size_t whysz)
{
	size_t i = 0;
	*n = 0;
	if (why != NULL && whysz > 0)
		why[0] = '\0';
	while (i < len) {
		while (i < len && (p[i] == ',' || p[i] == ' ' || p[i] == '\t'))
			i++;
		size_t start = i;
		while (i < len && p[i] != ',' && p[i] != ' ' && p[i] != '\t')
			i++;
		if (i == start)
			break;
		if (*n >= max) {
			if (why != NULL)
				idv_why(why, whysz, "more than %zu entries", max);
			return IDV_E_TOOBIG;
		}
		if (idv_cidr_parse(p + start, i - start, &out[*n]) != IDV_OK) {
			if (why != NULL)
				idv_why(why, whysz,
					"'%.*s' is not an address or CIDR prefix "
					"(host bits must be zero)",
					(int)(i - start < 64 ? i - start : 64), p + start);
			return IDV_E_PARSE;
		}
		(*n)++;
	}
	return IDV_OK;
}

bool
idv_cidr_list_contains(const struct idv_cidr *list, size_t n, const struct idv_netaddr *a)
{
	for (size_t i = 0; i < n; i++)
		if (idv_cidr_contains(&list[i], a))
			return true;
	return false;
}

/* ---- forwarded headers ------------------------------------------------------------------- */

#define NETADDR_MAX_HOPS 64

struct netaddr_span {
	size_t at, len;
};

/* A node: "10.0.0.1", "10.0.0.1:443", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:443". */
static bool
netaddr_node(const char *p, size_t len, struct idv_netaddr *out)
{
	idv_str_trim(&p, &len);
	if (len > 0 && p[0] == '[') {
		const char *close = memchr(p, ']', len);
		if (close == NULL)
			return false;
		size_t after = len - (size_t)(close - p) - 1;
		if (after != 0 && close[1] != ':')
			return false;
		return idv_netaddr_parse(p + 1, (size_t)(close - p) - 1, out) == IDV_OK &&
		       out->family == 6;
	}
	const char *colon = memchr(p, ':', len);
	if (colon != NULL && memchr(colon + 1, ':', len - (size_t)(colon - p) - 1) == NULL)
		len = (size_t)(colon - p); /* IPv4 with a port */
	return idv_netaddr_parse(p, len, out) == IDV_OK;
}

/* The node of one Forwarded element's for= parameter (RFC 7239 section 4). */
static bool
netaddr_forwarded_for(const char *p, size_t len, struct idv_netaddr *out)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && (p[i] == ';' || p[i] == ' ' || p[i] == '\t'))
			i++;
		size_t name = i;
		while (i < len && p[i] != '=' && p[i] != ';')
			i++;
		if (i >= len || p[i] != '=')
			return false;
		size_t nlen = i - name;
		i++;
		size_t vstart = i, vlen;
		if (i < len && p[i] == '"') {
			vstart = ++i;
			while (i < len && p[i] != '"')
				i += p[i] == '\\' ? 2 : 1;
			if (i >= len)
				return false;
			vlen = i - vstart;
			i++;
		} else {
			while (i < len && p[i] != ';')
				i++;
			vlen = i - vstart;
		}
		const char *n = p + name;
		size_t nl = nlen;
		idv_str_trim(&n, &nl);
		if (idv_str_ieq(n, nl, "for"))
			return memchr(p + vstart, '\\', vlen) == NULL &&
			       netaddr_node(p + vstart, vlen, out);
	}
	return false;
}

/* Split hdr at top-level commas (not inside quotes); keeps the rightmost NETADDR_MAX_HOPS. */
static size_t
netaddr_split(const char *p, size_t len, struct netaddr_span *hops, size_t *first)
{
	size_t n = 0, start = 0;
	bool quoted = false;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && p[i] == '"')
			quoted = !quoted;
		if (i < len && p[i] == '\\' && quoted) {
			i++;
			continue;
		}
		if (i < len && (p[i] != ',' || quoted))
			continue;
		hops[n % NETADDR_MAX_HOPS] = (struct netaddr_span){start,
								   (i < len ? i : len) - start};
		n++;
		start = i + 1;
	}
	*first = n > NETADDR_MAX_HOPS ? n % NETADDR_MAX_HOPS : 0;
	return n > NETADDR_MAX_HOPS ? NETADDR_MAX_HOPS : n;
}

void
idv_netaddr_client(const struct idv_netaddr *peer, const struct idv_cidr *trusted, size_t ntrusted,
		   enum idv_fwd_header kind, const char *hdr, size_t len, struct idv_netaddr *out)
{
	struct netaddr_span hops[NETADDR_MAX_HOPS];
	size_t first = 0;
	*out = *peer;
	if (hdr == NULL || len == 0 || !idv_cidr_list_contains(trusted, ntrusted, peer))
		return;
	size_t n = netaddr_split(hdr, len, hops, &first);
	for (size_t k = n; k-- > 0;) {
		const struct netaddr_span *s = &hops[(first + k) % NETADDR_MAX_HOPS];
		struct idv_netaddr hop;
		bool ok = kind == IDV_FWD_FORWARDED
				  ? netaddr_forwarded_for(hdr + s->at, s->len, &hop)
				  : netaddr_node(hdr + s->at, s->len, &hop);
		if (!ok)
			return; /* *out is the last trusted address seen */
		*out = hop;
		if (!idv_cidr_list_contains(trusted, ntrusted, &hop))
			return;
	}
}

void
idv_netaddr_rate_key(const struct idv_netaddr *a, char *out, size_t outsz)
{
	char text[IDV_NETADDR_TEXT_MAX];
	if (a->family == 6) {
		struct idv_netaddr net = *a;
		memset(net.b + 8, 0, 8);
		idv_netaddr_format(&net, text);
		(void)idv_fmt(out, outsz, "ip6:%s/64", text); /* fits the size netaddr.h asks */
		return;
	}
	idv_netaddr_format(a, text);
	(void)idv_fmt(out, outsz, "ip:%s", text);
}
