/* SPDX-License-Identifier: Apache-2.0 */
/*
 * words.h: words recognised on an image, with their boxes and confidences, as the page-layout
 * parsers of the core (residence.h) read them. The OCR engine (service/io/read/ocr.h) produces
 * them; the core never calls it.
 */
#ifndef IDVERIFY_WORDS_H
#define IDVERIFY_WORDS_H

#include "idverify/document.h"

struct idv_ocr_word {
	char text[64];
	struct idv_box box;
	float confidence; /* 0..1 */
	int block, line;  /* the engine's block and line numbers, for layout */
};

#endif
