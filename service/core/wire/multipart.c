/* SPDX-License-Identifier: Apache-2.0 */
/* multipart.c: multipart/form-data over a body in memory (multipart.h). */
#include "idverify/multipart.h"
#include "idverify/str.h"

static const uint8_t *
mp_find(const uint8_t *hay, size_t haylen, const char *needle, size_t nlen)
{
	if (nlen == 0 || haylen < nlen)
		return NULL;
	for (size_t i = 0; i + nlen <= haylen; i++) {
		const uint8_t *p = memchr(hay + i, needle[0], haylen - nlen + 1 - i);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, nlen) == 0)
			return p;
		i = (size_t)(p - hay);
	}
	return NULL;
}

static bool
mp_boundary_char(int c)
{
	return idv_isalnum(c) || c == '\'' || c == '(' || c == ')' || c == '+' || c == '_' ||
	       c == ',' || c == '-' || c == '.' || c == '/' || c == ':' || c == '=' || c == '?' ||
	       c == ' ';
}

enum idv_err
idv_multipart_init(struct idv_multipart *mp, const char *ct, const uint8_t *body, size_t len)
{
	memset(mp, 0, sizeof *mp);
	mp->body = body;
	mp->len = len;
	static const char want[] = "multipart/form-data";
	if (ct == NULL || strncasecmp(ct, want, sizeof want - 1) != 0)
		return IDV_E_UNSUPPORTED;
	const char *b = strcasestr(ct, "boundary=");
	if (b == NULL)
		return IDV_E_PARSE;
	b += 9;
	size_t n;
	if (*b == '"') {
		b++;
		const char *end = strchr(b, '"');
		if (end == NULL)
			return IDV_E_PARSE;
		n = (size_t)(end - b);
	} else {
		n = strcspn(b, "; \t");
	}
	if (n == 0 || n > IDV_MULTIPART_BOUNDARY_MAX)
		return IDV_E_PARSE;
	for (size_t i = 0; i < n; i++)
		if (!mp_boundary_char((unsigned char)b[i]))
			return IDV_E_PARSE;
	memcpy(mp->boundary, "\r\n--", 4);
	memcpy(mp->boundary + 4, b, n);
	mp->blen = n + 4;
	mp->boundary[mp->blen] = '\0';
	/* The body starts with the first delimiter (without its CRLF), possibly after a preamble. */
	if (len >= mp->blen - 2 && memcmp(body, mp->boundary + 2, mp->blen - 2) == 0) {
		mp->pos = mp->blen - 2;
	} else {
		const uint8_t *first = mp_find(body, len, mp->boundary, mp->blen);
		if (first == NULL)
			return IDV_E_PARSE;
		mp->pos = (size_t)(first - body) + mp->blen;
	}
	return IDV_OK;
}

/* Copy a header parameter value (name="value" or name=value) into out. */
static bool
mp_param(const char *h, size_t hlen, const char *name, char *out, size_t outsz)
{
	size_t nlen = strlen(name);
	for (size_t i = 0; i + nlen + 1 < hlen; i++) {
		if ((i == 0 || h[i - 1] == ';' || h[i - 1] == ' ') &&
		    strncasecmp(h + i, name, nlen) == 0 && h[i + nlen] == '=') {
			size_t j = i + nlen + 1, k = 0;
			bool quoted = j < hlen && h[j] == '"';
			if (quoted)
				j++;
			while (j < hlen && (quoted ? h[j] != '"' : (h[j] != ';' && h[j] != ' '))) {
				if (k + 1 < outsz)
					out[k++] = h[j];
				j++;
			}
			out[k] = '\0';
			return true;
		}
	}
	return false;
}

enum idv_err
idv_multipart_next(struct idv_multipart *mp, struct idv_part *part)
{
	memset(part, 0, sizeof *part);
	if (mp->done)
		return IDV_E_NOTFOUND;
	const uint8_t *p = mp->body + mp->pos;
	size_t left = mp->len - mp->pos;
	/* After a delimiter: "--" ends the body; otherwise optional white space then CRLF. */
	if (left >= 2 && p[0] == '-' && p[1] == '-') {
		mp->done = true;
		return IDV_E_NOTFOUND;
	}
	while (left > 0 && (p[0] == ' ' || p[0] == '\t')) {
		p++;
		left--;
	}
	if (left < 2 || p[0] != '\r' || p[1] != '\n')
		return IDV_E_PARSE;
	p += 2;
	left -= 2;
	if (++mp->nparts > IDV_MULTIPART_MAX_PARTS)
		return IDV_E_TOOBIG;
	/* Headers up to an empty line. */
	const uint8_t *hend = mp_find(p, left, "\r\n\r\n", 4);
	if (hend == NULL) {
		/* A part with no headers at all starts with the empty line itself. */
		if (left >= 2 && p[0] == '\r' && p[1] == '\n')
			hend = p - 2;
		else
			return IDV_E_PARSE;
	}
	bool have_disposition = false;
	const uint8_t *line = p;
	while (line < hend) {
		const uint8_t *eol = mp_find(line, (size_t)(hend - line) + 2, "\r\n", 2);
		size_t llen = eol ? (size_t)(eol - line) : (size_t)(hend - line);
		const char *l = (const char *)line;
		if (llen > 1024)
			return IDV_E_PARSE;
		if (llen > 20 && strncasecmp(l, "content-disposition:", 20) == 0) {
			if (memmem(l, llen, "form-data", 9) == NULL)
				return IDV_E_PARSE;
			if (!mp_param(l, llen, "name", part->name, sizeof part->name))
				return IDV_E_PARSE;
			part->is_file = mp_param(l, llen, "filename", part->filename,
						 sizeof part->filename);
			have_disposition = true;
		} else if (llen > 13 && strncasecmp(l, "content-type:", 13) == 0) {
			const char *v = l + 13;
			size_t vlen = llen - 13;
			idv_str_trim(&v, &vlen);
			if (vlen >= sizeof part->content_type)
				vlen = sizeof part->content_type - 1;
			memcpy(part->content_type, v, vlen);
			part->content_type[vlen] = '\0';
		}
		line += llen + 2;
	}
	if (!have_disposition)
		return IDV_E_PARSE;
	const uint8_t *data = hend + 4;
	size_t dleft = (size_t)(mp->body + mp->len - data);
	const uint8_t *next = mp_find(data, dleft, mp->boundary, mp->blen);
	if (next == NULL)
		return IDV_E_PARSE; /* truncated: no closing delimiter */
	part->data = data;
	part->len = (size_t)(next - data);
	mp->pos = (size_t)(next - mp->body) + mp->blen;
	return IDV_OK;
}
