/* SPDX-License-Identifier: Apache-2.0 */
/*
 * workerproto.h: the frames exchanged between `idverify serve` and its document workers
 * (`idverify worker`, cmd_worker.c) over a socketpair. Both ends are the same binary, so the
 * frames are C structs sent as they are; but the parent trusts nothing the worker sends back:
 * a worker that read hostile bytes may be under the attacker's control, so every result is
 * checked (idv_wp_result_check) before it is used or stored.
 *
 *   parent -> worker: struct idv_wp_request, then exactly request.len bytes of the document
 *   worker -> parent: struct idv_wp_result (once at start with outcome READY, then one per
 *                     request)
 *
 * Pure: no I/O here; the reading and writing is in workerproc.c and cmd_worker.c.
 */
#ifndef IDVERIFY_WORKERPROTO_H
#define IDVERIFY_WORKERPROTO_H

#include "idverify/document.h"

#define IDV_WP_MAGIC_REQUEST 0x51574449u /* "IDWQ" little-endian */
#define IDV_WP_MAGIC_RESULT 0x52574449u  /* "IDWR" */
#define IDV_WP_VERSION 1u

/* What the worker should read. hint is an enum idv_extract_hint. */
struct idv_wp_request {
	uint32_t magic;
	uint32_t version;
	int32_t hint;
	uint32_t reserved;
	int64_t today_days;
	uint64_t max_pixels; /* 0: the compiled-in ceiling */
	uint64_t len;        /* bytes of the document that follow */
};

enum idv_wp_outcome {
	IDV_WP_READY = 0, /* sent once, when the worker is sandboxed and waits for documents */
	IDV_WP_DONE,      /* doc holds the reading (whatever the document held) */
	IDV_WP_MEMORY,    /* (between the reading process and its fork server only) out of
			     memory on this document */
	IDV_WP_ERROR,     /* the extractor could not run (err says why); not the document's fault */
	IDV_WP_FAILED,    /* the process reading this document failed: failure says how */
	IDV_WP__COUNT
};

/* How the process reading a document failed (IDV_WP_FAILED). */
enum idv_wp_failure {
	IDV_WPF_NONE = 0,
	IDV_WPF_CRASH,   /* died (signal, sandbox violation, bad exit, malformed answer) */
	IDV_WPF_TIMEOUT, /* over its deadline (killed) or its CPU budget (SIGXCPU) */
	IDV_WPF_MEMORY,  /* out of memory */
	IDV_WPF__COUNT
};

struct idv_wp_result {
	uint32_t magic;
	uint32_t version;
	uint32_t outcome;  /* enum idv_wp_outcome */
	int32_t err;       /* enum idv_err, for IDV_WP_ERROR */
	uint32_t doc_size; /* sizeof(struct idv_document): both ends must agree */
	uint32_t failure;  /* enum idv_wp_failure, for IDV_WP_FAILED */
	struct idv_document doc;
};

/* Fill a request header. */
void idv_wp_request_init(struct idv_wp_request *r, int hint, int64_t today_days,
			 uint64_t max_pixels, uint64_t len);
/* Check a request header received by the worker: IDV_E_PARSE when it is not one, IDV_E_TOOBIG
 * when len is over max_len. */
enum idv_err idv_wp_request_check(const struct idv_wp_request *r, uint64_t max_len);

/* Fill a result frame (doc may be NULL: an empty document). failure is IDV_WPF_NONE unless
 * outcome is IDV_WP_FAILED (set it afterwards). */
void idv_wp_result_init(struct idv_wp_result *r, enum idv_wp_outcome outcome, enum idv_err err,
			const struct idv_document *doc);

/*
 * Check a result frame received from a worker: magic, version, sizes, every enum in range,
 * every count within its array, every string terminated inside its array, confidences in
 * [0, 1], boxes and page sizes not negative. IDV_OK when it may be used; IDV_E_PARSE otherwise
 * (the caller treats the worker as crashed).
 */
enum idv_err idv_wp_result_check(const struct idv_wp_result *r);

/* The same checks on a document alone. */
enum idv_err idv_wp_document_check(const struct idv_document *d);

#endif
