/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route.h: matching (method, path) against a table of route patterns (STYLE.md 16).
 * Patterns are absolute paths whose segments are literals or "{name}" parameters, e.g.
 * "/v1/requests/{reference}/documents". A parameter matches one non-empty segment of at most
 * IDV_ROUTE_PARAM_MAX - 1 bytes made of A-Z a-z 0-9 - _ . ~ (anything else does not match).
 * Pure: no allocation; the caller's table is not copied.
 */
#ifndef IDVERIFY_ROUTE_H
#define IDVERIFY_ROUTE_H

#include "idverify/common.h"

#define IDV_ROUTE_MAX_PARAMS 4
#define IDV_ROUTE_PARAM_MAX 80
#define IDV_ROUTE_ALLOW_MAX 64

struct idv_route_pattern {
	const char *method;  /* "GET", "POST", ... */
	const char *pattern; /* "/v1/requests/{reference}" */
};

struct idv_route_match {
	int index;   /* index of the matching entry, or -1 */
	bool path_known;   /* some entry matched the path (with another method) */
	char allow[IDV_ROUTE_ALLOW_MAX]; /* methods for the path, "GET, POST", when path_known */
	size_t nparams;
	struct {
		const char *name; /* points into the pattern; not NUL-terminated at the '}' */
		size_t namelen;
		char value[IDV_ROUTE_PARAM_MAX];
	} params[IDV_ROUTE_MAX_PARAMS];
};

/*
 * Match method and path (without the query string) against entries[0..n) of a table whose
 * elements are stride bytes apart and start with a struct idv_route_pattern. Returns true when
 * an entry matched both; otherwise m->index is -1 and m->path_known tells 405 from 404.
 */
bool idv_route_match(const void *entries, size_t n, size_t stride, const char *method,
		     const char *path, size_t pathlen, struct idv_route_match *m);

/* The value of parameter name, or NULL. */
const char *idv_route_param(const struct idv_route_match *m, const char *name);

#endif
