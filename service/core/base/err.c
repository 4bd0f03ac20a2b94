/* SPDX-License-Identifier: Apache-2.0 */
/* err.c: names, sentences and HTTP problems of enum idv_err. */
#include <stddef.h>

#include "idverify/err.h"

struct err_entry {
	const char *name;
	const char *text;
	struct idv_problem problem;
};

#define P(slug) IDV_PROBLEM_PREFIX slug

static const struct err_entry err_table[IDV_E__COUNT] = {
	[IDV_OK] = {"ok", "success", {200, "about:blank", "OK"}},
	[IDV_E_NOMEM] = {"no_memory", "out of memory", {503, P("unavailable"), "Service unavailable"}},
	[IDV_E_TOOBIG] = {"too_big", "input too large", {413, P("too-large"), "Content too large"}},
	[IDV_E_PARSE] = {"parse", "malformed input", {400, P("malformed"), "Malformed request"}},
	[IDV_E_CHECKSUM] = {"checksum", "check digit or checksum failed",
			    {422, P("checksum"), "Check digit failed"}},
	[IDV_E_IO] = {"io", "input/output error", {500, P("internal"), "Internal error"}},
	[IDV_E_DB] = {"db", "database error", {500, P("internal"), "Internal error"}},
	[IDV_E_CRYPTO] = {"crypto", "cryptographic failure", {500, P("internal"), "Internal error"}},
	[IDV_E_STATE] = {"state", "not allowed in the current state",
			 {409, P("invalid-state"), "Not allowed in the current state"}},
	[IDV_E_INVAL] = {"invalid", "invalid value", {422, P("invalid"), "Invalid value"}},
	[IDV_E_NOTFOUND] = {"not_found", "not found", {404, P("not-found"), "Not found"}},
	[IDV_E_UNSUPPORTED] = {"unsupported", "unsupported format",
			       {415, P("unsupported-format"), "Unsupported format"}},
	[IDV_E_UNREADABLE] = {"unreadable", "document could not be read",
			      {422, P("unreadable"), "Document unreadable"}},
	[IDV_E_CONFLICT] = {"conflict", "already exists", {409, P("conflict"), "Conflict"}},
	[IDV_E_UNAUTH] = {"unauthorized", "missing or invalid credentials",
			  {401, P("unauthorized"), "Unauthorized"}},
	[IDV_E_FORBIDDEN] = {"forbidden", "not permitted", {403, P("forbidden"), "Forbidden"}},
	[IDV_E_LIMIT] = {"limit", "limit reached", {429, P("rate-limited"), "Too many requests"}},
};

static const struct err_entry err_unknown = {
	"unknown", "unknown error", {500, P("internal"), "Internal error"}};

static const struct err_entry *
err_lookup(enum idv_err err)
{
	if ((unsigned)err >= IDV_E__COUNT || err_table[err].name == NULL)
		return &err_unknown;
	return &err_table[err];
}

const char *
idv_err_name(enum idv_err err)
{
	return err_lookup(err)->name;
}

const char *
idv_err_str(enum idv_err err)
{
	return err_lookup(err)->text;
}

const struct idv_problem *
idv_err_problem(enum idv_err err)
{
	return &err_lookup(err)->problem;
}
