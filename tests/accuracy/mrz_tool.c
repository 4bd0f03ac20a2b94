/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrz_tool: train the OCR-B templates and measure the MRZ reader on generated sets.
 *
 *   mrz_tool train OUT.tmpl DIR...      DIR holds truth.json and images from seeds/gen/passports.py
 *   mrz_tool eval MODELS DIR [-v]       prints exact-line rates (clean / degraded), document number,
 *                                       birth and expiry rates, and exits 0
 *   mrz_tool read MODELS IMAGE...       prints the lines read
 *
 * Test tool only: it reads local files with leptonica's pixRead, which the service never does
 * with uploads.
 */
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <time.h>

#include "idverify/mrz.h"
#include "mrz_train.h"
#include "mrzread.h"

static json_t *
load_truth(const char *dir)
{
	char path[4096];
	int k = snprintf(path, sizeof(path), "%s/truth.json", dir);
	if (k < 0 || (size_t)k >= sizeof(path))
		return NULL;
	json_error_t err;
	json_t *j = json_load_file(path, 0, &err);
	if (j == NULL || !json_is_array(j)) {
		fprintf(stderr, "mrz_tool: %s: %s\n", path, err.text);
		json_decref(j);
		return NULL;
	}
	return j;
}

static void
join_lines(json_t *arr, char *out, size_t outsz)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		int k = snprintf(out + n, outsz - n, "%s%s", i ? "\n" : "", s ? s : "");
		if (k < 0 || (size_t)k >= outsz - n)
			return;
		n += (size_t)k;
	}
}

static int
cmd_train(int argc, char **argv)
{
	struct mrz_train *t = mrz_train_new();
	size_t used = 0, seen = 0;
	for (int a = 3; a < argc; a++) {
		json_t *j = load_truth(argv[a]);
		if (!j)
			return 1;
		for (size_t i = 0; i < json_array_size(j); i++) {
			json_t *e = json_array_get(j, i);
			char path[4096], truth[256];
			int k = snprintf(path, sizeof(path), "%s/%s", argv[a],
					 json_string_value(json_object_get(e, "file")));
			if (k < 0 || (size_t)k >= sizeof(path))
				continue;
			join_lines(json_object_get(e, "mrz"), truth, sizeof(truth));
			PIX *pix = pixRead(path);
			seen++;
			if (pix && mrz_train_add(t, pix, truth) == IDV_OK)
				used++;
			pixDestroy(&pix);
		}
		json_decref(j);
	}
	enum idv_err e = mrz_train_write(t, argv[2]);
	mrz_train_free(t);
	printf("mrz_tool train: %zu of %zu images used -> %s\n", used, seen, argv[2]);
	return e == IDV_OK ? 0 : 1;
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmd_eval(int argc, char **argv)
{
	bool verbose = argc > 4 && strcmp(argv[4], "-v") == 0;
	struct idv_mrzread *r;
	enum idv_err e = idv_mrzread_new(argv[2], &r);
	if (e != IDV_OK) {
		fprintf(stderr, "mrz_tool: templates: %s\n", idv_err_name(e));
		return 1;
	}
	json_t *j = load_truth(argv[3]);
	if (!j)
		return 1;
	size_t n[2] = {0}, exact[2] = {0}, found[2] = {0};
	double ms = 0;
	for (size_t i = 0; i < json_array_size(j); i++) {
		json_t *t = json_array_get(j, i);
		int deg = json_is_true(json_object_get(t, "degraded")) ? 1 : 0;
		char path[4096], truth[256], got[256];
		int k = snprintf(path, sizeof(path), "%s/%s", argv[3],
				 json_string_value(json_object_get(t, "file")));
		if (k < 0 || (size_t)k >= sizeof(path))
			continue;
		join_lines(json_object_get(t, "mrz"), truth, sizeof(truth));
		PIX *pix = pixRead(path);
		struct idv_mrzread_result res;
		double t0 = now_ms();
		e = pix ? idv_mrzread_run(r, pix, &res) : IDV_E_IO;
		ms += now_ms() - t0;
		pixDestroy(&pix);
		n[deg]++;
		got[0] = '\0';
		if (e == IDV_OK && res.found) {
			found[deg]++;
			size_t o = 0;
			for (size_t l = 0; l < res.nlines; l++) {
				int w = snprintf(got + o, sizeof(got) - o, "%s%s", l ? "\n" : "",
						 res.lines[l]);
				if (w < 0 || (size_t)w >= sizeof(got) - o)
					break;
				o += (size_t)w;
			}
		}
		bool ok = strcmp(got, truth) == 0;
		if (ok)
			exact[deg]++;
		if (verbose && !ok)
			printf("MISS %s (found=%d checks=%d/%d var=%d)\n  want %s\n  got  %s\n",
			       path, e == IDV_OK && res.found, res.checks_passed, res.checks_total,
			       res.variant, truth, got);
	}
	printf("mrz clean: %zu/%zu exact (%.1f%%), found %zu\n", exact[0], n[0],
	       n[0] ? 100.0 * (double)exact[0] / (double)n[0] : 0.0, found[0]);
	printf("mrz degraded: %zu/%zu exact (%.1f%%), found %zu\n", exact[1], n[1],
	       n[1] ? 100.0 * (double)exact[1] / (double)n[1] : 0.0, found[1]);
	printf("mrz time: %.1f ms per image\n", ms / (double)(n[0] + n[1] ? n[0] + n[1] : 1));
	json_decref(j);
	idv_mrzread_free(r);
	return 0;
}

static int
cmd_read(int argc, char **argv)
{
	struct idv_mrzread *r;
	enum idv_err e = idv_mrzread_new(argv[2], &r);
	if (e != IDV_OK) {
		fprintf(stderr, "mrz_tool: templates: %s\n", idv_err_name(e));
		return 1;
	}
	for (int a = 3; a < argc; a++) {
		PIX *pix = pixRead(argv[a]);
		struct idv_mrzread_result res;
		e = pix ? idv_mrzread_run(r, pix, &res) : IDV_E_IO;
		pixDestroy(&pix);
		printf("%s: %s found=%d %s checks %d/%d conf %.2f skew %.2f cap %d var %d\n", argv[a],
		       idv_err_name(e), res.found, res.format, res.checks_passed, res.checks_total,
		       (double)res.confidence, (double)res.skew_deg, res.char_height, res.variant);
		for (size_t l = 0; l < res.nlines; l++)
			printf("  %s\n", res.lines[l]);
	}
	idv_mrzread_free(r);
	return 0;
}

/* The baseline's second half: MRZ text on stdin (as tesseract printed it) -> the lines
 * idv_mrz_parse and idv_mrz_repair make of it, one per line, or nothing. */
static int
cmd_parse(void)
{
	static char text[65536];
	size_t n = fread(text, 1, sizeof text - 1, stdin);
	text[n] = '\0';
	/* keep the last lines that look like MRZ lines (long, MRZ characters only) */
	char lines[8][IDV_MRZ_LINE_MAX];
	size_t nl = 0;
	for (char *l = text; l && *l;) {
		char *e = strchr(l, '\n');
		if (e)
			*e = '\0';
		char buf[256];
		size_t k = 0;
		for (char *q = l; *q && k + 1 < sizeof buf; q++)
			if (*q != ' ')
				buf[k++] = *q;
		buf[k] = '\0';
		if (k >= 28 && k < IDV_MRZ_LINE_MAX) {
			if (nl == 8) {
				memmove(lines[0], lines[1], sizeof lines[0] * 7);
				nl = 7;
			}
			memcpy(lines[nl++], buf, k + 1);
		}
		l = e ? e + 1 : NULL;
	}
	if (nl < 2)
		return 0;
	size_t take = nl >= 3 && strlen(lines[nl - 1]) <= 32 ? 3 : 2;
	char joined[256];
	size_t o = 0;
	for (size_t i = nl - take; i < nl; i++) {
		int w = snprintf(joined + o, sizeof joined - o, "%s\n", lines[i]);
		if (w < 0 || (size_t)w >= sizeof joined - o)
			return 0;
		o += (size_t)w;
	}
	struct idv_mrz *m = malloc(sizeof *m);
	if (m && idv_mrz_parse(joined, o, m) == IDV_OK) {
		idv_mrz_repair(m);
		for (size_t i = 0; i < m->nlines; i++)
			printf("%s\n", m->lines[i]);
	}
	free(m);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "parse") == 0)
		return cmd_parse();
	setMsgSeverity(L_SEVERITY_NONE);
	if (argc >= 4 && strcmp(argv[1], "train") == 0)
		return cmd_train(argc, argv);
	if (argc >= 4 && strcmp(argv[1], "eval") == 0)
		return cmd_eval(argc, argv);
	if (argc >= 4 && strcmp(argv[1], "read") == 0)
		return cmd_read(argc, argv);
	fprintf(stderr, "usage: mrz_tool train OUT.tmpl DIR... | eval MODELS DIR [-v] | read MODELS IMG...\n");
	return 2;
}
