/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrzcell.c: the MRZ cell reader (mrzcell.h): line geometry, cell sampling, the character
 * class of each position, check-digit groups, template matching and repair.
 *
 * Why not tesseract: its English model, even limited to A-Z 0-9 <, reproduces whole MRZ lines
 * only rarely (DESIGN.md 9): it reads '<' as K or L, O as 0, and loses characters in runs of
 * fillers. This reader uses the fixed pitch to give every character cell without segmenting
 * touching glyphs, resamples each cell to a fixed size and matches it against OCR-B templates,
 * lets only the classes a position allows compete, and lets the check digits choose.
 *
 * Spec: ICAO Doc 9303 parts 3 (OCR-B, 10 characters per inch), 4 (TD3), 5 (TD1), 6 (TD2).
 */
#include <math.h>
#include <stdlib.h>

#include "idverify/mrzcell.h"
#include "idverify/str.h"

#define MR_GW IDV_MRZCELL_W
#define MR_GH IDV_MRZCELL_H
#define MR_GN IDV_MRZCELL_N
#define MR_NCLASS IDV_MRZCELL_NCLASS
#define MR_NBUCKET IDV_MRZCELL_NBUCKET
#define MR_MAX_ROWS 1024

const char idv_mrzcell_alphabet[IDV_MRZCELL_NCLASS + 1] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";

/* ---------------------------------------------------------------------------------------------
 * Grey images as plain bytes
 */

static float
mr_sample(const struct idv_mrzcell_img *im, float x, float y)
{
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x > (float)(im->w - 1))
		x = (float)(im->w - 1);
	if (y > (float)(im->h - 1))
		y = (float)(im->h - 1);
	int x0 = (int)x, y0 = (int)y;
	int x1 = x0 + 1 < im->w ? x0 + 1 : x0, y1 = y0 + 1 < im->h ? y0 + 1 : y0;
	float fx = x - (float)x0, fy = y - (float)y0;
	const uint8_t *r0 = im->p + (size_t)y0 * (size_t)im->w;
	const uint8_t *r1 = im->p + (size_t)y1 * (size_t)im->w;
	float a = r0[x0] + (r0[x1] - r0[x0]) * fx;
	float b = r1[x0] + (r1[x1] - r1[x0]) * fx;
	return a + (b - a) * fy;
}

/* ---------------------------------------------------------------------------------------------
 * Geometry of MRZ lines
 */

static int
mr_cmp_cy(const void *a, const void *b)
{
	const struct idv_mrzcell_comp *x = a, *y = b;
	int cx = 2 * x->y + x->h, cy = 2 * y->y + y->h;
	return (cx > cy) - (cx < cy);
}

static int
mr_cmp_x(const void *a, const void *b)
{
	const struct idv_mrzcell_comp *x = a, *y = b;
	return (x->x > y->x) - (x->x < y->x);
}

static int
mr_cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* The rows found by mr_rows: each row's components are c[start[r] .. start[r + 1]). */
struct mr_rows {
	struct mr_row {
		float cy, hmax;
		size_t count;
	} *rows;
	size_t nrows;
	size_t *start; /* nrows + 1 entries */
};

/* Step 1: greedy rows: a component joins the current row while its centre stays within the
 * row's band; the components are then regrouped by row (counting sort), the others dropped;
 * returns how many remain at the start of c. */
static size_t
mr_rows(struct idv_mrzcell_comp *c, size_t n, struct mr_rows *rs)
{
	qsort(c, n, sizeof(*c), mr_cmp_cy);
	static const size_t none = SIZE_MAX;
	size_t *rowid = idv_malloc(n * sizeof(*rowid) + 1);
	struct mr_row *rows = idv_calloc(MR_MAX_ROWS, sizeof(*rows));
	size_t nrows = 0;
	for (size_t i = 0; i < n; i++) {
		float cy = (float)c[i].y + (float)c[i].h / 2.0f;
		rowid[i] = none;
		/* the most recent rows are the only candidates (sorted by cy) */
		for (size_t r = nrows; r > 0 && r + 8 > nrows; r--) {
			float d = fabsf(cy - rows[r - 1].cy);
			if (d <= 0.3f * rows[r - 1].hmax && (float)c[i].h <= 1.6f * rows[r - 1].hmax) {
				rowid[i] = r - 1;
				break;
			}
		}
		if (rowid[i] == none) {
			if (nrows >= MR_MAX_ROWS)
				continue;
			rowid[i] = nrows;
			rows[nrows].cy = cy;
			rows[nrows].hmax = (float)c[i].h;
			rows[nrows].count = 0;
			nrows++;
		}
		size_t r = rowid[i];
		rows[r].count++;
		rows[r].cy += (cy - rows[r].cy) / (float)rows[r].count;
		if ((float)c[i].h > rows[r].hmax)
			rows[r].hmax = (float)c[i].h;
	}
	struct idv_mrzcell_comp *sorted = idv_malloc(n * sizeof(*sorted) + 1);
	size_t *start = idv_calloc(nrows + 1, sizeof(*start));
	for (size_t i = 0; i < n; i++)
		if (rowid[i] != none)
			start[rowid[i] + 1]++;
	for (size_t r = 0; r < nrows; r++)
		start[r + 1] += start[r];
	size_t *fill = idv_calloc(nrows + 1, sizeof(*fill));
	for (size_t i = 0; i < n; i++)
		if (rowid[i] != none)
			sorted[start[rowid[i]] + fill[rowid[i]]++] = c[i];
	size_t total = start[nrows];
	memcpy(c, sorted, total * sizeof(*c));
	free(sorted);
	free(fill);
	free(rowid);
	rs->rows = rows;
	rs->nrows = nrows;
	rs->start = start;
	return total;
}

/* Step 2: line l from the run c[rs .. i) of a row whose centre is row_cy: its cap height and
 * centre from the tall components, its pitch from neighbouring narrow ones. */
static void
mr_run_line(const struct idv_mrzcell_comp *c, size_t rs, size_t i, int right, float row_cy,
	    struct idv_mrzcell_line *l)
{
	memset(l, 0, sizeof(*l));
	l->x0 = c[rs].x;
	l->x1 = right;
	l->first = rs;
	l->n = i - rs;
	float h2[512], cys = 0;
	size_t k2 = 0, nt = 0;
	for (size_t j = rs; j < i && k2 < IDV_ARRAY_LEN(h2); j++)
		h2[k2++] = (float)c[j].h;
	qsort(h2, k2, sizeof(h2[0]), mr_cmp_float);
	l->cap = h2[(k2 * 9) / 10 < k2 ? (k2 * 9) / 10 : k2 - 1];
	for (size_t j = rs; j < i; j++)
		if ((float)c[j].h >= 0.75f * l->cap) {
			cys += (float)c[j].y + (float)c[j].h / 2.0f;
			nt++;
		}
	l->cy = nt ? cys / (float)nt : row_cy;
	/* pitch: median distance between neighbouring narrow components */
	float d[512];
	size_t nd = 0;
	for (size_t j = rs + 1; j < i && nd < IDV_ARRAY_LEN(d); j++) {
		float dx = ((float)c[j].x + (float)c[j].w / 2.0f) -
			   ((float)c[j - 1].x + (float)c[j - 1].w / 2.0f);
		if (c[j].w < l->cap && c[j - 1].w < l->cap && dx > 0.6f * l->cap &&
		    dx < 1.6f * l->cap)
			d[nd++] = dx;
	}
	if (nd > 0) {
		qsort(d, nd, sizeof(d[0]), mr_cmp_float);
		l->pitch = d[nd / 2];
	} else {
		l->pitch = l->cap;
	}
}

/* Step 3: the runs of the row c[b .. e), split at wide gaps, that can be MRZ lines. */
static void
mr_row_lines(struct idv_mrzcell_comp *c, size_t b, size_t e, int imh, float row_cy,
	     struct idv_mrzcell_geom *g)
{
	if (e - b < 12)
		return;
	qsort(c + b, e - b, sizeof(*c), mr_cmp_x);
	float hs[512];
	size_t k = 0;
	for (size_t i = b; i < e && k < IDV_ARRAY_LEN(hs); i++)
		hs[k++] = (float)c[i].h;
	qsort(hs, k, sizeof(hs[0]), mr_cmp_float);
	float cap = hs[(k * 9) / 10 < k ? (k * 9) / 10 : k - 1];
	if (cap < 6.0f || cap > (float)imh / 4.0f)
		return;
	size_t rs = b;
	int right = c[b].x + c[b].w;
	for (size_t i = b + 1; i <= e; i++) {
		bool cut = i == e || (float)(c[i].x - right) > 1.6f * cap;
		if (!cut) {
			if (c[i].x + c[i].w > right)
				right = c[i].x + c[i].w;
			continue;
		}
		size_t rn = i - rs;
		float span = (float)(right - c[rs].x);
		if (rn >= 12 && span >= 24.0f * cap && span <= 64.0f * cap &&
		    g->nlines < IDV_MRZCELL_MAX_LINES)
			mr_run_line(c, rs, i, right, row_cy, &g->lines[g->nlines++]);
		if (i < e) {
			rs = i;
			right = c[i].x + c[i].w;
		}
	}
}

void
idv_mrzcell_find_lines(struct idv_mrzcell_comp *c, size_t n, int imh, struct idv_mrzcell_geom *g)
{
	struct mr_rows rs;
	g->nlines = 0;
	g->ncomps = mr_rows(c, n, &rs);
	for (size_t r = 0; r < rs.nrows && g->nlines < IDV_MRZCELL_MAX_LINES; r++)
		mr_row_lines(c, rs.start[r], rs.start[r + 1], imh, rs.rows[r].cy, g);
	free(rs.start);
	free(rs.rows);
}

static int
mr_nearest_format(float chars, size_t nlines)
{
	if (nlines == 3)
		return chars > 24 && chars < 38 ? 30 : 0;
	float d36 = fabsf(chars - 36.0f), d44 = fabsf(chars - 44.0f);
	if (chars < 31 || chars > 50)
		return 0;
	return d44 < d36 ? 44 : 36;
}

/* The 2 or 3 lines of equal extent and regular spacing that form the MRZ; the lowest wins
 * among equals, a complete TD1 triple over a pair. */
bool
idv_mrzcell_pick_zone(const struct idv_mrzcell_geom *g, struct idv_mrzcell_zone *z)
{
	float best = -1.0f;
	for (size_t a = 0; a < g->nlines; a++) {
		for (size_t b = 0; b < g->nlines; b++) {
			const struct idv_mrzcell_line *la = &g->lines[a], *lb = &g->lines[b];
			if (a == b || lb->cy <= la->cy)
				continue;
			float cap = (la->cap + lb->cap) / 2.0f;
			float dy = lb->cy - la->cy;
			if (dy < 1.2f * cap || dy > 3.5f * cap)
				continue;
			if (fabsf(la->cap - lb->cap) > 0.3f * cap)
				continue;
			float pitch = (la->pitch + lb->pitch) / 2.0f;
			float wa = (float)(la->x1 - la->x0), wb = (float)(lb->x1 - lb->x0);
			if (fabsf((float)(la->x0 - lb->x0)) > 2.5f * pitch ||
			    fabsf(wa - wb) > 0.1f * (wa > wb ? wa : wb))
				continue;
			/* a third line below b? */
			size_t third = SIZE_MAX;
			for (size_t c3 = 0; c3 < g->nlines; c3++) {
				const struct idv_mrzcell_line *lc = &g->lines[c3];
				if (c3 == a || c3 == b || lc->cy <= lb->cy)
					continue;
				float dy2 = lc->cy - lb->cy;
				float wc = (float)(lc->x1 - lc->x0);
				if (fabsf(dy2 - dy) < 0.35f * dy &&
				    fabsf((float)(lc->x0 - lb->x0)) <= 2.5f * pitch &&
				    fabsf(wc - wb) <= 0.1f * wb) {
					third = c3;
					break;
				}
			}
			float chars = wa / pitch + 0.3f;
			size_t nl = third != SIZE_MAX ? 3 : 2;
			int fmt = mr_nearest_format(chars, nl);
			if (fmt == 0 && nl == 3) {
				nl = 2;
				fmt = mr_nearest_format(chars, 2);
			}
			if (fmt == 0)
				continue;
			float score = (float)nl * 1000.0f + lb->cy / 10.0f;
			if (score > best) {
				best = score;
				z->format = fmt;
				z->nlines = nl;
				z->line[0] = a;
				z->line[1] = b;
				z->line[2] = third;
			}
		}
	}
	return best >= 0.0f;
}

static void
mr_solve3(double m[3][4], double out[3])
{
	for (int i = 0; i < 3; i++) {
		int piv = i;
		for (int r = i + 1; r < 3; r++)
			if (fabs(m[r][i]) > fabs(m[piv][i]))
				piv = r;
		for (int k = 0; k < 4; k++) {
			double t = m[i][k];
			m[i][k] = m[piv][k];
			m[piv][k] = t;
		}
		if (fabs(m[i][i]) < 1e-9) {
			out[0] = out[1] = out[2] = 0;
			return;
		}
		for (int r = 0; r < 3; r++) {
			if (r == i)
				continue;
			double f = m[r][i] / m[i][i];
			for (int k = i; k < 4; k++)
				m[r][k] -= f * m[i][k];
		}
	}
	for (int i = 0; i < 3; i++)
		out[i] = m[i][3] / m[i][i];
}

void
idv_mrzcell_fit_line(const struct idv_mrzcell_geom *g, const struct idv_mrzcell_line *l, int nchars, struct idv_mrzcell_fit *f)
{
	float pitch = (float)(l->x1 - l->x0) / ((float)nchars - 0.3f);
	const struct idv_mrzcell_comp *c = g->comps + l->first;
	float c0 = (float)l->x0 + 0.5f * pitch * 0.75f;
	f->a = c0;
	f->b = pitch;
	f->c = 0;
	/*
	 * Index every single-glyph component by walking left to right with the local pitch, so a
	 * pitch that drifts along the line (perspective) does not shift the indexes; touching
	 * glyphs advance the index by their width. Then fit cx(i).
	 */
	float lp = l->pitch > 0 ? l->pitch : pitch;
	int idx[512];
	size_t nk = l->n < 512 ? l->n : 512;
	int cur = -1;
	float prev = 0;
	for (size_t k = 0; k < nk; k++) {
		float w = (float)c[k].w;
		int m = w > 1.15f * lp ? (int)lrintf(w / lp) : 1;
		if (m < 1)
			m = 1;
		float first = m == 1 ? (float)c[k].x + w / 2.0f : (float)c[k].x + 0.4f * lp;
		if (cur < 0)
			cur = 0;
		else
			cur += (int)lrintf((first - prev) / lp) > 0 ? (int)lrintf((first - prev) / lp) : 1;
		idx[k] = m == 1 ? cur : -1;
		if (m > 1)
			cur += m - 1;
		prev = m == 1 ? first : (float)(c[k].x + c[k].w) - 0.4f * lp;
	}
	bool incremental = cur == nchars - 1;
	for (int iter = 0; iter < 3; iter++) {
		double m[3][4] = {{0}};
		size_t used = 0;
		for (size_t k = 0; k < l->n; k++) {
			if ((float)c[k].w > 1.15f * f->b)
				continue; /* touching glyphs */
			float cx = (float)c[k].x + (float)c[k].w / 2.0f;
			int i;
			if (incremental) {
				if (k >= nk || idx[k] < 0)
					continue;
				i = idx[k];
			} else {
				/* invert the current model approximately */
				i = (int)lrintf((cx - f->a) / f->b);
			}
			if (i < 0 || i >= nchars)
				continue;
			double v[3] = {1.0, (double)i, (double)i * (double)i};
			for (int r = 0; r < 3; r++) {
				for (int s = 0; s < 3; s++)
					m[r][s] += v[r] * v[s];
				m[r][3] += v[r] * cx;
			}
			used++;
		}
		if (used < 8)
			break;
		double sol[3];
		if (used < 20 || (iter == 0 && !incremental)) {
			/* linear: drop the quadratic term */
			m[2][0] = m[2][1] = m[0][2] = m[1][2] = 0;
			m[2][2] = 1;
			m[2][3] = 0;
		}
		mr_solve3(m, sol);
		if (sol[1] <= 0.3 * pitch || sol[1] >= 2.0 * pitch)
			break;
		f->a = (float)sol[0];
		f->b = (float)sol[1];
		f->c = (float)sol[2];
		if (incremental)
			break;
	}
	/* centre line */
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	size_t nt = 0;
	for (size_t k = 0; k < l->n; k++) {
		if ((float)c[k].h < 0.8f * l->cap || (float)c[k].h > 1.2f * l->cap)
			continue;
		double x = c[k].x + c[k].w / 2.0, y = c[k].y + c[k].h / 2.0;
		sx += x, sy += y, sxx += x * x, sxy += x * y;
		nt++;
	}
	f->cap = l->cap;
	if (nt >= 4 && (nt * sxx - sx * sx) > 1e-6) {
		f->q = (float)((nt * sxy - sx * sy) / (nt * sxx - sx * sx));
		f->p = (float)((sy - f->q * sx) / nt);
		if (fabsf(f->q) > 0.1f) {
			f->q = 0;
			f->p = l->cy;
		}
	} else {
		f->q = 0;
		f->p = l->cy;
	}
}

/* Sample the cell of character i into v (zero mean, unit norm). dx, dy shift in cell units. */
bool
idv_mrzcell_cell(const struct idv_mrzcell_img *im, const struct idv_mrzcell_fit *f, int i, float dx, float dy, float *v)
{
	float cx = f->a + f->b * (float)i + f->c * (float)i * (float)i;
	float pitch = f->b + 2.0f * f->c * (float)i;
	float cy = f->p + f->q * cx;
	float cw = pitch, ch = 1.4f * f->cap;
	cx += dx * cw;
	cy += dy * ch;
	float x0 = cx - cw / 2.0f, y0 = cy - ch / 2.0f;
	float sx = cw / MR_GW, sy = ch / MR_GH;
	double sum = 0;
	for (int gy = 0; gy < MR_GH; gy++)
		for (int gx = 0; gx < MR_GW; gx++) {
			float fx = x0 + ((float)gx + 0.25f) * sx, fy = y0 + ((float)gy + 0.25f) * sy;
			float s = mr_sample(im, fx, fy) + mr_sample(im, fx + sx / 2, fy) +
				  mr_sample(im, fx, fy + sy / 2) + mr_sample(im, fx + sx / 2, fy + sy / 2);
			v[gy * MR_GW + gx] = 255.0f - s / 4.0f; /* ink is positive */
			sum += v[gy * MR_GW + gx];
		}
	float mean = (float)(sum / MR_GN);
	double nn = 0;
	for (int k = 0; k < MR_GN; k++) {
		v[k] -= mean;
		nn += (double)v[k] * v[k];
	}
	if (nn < 1e-3)
		return false;
	float inv = (float)(1.0 / sqrt(nn));
	for (int k = 0; k < MR_GN; k++)
		v[k] *= inv;
	return true;
}

/* ---------------------------------------------------------------------------------------------
 * Positions, classes, check digits
 */

enum { MR_C_DIGIT = 1, MR_C_ALPHA = 2, MR_C_FILL = 4, MR_C_SEX = 8 };
#define MR_C_ALNUMF (MR_C_DIGIT | MR_C_ALPHA | MR_C_FILL)
#define MR_C_ALPHAF (MR_C_ALPHA | MR_C_FILL)
#define MR_C_DIGITF (MR_C_DIGIT | MR_C_FILL)

static int
mr_class_at(int fmt, size_t line, int pos)
{
	if (fmt == 30) {
		if (line == 0)
			return pos == 0 ? MR_C_ALPHA : pos <= 4 ? MR_C_ALPHAF
			       : pos == 14 ? MR_C_DIGITF : MR_C_ALNUMF;
		if (line == 1) {
			if (pos <= 6 || (pos >= 8 && pos <= 14) || pos == 29)
				return MR_C_DIGIT;
			if (pos == 7)
				return MR_C_SEX;
			if (pos <= 17)
				return MR_C_ALPHAF;
			return MR_C_ALNUMF;
		}
		return MR_C_ALPHAF;
	}
	if (line == 0)
		return pos == 0 ? MR_C_ALPHA : MR_C_ALPHAF;
	if (pos <= 8)
		return MR_C_ALNUMF;
	if (pos == 9)
		return MR_C_DIGIT;
	if (pos <= 12)
		return MR_C_ALPHAF;
	if (pos <= 19 || (pos >= 21 && pos <= 27))
		return MR_C_DIGIT;
	if (pos == 20)
		return MR_C_SEX;
	if (fmt == 44 && pos == 42)
		return MR_C_DIGITF;
	if (pos == fmt - 1)
		return MR_C_DIGIT;
	return MR_C_ALNUMF;
}

static bool
mr_class_allows(int cls, char ch)
{
	if (cls == MR_C_SEX)
		return ch == 'M' || ch == 'F' || ch == 'X' || ch == '<';
	if (idv_isdigit(ch))
		return cls & MR_C_DIGIT;
	if (idv_isupper(ch))
		return cls & MR_C_ALPHA;
	return cls & MR_C_FILL;
}

static int
mr_value(char ch)
{
	if (idv_isdigit(ch))
		return ch - '0';
	if (idv_isupper(ch))
		return ch - 'A' + 10;
	return 0;
}

/* A check-digit group: ranges of (line, from, to) and the digit's (line, pos). */
struct mr_group {
	int nr;
	struct {
		int line, from, to; /* inclusive */
	} r[4];
	int dline, dpos;
	bool may_be_fill; /* an empty optional field may have '<' as its check digit */
};

static size_t
mr_groups(int fmt, struct mr_group *g)
{
	if (fmt == 30) {
		g[0] = (struct mr_group){1, {{0, 5, 13}}, 0, 14, true};
		g[1] = (struct mr_group){1, {{1, 0, 5}}, 1, 6, false};
		g[2] = (struct mr_group){1, {{1, 8, 13}}, 1, 14, false};
		g[3] = (struct mr_group){4, {{0, 5, 29}, {1, 0, 6}, {1, 8, 14}, {1, 18, 28}}, 1, 29,
					 false};
		return 4;
	}
	g[0] = (struct mr_group){1, {{1, 0, 8}}, 1, 9, false};
	g[1] = (struct mr_group){1, {{1, 13, 18}}, 1, 19, false};
	g[2] = (struct mr_group){1, {{1, 21, 26}}, 1, 27, false};
	if (fmt == 44) {
		g[3] = (struct mr_group){1, {{1, 28, 41}}, 1, 42, true};
		g[4] = (struct mr_group){3, {{1, 0, 9}, {1, 13, 19}, {1, 21, 42}}, 1, 43, false};
		return 5;
	}
	g[3] = (struct mr_group){3, {{1, 0, 9}, {1, 13, 19}, {1, 21, 34}}, 1, 35, false};
	return 4;
}

static bool
mr_group_ok(char lines[][IDV_MRZ_LINE_MAX], const struct mr_group *g)
{
	static const int w[3] = {7, 3, 1};
	int sum = 0, k = 0;
	bool all_fill = true;
	for (int r = 0; r < g->nr; r++)
		for (int p = g->r[r].from; p <= g->r[r].to; p++, k++) {
			char ch = lines[g->r[r].line][p];
			if (ch != '<')
				all_fill = false;
			sum += mr_value(ch) * w[k % 3];
		}
	char d = lines[g->dline][g->dpos];
	if (d == '<')
		return g->may_be_fill && all_fill;
	/* TD1 document numbers longer than 9 characters: '<' at 14, check digit later (accepted
	 * by the parser, not judged here) */
	return idv_isdigit(d) && d - '0' == sum % 10;
}

/* ---------------------------------------------------------------------------------------------
 * Reading
 */

static void
mr_classify(const struct idv_mrzcell_templates *r, const float *const *vs, size_t nv, int cls,
	    struct idv_mrzcell_cand *out)
{
	out->ch[0] = out->ch[1] = '<';
	out->score[0] = out->score[1] = -2.0f;
	for (int k = 0; k < MR_NCLASS; k++) {
		char ch = idv_mrzcell_alphabet[k];
		if (!mr_class_allows(cls, ch))
			continue;
		float best = -2.0f;
		for (int b = 0; b < MR_NBUCKET; b++) {
			if (!r->have[k][b])
				continue;
			const float *t = r->tmpl[k][b];
			for (size_t s = 0; s < nv; s++) {
				const float *v = vs[s];
				float d = 0;
				for (int i = 0; i < MR_GN; i++)
					d += v[i] * t[i];
				if (d > best)
					best = d;
			}
		}
		if (best > out->score[0]) {
			out->ch[1] = out->ch[0];
			out->score[1] = out->score[0];
			out->ch[0] = ch;
			out->score[0] = best;
		} else if (best > out->score[1]) {
			out->ch[1] = ch;
			out->score[1] = best;
		}
	}
}

/* Repair one failing group with the second choices of up to two cells, the cheapest first. */
static void
mr_repair_group(struct idv_mrzcell_reading *rd, const struct mr_group *g)
{
	int pos[64][2];
	size_t np = 0;
	for (int q = 0; q < g->nr; q++)
		for (int p = g->r[q].from; p <= g->r[q].to && np < 63; p++)
			pos[np][0] = g->r[q].line, pos[np++][1] = p;
	pos[np][0] = g->dline, pos[np++][1] = g->dpos;
	/* a check digit is passed by chance once in ten: every extra substitution tried makes a
	 * false repair likelier, so only near-ties are considered, and pairs only of closer ones */
	float bestloss = 0.12f;
	int b1 = -1, b2 = -1;
	for (size_t i = 0; i < np; i++) {
		struct idv_mrzcell_cand *ci = &rd->cand[pos[i][0]][pos[i][1]];
		float li = ci->score[0] - ci->score[1];
		if (li >= bestloss)
			continue;
		char si = rd->lines[pos[i][0]][pos[i][1]];
		rd->lines[pos[i][0]][pos[i][1]] = ci->ch[1];
		if (mr_group_ok(rd->lines, g)) {
			bestloss = li;
			b1 = (int)i;
			b2 = -1;
		}
		for (size_t j = i + 1; j < np && li < 0.06f; j++) {
			struct idv_mrzcell_cand *cj = &rd->cand[pos[j][0]][pos[j][1]];
			float lj = li + cj->score[0] - cj->score[1];
			if (lj >= bestloss || cj->score[0] - cj->score[1] >= 0.06f)
				continue;
			char sj = rd->lines[pos[j][0]][pos[j][1]];
			rd->lines[pos[j][0]][pos[j][1]] = cj->ch[1];
			if (mr_group_ok(rd->lines, g)) {
				bestloss = lj;
				b1 = (int)i;
				b2 = (int)j;
			}
			rd->lines[pos[j][0]][pos[j][1]] = sj;
		}
		rd->lines[pos[i][0]][pos[i][1]] = si;
	}
	if (b1 >= 0)
		rd->lines[pos[b1][0]][pos[b1][1]] = rd->cand[pos[b1][0]][pos[b1][1]].ch[1];
	if (b2 >= 0)
		rd->lines[pos[b2][0]][pos[b2][1]] = rd->cand[pos[b2][0]][pos[b2][1]].ch[1];
}

static void
mr_score(struct idv_mrzcell_reading *rd)
{
	struct mr_group g[5];
	size_t ng = mr_groups(rd->fmt, g);
	rd->passed = 0;
	rd->total = (int)ng;
	for (size_t i = 0; i < ng; i++)
		if (mr_group_ok(rd->lines, &g[i]))
			rd->passed++;
}

void
idv_mrzcell_read_zone(const struct idv_mrzcell_templates *r, const struct idv_mrzcell_img *im, const struct idv_mrzcell_geom *g,
	     const struct idv_mrzcell_zone *z, float xshift, struct idv_mrzcell_reading *rd)
{
	float shifted[9][MR_GN];
	const float *vs[9];
	memset(rd, 0, sizeof(*rd));
	rd->fmt = z->format;
	rd->nlines = z->nlines;
	double confsum = 0;
	int nconf = 0;
	for (size_t li = 0; li < z->nlines; li++) {
		struct idv_mrzcell_fit f;
		idv_mrzcell_fit_line(g, &g->lines[z->line[li]], z->format, &f);
		f.a += xshift * f.b;
		for (int i = 0; i < z->format; i++) {
			size_t nv = 0;
			for (int sy = -1; sy <= 1; sy++)
				for (int sx = -1; sx <= 1; sx++)
					if (idv_mrzcell_cell(im, &f, i, 0.08f * (float)sx, 0.05f * (float)sy,
						    shifted[nv]))
						vs[nv] = shifted[nv], nv++;
			struct idv_mrzcell_cand *c = &rd->cand[li][i];
			if (nv == 0) {
				c->ch[0] = c->ch[1] = '<';
				c->score[0] = c->score[1] = 0;
			} else {
				mr_classify(r, vs, nv, mr_class_at(z->format, li, i), c);
			}
			rd->lines[li][i] = c->ch[0];
			confsum += c->score[0];
			nconf++;
		}
		rd->lines[li][z->format] = '\0';
	}
	rd->conf = nconf ? (float)(confsum / nconf) : 0;
	struct mr_group gr[5];
	size_t ng = mr_groups(rd->fmt, gr);
	for (size_t i = 0; i < ng; i++)
		if (!mr_group_ok(rd->lines, &gr[i]))
			mr_repair_group(rd, &gr[i]);
	mr_score(rd);
}
