/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_workerproto.c: what a compromised document worker could send back to serve. Any bytes
 * as a result frame (workerproto.h): the check must never crash and what it accepts must be
 * safe to use: every string terminated inside its array, every count inside its array, every
 * enum naming something (the names are looked up, as the case view and the store do).
 */
#include "idverify/workerproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct idv_wp_result r;
	struct idv_wp_request q;
	/* The input covers the header; the document part is the input repeated, then patched so
	 * that a valid header is likely and the document's own bytes are what varies. */
	memset(&r, 0, sizeof r);
	if (size > 0)
		for (size_t off = 0; off < sizeof r; off += size)
			memcpy((uint8_t *)&r + off, data, size < sizeof r - off ? size : sizeof r - off);
	if (size > 0 && (data[0] & 1)) {
		r.magic = IDV_WP_MAGIC_RESULT;
		r.version = IDV_WP_VERSION;
		r.doc_size = (uint32_t)sizeof r.doc;
		r.outcome %= IDV_WP__COUNT;
		r.err = (int32_t)((uint32_t)r.err % IDV_E__COUNT);
		r.failure = r.outcome == IDV_WP_FAILED ? 1 + r.failure % (IDV_WPF__COUNT - 1) : 0;
	}
	if (idv_wp_result_check(&r) == IDV_OK) {
		const struct idv_document *d = &r.doc;
		IDV_ASSERT(strlen(d->error_detail) < sizeof d->error_detail);
		IDV_ASSERT(idv_doc_status_name(d->status) != NULL);
		IDV_ASSERT(idv_doc_kind_name(d->kind) != NULL);
		IDV_ASSERT(idv_residence_kind_name(d->residence_kind) != NULL);
		IDV_ASSERT(idv_err_name(d->err) != NULL);
		for (size_t i = 0; i < IDV_F__COUNT; i++) {
			IDV_ASSERT(strlen(d->fields[i].value) < IDV_FIELD_VALUE_MAX);
			IDV_ASSERT(idv_source_name(d->fields[i].source) != NULL);
		}
		IDV_ASSERT(d->nchecks <= IDV_DOC_MAX_CHECKS);
		for (size_t i = 0; i < d->nchecks; i++) {
			IDV_ASSERT(strlen(d->checks[i].name) < IDV_CHECK_NAME_MAX);
			IDV_ASSERT(idv_check_result_name(d->checks[i].result) != NULL);
		}
		IDV_ASSERT(d->nbarcodes <= IDV_DOC_MAX_BARCODES);
		IDV_ASSERT(d->mrz.nlines <= IDV_MRZ_MAX_LINES);
	}
	if (size >= sizeof q) {
		memcpy(&q, data, sizeof q);
		if (idv_wp_request_check(&q, 1u << 20) == IDV_OK)
			IDV_ASSERT(q.len <= 1u << 20 && q.hint >= 0);
	}
	return 0;
}
