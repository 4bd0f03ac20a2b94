/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pdf.h: what idverify needs from a PDF (poppler-cpp, one small C++ file service/io/read/pdf.cc):
 * the page count, the words of a page's text layer with boxes, and a page rasterised to grey.
 *
 * The bytes are untrusted. Encrypted or password-protected files are refused (IDV_E_UNSUPPORTED),
 * broken ones give IDV_E_PARSE, more than max_pages pages IDV_E_TOOBIG; detail gets a sentence
 * without personal data. In serve, PDFs are parsed in the sandboxed worker processes like
 * every other decoder (workerproc.h).
 *
 * Why poppler-cpp (Debian 12: libpoppler-cpp-dev 22.12): it gives words with boxes
 * (page::text_list) and grey rendering (page_renderer, format_gray8) without pulling glib and
 * cairo (poppler-glib needs both for rendering); libmupdf-dev is faster but Debian ships it as a
 * static library without a pkg-config file, so meson's dependency() cannot find it and its
 * third-party libraries must be listed by hand. One C++ file, exceptions caught inside it.
 */
#ifndef IDVERIFY_PDF_H
#define IDVERIFY_PDF_H

#include "ocr.h"

struct Pix;
struct idv_pdf;

/* The bytes are copied. max_pages 0 = IDV_LIMIT_PDF_PAGES. */
enum idv_err idv_pdf_open(const uint8_t *p, size_t len, unsigned max_pages, struct idv_pdf **out,
			  char *detail, size_t detailsz);
void idv_pdf_close(struct idv_pdf *pdf);
int idv_pdf_pages(const struct idv_pdf *pdf);

/*
 * The text layer of page index (0-based) as words (line = -1, block = 0, confidence 1), boxes in
 * pixels of the page at dpi; *width and *height give that page size. *words is allocated (free
 * it); *n == 0 when the page has no text layer. At most max_words words (0 = 4096).
 */
enum idv_err idv_pdf_page_words(struct idv_pdf *pdf, int index, double dpi, size_t max_words,
				struct idv_ocr_word **words, size_t *n, int *width, int *height);

/* Rasterise page index to an 8-bit grey leptonica image at dpi, lowered so that the page stays
 * under max_pixels (0 = IDV_LIMIT_PIXELS). */
enum idv_err idv_pdf_page_render(struct idv_pdf *pdf, int index, double dpi, uint64_t max_pixels,
				 struct Pix **out);

#endif
