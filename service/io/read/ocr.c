/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocr.c: one tesseract instance per process, reused (ocr.h).
 *
 * tesseract with OpenMP on two cores is 5-10x slower than single-threaded (DESIGN.md 9).
 * libgomp reads OMP_THREAD_LIMIT when it is loaded, so setting it here is a second line of
 * defence only: idv_ocr_single_thread_exec() re-executes the process with the variable set
 * before anything else runs (main.c calls it).
 *
 * Profiles: models/ocr/<profile>.conf, one setting per line, '#' comments:
 *   psm N            page segmentation mode
 *   dpi N            source resolution handed to tesseract
 *   NAME VALUE       any tesseract variable (tessedit_char_whitelist, load_system_dawg, ...)
 * Variables a profile sets are put back to their defaults before another profile is applied.
 */
#include <dirent.h>
#include <tesseract/capi.h>
#include <leptonica/allheaders.h>
#include <unistd.h>

#include "idverify/buf.h"
#include "ocr.h"
#include "idverify/str.h"
#include "stagetime.h"

#define OCR_MAX_PROFILES 12
#define OCR_MAX_VARS 24
#define OCR_NAME_MAX 64
#define OCR_VALUE_MAX 256
#define OCR_MAX_WORDS 4096

struct ocr_var {
	char name[OCR_NAME_MAX];
	char value[OCR_VALUE_MAX];
};

struct ocr_profile {
	char name[OCR_NAME_MAX];
	int psm; /* -1: leave */
	int dpi; /* 0: leave */
	struct ocr_var vars[OCR_MAX_VARS];
	size_t nvars;
};

struct idv_ocr {
	TessBaseAPI *api;
	TessBaseAPI *osd; /* orientation and script detection (osd.traineddata), or NULL */
	bool osd_tried;
	char models_dir[512];
	struct ocr_profile profiles[OCR_MAX_PROFILES];
	size_t nprofiles;
	const struct ocr_profile *active;
	struct ocr_var defaults[OCR_MAX_PROFILES * OCR_MAX_VARS]; /* first-seen default values */
	size_t ndefaults;
};

void
idv_ocr_single_thread_exec(char **argv)
{
	const char *v = getenv("OMP_THREAD_LIMIT");
	if (v != NULL && strcmp(v, "1") == 0)
		return;
	if (setenv("OMP_THREAD_LIMIT", "1", 1) != 0)
		return;
	execv("/proc/self/exe", argv);
	/* Could not re-execute: carry on; tesseract will just be slower. */
}

enum idv_err
idv_ocr_new(const char *models_dir, struct idv_ocr **out)
{
	*out = NULL;
	if (setenv("OMP_THREAD_LIMIT", "1", 1) != 0)
		return IDV_E_IO;
	struct idv_ocr *ocr = idv_calloc(1, sizeof *ocr);
	if (!idv_strlcpy(ocr->models_dir, models_dir != NULL ? models_dir : "models",
			 sizeof ocr->models_dir)) {
		free(ocr);
		return IDV_E_INVAL;
	}
	idv_stagetime_begin("ocr_init");
	ocr->api = TessBaseAPICreate();
	/* Quiet tesseract's own diagnostics; nothing it would print is needed. */
	bool inited = TessBaseAPIInit3(ocr->api, NULL, "eng") == 0;
	idv_stagetime_end();
	if (!inited) {
		TessBaseAPIDelete(ocr->api);
		free(ocr);
		return IDV_E_IO;
	}
	TessBaseAPISetVariable(ocr->api, "debug_file", "/dev/null");
	*out = ocr;
	return IDV_OK;
}

void
idv_ocr_free(struct idv_ocr *ocr)
{
	if (ocr == NULL)
		return;
	TessBaseAPIEnd(ocr->api);
	TessBaseAPIDelete(ocr->api);
	if (ocr->osd != NULL) {
		TessBaseAPIEnd(ocr->osd);
		TessBaseAPIDelete(ocr->osd);
	}
	free(ocr);
}

/* The OSD instance, loaded once (before the sandbox: idv_ocr_preload); NULL when
 * osd.traineddata is not installed (tesseract-ocr-osd), which only costs the fallback. */
static TessBaseAPI *
ocr_osd(struct idv_ocr *ocr)
{
	if (ocr->osd_tried)
		return ocr->osd;
	ocr->osd_tried = true;
	idv_stagetime_begin("ocr_init");
	TessBaseAPI *api = TessBaseAPICreate();
	bool inited = TessBaseAPIInit3(api, NULL, "osd") == 0;
	idv_stagetime_end();
	if (!inited) {
		TessBaseAPIDelete(api);
		return NULL;
	}
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	TessBaseAPISetPageSegMode(api, PSM_OSD_ONLY);
	ocr->osd = api;
	return api;
}

enum idv_err
idv_ocr_orientation(struct idv_ocr *ocr, struct Pix *pix, int *turns, float *conf)
{
	TessBaseAPI *api = ocr_osd(ocr);
	int deg = 0;
	float oc = 0.0f, sc = 0.0f;
	const char *script = NULL;
	*turns = -1;
	*conf = 0.0f;
	if (api == NULL)
		return IDV_E_UNSUPPORTED;
	idv_stagetime_begin("ocr_osd");
	TessBaseAPISetImage2(api, pix);
	bool ok = TessBaseAPIDetectOrientationScript(api, &deg, &oc, &script, &sc);
	TessBaseAPIClear(api);
	idv_stagetime_end();
	if (!ok)
		return IDV_E_PARSE;
	/* deg is the page's orientation counter-clockwise; turning it back is that many degrees
	 * clockwise the other way round (tesseract's "Rotate: 360 - deg") */
	*turns = ((360 - deg) % 360) / 90;
	*conf = oc;
	return IDV_OK;
}

static bool
ocr_name_ok(const char *s)
{
	if (*s == '\0' || strlen(s) >= OCR_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!idv_isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static enum idv_err
ocr_load_profile(struct idv_ocr *ocr, const char *name, const struct ocr_profile **out)
{
	for (size_t i = 0; i < ocr->nprofiles; i++)
		if (strcmp(ocr->profiles[i].name, name) == 0) {
			*out = &ocr->profiles[i];
			return IDV_OK;
		}
	if (!ocr_name_ok(name) || ocr->nprofiles >= OCR_MAX_PROFILES)
		return IDV_E_INVAL;
	char path[768];
	int n = snprintf(path, sizeof path, "%s/ocr/%s.conf", ocr->models_dir, name);
	if (n < 0 || (size_t)n >= sizeof path)
		return IDV_E_INVAL;
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return IDV_E_NOTFOUND;
	struct ocr_profile *p = &ocr->profiles[ocr->nprofiles];
	memset(p, 0, sizeof *p);
	idv_strlcpy(p->name, name, sizeof p->name);
	p->psm = -1;
	enum idv_err result = IDV_OK;
	char line[512];
	while (fgets(line, sizeof line, f) != NULL) {
		const char *s = line;
		size_t len = strcspn(line, "#\r\n");
		idv_str_trim(&s, &len);
		if (len == 0)
			continue;
		size_t klen = 0;
		while (klen < len && !idv_isspace((unsigned char)s[klen]))
			klen++;
		const char *v = s + klen;
		size_t vlen = len - klen;
		idv_str_trim(&v, &vlen);
		uint64_t num;
		if (idv_str_ieq(s, klen, "psm")) {
			if (idv_parse_u64(v, vlen, 13, &num) != IDV_OK) {
				result = IDV_E_PARSE;
				break;
			}
			p->psm = (int)num;
		} else if (idv_str_ieq(s, klen, "dpi")) {
			if (idv_parse_u64(v, vlen, 2400, &num) != IDV_OK) {
				result = IDV_E_PARSE;
				break;
			}
			p->dpi = (int)num;
		} else {
			if (p->nvars >= OCR_MAX_VARS || klen >= OCR_NAME_MAX ||
			    vlen >= OCR_VALUE_MAX) {
				result = IDV_E_TOOBIG;
				break;
			}
			struct ocr_var *var = &p->vars[p->nvars++];
			memcpy(var->name, s, klen);
			var->name[klen] = '\0';
			memcpy(var->value, v, vlen);
			var->value[vlen] = '\0';
		}
	}
	fclose(f);
	if (result == IDV_OK) {
		ocr->nprofiles++;
		*out = p;
	}
	return result;
}

enum idv_err
idv_ocr_preload(struct idv_ocr *ocr)
{
	char path[600];
	int n = snprintf(path, sizeof path, "%s/ocr", ocr->models_dir);
	if (n < 0 || (size_t)n >= sizeof path)
		return IDV_E_INVAL;
	(void)ocr_osd(ocr);
	DIR *d = opendir(path);
	if (d == NULL)
		return IDV_OK; /* no profiles: idv_ocr_run will say so */
	enum idv_err result = IDV_OK;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && result == IDV_OK) {
		size_t len = strlen(e->d_name);
		if (len <= 5 || len - 5 >= OCR_NAME_MAX || strcmp(e->d_name + len - 5, ".conf") != 0)
			continue;
		char name[OCR_NAME_MAX];
		memcpy(name, e->d_name, len - 5);
		name[len - 5] = '\0';
		const struct ocr_profile *p;
		if (ocr_name_ok(name))
			result = ocr_load_profile(ocr, name, &p);
	}
	closedir(d);
	return result;
}

/* A variable's current value as text, for restoring it later. */
static bool
ocr_get_var(TessBaseAPI *api, const char *name, char *out, size_t outsz)
{
	int iv;
	BOOL bv;
	double dv;
	const char *sv;
	int n = -1;
	if (TessBaseAPIGetIntVariable(api, name, &iv))
		n = snprintf(out, outsz, "%d", iv);
	else if (TessBaseAPIGetBoolVariable(api, name, &bv))
		n = snprintf(out, outsz, "%d", bv ? 1 : 0);
	else if (TessBaseAPIGetDoubleVariable(api, name, &dv))
		n = snprintf(out, outsz, "%.17g", dv);
	else if ((sv = TessBaseAPIGetStringVariable(api, name)) != NULL)
		n = snprintf(out, outsz, "%s", sv);
	return n >= 0 && (size_t)n < outsz;
}

static enum idv_err
ocr_apply(struct idv_ocr *ocr, const struct ocr_profile *p)
{
	if (ocr->active == p)
		return IDV_OK;
	/* Restore whatever the previous profile changed. */
	if (ocr->active != NULL)
		for (size_t i = 0; i < ocr->active->nvars; i++)
			for (size_t d = 0; d < ocr->ndefaults; d++)
				if (strcmp(ocr->defaults[d].name, ocr->active->vars[i].name) == 0)
					TessBaseAPISetVariable(ocr->api, ocr->defaults[d].name,
							       ocr->defaults[d].value);
	for (size_t i = 0; i < p->nvars; i++) {
		bool known = false;
		for (size_t d = 0; d < ocr->ndefaults && !known; d++)
			known = strcmp(ocr->defaults[d].name, p->vars[i].name) == 0;
		if (!known && ocr->ndefaults < IDV_ARRAY_LEN(ocr->defaults)) {
			struct ocr_var *d = &ocr->defaults[ocr->ndefaults];
			if (ocr_get_var(ocr->api, p->vars[i].name, d->value, sizeof d->value)) {
				idv_strlcpy(d->name, p->vars[i].name, sizeof d->name);
				ocr->ndefaults++;
			}
		}
		if (!TessBaseAPISetVariable(ocr->api, p->vars[i].name, p->vars[i].value))
			return IDV_E_INVAL;
	}
	TessBaseAPISetPageSegMode(ocr->api, p->psm >= 0 ? (TessPageSegMode)p->psm : PSM_AUTO);
	ocr->active = p;
	return IDV_OK;
}

enum idv_err
idv_ocr_run(struct idv_ocr *ocr, struct Pix *pix, const struct idv_box *region,
	    const char *profile, struct idv_ocr_result *out)
{
	enum idv_err result = IDV_OK;
	const struct ocr_profile *p = NULL;
	TessResultIterator *it = NULL;
	bool timed = false;
	struct idv_buf text;
	idv_buf_init(&text, 1u << 20);
	memset(out, 0, sizeof *out);
	if (ocr == NULL || pix == NULL)
		return IDV_E_INVAL;
	result = ocr_load_profile(ocr, profile, &p);
	if (result != IDV_OK)
		goto out;
	char stage[sizeof ((struct idv_stagetime *)0)->name];
	snprintf(stage, sizeof stage, "ocr_%s", profile); /* a cut name is still told apart */
	idv_stagetime_begin(stage);
	timed = true;
	result = ocr_apply(ocr, p);
	if (result != IDV_OK)
		goto out;
	/* What the adaptive classifier learnt from the previous document must not change how
	 * this one reads: results depend on the document alone, not on the order of a batch. */
	TessBaseAPIClearAdaptiveClassifier(ocr->api);
	TessBaseAPISetImage2(ocr->api, pix);
	if (p->dpi > 0)
		TessBaseAPISetSourceResolution(ocr->api, p->dpi);
	if (region != NULL && region->w > 0 && region->h > 0)
		TessBaseAPISetRectangle(ocr->api, region->x, region->y, region->w, region->h);
	if (TessBaseAPIRecognize(ocr->api, NULL) != 0) {
		result = IDV_E_UNREADABLE;
		goto out;
	}
	it = TessBaseAPIGetIterator(ocr->api);
	if (it == NULL)
		goto out; /* no text at all */
	size_t cap = 64;
	out->words = idv_calloc(cap, sizeof *out->words);
	int block = -1, line = -1;
	TessPageIterator *pit = TessResultIteratorGetPageIterator(it);
	do {
		if (TessPageIteratorIsAtBeginningOf(pit, RIL_BLOCK))
			block++;
		if (TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE))
			line++;
		char *w = TessResultIteratorGetUTF8Text(it, RIL_WORD);
		if (w == NULL)
			continue;
		if (out->nwords == OCR_MAX_WORDS) {
			TessDeleteText(w);
			break;
		}
		if (out->nwords == cap) {
			cap *= 2;
			out->words = idv_realloc(out->words, cap * sizeof *out->words);
		}
		struct idv_ocr_word *ow = &out->words[out->nwords];
		memset(ow, 0, sizeof *ow);
		idv_strlcpy(ow->text, w, sizeof ow->text);
		TessDeleteText(w);
		int l, t, r, b;
		if (TessPageIteratorBoundingBox(pit, RIL_WORD, &l, &t, &r, &b)) {
			ow->box.x = l, ow->box.y = t, ow->box.w = r - l, ow->box.h = b - t;
		}
		ow->confidence = TessResultIteratorConfidence(it, RIL_WORD) / 100.0f;
		ow->block = block < 0 ? 0 : block;
		ow->line = line < 0 ? 0 : line;
		if (out->nwords > 0)
			idv_buf_append_byte(&text,
					    out->words[out->nwords - 1].line != ow->line ? '\n' : ' ');
		idv_buf_append_str(&text, ow->text);
		out->nwords++;
	} while (TessResultIteratorNext(it, RIL_WORD));
out:
	if (it != NULL)
		TessResultIteratorDelete(it);
	if (ocr != NULL)
		TessBaseAPIClear(ocr->api);
	if (timed)
		idv_stagetime_end();
	if (result == IDV_OK) {
		idv_buf_append_byte(&text, '\n');
		if (text.err != IDV_OK) {
			result = text.err;
		} else {
			size_t tl;
			out->text = (char *)idv_buf_steal(&text, &tl);
			if (out->text == NULL)
				out->text = idv_strdup("");
		}
	}
	idv_buf_cleanup(&text);
	if (result != IDV_OK)
		idv_ocr_result_cleanup(out);
	return result;
}

void
idv_ocr_result_cleanup(struct idv_ocr_result *r)
{
	if (r == NULL)
		return;
	IDV_FREE(r->words);
	IDV_FREE(r->text);
	r->nwords = 0;
}
