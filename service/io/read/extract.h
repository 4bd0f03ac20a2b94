/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extract.h: read one uploaded document (image or PDF bytes) into a struct idv_document.
 * This is the single entry point used by `idverify check`, `idverify verify`, the workers of
 * `serve`, tests and benchmarks, so they all see exactly what production sees.
 *
 * The bytes are untrusted: the format is sniffed from magic bytes (never a file name or a
 * client's Content-Type), pixel dimensions are checked from the header before any decoding,
 * and every failure becomes doc->status REJECTED or UNREADABLE with doc->err and a detail.
 * The return value is IDV_OK whenever the document was processed, whatever it held; an error
 * return means the extractor itself could not run (no memory, OCR data missing).
 */
#ifndef IDVERIFY_EXTRACT_H
#define IDVERIFY_EXTRACT_H

#include "idverify/document.h"

/* What kind of document the caller expects (a hint; the reader still classifies). */
enum idv_extract_hint {
	IDV_HINT_ANY = 0,
	IDV_HINT_GOVERNMENT_ID,
	IDV_HINT_PROOF_OF_RESIDENCE,
};

struct idv_extract_opts {
	int64_t today_days;      /* idv_date_to_days() of today, for expiry and recency checks */
	const char *models_dir;  /* models/ (OCR configuration, word lists); NULL = default */
	enum idv_extract_hint hint;
	size_t max_bytes;        /* 0 = IDV_LIMIT_UPLOAD_BYTES */
	uint64_t max_pixels;     /* 0 = IDV_LIMIT_PIXELS */
	/* Proofs of residence: statement_recent's limit in days
	 * (0 = 90) and the accepted kinds, bits 1u << enum idv_residence_kind (0 = utility bill,
	 * mobile phone bill, lease, insurance, property tax). */
	int residence_max_age_days;
	uint32_t residence_kinds;
};

enum idv_err idv_extract_bytes(const uint8_t *p, size_t len, const struct idv_extract_opts *opts,
			       struct idv_document *doc);

/* Reads the file (up to the byte cap, refusing larger ones) and calls idv_extract_bytes. */
enum idv_err idv_extract_file(const char *path, const struct idv_extract_opts *opts,
			      struct idv_document *doc);

/*
 * One document uploaded as two files, e.g. a licence's front and
 * back: fields combined with the barcode's values winning, the printed values compared with the
 * barcode's (check barcode_matches_printed), expiry checked against today_days.
 */
void idv_extract_merge(const struct idv_document *front, const struct idv_document *back,
		       int64_t today_days, struct idv_document *out);

/*
 * Load now everything reading documents needs from files (the OCR engine and its data, the OCR
 * profiles of models/ocr, the image library's settings), so that idv_extract_bytes opens no
 * file afterwards: a sandboxed worker calls this before it gives up open(). models_dir NULL:
 * the default.
 */
enum idv_err idv_extract_prepare(const char *models_dir);

/* Free the per-process OCR instance (at exit, or to reload models). */
void idv_extract_shutdown(void);

#endif
