/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extract_residence.h (internal to service/io): the passport / ID card (MRZ) and proof-of-residence
 * readers that extract.c dispatches to. Kept apart from extract.c so the two can evolve apart.
 */
#ifndef IDVERIFY_EXTRACT_RESIDENCE_H
#define IDVERIFY_EXTRACT_RESIDENCE_H

#include "extract.h"
#include "ocr.h"

struct Pix;

/* How extract.c hands out its one OCR instance. */
typedef enum idv_err (*idv_extract_get_ocr_fn)(const char *models_dir, struct idv_ocr **out);
/* How a rasterised PDF page goes back through the image dispatch. */
typedef enum idv_err (*idv_extract_grey_fn)(struct Pix *grey, const struct idv_extract_opts *opts,
					    struct idv_document *doc);

/*
 * Passports and ID cards: find and read the MRZ of grey. *done is set when an MRZ was found (doc
 * is then a passport or ID card, with mrz_check_digits, expired and, when the visual zone was
 * read, mrz_matches_visual); otherwise doc is untouched. quick: at the page's own skew only
 * (idv_mrzread_run_quick).
 */
enum idv_err idv_extract_mrz(struct Pix *grey, const struct idv_extract_opts *opts,
			     idv_extract_get_ocr_fn get_ocr, bool quick, struct idv_document *doc,
			     bool *done);

/* A proof of residence from a page image: OCR, layout, checks. */
enum idv_err idv_extract_residence_image(struct Pix *grey, const struct idv_extract_opts *opts,
					 idv_extract_get_ocr_fn get_ocr, struct idv_document *doc);

/*
 * A PDF: the text layer of its first pages when there is one (never OCRed), else each page
 * rasterised and sent through grey_fn. Encrypted, broken or too long PDFs are refused in doc.
 */
enum idv_err idv_extract_pdf(const uint8_t *p, size_t len, const struct idv_extract_opts *opts,
			     idv_extract_grey_fn grey_fn, struct idv_document *doc);

/* True when grey looks like a letter page rather than a card (portrait, large). */
bool idv_extract_looks_like_page(struct Pix *grey);

/* Loads the MRZ templates and warms the PDF library (fonts), so that reading opens no file
 * afterwards (idv_extract_prepare calls it, for sandboxed workers). */
enum idv_err idv_extract_residence_prepare(const char *models_dir);

/* Frees the MRZ templates (idv_extract_shutdown calls it). */
void idv_extract_residence_shutdown(void);

#endif
