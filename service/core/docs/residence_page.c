/* SPDX-License-Identifier: Apache-2.0 */
/*
 * residence_page.c: a page's words into line segments in reading order; the text
 * helpers (normalised text, words, trimmed copies) and the geometry (rows, columns, the segment
 * below, above, to the right) the rest of the reader uses.
 */
#include "idverify/residence_page.h"

/* ---------------------------------------------------------------------------------------------
 * Line segments
 */

#define RES_MAX_WORDS 4096
#define RES_MAX_SEG_WORDS 96

struct res_cluster {
	int top, bottom;
	int block, line;
	size_t nwords;
};

/* Grouping scratch, on the stack of idv_res_page_from_words (a static would not be re-entrant). */
struct res_scratch {
	uint16_t word_cluster[RES_MAX_WORDS];
	struct res_cluster clusters[IDV_RES_MAX_LINES];
	size_t nclusters;
	float slopes[IDV_RES_MAX_LINES]; /* dy/dx along the long segments' words */
	size_t nslopes;
};

int
res_median(int *v, size_t n)
{
	/* insertion sort; n is small */
	for (size_t i = 1; i < n; i++) {
		int x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	return n ? v[n / 2] : 0;
}

static bool
res_word_usable(const struct idv_ocr_word *w)
{
	if (w->box.w <= 0 || w->box.h <= 0)
		return false;
	for (size_t i = 0; i < sizeof(w->text) && w->text[i] != '\0'; i++)
		if (!idv_isspace((unsigned char)w->text[i]))
			return true;
	return false;
}

void
res_box_union(struct idv_box *a, const struct idv_box *b)
{
	if (b->w <= 0)
		return;
	if (a->w <= 0) {
		*a = *b;
		return;
	}
	int x0 = a->x < b->x ? a->x : b->x;
	int y0 = a->y < b->y ? a->y : b->y;
	int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
	int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;
	a->x = x0;
	a->y = y0;
	a->w = x1 - x0;
	a->h = y1 - y0;
}

/* Append src (up to its NUL or srcmax) to the line text, with one space before it. */
static void
res_line_append(struct idv_res_line *l, const char *src, size_t srcmax)
{
	size_t n = strlen(l->text);
	if (n > 0 && n + 1 < sizeof(l->text))
		l->text[n++] = ' ';
	for (size_t i = 0; i < srcmax && src[i] != '\0' && n + 1 < sizeof(l->text); i++) {
		unsigned char c = (unsigned char)src[i];
		l->text[n++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	l->text[n] = '\0';
}

/* Reading order: rows (vertical overlap of at least half the smaller height) then x. */
static bool
res_line_before(const struct idv_res_line *a, const struct idv_res_line *b)
{
	int ca = a->level, cb = b->level;
	int ha = a->height > 0 ? a->height : a->box.h, hb = b->height > 0 ? b->height : b->box.h;
	int d = ca - cb;
	if ((d < 0 ? -d : d) * 2 < (ha > hb ? ha : hb))
		return a->box.x < b->box.x;
	return ca < cb;
}

static void res_sort(struct idv_res_page *out);
static void res_merge_row_pieces(struct idv_res_page *out);

/* The slope of the word centres idx[from..to) (least squares), when they span at least eight
 * heights h; false otherwise. */
static bool
res_words_slope(const struct idv_ocr_word *words, const size_t *idx, size_t from, size_t to,
		int h, float *slope)
{
	if (to - from < 3)
		return false;
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n = (double)(to - from);
	for (size_t i = from; i < to; i++) {
		const struct idv_box *b = &words[idx[i]].box;
		double x = b->x + b->w / 2.0, y = b->y + b->h / 2.0;
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
	}
	const struct idv_box *f = &words[idx[from]].box, *l = &words[idx[to - 1]].box;
	double var = sxx - sx * sx / n;
	if (l->x + l->w - f->x < 8 * h || var <= 0)
		return false;
	*slope = (float)((sxy - sx * sy / n) / var);
	return true;
}

static enum idv_err
res_emit_cluster(const struct idv_ocr_word *words, size_t nwords, struct res_scratch *s,
		 size_t c, float gap_factor, struct idv_res_page *out)
{
	size_t idx[RES_MAX_SEG_WORDS];
	size_t n = 0;
	for (size_t i = 0; i < nwords && i < RES_MAX_WORDS && n < RES_MAX_SEG_WORDS; i++)
		if (s->word_cluster[i] == c + 1)
			idx[n++] = i;
	/* sort by x */
	for (size_t i = 1; i < n; i++) {
		size_t x = idx[i], j = i;
		while (j > 0 && words[idx[j - 1]].box.x > words[x].box.x) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = x;
	}
	int hs[RES_MAX_SEG_WORDS];
	for (size_t i = 0; i < n; i++)
		hs[i] = words[idx[i]].box.h;
	int h = res_median(hs, n);
	if (h <= 0)
		h = 1;
	int maxgap = (int)((float)h * gap_factor);
	struct idv_res_line *l = NULL;
	int prev_right = 0;
	size_t seg_from = 0;
	for (size_t i = 0; i < n; i++) {
		const struct idv_ocr_word *w = &words[idx[i]];
		bool resize = false;
		if (i > 0) {
			/* a change of font size with some space: a title beside a label */
			int ph = words[idx[i - 1]].box.h, ch = w->box.h;
			int lo = ph < ch ? ph : ch, hi = ph < ch ? ch : ph;
			resize = hi * 2 > lo * 3 && w->box.x - prev_right > lo / 2;
		}
		if (l == NULL || w->box.x - prev_right > maxgap || resize) {
			if (l != NULL && s->nslopes < IDV_RES_MAX_LINES &&
			    res_words_slope(words, idx, seg_from, i, h, &s->slopes[s->nslopes]))
				s->nslopes++;
			seg_from = i;
			if (out->nlines >= IDV_RES_MAX_LINES)
				return IDV_E_TOOBIG;
			l = &out->lines[out->nlines++];
			memset(l, 0, sizeof(*l));
			l->height = h;
		}
		res_line_append(l, w->text, sizeof(w->text));
		res_box_union(&l->box, &w->box);
		if (w->box.x + w->box.w > prev_right || i == 0)
			prev_right = w->box.x + w->box.w;
	}
	if (l != NULL && s->nslopes < IDV_RES_MAX_LINES &&
	    res_words_slope(words, idx, seg_from, n, h, &s->slopes[s->nslopes]))
		s->nslopes++;
	return IDV_OK;
}

/* The page's skew: the median slope of its long segments (at most 1 in 10; 0 with fewer than
 * three), taken out of every segment's level. */
static void
res_level(struct res_scratch *s, struct idv_res_page *out)
{
	float skew = 0.0f;
	if (s->nslopes >= 3) {
		for (size_t i = 1; i < s->nslopes; i++) {
			float x = s->slopes[i];
			size_t j = i;
			while (j > 0 && s->slopes[j - 1] > x) {
				s->slopes[j] = s->slopes[j - 1];
				j--;
			}
			s->slopes[j] = x;
		}
		skew = s->slopes[s->nslopes / 2];
		if (skew > 0.1f || skew < -0.1f)
			skew = 0.0f;
	}
	for (size_t i = 0; i < out->nlines; i++) {
		const struct idv_box *b = &out->lines[i].box;
		out->lines[i].level =
			b->y + b->h / 2 - (int)(skew * (float)(b->x + b->w / 2) + 0.5f);
	}
}

enum idv_err
idv_res_page_from_words(const struct idv_ocr_word *words, size_t nwords, int width, int height,
			float gap_factor, struct idv_res_page *out)
{
	enum idv_err result = IDV_OK;
	struct res_scratch local; /* ~20 KiB of stack */
	struct res_scratch *s = &local;

	memset(out, 0, sizeof(*out));
	out->width = width;
	out->height = height;
	if (gap_factor <= 0.0f)
		gap_factor = 2.5f;
	if (nwords > RES_MAX_WORDS) {
		nwords = RES_MAX_WORDS;
		result = IDV_E_TOOBIG;
	}
	memset(s->word_cluster, 0, sizeof(s->word_cluster));
	s->nclusters = 0;
	s->nslopes = 0;

	for (size_t i = 0; i < nwords; i++) {
		const struct idv_ocr_word *w = &words[i];
		if (!res_word_usable(w))
			continue;
		size_t found = SIZE_MAX;
		for (size_t c = 0; c < s->nclusters; c++) {
			struct res_cluster *cl = &s->clusters[c];
			if (cl->nwords >= RES_MAX_SEG_WORDS)
				continue;
			if (w->line >= 0) {
				if (cl->block == w->block && cl->line == w->line) {
					found = c;
					break;
				}
				continue;
			}
			if (cl->line >= 0)
				continue;
			int mid = w->box.y + w->box.h / 2;
			int ch = cl->bottom - cl->top;
			bool similar = w->box.h * 2 >= ch && w->box.h <= ch * 2;
			if (similar && mid >= cl->top && mid <= cl->bottom) {
				found = c;
				break;
			}
		}
		if (found == SIZE_MAX) {
			if (s->nclusters >= IDV_RES_MAX_LINES) {
				result = IDV_E_TOOBIG;
				continue;
			}
			found = s->nclusters++;
			s->clusters[found].top = w->box.y;
			s->clusters[found].bottom = w->box.y + w->box.h;
			s->clusters[found].block = w->block;
			s->clusters[found].line = w->line < 0 ? -1 : w->line;
			s->clusters[found].nwords = 0;
		}
		struct res_cluster *cl = &s->clusters[found];
		cl->nwords++;
		s->word_cluster[i] = (uint16_t)(found + 1);
		if (w->line < 0 && cl->nwords > 1) {
			/* keep the cluster's band from drifting: it is the first word's band widened
			 * by at most a third of its height */
			int slack = (cl->bottom - cl->top) / 3;
			if (w->box.y < cl->top && cl->top - w->box.y <= slack)
				cl->top = w->box.y;
			if (w->box.y + w->box.h > cl->bottom && w->box.y + w->box.h - cl->bottom <= slack)
				cl->bottom = w->box.y + w->box.h;
		}
	}
	for (size_t c = 0; c < s->nclusters; c++) {
		enum idv_err e = res_emit_cluster(words, nwords, s, c, gap_factor, out);
		if (e != IDV_OK) {
			result = e;
			break;
		}
	}
	res_level(s, out);
	res_sort(out);
	res_merge_row_pieces(out);
	return result;
}

/* insertion sort into reading order */
static void
res_sort(struct idv_res_page *out)
{
	for (size_t i = 1; i < out->nlines; i++) {
		struct idv_res_line tmp = out->lines[i];
		size_t j = i;
		while (j > 0 && res_line_before(&tmp, &out->lines[j - 1])) {
			out->lines[j] = out->lines[j - 1];
			j--;
		}
		out->lines[j] = tmp;
	}
}

/*
 * OCR sometimes puts two words of one printed line on two of its lines ("OMAR K" and
 * "LINDQVIST"): neighbours in reading order on the same row, of the same height, with a word
 * gap between them, are joined again.
 */
static void
res_merge_row_pieces(struct idv_res_page *out)
{
	size_t w = 0;
	for (size_t i = 0; i < out->nlines; i++) {
		struct idv_res_line *b = &out->lines[i];
		if (w > 0) {
			struct idv_res_line *a = &out->lines[w - 1];
			int ha = a->height > 0 ? a->height : a->box.h;
			int hb = b->height > 0 ? b->height : b->box.h;
			int ca = a->level, cb = b->level;
			int gap = b->box.x - (a->box.x + a->box.w);
			int h = ha > hb ? ha : hb;
			bool row = (ca > cb ? ca - cb : cb - ca) * 3 < h;
			bool same = ha * 10 <= hb * 13 && hb * 10 <= ha * 13;
			if (row && same && gap >= -h / 4 && gap * 2 <= 3 * h &&
			    strlen(a->text) + strlen(b->text) + 2 < sizeof(a->text)) {
				res_line_append(a, b->text, sizeof(b->text));
				res_box_union(&a->box, &b->box);
				continue;
			}
		}
		if (w != i)
			out->lines[w] = *b;
		w++;
	}
	out->nlines = w;
}

/* ---------------------------------------------------------------------------------------------
 * Text helpers
 */

/* Lower-case letters and digits; every run of anything else becomes one space. */
size_t
res_norm(const char *s, char *out, size_t outsz)
{
	size_t n = 0;
	bool space = true;
	for (size_t i = 0; s[i] != '\0' && n + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];
		if (idv_isalnum(c)) {
			out[n++] = (char)idv_tolower(c);
			space = false;
		} else if (!space) {
			out[n++] = ' ';
			space = true;
		}
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return n;
}

bool
res_has_word(const char *norm, const char *word)
{
	size_t wl = strlen(word);
	const char *p = norm;
	while ((p = strstr(p, word)) != NULL) {
		bool start = p == norm || p[-1] == ' ';
		bool end = p[wl] == '\0' || p[wl] == ' ';
		if (start && end)
			return true;
		p++;
	}
	return false;
}

void
res_copy_trim(char *dst, size_t dstsz, const char *src, size_t len)
{
	idv_str_trim(&src, &len);
	while (len > 0 && (src[0] == ':' || src[0] == '-' || src[0] == ',' || src[0] == ' '))
		src++, len--;
	while (len > 0 && (src[len - 1] == ',' || src[len - 1] == ' ' || src[len - 1] == ';'))
		len--;
	if (len >= dstsz)
		len = dstsz - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* ---------------------------------------------------------------------------------------------
 * Layout relations
 */

static bool
res_x_overlap(const struct idv_res_line *a, const struct idv_res_line *b)
{
	int lo = a->box.x > b->box.x ? a->box.x : b->box.x;
	int hi = a->box.x + a->box.w < b->box.x + b->box.w ? a->box.x + a->box.w
							     : b->box.x + b->box.w;
	return hi > lo;
}

/* Rows and columns compare centres and text heights, not boxes: a line photographed a few
 * degrees off level has a box much taller than its text. */
static int
res_cy(const struct idv_res_line *l)
{
	return l->level;
}

int
res_h(const struct idv_res_line *l)
{
	return l->height > 0 ? l->height : l->box.h;
}

bool
res_same_row(const struct idv_res_line *a, const struct idv_res_line *b)
{
	int d = res_cy(a) - res_cy(b);
	int h = res_h(a) > res_h(b) ? res_h(a) : res_h(b);
	return (d < 0 ? -d : d) * 2 < h;
}

/* b is in the column of a and below it within maxgap line heights: left edges close, or
 * overlapping with b starting at or after a's left edge. */
static bool
res_below(const struct idv_res_line *a, const struct idv_res_line *b, int maxgap)
{
	int h = res_h(a);
	int hb = res_h(b);
	int dy = res_cy(b) - res_cy(a);
	/* one line down is about (h + hb) / 2 plus the leading */
	if (dy * 5 < (h < hb ? h : hb) * 3)
		return false;
	if (dy > (h + hb) / 2 + maxgap * h + h / 2) /* descenders move a centre down */
		return false;
	int dx = b->box.x - a->box.x;
	if (dx < 0)
		dx = -dx;
	return dx <= 2 * h || (res_x_overlap(a, b) && b->box.x >= a->box.x - h);
}

/* The nearest segment directly below i in its column, or SIZE_MAX. */
size_t
res_next_below(const struct idv_res_page *pg, size_t i, int maxgap)
{
	size_t best = SIZE_MAX;
	int bestd = 0;
	for (size_t j = 0; j < pg->nlines; j++) {
		if (j == i || !res_below(&pg->lines[i], &pg->lines[j], maxgap))
			continue;
		int d = pg->lines[j].level - pg->lines[i].level;
		if (d <= 0)
			continue;
		if (best == SIZE_MAX || d < bestd) {
			best = j;
			bestd = d;
		}
	}
	return best;
}

/* The nearest segment directly above i in its column, or SIZE_MAX. */
size_t
res_next_above(const struct idv_res_page *pg, size_t i, int maxgap)
{
	size_t best = SIZE_MAX;
	int bestd = 0;
	for (size_t j = 0; j < pg->nlines; j++) {
		if (j == i || !res_below(&pg->lines[j], &pg->lines[i], maxgap))
			continue;
		int d = pg->lines[i].level - pg->lines[j].level;
		if (d <= 0)
			continue;
		if (best == SIZE_MAX || d < bestd) {
			best = j;
			bestd = d;
		}
	}
	return best;
}

/* The segment to the right of i on the same row (nearest), or SIZE_MAX. */
size_t
res_right_of(const struct idv_res_page *pg, size_t i, int maxdist)
{
	size_t best = SIZE_MAX;
	int bestd = 0;
	const struct idv_res_line *a = &pg->lines[i];
	for (size_t j = 0; j < pg->nlines; j++) {
		const struct idv_res_line *b = &pg->lines[j];
		if (j == i || !res_same_row(a, b) || b->box.x <= a->box.x + a->box.w)
			continue;
		int d = b->box.x - (a->box.x + a->box.w);
		if (d > maxdist * (a->height > 0 ? a->height : 1))
			continue;
		if (best == SIZE_MAX || d < bestd) {
			best = j;
			bestd = d;
		}
	}
	return best;
}
