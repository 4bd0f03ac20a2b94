/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.h: the one error enum of idverify, its names, and its mapping to HTTP problems.
 *
 * Every function that can fail returns enum idv_err; outputs go through pointer parameters.
 * idv_err_problem() gives the HTTP status and the stable problem type a client sees
 * (RFC 9457 application/problem+json). Types never change once published.
 */
#ifndef IDVERIFY_ERR_H
#define IDVERIFY_ERR_H

enum idv_err {
	IDV_OK = 0,
	IDV_E_NOMEM,       /* allocation failed */
	IDV_E_TOOBIG,      /* input or output over its ceiling */
	IDV_E_PARSE,       /* malformed input */
	IDV_E_CHECKSUM,    /* a check digit or tag did not verify */
	IDV_E_IO,          /* file or socket error */
	IDV_E_DB,          /* database error */
	IDV_E_CRYPTO,      /* cryptographic failure (including a failed authentication tag) */
	IDV_E_STATE,       /* operation not allowed in the current state */
	IDV_E_INVAL,       /* well-formed but invalid value */
	IDV_E_NOTFOUND,    /* no such object */
	IDV_E_UNSUPPORTED, /* format or feature not supported */
	IDV_E_UNREADABLE,  /* a document could not be read */
	IDV_E_CONFLICT,    /* already exists / duplicate */
	IDV_E_UNAUTH,      /* no or bad credentials */
	IDV_E_FORBIDDEN,   /* credentials lack the right */
	IDV_E_LIMIT,       /* rate or capacity limit reached */
	IDV_E__COUNT
};

/* Short stable name of an error ("parse", "too_big", ...). Never NULL. */
const char *idv_err_name(enum idv_err err);

/* A human-readable sentence for an error. Never NULL. */
const char *idv_err_str(enum idv_err err);

/* How an error is presented over HTTP. type is a stable URI; title a short summary. */
struct idv_problem {
	int status;
	const char *type;
	const char *title;
};

/* The problem for an error. Never NULL. */
const struct idv_problem *idv_err_problem(enum idv_err err);

/* Prefix of every problem type URI. */
#define IDV_PROBLEM_PREFIX "urn:idverify:problem:"

#endif
