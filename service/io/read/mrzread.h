/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrzread.h: find and recognise the machine-readable zone of a passport data page, an ID card
 * back or an open booklet in a leptonica image (scan or phone photo).
 *
 * Pipeline: grey -> several binarisations -> deskew -> character components -> rows of uniform
 * pitch -> the 2 or 3 rows of an MRZ (TD1 3x30, TD2 2x36, TD3 2x44) -> each character cell
 * resampled to a fixed size (the "fixed character height") -> matched against OCR-B templates
 * (models/mrz/ocrb.tmpl, trained by tests/accuracy/mrz_train from generated OCR-B pages) with
 * the character class each MRZ position allows -> the check digits choose between readings and
 * between a cell's best and second-best characters. The text that comes out still goes through
 * idv_mrz_parse and idv_mrz_repair.
 *
 * Thread safety: an idv_mrzread is read-only after idv_mrzread_new and may be shared.
 */
#ifndef IDVERIFY_MRZREAD_H
#define IDVERIFY_MRZREAD_H

#include "idverify/document.h"

struct Pix;
struct idv_mrzread;

#define IDV_MRZREAD_TMPL_W 20
#define IDV_MRZREAD_TMPL_H 28

struct idv_mrzread_result {
	bool found;                  /* an MRZ band was located */
	bool too_small;              /* found, but its characters are too small to read: no lines */
	char format[8];              /* "TD1", "TD2", "TD3" */
	size_t nlines;
	char lines[IDV_MRZ_MAX_LINES][IDV_MRZ_LINE_MAX];
	int checks_passed, checks_total; /* check digits of the chosen reading */
	float confidence;            /* mean template correlation, 0..1 */
	struct idv_box band;         /* in the input image's coordinates (before deskew) */
	float skew_deg;              /* rotation that was corrected */
	int char_height;             /* cap height in pixels of the input image */
	int variant;                 /* which binarisation/scale won (for the accuracy report) */
};

/* Load the templates from models_dir/mrz/ocrb.tmpl (models_dir NULL = "models").
 * IDV_E_NOTFOUND when the file is missing, IDV_E_PARSE when it is malformed. */
enum idv_err idv_mrzread_new(const char *models_dir, struct idv_mrzread **out);
void idv_mrzread_free(struct idv_mrzread *r);

/* Find and read the MRZ. IDV_OK with out->found false when there is none. The image is not
 * modified; any depth leptonica converts to grey (1, 8, 32 bpp). */
enum idv_err idv_mrzread_run(const struct idv_mrzread *r, struct Pix *pix,
			     struct idv_mrzread_result *out);

/* Training (tests/accuracy/mrz_train): locate the MRZ of pix and, when its lines have the
 * lengths of truth (LF-separated), add each cell's samples to acc. */
struct idv_mrzread_train;
enum idv_err idv_mrzread_train_new(struct idv_mrzread_train **out);
void idv_mrzread_train_free(struct idv_mrzread_train *t);
enum idv_err idv_mrzread_train_add(struct idv_mrzread_train *t, struct Pix *pix, const char *truth);
/* Write the averaged templates (one per character and sharpness class) to path. */
enum idv_err idv_mrzread_train_write(const struct idv_mrzread_train *t, const char *path);

#endif
