/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocr.h: one reusable tesseract instance per process (initialised once, single-threaded:
 * OMP_THREAD_LIMIT=1), recognising a leptonica image or a region of it, returning words with
 * boxes and confidences. OCR settings (page segmentation, character lists, word lists) come from
 * files in models/ocr/, not from code.
 */
#ifndef IDVERIFY_OCR_H
#define IDVERIFY_OCR_H

#include "idverify/document.h"
#include "idverify/words.h"

struct Pix;
struct idv_ocr;

struct idv_ocr_result {
	struct idv_ocr_word *words; /* owned; idv_ocr_result_cleanup frees */
	size_t nwords;
	char *text; /* owned: the full text, lines separated by LF */
};

/* profile names a file models/ocr/<profile>.conf (tesseract variables, psm, whitelist). */
enum idv_err idv_ocr_new(const char *models_dir, struct idv_ocr **out);
void idv_ocr_free(struct idv_ocr *ocr);
/* Read every profile of models/ocr now, so that recognising later opens no file (a sandboxed
 * worker cannot). */
enum idv_err idv_ocr_preload(struct idv_ocr *ocr);
enum idv_err idv_ocr_run(struct idv_ocr *ocr, struct Pix *pix, const struct idv_box *region,
			 const char *profile, struct idv_ocr_result *out);
void idv_ocr_result_cleanup(struct idv_ocr_result *r);

/*
 * tesseract's orientation detection (osd.traineddata, loaded by idv_ocr_preload or on first
 * use): *turns gets the quarter turns clockwise that make pix upright (0-3), *conf tesseract's
 * orientation confidence (above 2 is a clear answer on a page of text). IDV_E_UNSUPPORTED when
 * OSD data is not installed, IDV_E_PARSE when the image holds too little text.
 */
enum idv_err idv_ocr_orientation(struct idv_ocr *ocr, struct Pix *pix, int *turns, float *conf);

/*
 * libgomp reads OMP_THREAD_LIMIT when the library is loaded, before any code of ours runs, so
 * a setenv() before TessBaseAPICreate() comes too late. Call this first thing in main(): when
 * OMP_THREAD_LIMIT is not "1" it sets it and re-executes /proc/self/exe with the same argv
 * (returns only when it is already set or the exec failed).
 */
void idv_ocr_single_thread_exec(char **argv);

#endif
