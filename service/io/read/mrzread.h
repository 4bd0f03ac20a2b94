/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrzread.h: find and recognise the machine-readable zone of a passport data page, an ID card
 * back or an open booklet in a leptonica image (scan or phone photo).
 *
 * Pipeline: grey -> several binarisations -> deskew -> character components -> rows of uniform
 * pitch -> the 2 or 3 rows of an MRZ (TD1 3x30, TD2 2x36, TD3 2x44) -> each character cell
 * resampled to a fixed size (the "fixed character height") -> matched against OCR-B templates
 * (models/mrz/ocrb.tmpl, trained by tests/accuracy/mrz_train.c from generated OCR-B pages) with
 * the character class each MRZ position allows -> the check digits choose between readings and
 * between a cell's best and second-best characters. The text that comes out still goes through
 * idv_mrz_parse and idv_mrz_repair.
 *
 * Thread safety: an idv_mrzread is read-only after idv_mrzread_new and may be shared.
 */
#ifndef IDVERIFY_MRZREAD_H
#define IDVERIFY_MRZREAD_H

#include "idverify/document.h"
#include "idverify/mrzcell.h"

struct Pix;
struct idv_mrzread;

#define IDV_MRZREAD_TMPL_W IDV_MRZCELL_W
#define IDV_MRZREAD_TMPL_H IDV_MRZCELL_H

struct idv_mrzread_result {
	bool found;     /* an MRZ band was located */
	bool too_small; /* found, but its characters are too small to read: no lines */
	char format[8]; /* "TD1", "TD2", "TD3" */
	size_t nlines;
	char lines[IDV_MRZ_MAX_LINES][IDV_MRZ_LINE_MAX];
	int checks_passed, checks_total; /* check digits of the chosen reading */
	float confidence;                /* mean template correlation, 0..1 */
	struct idv_box band;             /* in the input image's coordinates (before deskew) */
	float skew_deg;                  /* rotation that was corrected */
	int char_height;                 /* cap height in pixels of the input image */
	int variant; /* which binarisation/scale won (for the accuracy report) */
};

/* Load the templates from models_dir/mrz/ocrb.tmpl (models_dir NULL = "models").
 * IDV_E_NOTFOUND when the file is missing, IDV_E_PARSE when it is malformed. */
enum idv_err idv_mrzread_new(const char *models_dir, struct idv_mrzread **out);
void idv_mrzread_free(struct idv_mrzread *r);

/* Find and read the MRZ. IDV_OK with out->found false when there is none. The image is not
 * modified; any depth leptonica converts to grey (1, 8, 32 bpp). */
enum idv_err idv_mrzread_run(const struct idv_mrzread *r, struct Pix *pix,
			     struct idv_mrzread_result *out);
/* The same at the page's own skew only, without the search at a few degrees either way that
 * a zone bent by perspective needs, and without the other binarisations when the first shows
 * no zone at all (a fraction of the cost where there is no MRZ, as on a licence). */
enum idv_err idv_mrzread_run_quick(const struct idv_mrzread *r, struct Pix *pix,
				   struct idv_mrzread_result *out);

/* The working state of one location: the grey working image (deskewed, scaled; im.p owned),
 * its candidate lines (geom.comps owned) and the zone. */
struct idv_mrzread_located {
	struct idv_mrzcell_img im;
	struct idv_mrzcell_geom geom;
	struct idv_mrzcell_zone zone;
	float scale; /* working / input */
	float angle; /* degrees, as corrected */
	int inw, inh;
};

/* Locate the MRZ of pix as idv_mrzread_run first tries (the page's own skew, the first
 * binarisation), for template training (tests/accuracy/mrz_train.c). IDV_E_NOTFOUND when no
 * zone shows; on IDV_OK *out is the caller's, freed with idv_mrzread_located_free. */
enum idv_err idv_mrzread_locate(struct Pix *pix, struct idv_mrzread_located **out);
void idv_mrzread_located_free(struct idv_mrzread_located *w); /* NULL: no-op */

#endif
