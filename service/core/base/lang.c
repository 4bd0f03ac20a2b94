/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lang.c: Accept-Language against the offered languages (lang.h). The header is walked once,
 * range by range; a weight is read as RFC 9110's qvalue (0 to 1, three decimals at most) and a
 * malformed one counts as 0, so a broken header falls back to the default language.
 */
#include "idverify/lang.h"

#include <string.h>

static char
lang_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; -1 if bad. */
static int
lang_qvalue(const char *p, size_t len)
{
	if (len == 0 || (p[0] != '0' && p[0] != '1') || (len > 1 && p[1] != '.') || len > 5)
		return -1;
	int q = (p[0] - '0') * 1000, scale = 100;
	for (size_t i = 2; i < len; i++, scale /= 10) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		q += (p[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* The weight of one range "tag[;q=x][;other]" in p[0..len): 1000 without a q. */
static int
lang_weight(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != ';')
			continue;
		size_t k = i + 1;
		while (k < len && p[k] == ' ')
			k++;
		if (k + 2 <= len && (p[k] == 'q' || p[k] == 'Q') && p[k + 1] == '=') {
			size_t end = k + 2;
			while (end < len && p[end] != ';' && p[end] != ' ')
				end++;
			int q = lang_qvalue(p + k + 2, end - k - 2);
			return q < 0 ? 0 : q;
		}
	}
	return 1000;
}

int
idv_lang_pick(const char *header, const char *const *offered, size_t n)
{
	int best = -1, best_q = 0;
	if (header == NULL || n == 0)
		return -1;
	size_t hlen = strnlen(header, IDV_LANG_HEADER_MAX);
	for (size_t at = 0; at < hlen;) {
		size_t end = at;
		while (end < hlen && header[end] != ',')
			end++;
		size_t s = at;
		while (s < end && (header[s] == ' ' || header[s] == '\t'))
			s++;
		size_t tag = s; /* the primary subtag: letters up to '-', ';' or a space */
		while (tag < end && header[tag] != '-' && header[tag] != ';' && header[tag] != ' ')
			tag++;
		int q = lang_weight(header + s, end - s);
		int match = -1;
		if (tag - s == 1 && header[s] == '*')
			match = 0;
		for (size_t i = 0; match < 0 && i < n; i++) {
			size_t ol = strlen(offered[i]), k = 0;
			if (ol != tag - s)
				continue;
			while (k < ol && lang_lower(header[s + k]) == offered[i][k])
				k++;
			if (k == ol)
				match = (int)i;
		}
		if (match >= 0 && q > best_q) {
			best = match;
			best_q = q;
		}
		at = end + 1;
	}
	return best;
}
