/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seal.h: a case's own data key and what is sealed under it (seal.c). Sealed blobs carry the
 * reference and a label as associated data ("claims", "doc/<id>", "result/<id>"): a blob
 * opens only in its own case and slot. Outputs are reset first; keys are wiped by the caller.
 */
#ifndef IDVERIFY_SEAL_H
#define IDVERIFY_SEAL_H

#include "crypto.h"
#include "idverify/document.h"
#include "store.h"

/* The case key: a new random one (wrapped for storage), or the stored one unwrapped. */
enum idv_err idv_case_key_new(const char *reference, uint8_t dek[IDV_KEY_LEN],
			      struct idv_buf *wrapped);
enum idv_err idv_case_key_open(const struct idv_case_row *row, uint8_t dek[IDV_KEY_LEN]);

/* Seal or open a case blob; label names what it is ("claims", "doc/<id>", "result/<id>"). */
enum idv_err idv_case_seal(const uint8_t dek[IDV_KEY_LEN], const char *reference, const char *label,
			   const void *p, size_t len, struct idv_buf *out);
enum idv_err idv_case_open(const uint8_t dek[IDV_KEY_LEN], const char *reference, const char *label,
			   const void *p, size_t len, struct idv_buf *out);

/* The group of a stored document: its id up to the '.' of the part ("D1a2b.0" -> "D1a2b"). */
void idv_doc_group(const char *doc_id, char group[IDV_DOC_ID_MAX]);

/* Seal or open an uploaded document's content, labelled "doc/<doc_id>" (IDV_E_INVAL when
 * doc_id is too long for a label). */
enum idv_err idv_document_content_seal(const uint8_t dek[IDV_KEY_LEN], const char *reference,
				       const char *doc_id, const void *p, size_t len,
				       struct idv_buf *out);
enum idv_err idv_document_content_open(const uint8_t dek[IDV_KEY_LEN], const char *reference,
				       const char *doc_id, const struct idv_buf *sealed,
				       struct idv_buf *out);

/* Open a document's stored reading result (IDV_E_STATE: stored by another version). */
enum idv_err idv_document_unseal(const uint8_t dek[IDV_KEY_LEN], const char *reference,
				 const char *doc_id, const struct idv_buf *sealed,
				 struct idv_document *doc);
/* Seal a document's reading result for storage (the inverse of idv_document_unseal). */
enum idv_err idv_document_seal(const uint8_t dek[IDV_KEY_LEN], const char *reference,
			       const char *doc_id, const struct idv_document *doc,
			       struct idv_buf *out);

#endif
