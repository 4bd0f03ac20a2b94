// SPDX-License-Identifier: Apache-2.0
// pdf.cc: the PDF reader behind pdf.h, on poppler-cpp (Debian 12: libpoppler-cpp-dev 22.12).
// C++ only because poppler's C++ binding is the small one (no glib, no cairo); every exception
// and every poppler diagnostic stays inside this file.
#include <leptonica/allheaders.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

// common.h declares idv_assert_fail with C11's _Noreturn, which C++ spells [[noreturn]]
#define _Noreturn [[noreturn]]
extern "C" {
#include "idverify/limits.h"
#include "pdf.h"
}
#undef _Noreturn

struct idv_pdf {
	std::unique_ptr<poppler::document> doc;
	int pages;
};

static void
pdf_quiet(const std::string &, void *)
{
	// poppler's diagnostics would name objects of an untrusted file; they are not logged
}

static void
pdf_detail(char *detail, size_t sz, const char *msg)
{
	if (detail != nullptr && sz > 0)
		idv_strlcpy(detail, msg, sz);
}

extern "C" enum idv_err
idv_pdf_open(const uint8_t *p, size_t len, unsigned max_pages, struct idv_pdf **out, char *detail,
	     size_t detailsz)
{
	*out = nullptr;
	if (max_pages == 0)
		max_pages = IDV_LIMIT_PDF_PAGES;
	if (len < 8 || len > IDV_LIMIT_UPLOAD_BYTES) {
		pdf_detail(detail, detailsz, "PDF too small or too large");
		return len < 8 ? IDV_E_PARSE : IDV_E_TOOBIG;
	}
	try {
		poppler::set_debug_error_function(pdf_quiet, nullptr);
		poppler::byte_array data(reinterpret_cast<const char *>(p),
					 reinterpret_cast<const char *>(p) + len);
		std::unique_ptr<poppler::document> doc(poppler::document::load_from_data(&data));
		if (!doc) {
			pdf_detail(detail, detailsz, "the PDF is damaged or not a PDF");
			return IDV_E_PARSE;
		}
		if (doc->is_locked() || doc->is_encrypted()) {
			pdf_detail(detail, detailsz, "the PDF is encrypted or password-protected");
			return IDV_E_UNSUPPORTED;
		}
		int n = doc->pages();
		if (n <= 0) {
			pdf_detail(detail, detailsz, "the PDF has no pages");
			return IDV_E_PARSE;
		}
		if ((unsigned)n > max_pages) {
			pdf_detail(detail, detailsz, "the PDF has too many pages");
			return IDV_E_TOOBIG;
		}
		auto *pdf = new idv_pdf;
		pdf->doc = std::move(doc);
		pdf->pages = n;
		*out = pdf;
		return IDV_OK;
	} catch (const std::bad_alloc &) {
		return IDV_E_NOMEM;
	} catch (...) {
		pdf_detail(detail, detailsz, "the PDF could not be read");
		return IDV_E_PARSE;
	}
}

extern "C" void
idv_pdf_close(struct idv_pdf *pdf)
{
	delete pdf;
}

extern "C" int
idv_pdf_pages(const struct idv_pdf *pdf)
{
	return pdf ? pdf->pages : 0;
}

extern "C" enum idv_err
idv_pdf_page_words(struct idv_pdf *pdf, int index, double dpi, size_t max_words,
		   struct idv_ocr_word **words, size_t *n, int *width, int *height)
{
	*words = nullptr;
	*n = 0;
	if (pdf == nullptr || index < 0 || index >= pdf->pages || !(dpi > 0 && dpi <= 1200))
		return IDV_E_INVAL;
	if (max_words == 0)
		max_words = 4096;
	try {
		std::unique_ptr<poppler::page> pg(pdf->doc->create_page(index));
		if (!pg)
			return IDV_E_PARSE;
		poppler::rectf r = pg->page_rect(poppler::media_box);
		double s = dpi / 72.0;
		*width = (int)std::lround(r.width() * s);
		*height = (int)std::lround(r.height() * s);
		std::vector<poppler::text_box> boxes = pg->text_list();
		size_t count = boxes.size() < max_words ? boxes.size() : max_words;
		if (count == 0)
			return IDV_OK;
		auto *w = static_cast<struct idv_ocr_word *>(idv_calloc(count, sizeof(struct idv_ocr_word)));
		size_t k = 0;
		for (size_t i = 0; i < count; i++) {
			poppler::byte_array u = boxes[i].text().to_utf8();
			std::string t(u.begin(), u.end());
			size_t tl = t.size() < sizeof(w[k].text) - 1 ? t.size() : sizeof(w[k].text) - 1;
			// do not cut a UTF-8 sequence in half
			while (tl > 0 && tl < t.size() && ((unsigned char)t[tl] & 0xC0) == 0x80)
				tl--;
			if (tl == 0)
				continue;
			std::memcpy(w[k].text, t.data(), tl);
			w[k].text[tl] = '\0';
			poppler::rectf b = boxes[i].bbox();
			w[k].box.x = (int)std::lround((b.x() - r.x()) * s);
			w[k].box.y = (int)std::lround((b.y() - r.y()) * s);
			w[k].box.w = (int)std::lround(b.width() * s);
			w[k].box.h = (int)std::lround(b.height() * s);
			w[k].confidence = 1.0f;
			w[k].block = 0;
			w[k].line = -1;
			k++;
		}
		*words = w;
		*n = k;
		return IDV_OK;
	} catch (const std::bad_alloc &) {
		return IDV_E_NOMEM;
	} catch (...) {
		return IDV_E_PARSE;
	}
}

extern "C" enum idv_err
idv_pdf_page_render(struct idv_pdf *pdf, int index, double dpi, uint64_t max_pixels,
		    struct Pix **out)
{
	*out = nullptr;
	if (pdf == nullptr || index < 0 || index >= pdf->pages || !(dpi > 0 && dpi <= 1200))
		return IDV_E_INVAL;
	if (max_pixels == 0)
		max_pixels = IDV_LIMIT_PIXELS;
	try {
		std::unique_ptr<poppler::page> pg(pdf->doc->create_page(index));
		if (!pg)
			return IDV_E_PARSE;
		poppler::rectf r = pg->page_rect(poppler::media_box);
		double pw = r.width() / 72.0, ph = r.height() / 72.0;
		if (!(pw > 0 && ph > 0) || pw > 200 || ph > 200)
			return IDV_E_TOOBIG; // pages over 5 m: not a document
		double px = pw * dpi * ph * dpi;
		if (px > (double)max_pixels)
			dpi = std::sqrt((double)max_pixels / (pw * ph));
		if (pw * dpi > IDV_LIMIT_DIMENSION || ph * dpi > IDV_LIMIT_DIMENSION)
			dpi = IDV_LIMIT_DIMENSION / (pw > ph ? pw : ph);
		poppler::page_renderer rr;
		rr.set_render_hint(poppler::page_renderer::antialiasing, true);
		rr.set_render_hint(poppler::page_renderer::text_antialiasing, true);
		rr.set_image_format(poppler::image::format_gray8);
		poppler::image img = rr.render_page(pg.get(), dpi, dpi);
		if (!img.is_valid() || img.width() <= 0 || img.height() <= 0)
			return IDV_E_UNREADABLE;
		PIX *pix = pixCreate(img.width(), img.height(), 8);
		if (pix == nullptr)
			return IDV_E_NOMEM;
		l_uint32 *data = pixGetData(pix);
		int wpl = pixGetWpl(pix);
		const char *src = img.const_data();
		for (int y = 0; y < img.height(); y++) {
			const unsigned char *row =
				reinterpret_cast<const unsigned char *>(src) + (size_t)y * (size_t)img.bytes_per_row();
			l_uint32 *line = data + (size_t)y * (size_t)wpl;
			for (int x = 0; x < img.width(); x++)
				SET_DATA_BYTE(line, x, row[x]);
		}
		pixSetResolution(pix, (l_int32)dpi, (l_int32)dpi);
		*out = pix;
		return IDV_OK;
	} catch (const std::bad_alloc &) {
		return IDV_E_NOMEM;
	} catch (...) {
		return IDV_E_UNREADABLE;
	}
}
