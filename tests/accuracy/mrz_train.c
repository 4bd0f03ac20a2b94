/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrz_train.c: training the MRZ reader's OCR-B templates (mrz_train.h). Each character cell of
 * a located zone whose lines match the truth is sampled as the reader samples it
 * (idv_mrzcell_cell) and averaged per character and sharpness (characters of at least 20
 * pixels are "sharp"); the file format is the one idv_mrzread_new reads:
 *
 *   idverify-ocrb-templates 1 <W> <H>
 *   <char> <bucket> <W*H values 0..255 as hex pairs>
 */
#include <math.h>
#include <stdio.h>

#include "mrz_train.h"

#define MR_GW IDV_MRZCELL_W
#define MR_GH IDV_MRZCELL_H
#define MR_GN IDV_MRZCELL_N
#define MR_NCLASS IDV_MRZCELL_NCLASS
#define MR_NBUCKET IDV_MRZCELL_NBUCKET

struct mrz_train {
	double sum[MR_NCLASS][MR_NBUCKET][MR_GN];
	size_t count[MR_NCLASS][MR_NBUCKET];
};

struct mrz_train *
mrz_train_new(void)
{
	return idv_calloc(1, sizeof(struct mrz_train));
}

void
mrz_train_free(struct mrz_train *t)
{
	free(t);
}

enum idv_err
mrz_train_add(struct mrz_train *t, struct Pix *pix, const char *truth)
{
	char lines[3][IDV_MRZ_LINE_MAX];
	size_t nl = 0;
	const char *p = truth;
	while (*p && nl < 3) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len >= IDV_MRZ_LINE_MAX)
			return IDV_E_NOTFOUND;
		memcpy(lines[nl], p, len);
		lines[nl++][len] = '\0';
		p = e ? e + 1 : p + len;
	}
	struct idv_mrzread_located *w;
	if (idv_mrzread_locate(pix, &w) != IDV_OK)
		return IDV_E_NOTFOUND;
	enum idv_err result = IDV_E_NOTFOUND;
	if (w->zone.nlines != nl || (size_t)w->zone.format != strlen(lines[0]))
		goto out;
	float v[MR_GN];
	for (size_t li = 0; li < nl; li++) {
		struct idv_mrzcell_fit f;
		idv_mrzcell_fit_line(&w->geom, &w->geom.lines[w->zone.line[li]], w->zone.format, &f);
		int bucket = f.cap / w->scale >= 20.0f ? 0 : 1;
		for (int i = 0; i < w->zone.format; i++) {
			const char *pc = strchr(idv_mrzcell_alphabet, lines[li][i]);
			if (pc == NULL || lines[li][i] == '\0' ||
			    !idv_mrzcell_cell(&w->im, &f, i, 0, 0, v))
				continue;
			int ci = (int)(pc - idv_mrzcell_alphabet);
			for (int k = 0; k < MR_GN; k++)
				t->sum[ci][bucket][k] += v[k];
			t->count[ci][bucket]++;
		}
	}
	result = IDV_OK;
out:
	idv_mrzread_located_free(w);
	return result;
}

enum idv_err
mrz_train_write(const struct mrz_train *t, const char *path)
{
	FILE *fp = fopen(path, "w");
	if (fp == NULL)
		return IDV_E_IO;
	fprintf(fp, "idverify-ocrb-templates 1 %d %d\n", MR_GW, MR_GH);
	for (int c = 0; c < MR_NCLASS; c++)
		for (int b = 0; b < MR_NBUCKET; b++) {
			if (t->count[c][b] == 0)
				continue;
			double mn = 1e9, mx = -1e9;
			for (int k = 0; k < MR_GN; k++) {
				double v = t->sum[c][b][k] / (double)t->count[c][b];
				mn = v < mn ? v : mn;
				mx = v > mx ? v : mx;
			}
			fprintf(fp, "%c %d ", idv_mrzcell_alphabet[c], b);
			for (int k = 0; k < MR_GN; k++) {
				double v = t->sum[c][b][k] / (double)t->count[c][b];
				int q = mx > mn ? (int)lrint(255.0 * (v - mn) / (mx - mn)) : 0;
				fprintf(fp, "%02x", q);
			}
			fputc('\n', fp);
		}
	return fclose(fp) == 0 ? IDV_OK : IDV_E_IO;
}
