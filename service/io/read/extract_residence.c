/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extract_residence.c: passports and ID cards by their MRZ, proofs of residence from page images
 * and PDFs (see extract_residence.h). extract.c decides when to call what.
 *
 * MRZ: mrzread finds and recognises the zone; mrz.c parses, repairs and fills the document; the
 * visual zone above the MRZ is OCRed to compare the names (mrz_matches_visual) and to take the
 * full name where the MRZ truncated it.
 * Proofs of residence: OCR words (or a PDF's text words) -> residence.c -> checks. A PDF with a
 * text layer is never OCRed.
 */
#include <leptonica/allheaders.h>

#include "idverify/limits.h"
#include "idverify/mrz.h"
#include "mrzread.h"
#include "pdf.h"
#include "idverify/residence.h"
#include "idverify/str.h"
#include "extract_residence.h"

#ifndef IDV_MODELS_DIR
#define IDV_MODELS_DIR "models"
#endif

#define XR_PDF_DPI 150.0      /* coordinates of PDF text words */
#define XR_PDF_RENDER_DPI 250 /* rasterising a scanned PDF page for OCR */
#define XR_PDF_MIN_WORDS 8    /* fewer words than this: no usable text layer */
#define XR_PDF_TEXT_PAGES 2   /* pages of a text PDF looked at */

static struct idv_mrzread *xr_mrz;
static char xr_mrz_dir[512];

void
idv_extract_residence_shutdown(void)
{
	idv_mrzread_free(xr_mrz);
	xr_mrz = NULL;
	xr_mrz_dir[0] = '\0';
}

/* One page, one word in Helvetica (not embedded): reading and rasterising it makes poppler and
 * fontconfig load their configuration and fonts. */
static const char xr_warm_pdf[] =
	"%PDF-1.4\n"
	"1 0 obj\n"
	"<< /Type /Catalog /Pages 2 0 R >>\n"
	"endobj\n"
	"2 0 obj\n"
	"<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n"
	"endobj\n"
	"3 0 obj\n"
	"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 144 72] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>\n"
	"endobj\n"
	"4 0 obj\n"
	"<< /Length 34 >>\n"
	"stream\n"
	"BT /F1 12 Tf 10 30 Td (Warm) Tj ET\n"
	"endstream\n"
	"endobj\n"
	"5 0 obj\n"
	"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\n"
	"endobj\n"
	"xref\n"
	"0 6\n"
	"0000000000 65535 f \n"
	"0000000009 00000 n \n"
	"0000000058 00000 n \n"
	"0000000115 00000 n \n"
	"0000000240 00000 n \n"
	"0000000324 00000 n \n"
	"trailer\n"
	"<< /Size 6 /Root 1 0 R >>\n"
	"startxref\n"
	"394\n"
	"%%EOF\n"
	"\n";

static enum idv_err xr_get_mrz(const char *dir, struct idv_mrzread **out);

enum idv_err
idv_extract_residence_prepare(const char *models_dir)
{
	struct idv_mrzread *mr;
	enum idv_err err = xr_get_mrz(models_dir, &mr);
	if (err != IDV_OK)
		return err;
	struct idv_pdf *pdf = NULL;
	char detail[128];
	if (idv_pdf_open((const uint8_t *)xr_warm_pdf, sizeof xr_warm_pdf - 1, 1, &pdf, detail,
			 sizeof detail) == IDV_OK) {
		struct Pix *pix = NULL;
		if (idv_pdf_page_render(pdf, 0, 72.0, 1000000, &pix) == IDV_OK)
			pixDestroy(&pix);
		idv_pdf_close(pdf);
	}
	return IDV_OK;
}

static const char *
xr_models(const struct idv_extract_opts *opts)
{
	return opts->models_dir ? opts->models_dir : IDV_MODELS_DIR;
}

static enum idv_err
xr_get_mrz(const char *dir, struct idv_mrzread **out)
{
	if (xr_mrz != NULL && strcmp(xr_mrz_dir, dir) == 0) {
		*out = xr_mrz;
		return IDV_OK;
	}
	idv_extract_residence_shutdown();
	enum idv_err err = idv_mrzread_new(dir, &xr_mrz);
	if (err != IDV_OK)
		return err;
	idv_strlcpy(xr_mrz_dir, dir, sizeof xr_mrz_dir);
	*out = xr_mrz;
	return IDV_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Visual zone names
 */

/* Upper-case letters only. */
static size_t
xr_alpha(const char *s, char *out, size_t outsz)
{
	size_t n = 0;
	for (; *s && n + 1 < outsz; s++)
		if (idv_isalpha((unsigned char)*s))
			out[n++] = (char)idv_toupper((unsigned char)*s);
	out[n] = '\0';
	return n;
}

/* Edit distance between a and b (short strings), capped at cap + 1. */
static size_t
xr_distance(const char *a, size_t al, const char *b, size_t bl, size_t cap)
{
	size_t prev[IDV_MRZ_NAME_MAX * 2 + 2], cur[IDV_MRZ_NAME_MAX * 2 + 2];
	if (al > IDV_MRZ_NAME_MAX * 2 || bl > IDV_MRZ_NAME_MAX * 2)
		return cap + 1;
	for (size_t j = 0; j <= bl; j++)
		prev[j] = j;
	for (size_t i = 1; i <= al; i++) {
		cur[0] = i;
		size_t rowmin = cur[0];
		for (size_t j = 1; j <= bl; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < rowmin)
				rowmin = cur[j];
		}
		if (rowmin > cap)
			return cap + 1;
		memcpy(prev, cur, (bl + 1) * sizeof(prev[0]));
	}
	return prev[bl];
}

struct xr_vline {
	char text[IDV_FIELD_VALUE_MAX]; /* words joined by spaces, as read */
	char alpha[IDV_FIELD_VALUE_MAX];
};

/*
 * Does a visual line carry the MRZ name mrz (fillers as spaces)? Exact up to a few OCR errors,
 * or, when the MRZ truncated the name, the MRZ name is a prefix of the line.
 */
static bool
xr_name_in(const char *mrz, bool truncated, const struct xr_vline *l)
{
	char m[IDV_MRZ_NAME_MAX * 2];
	size_t ml = xr_alpha(mrz, m, sizeof m);
	if (ml < 2)
		return false;
	size_t cap = ml >= 6 ? ml / 6 : 0;
	/* every run of whole words of the row (noise specks and captions share rows) */
	const char *t = l->text;
	for (const char *st = t; *st;) {
		while (*st == ' ')
			st++;
		if (!*st)
			break;
		char span[IDV_FIELD_VALUE_MAX];
		size_t sl = 0;
		for (const char *q = st; *q && sl + 1 < sizeof span; q++) {
			if (idv_isalpha((unsigned char)*q))
				span[sl++] = (char)idv_toupper((unsigned char)*q);
			if (q[1] != ' ' && q[1] != '\0')
				continue;
			/* a word ends here: compare the span so far */
			span[sl] = '\0';
			if (sl + cap >= ml && sl <= ml + cap &&
			    xr_distance(m, ml, span, sl, cap) <= cap)
				return true;
			if (truncated && sl > ml && xr_distance(m, ml, span, ml, cap) <= cap)
				return true;
			if (sl > ml + cap && !truncated)
				break;
		}
		while (*st && *st != ' ')
			st++;
	}
	return false;
}

static void
xr_visual(struct idv_ocr *ocr, struct Pix *grey, const struct idv_mrzread_result *res,
	  const struct idv_mrz *m, struct idv_document *doc)
{
	struct idv_ocr_result o = {0};
	struct xr_vline *lines = NULL;
	struct idv_res_page *page = NULL;
	PIX *crop = NULL;
	int W = pixGetWidth(grey), H = pixGetHeight(grey);
	struct idv_box band = res->band;
	/* the page above the MRZ: TD3 is 125 x 88 mm, the MRZ band 114 mm wide */
	int ph = (int)((float)band.w * 0.72f);
	struct idv_box reg = {band.x - band.w / 20, band.y - ph, band.w + band.w / 10, ph};
	if (reg.x < 0)
		reg.w += reg.x, reg.x = 0;
	if (reg.y < 0)
		reg.h += reg.y, reg.y = 0;
	if (reg.x + reg.w > W)
		reg.w = W - reg.x;
	if (reg.y + reg.h > H)
		reg.h = H - reg.y;
	/* small print (a low-resolution photo): the zone is cut out and enlarged so that its text
	 * is about as tall as the MRZ characters of a 300 dpi page */
	float zoom = res->char_height > 0 && res->char_height < 24
			     ? 28.0f / (float)res->char_height
			     : 1.0f;
	if (reg.w >= 50 && reg.h >= 50 && zoom > 1.0f) {
		BOX *b = boxCreate(reg.x, reg.y, reg.w, reg.h);
		PIX *cut = b ? pixClipRectangle(grey, b, NULL) : NULL;
		boxDestroy(&b);
		crop = cut ? pixScale(cut, zoom, zoom) : NULL;
		pixDestroy(&cut);
	}
	if (reg.w < 50 || reg.h < 50 ||
	    idv_ocr_run(ocr, crop ? crop : grey, crop ? NULL : &reg, "mrz_visual", &o) != IDV_OK ||
	    o.nwords < 4) {
		idv_document_check(doc, "mrz_matches_visual", IDV_CHECK_NA,
				   "the visual zone could not be read");
		goto out;
	}
	/*
	 * Lines of the visual zone. Sparse-text OCR gives every word its own block, so words are
	 * grouped into rows again by position (the layout code of residence.c, wide gaps allowed:
	 * a label and its value sit on different rows anyway).
	 */
	for (size_t i = 0; i < o.nwords; i++)
		o.words[i].line = -1;
	page = idv_malloc(sizeof *page);
	(void)idv_res_page_from_words(o.words, o.nwords, crop ? pixGetWidth(crop) : W,
				      crop ? pixGetHeight(crop) : H, 4.0f, page);
	size_t nl = page->nlines;
	lines = idv_calloc(nl ? nl : 1, sizeof *lines);
	for (size_t i = 0; i < nl; i++)
		idv_strlcpy(lines[i].text, page->lines[i].text, sizeof lines[i].text);
	for (size_t i = 0; i < nl; i++)
		xr_alpha(lines[i].text, lines[i].alpha, sizeof lines[i].alpha);
	bool fam = m->primary[0] == '\0', giv = m->secondary[0] == '\0';
	size_t giv_line = SIZE_MAX;
	for (size_t i = 0; i < nl; i++) {
		if (!fam && xr_name_in(m->primary, m->name_truncated && m->secondary[0] == '\0',
				       &lines[i]))
			fam = true;
		else if (!giv && xr_name_in(m->secondary, m->name_truncated, &lines[i])) {
			giv = true;
			giv_line = i;
		}
	}
	if (fam && giv) {
		idv_document_check(doc, "mrz_matches_visual", IDV_CHECK_PASS,
				   "names in the MRZ and the visual zone agree%s",
				   m->name_truncated ? " (MRZ name truncated)" : "");
		/* the full given names where the MRZ cut them */
		if (m->name_truncated && giv_line != SIZE_MAX) {
			char full[IDV_FIELD_VALUE_MAX];
			size_t n = 0;
			for (const char *s = lines[giv_line].text; *s && n + 1 < sizeof full; s++) {
				unsigned char c = (unsigned char)*s;
				if (idv_isalpha(c) || c == ' ' || c == '-' || c == '\'')
					full[n++] = (char)idv_toupper(c);
			}
			full[n] = '\0';
			const char *f = full;
			idv_str_trim(&f, &n);
			idv_document_set(doc, IDV_F_GIVEN_NAMES, f, n, IDV_SRC_OCR, 0.8f, NULL);
		}
	} else {
		idv_document_check(doc, "mrz_matches_visual", IDV_CHECK_FAIL,
				   "%s not found in the visual zone",
				   !fam && !giv ? "the names" : !fam ? "the family name"
								   : "the given names");
	}
out:
	pixDestroy(&crop);
	free(page);
	free(lines);
	idv_ocr_result_cleanup(&o);
}

/* ---------------------------------------------------------------------------------------------
 * Passports and ID cards
 */

enum idv_err
idv_extract_mrz(struct Pix *grey, const struct idv_extract_opts *opts,
		idv_extract_get_ocr_fn get_ocr, bool quick, struct idv_document *doc, bool *done)
{
	enum idv_err result = IDV_OK;
	struct idv_mrzread *mr = NULL;
	struct idv_mrzread_result res;
	struct idv_mrz *m = NULL;

	*done = false;
	result = xr_get_mrz(xr_models(opts), &mr);
	if (result != IDV_OK)
		return result;
	result = quick ? idv_mrzread_run_quick(mr, grey, &res) : idv_mrzread_run(mr, grey, &res);
	if (result != IDV_OK || !res.found)
		return result == IDV_E_UNREADABLE ? IDV_OK : result;
	if (res.too_small) {
		/* rows of tiny text: only a caller expecting an ID hears that its MRZ is too small */
		if (opts->hint != IDV_HINT_GOVERNMENT_ID)
			return IDV_OK;
		*done = true;
		doc->status = IDV_DOCSTAT_UNREADABLE;
		doc->err = IDV_E_UNREADABLE;
		idv_strlcpy(doc->error_detail,
			    "the machine-readable zone is too small to read: take the picture closer",
			    sizeof doc->error_detail);
		return IDV_OK;
	}
	char text[IDV_MRZ_MAX_LINES * IDV_MRZ_LINE_MAX];
	size_t n = 0;
	for (size_t i = 0; i < res.nlines; i++) {
		int k = snprintf(text + n, sizeof text - n, "%s%s", i ? "\n" : "", res.lines[i]);
		if (k < 0 || (size_t)k >= sizeof text - n)
			return IDV_OK;
		n += (size_t)k;
	}
	m = idv_malloc(sizeof *m);
	if (idv_mrz_parse(text, n, m) != IDV_OK)
		goto out; /* rows that looked like an MRZ but are not one */
	idv_mrz_repair(m);
	*done = true;
	idv_mrz_to_document(m, opts->today_days, doc);
	/* the names are on the same side as the MRZ on passports and TD2 cards, not on TD1 backs */
	if (m->format == IDV_MRZ_TD3 || m->format == IDV_MRZ_TD2) {
		struct idv_ocr *ocr = NULL;
		if (get_ocr(xr_models(opts), &ocr) == IDV_OK)
			xr_visual(ocr, grey, &res, m, doc);
		else
			idv_document_check(doc, "mrz_matches_visual", IDV_CHECK_NA, "no OCR");
	} else {
		idv_document_check(doc, "mrz_matches_visual", IDV_CHECK_NA,
				   "the names are printed on the other side");
	}
out:
	free(m);
	return result;
}

/* ---------------------------------------------------------------------------------------------
 * Proofs of residence
 */

static enum idv_err
xr_residence_words(const struct idv_ocr_word *w, size_t n, int width, int height,
		   enum idv_source src, const struct idv_extract_opts *opts,
		   struct idv_document *doc, bool *found)
{
	struct idv_res_page *page = idv_malloc(sizeof *page);
	struct idv_residence *r = idv_malloc(sizeof *r);
	(void)idv_res_page_from_words(w, n, width, height, 0, page); /* TOOBIG: still usable */
	enum idv_err e = idv_residence_parse(page, opts->today_days, r);
	*found = e == IDV_OK && (r->has_address || r->nholders > 0);
	if (e == IDV_OK)
		idv_residence_to_document(r, src, doc);
	doc->kind = IDV_DOC_PROOF_OF_RESIDENCE;
	if (doc->residence_kind == IDV_RES_NONE)
		doc->residence_kind = e == IDV_OK ? r->kind : IDV_RES_OTHER;
	doc->page_width = width;
	doc->page_height = height;
	struct idv_residence_policy pol = {opts->residence_max_age_days, opts->residence_kinds};
	idv_residence_checks(doc, opts->today_days, &pol);
	free(r);
	free(page);
	return IDV_OK;
}

enum idv_err
idv_extract_residence_image(struct Pix *grey, const struct idv_extract_opts *opts,
			    idv_extract_get_ocr_fn get_ocr, struct idv_document *doc)
{
	struct idv_ocr *ocr = NULL;
	struct idv_ocr_result o = {0};
	PIX *scaled = NULL;
	bool found;
	enum idv_err e = get_ocr(xr_models(opts), &ocr);
	if (e != IDV_OK)
		return e;
	/* a letter page wants ~200 dpi for OCR: a page photographed small is enlarged */
	int w = pixGetWidth(grey);
	float f = w < 1400 ? 1700.0f / (float)w : w > 2600 ? 2200.0f / (float)w : 1.0f;
	scaled = f == 1.0f ? pixClone(grey) : pixScale(grey, f, f);
	if (scaled == NULL)
		return IDV_E_NOMEM;
	e = idv_ocr_run(ocr, scaled, NULL, "residence", &o);
	if (e == IDV_OK)
		e = xr_residence_words(o.words, o.nwords, pixGetWidth(scaled),
				       pixGetHeight(scaled), IDV_SRC_OCR, opts, doc, &found);
	idv_ocr_result_cleanup(&o);
	pixDestroy(&scaled);
	return e;
}

bool
idv_extract_looks_like_page(struct Pix *grey)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	return w >= 600 && (float)h >= 1.15f * (float)w;
}

enum idv_err
idv_extract_pdf(const uint8_t *p, size_t len, const struct idv_extract_opts *opts,
		idv_extract_grey_fn grey_fn, struct idv_document *doc)
{
	enum idv_err result = IDV_OK;
	struct idv_pdf *pdf = NULL;
	struct idv_ocr_word *words = NULL;
	PIX *page = NULL;
	char detail[128] = "";

	enum idv_err e = idv_pdf_open(p, len, IDV_LIMIT_PDF_PAGES, &pdf, detail, sizeof detail);
	if (e != IDV_OK) {
		doc->status = e == IDV_E_TOOBIG ? IDV_DOCSTAT_REJECTED : IDV_DOCSTAT_UNREADABLE;
		doc->err = e;
		idv_strlcpy(doc->error_detail, detail, sizeof doc->error_detail);
		return e == IDV_E_NOMEM ? e : IDV_OK;
	}
	int pages = idv_pdf_pages(pdf);
	/* 1. The text layer: read, never OCRed. */
	for (int i = 0; i < pages && i < XR_PDF_TEXT_PAGES; i++) {
		size_t n = 0;
		int w = 0, h = 0;
		free(words);
		words = NULL;
		e = idv_pdf_page_words(pdf, i, XR_PDF_DPI, 0, &words, &n, &w, &h);
		if (e == IDV_E_NOMEM) {
			result = e;
			goto out;
		}
		if (e != IDV_OK || n < XR_PDF_MIN_WORDS)
			continue;
		bool found = false;
		struct idv_document *d = idv_malloc(sizeof *d);
		idv_document_init(d);
		xr_residence_words(words, n, w, h, IDV_SRC_PDF_TEXT, opts, d, &found);
		if (found || i == 0)
			*doc = *d;
		free(d);
		if (found)
			goto out;
	}
	if (doc->kind == IDV_DOC_PROOF_OF_RESIDENCE)
		goto out; /* a text PDF without what we look for: not OCRed either */
	/* 2. No text layer: a scan in a PDF. The first page goes through the image readers. */
	e = idv_pdf_page_render(pdf, 0, XR_PDF_RENDER_DPI, opts->max_pixels, &page);
	if (e != IDV_OK) {
		doc->status = IDV_DOCSTAT_UNREADABLE;
		doc->err = e;
		idv_strlcpy(doc->error_detail, "the PDF page could not be rasterised",
			    sizeof doc->error_detail);
		result = e == IDV_E_NOMEM ? e : IDV_OK;
		goto out;
	}
	doc->page_width = pixGetWidth(page);
	doc->page_height = pixGetHeight(page);
	result = grey_fn(page, opts, doc);
out:
	pixDestroy(&page);
	free(words);
	idv_pdf_close(pdf);
	return result;
}
