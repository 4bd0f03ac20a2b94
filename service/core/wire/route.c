/* SPDX-License-Identifier: Apache-2.0 */
/* route.c: pattern matching of request paths (see route.h). */
#include "idverify/route.h"
#include "idverify/str.h"

static bool
route_param_char(int c)
{
	return idv_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

/* Match one pattern; fills params of m on success. */
static bool
route_match_one(const char *pattern, const char *path, size_t pathlen, struct idv_route_match *m)
{
	size_t pi = 0, si = 0, plen = strlen(pattern);
	m->nparams = 0;
	while (pi < plen && si < pathlen) {
		if (pattern[pi] == '{') {
			const char *close = memchr(pattern + pi, '}', plen - pi);
			if (close == NULL || m->nparams >= IDV_ROUTE_MAX_PARAMS)
				return false;
			size_t start = si;
			while (si < pathlen && path[si] != '/') {
				if (!route_param_char((unsigned char)path[si]))
					return false;
				si++;
			}
			size_t vlen = si - start;
			if (vlen == 0 || vlen >= IDV_ROUTE_PARAM_MAX)
				return false;
			m->params[m->nparams].name = pattern + pi + 1;
			m->params[m->nparams].namelen = (size_t)(close - (pattern + pi + 1));
			memcpy(m->params[m->nparams].value, path + start, vlen);
			m->params[m->nparams].value[vlen] = '\0';
			m->nparams++;
			pi = (size_t)(close - pattern) + 1;
			continue;
		}
		if (pattern[pi] != path[si])
			return false;
		pi++;
		si++;
	}
	return pi == plen && si == pathlen;
}

bool
idv_route_match(const void *entries, size_t n, size_t stride, const char *method, const char *path,
		size_t pathlen, struct idv_route_match *m)
{
	const char *base = entries;
	size_t allowlen = 0;
	struct idv_route_match scratch;
	memset(m, 0, sizeof *m);
	m->index = -1;
	for (size_t i = 0; i < n; i++) {
		const struct idv_route_pattern *r =
			(const struct idv_route_pattern *)(const void *)(base + i * stride);
		if (!route_match_one(r->pattern, path, pathlen, &scratch))
			continue;
		if (strcmp(r->method, method) == 0 && m->index < 0) {
			bool known = m->path_known;
			char allow[IDV_ROUTE_ALLOW_MAX];
			memcpy(allow, m->allow, sizeof allow);
			*m = scratch;
			m->index = (int)i;
			m->path_known = known;
			memcpy(m->allow, allow, sizeof allow);
		}
		m->path_known = true;
		/* Collect the Allow list, without duplicates. */
		if (strstr(m->allow, r->method) == NULL) {
			(void)idv_fmt_cat(m->allow, sizeof m->allow, &allowlen, "%s%s",
					  allowlen ? ", " : "", r->method);
		}
	}
	return m->index >= 0;
}

const char *
idv_route_param(const struct idv_route_match *m, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < m->nparams; i++)
		if (m->params[i].namelen == len && memcmp(m->params[i].name, name, len) == 0)
			return m->params[i].value;
	return NULL;
}
