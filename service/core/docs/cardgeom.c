/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cardgeom.c: the geometry of finding an ID-1 card's four corners and warping it flat
 * (cardgeom.h), over plain grey bytes; the image I/O is service/io/read/card.c.
 *
 * 1. (card.c) Downscale to at most IDV_CARDGEOM_WORK pixels on the long side; here box-blur.
 * 2. Sobel gradients; edge pixels are the strongest ~10% (and above an absolute floor).
 * 3. Hough transform where each edge pixel votes only for lines whose normal is within a few
 *    degrees of its gradient direction: texture (fabric, wood grain) spreads its votes, the
 *    card's long straight borders pile theirs up.
 * 4. Peaks -> pairs of near-parallel lines -> quadrilaterals from two pairs at a wide angle.
 *    Each quadrilateral must be convex, large enough, near the card's aspect ratio, and its
 *    sides must really be edges with the right orientation (coverage sampled along each side).
 * 5. The best ones are refined by a total-least-squares fit of the edge points near each side,
 *    then scaled back to the input's pixels and ordered with the top edge along a long side.
 */
#include <math.h>
#include <stdlib.h>

#include "idverify/cardgeom.h"

#define CARD_WORK IDV_CARDGEOM_WORK /* long side of the working copy */
#define CARD_NTHETA 180    /* 1 degree bins */
#define CARD_SPREAD 3      /* votes within +-3 degrees of the gradient direction */
#define CARD_MAX_PEAKS 28
#define CARD_MAX_CANDS 64

struct card_line {
	int t;   /* normal angle, degrees [0, 180) */
	float r; /* x cos t + y sin t = r */
	int votes;
};

struct card_work {
	int w, h;
	int16_t *ang; /* gradient normal angle in degrees [0,180), -1 when not an edge */
};

static float card_cos[CARD_NTHETA], card_sin[CARD_NTHETA];
static int card_tables_done;

static void
card_tables(void)
{
	if (card_tables_done)
		return;
	for (int t = 0; t < CARD_NTHETA; t++) {
		card_cos[t] = cosf((float)t * (float)M_PI / 180.0f);
		card_sin[t] = sinf((float)t * (float)M_PI / 180.0f);
	}
	card_tables_done = 1;
}

/* Separable box blur of radius 2, in place through a scratch row. */
static void
card_blur(uint8_t *p, int w, int h)
{
	int *tmp = idv_malloc(sizeof(int) * (size_t)(w > h ? w : h));
	for (int y = 0; y < h; y++) {
		uint8_t *row = p + (size_t)y * (size_t)w;
		for (int x = 0; x < w; x++) {
			int s = 0, n = 0;
			for (int k = -2; k <= 2; k++)
				if (x + k >= 0 && x + k < w)
					s += row[x + k], n++;
			tmp[x] = s / n;
		}
		for (int x = 0; x < w; x++)
			row[x] = (uint8_t)tmp[x];
	}
	for (int x = 0; x < w; x++) {
		for (int y = 0; y < h; y++) {
			int s = 0, n = 0;
			for (int k = -2; k <= 2; k++)
				if (y + k >= 0 && y + k < h)
					s += p[(size_t)(y + k) * (size_t)w + (size_t)x], n++;
			tmp[y] = s / n;
		}
		for (int y = 0; y < h; y++)
			p[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)tmp[y];
	}
	free(tmp);
}

/* Gradients: fills work->ang for edge pixels, -1 elsewhere. */
static void
card_edges(const uint8_t *p, struct card_work *work)
{
	int w = work->w, h = work->h;
	size_t n = (size_t)w * (size_t)h;
	int *mag = idv_calloc(n, sizeof(int));
	int16_t *ang = work->ang;
	int hist[2048] = {0};
	for (size_t i = 0; i < n; i++)
		ang[i] = -1;
	for (int y = 1; y < h - 1; y++) {
		for (int x = 1; x < w - 1; x++) {
			const uint8_t *a = p + (size_t)(y - 1) * (size_t)w + (size_t)x;
			const uint8_t *b = a + w, *c = b + w;
			int gx = (a[1] + 2 * b[1] + c[1]) - (a[-1] + 2 * b[-1] + c[-1]);
			int gy = (c[-1] + 2 * c[0] + c[1]) - (a[-1] + 2 * a[0] + a[1]);
			int m = abs(gx) + abs(gy);
			if (m > 2047)
				m = 2047;
			size_t i = (size_t)y * (size_t)w + (size_t)x;
			mag[i] = m;
			hist[m]++;
			if (m > 0) {
				float deg = atan2f((float)gy, (float)gx) * 180.0f / (float)M_PI;
				if (deg < 0)
					deg += 180.0f;
				int t = (int)lrintf(deg) % 180;
				ang[i] = (int16_t)t;
			}
		}
	}
	/* Threshold: the strongest 25%, but at least some contrast (a pale card on a pale desk
	 * shows 15-20 grey levels at its border). */
	size_t want = n * 25 / 100, acc = 0;
	int thr = 2047;
	while (thr > 0 && acc + (size_t)hist[thr] < want)
		acc += (size_t)hist[thr--];
	if (thr < 20)
		thr = 20;
	for (size_t i = 0; i < n; i++)
		if (mag[i] < thr)
			ang[i] = -1;
	free(mag);
}

static int
card_peak_cmp(const void *a, const void *b)
{
	const struct card_line *x = a, *y = b;
	return (y->votes > x->votes) - (y->votes < x->votes);
}

/* Angle between two line normals folded into [0, 90]. */
static int
card_angdiff(int a, int b)
{
	int d = abs(a - b) % 180;
	return d > 90 ? 180 - d : d;
}

/* Hough transform with gradient-directed votes; returns the number of peaks. */
static size_t
card_hough(const struct card_work *work, struct card_line *peaks, size_t max)
{
	int w = work->w, h = work->h;
	int d = (int)ceilf(hypotf((float)w, (float)h));
	int nr = 2 * d + 1;
	size_t cells = (size_t)CARD_NTHETA * (size_t)nr;
	int *acc = idv_calloc(cells, sizeof(int));
	size_t npeaks = 0;
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			int t0 = work->ang[(size_t)y * (size_t)w + (size_t)x];
			if (t0 < 0)
				continue;
			for (int dt = -CARD_SPREAD; dt <= CARD_SPREAD; dt++) {
				int t = (t0 + dt + CARD_NTHETA) % CARD_NTHETA;
				int r = (int)lrintf((float)x * card_cos[t] + (float)y * card_sin[t]);
				acc[(size_t)t * (size_t)nr + (size_t)(r + d)]++;
			}
		}
	}
	int minvotes = (w < h ? w : h) / 8;
	struct card_line cand[512];
	size_t ncand = 0;
	for (int t = 0; t < CARD_NTHETA; t++) {
		for (int r = 0; r < nr; r++) {
			int v = acc[(size_t)t * (size_t)nr + (size_t)r];
			if (v < minvotes)
				continue;
			bool is_max = true;
			for (int dt = -3; dt <= 3 && is_max; dt++) {
				int tt = t + dt;
				if (tt < 0 || tt >= CARD_NTHETA)
					continue;
				for (int dr = -5; dr <= 5; dr++) {
					int rr = r + dr;
					if (rr < 0 || rr >= nr || (dt == 0 && dr == 0))
						continue;
					int u = acc[(size_t)tt * (size_t)nr + (size_t)rr];
					/* ties: keep the first in scan order */
					if (u > v || (u == v && (dt < 0 || (dt == 0 && dr < 0)))) {
						is_max = false;
						break;
					}
				}
			}
			if (!is_max)
				continue;
			if (ncand < IDV_ARRAY_LEN(cand)) {
				cand[ncand].t = t;
				cand[ncand].r = (float)(r - d);
				cand[ncand].votes = v;
				ncand++;
			} else {
				/* replace the weakest */
				size_t lo = 0;
				for (size_t i = 1; i < ncand; i++)
					if (cand[i].votes < cand[lo].votes)
						lo = i;
				if (cand[lo].votes < v) {
					cand[lo].t = t;
					cand[lo].r = (float)(r - d);
					cand[lo].votes = v;
				}
			}
		}
	}
	free(acc);
	qsort(cand, ncand, sizeof cand[0], card_peak_cmp);
	/* Suppress near-duplicates (including across the 0/180 wrap, where r changes sign). */
	for (size_t i = 0; i < ncand && npeaks < max; i++) {
		bool dup = false;
		for (size_t k = 0; k < npeaks && !dup; k++) {
			int da = abs(cand[i].t - peaks[k].t);
			if (da <= 4 && fabsf(cand[i].r - peaks[k].r) <= 8.0f)
				dup = true;
			if (da >= 176 && fabsf(cand[i].r + peaks[k].r) <= 8.0f)
				dup = true;
		}
		if (!dup)
			peaks[npeaks++] = cand[i];
	}
	return npeaks;
}

static bool
card_intersect(float t1, float r1, float t2, float r2, float *x, float *y)
{
	float a1 = t1 * (float)M_PI / 180.0f, a2 = t2 * (float)M_PI / 180.0f;
	float c1 = cosf(a1), s1 = sinf(a1), c2 = cosf(a2), s2 = sinf(a2);
	float det = c1 * s2 - s1 * c2;
	if (fabsf(det) < 1e-3f)
		return false;
	*x = (r1 * s2 - r2 * s1) / det;
	*y = (c1 * r2 - c2 * r1) / det;
	return true;
}

/* Fraction of a segment's sample points with an edge of the segment's orientation nearby. */
static float
card_coverage(const struct card_work *work, float x0, float y0, float x1, float y1)
{
	float len = hypotf(x1 - x0, y1 - y0);
	if (len < 4.0f)
		return 0.0f;
	float nx = -(y1 - y0) / len, ny = (x1 - x0) / len;
	float deg = atan2f(ny, nx) * 180.0f / (float)M_PI;
	if (deg < 0)
		deg += 180.0f;
	int tside = (int)lrintf(deg) % 180;
	int samples = (int)(len / 2.0f), hits = 0, counted = 0;
	for (int i = 1; i < samples; i++) {
		float f = (float)i / (float)samples;
		float px = x0 + f * (x1 - x0), py = y0 + f * (y1 - y0);
		bool inside = false, hit = false;
		for (int k = -2; k <= 2 && !hit; k++) {
			int qx = (int)lrintf(px + (float)k * nx), qy = (int)lrintf(py + (float)k * ny);
			if (qx < 1 || qy < 1 || qx >= work->w - 1 || qy >= work->h - 1)
				continue;
			inside = true;
			int a = work->ang[(size_t)qy * (size_t)work->w + (size_t)qx];
			if (a >= 0 && card_angdiff(a, tside) <= 12)
				hit = true;
		}
		/* Parts of a side outside the photo neither help nor hurt much. */
		if (inside) {
			counted++;
			hits += hit;
		}
	}
	if (counted < samples / 2)
		return 0.0f;
	return (float)hits / (float)(samples > 1 ? samples - 1 : 1);
}

static float
card_dist(float x0, float y0, float x1, float y1)
{
	return hypotf(x1 - x0, y1 - y0);
}

/* Refit a side from edge points near it; returns false when too few points. */
static bool
card_refit(const struct card_work *work, float x0, float y0, float x1, float y1, float *t_out,
	   float *r_out)
{
	float len = card_dist(x0, y0, x1, y1);
	if (len < 8.0f)
		return false;
	float nx = -(y1 - y0) / len, ny = (x1 - x0) / len;
	float deg = atan2f(ny, nx) * 180.0f / (float)M_PI;
	if (deg < 0)
		deg += 180.0f;
	int tside = (int)lrintf(deg) % 180;
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
	int n = 0, samples = (int)len;
	/* Skip the ends, where the neighbouring side's edge pixels sit. */
	for (int i = samples / 10; i < samples - samples / 10; i++) {
		float f = (float)i / (float)samples;
		float px = x0 + f * (x1 - x0), py = y0 + f * (y1 - y0);
		float best = 1e9f, bx = 0, by = 0;
		for (int k = -3; k <= 3; k++) {
			int qx = (int)lrintf(px + (float)k * nx), qy = (int)lrintf(py + (float)k * ny);
			if (qx < 1 || qy < 1 || qx >= work->w - 1 || qy >= work->h - 1)
				continue;
			int a = work->ang[(size_t)qy * (size_t)work->w + (size_t)qx];
			if (a >= 0 && card_angdiff(a, tside) <= 12 && abs(k) < best) {
				best = (float)abs(k);
				bx = (float)qx, by = (float)qy;
			}
		}
		if (best < 1e8f) {
			sx += bx, sy += by, sxx += (double)bx * bx, syy += (double)by * by;
			sxy += (double)bx * by;
			n++;
		}
	}
	if (n < 10)
		return false;
	double mx = sx / n, my = sy / n;
	double cxx = sxx / n - mx * mx, cyy = syy / n - my * my, cxy = sxy / n - mx * my;
	/* Normal = eigenvector of the smallest eigenvalue of the covariance. */
	double theta = 0.5 * atan2(2.0 * cxy, cxx - cyy); /* direction of the line */
	double nxx = -sin(theta), nyy = cos(theta);
	double t = atan2(nyy, nxx) * 180.0 / M_PI;
	double r = mx * nxx + my * nyy;
	*t_out = (float)t;
	*r_out = (float)r;
	return true;
}

/* Order corners clockwise from the top-left, with c0->c1 along a long side. */
static void
card_order(struct idv_quad *q)
{
	float cx = 0, cy = 0;
	for (int i = 0; i < 4; i++)
		cx += q->x[i], cy += q->y[i];
	cx /= 4, cy /= 4;
	float ang[4];
	int idx[4] = {0, 1, 2, 3};
	for (int i = 0; i < 4; i++)
		ang[i] = atan2f(q->y[i] - cy, q->x[i] - cx);
	/* Sort by angle ascending = clockwise on screen (y down). */
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			if (ang[idx[j]] < ang[idx[i]]) {
				int t = idx[i];
				idx[i] = idx[j];
				idx[j] = t;
			}
	float x[4], y[4];
	for (int i = 0; i < 4; i++)
		x[i] = q->x[idx[i]], y[i] = q->y[idx[i]];
	float s01 = card_dist(x[0], y[0], x[1], y[1]) + card_dist(x[2], y[2], x[3], y[3]);
	float s12 = card_dist(x[1], y[1], x[2], y[2]) + card_dist(x[3], y[3], x[0], y[0]);
	int start = s01 >= s12 ? 0 : 1;
	/* Of the two long sides, the upper one (or, when upright sides, the left one) is top. */
	int other = start + 2;
	float my0 = (y[start] + y[(start + 1) % 4]) / 2, my1 = (y[other] + y[(other + 1) % 4]) / 2;
	float mx0 = (x[start] + x[(start + 1) % 4]) / 2, mx1 = (x[other] + x[(other + 1) % 4]) / 2;
	if (fabsf(my0 - my1) >= fabsf(mx0 - mx1)) {
		if (my1 < my0)
			start = other;
	} else if (mx1 < mx0) {
		start = other;
	}
	for (int i = 0; i < 4; i++) {
		q->x[i] = x[(start + i) % 4];
		q->y[i] = y[(start + i) % 4];
	}
}

static int
card_cand_cmp(const void *a, const void *b)
{
	const struct idv_quad *x = a, *y = b;
	return (y->score > x->score) - (y->score < x->score);
}

static bool
card_similar(const struct idv_quad *a, const struct idv_quad *b, float tol)
{
	/* Same corner set in any order. */
	for (int i = 0; i < 4; i++) {
		bool found = false;
		for (int j = 0; j < 4 && !found; j++)
			if (card_dist(a->x[i], a->y[i], b->x[j], b->y[j]) < tol)
				found = true;
		if (!found)
			return false;
	}
	return true;
}
/* Step 4a: the quadrilateral of lines L (corner i = L[i-1] x L[i]) and its score; false when
 * it is not a card's: outside the image, not convex, too small, off the aspect ratio, or with
 * sides that are not edges. */
static bool
card_quad(const struct card_work *work, const struct card_line *const L[4], struct idv_quad *q)
{
	float minside = (float)(work->w < work->h ? work->w : work->h);
	float area_img = (float)work->w * (float)work->h;
	bool ok = true;
	for (int i = 0; i < 4 && ok; i++) {
		const struct card_line *u = L[(i + 3) % 4], *v = L[i];
		ok = card_intersect((float)u->t, u->r, (float)v->t, v->r, &q->x[i], &q->y[i]);
		if (ok && (q->x[i] < -0.04f * (float)work->w || q->x[i] > 1.04f * (float)work->w ||
			   q->y[i] < -0.04f * (float)work->h || q->y[i] > 1.04f * (float)work->h))
			ok = false;
	}
	if (!ok)
		return false;
	float area = 0, sign = 0;
	for (int i = 0; i < 4 && ok; i++) {
		int j = (i + 1) % 4, k = (i + 2) % 4;
		area += q->x[i] * q->y[j] - q->x[j] * q->y[i];
		float cr = (q->x[j] - q->x[i]) * (q->y[k] - q->y[j]) -
			   (q->y[j] - q->y[i]) * (q->x[k] - q->x[j]);
		if (sign == 0)
			sign = cr;
		else if ((cr > 0) != (sign > 0))
			ok = false;
	}
	area = fabsf(area) / 2;
	if (!ok || area < 0.10f * area_img)
		return false;
	float s[4];
	for (int i = 0; i < 4; i++)
		s[i] = card_dist(q->x[i], q->y[i], q->x[(i + 1) % 4], q->y[(i + 1) % 4]);
	float A = (s[0] + s[2]) / 2, B = (s[1] + s[3]) / 2;
	float ratio = A > B ? A / B : B / A;
	if (ratio < 1.35f || ratio > 1.95f || s[0] / s[2] > 1.6f || s[2] / s[0] > 1.6f ||
	    s[1] / s[3] > 1.6f || s[3] / s[1] > 1.6f || (A < B ? A : B) < 0.15f * minside)
		return false;
	float cov[4], mean = 0, mn = 1;
	for (int i = 0; i < 4; i++) {
		int j = (i + 1) % 4;
		cov[i] = card_coverage(work, q->x[i], q->y[i], q->x[j], q->y[j]);
		mean += cov[i] / 4;
		if (cov[i] < mn)
			mn = cov[i];
	}
	if (mn < 0.3f)
		return false;
	float dev = (ratio - IDV_CARD_ASPECT) / 0.4f;
	q->score = mean * sqrtf(mn) * powf(area / area_img, 0.25f) * expf(-dev * dev);
	return true;
}

/* Keep q among the best CARD_MAX_CANDS candidates. */
static void
card_keep(struct idv_quad *cands, size_t *nc, const struct idv_quad *q)
{
	if (*nc < CARD_MAX_CANDS) {
		cands[(*nc)++] = *q;
		return;
	}
	size_t lo = 0;
	for (size_t i = 1; i < *nc; i++)
		if (cands[i].score < cands[lo].score)
			lo = i;
	if (cands[lo].score < q->score)
		cands[lo] = *q;
}

/* Step 4: quadrilaterals from two pairs of near-parallel lines at a wide angle. */
static size_t
card_quads(const struct card_work *work, const struct card_line *peaks, size_t np,
	   struct idv_quad *cands)
{
	size_t nc = 0;
	for (size_t a1 = 0; a1 < np; a1++)
	for (size_t a2 = a1 + 1; a2 < np; a2++) {
		if (card_angdiff(peaks[a1].t, peaks[a2].t) > 12)
			continue;
		for (size_t b1 = a1 + 1; b1 < np; b1++) {
			if (b1 == a2 || card_angdiff(peaks[a1].t, peaks[b1].t) < 50)
				continue;
			for (size_t b2 = b1 + 1; b2 < np; b2++) {
				if (b2 == a2 || card_angdiff(peaks[b1].t, peaks[b2].t) > 12)
					continue;
				const struct card_line *const L[4] = {&peaks[a1], &peaks[b2],
								       &peaks[a2], &peaks[b1]};
				struct idv_quad q;
				if (card_quad(work, L, &q))
					card_keep(cands, &nc, &q);
			}
		}
	}
	return nc;
}

/* Step 5: refine each side of q by the edge points near it, then recompute the corners (kept
 * only when none moves by more than 6 pixels). */
static void
card_refine(const struct card_work *work, struct idv_quad *q)
{
	float t[4], r[4];
	bool refined = true;
	for (int s = 0; s < 4 && refined; s++) {
		int e = (s + 1) % 4;
		refined = card_refit(work, q->x[s], q->y[s], q->x[e], q->y[e], &t[s], &r[s]);
	}
	if (!refined)
		return;
	struct idv_quad rq = *q;
	for (int c = 0; c < 4 && refined; c++) {
		int prev = (c + 3) % 4;
		refined = card_intersect(t[prev], r[prev], t[c], r[c], &rq.x[c], &rq.y[c]);
		if (refined && card_dist(rq.x[c], rq.y[c], q->x[c], q->y[c]) > 6.0f)
			refined = false;
	}
	if (refined)
		*q = rq;
}

size_t
idv_cardgeom_find(uint8_t *p, int w, int h, float f, struct idv_quad *out, size_t max)
{
	size_t nout = 0;
	struct card_work work = {w, h, NULL};
	card_tables();
	if (p == NULL || w < 32 || h < 32 || max == 0)
		return 0;
	card_blur(p, work.w, work.h);
	work.ang = idv_malloc(sizeof(int16_t) * (size_t)work.w * (size_t)work.h);
	card_edges(p, &work);

	struct card_line peaks[CARD_MAX_PEAKS];
	size_t np = card_hough(&work, peaks, CARD_MAX_PEAKS);
	float minside = (float)(work.w < work.h ? work.w : work.h);
	struct idv_quad cands[CARD_MAX_CANDS];
	size_t nc = card_quads(&work, peaks, np, cands);
	qsort(cands, nc, sizeof cands[0], card_cand_cmp);
	for (size_t i = 0; i < nc && nout < max; i++) {
		struct idv_quad q = cands[i];
		bool dup = false;
		for (size_t k = 0; k < nout && !dup; k++) {
			struct idv_quad o = out[k];
			for (int c = 0; c < 4; c++)
				o.x[c] *= f, o.y[c] *= f;
			dup = card_similar(&q, &o, 0.04f * minside);
		}
		if (dup)
			continue;
		card_refine(&work, &q);
		for (int c = 0; c < 4; c++) {
			q.x[c] = (q.x[c] + 0.5f) / f - 0.5f;
			q.y[c] = (q.y[c] + 0.5f) / f - 0.5f;
		}
		card_order(&q);
		out[nout++] = q;
	}
	free(work.ang);
	return nout;
}

/* Solve the 8 unknowns of a homography mapping (u,v) -> (x,y) from 4 correspondences. */
bool
idv_cardgeom_homography(const float u[4], const float v[4], const float x[4], const float y[4],
		double hm[8])
{
	double a[8][9];
	for (int i = 0; i < 4; i++) {
		double r0[9] = {u[i], v[i], 1, 0, 0, 0, -(double)u[i] * x[i], -(double)v[i] * x[i],
				x[i]};
		double r1[9] = {0, 0, 0, u[i], v[i], 1, -(double)u[i] * y[i], -(double)v[i] * y[i],
				y[i]};
		memcpy(a[2 * i], r0, sizeof r0);
		memcpy(a[2 * i + 1], r1, sizeof r1);
	}
	for (int c = 0; c < 8; c++) {
		int piv = c;
		for (int r = c + 1; r < 8; r++)
			if (fabs(a[r][c]) > fabs(a[piv][c]))
				piv = r;
		if (fabs(a[piv][c]) < 1e-12)
			return false;
		if (piv != c)
			for (int k = 0; k < 9; k++) {
				double t = a[c][k];
				a[c][k] = a[piv][k];
				a[piv][k] = t;
			}
		for (int r = 0; r < 8; r++) {
			if (r == c)
				continue;
			double m = a[r][c] / a[c][c];
			for (int k = c; k < 9; k++)
				a[r][k] -= m * a[c][k];
		}
	}
	for (int i = 0; i < 8; i++)
		hm[i] = a[i][8] / a[i][i];
	return true;
}

bool
idv_cardgeom_warp(const uint8_t *src, int W, int H, const struct idv_quad *q, uint8_t *dst,
		  int w, int h)
{
	float u[4] = {0, (float)(w - 1), (float)(w - 1), 0};
	float v[4] = {0, 0, (float)(h - 1), (float)(h - 1)};
	double hm[8];
	if (!idv_cardgeom_homography(u, v, q->x, q->y, hm))
		return false;
	/* When the card is much larger than the output, sample a small neighbourhood. */
	float scale = card_dist(q->x[0], q->y[0], q->x[1], q->y[1]) / (float)w;
	int ss = scale > 1.6f ? 2 : 1;
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			float acc = 0;
			int n = 0;
			for (int sy = 0; sy < ss; sy++)
			for (int sx = 0; sx < ss; sx++) {
				double uu = x + (ss == 1 ? 0 : (sx - 0.5) * 0.5);
				double vv = y + (ss == 1 ? 0 : (sy - 0.5) * 0.5);
				double den = hm[6] * uu + hm[7] * vv + 1.0;
				if (fabs(den) < 1e-9)
					continue;
				double fx = (hm[0] * uu + hm[1] * vv + hm[2]) / den;
				double fy = (hm[3] * uu + hm[4] * vv + hm[5]) / den;
				if (fx < 0 || fy < 0 || fx > W - 1 || fy > H - 1) {
					acc += 255, n++;
					continue;
				}
				int x0 = (int)fx, y0 = (int)fy;
				int x1 = x0 + 1 < W ? x0 + 1 : x0, y1 = y0 + 1 < H ? y0 + 1 : y0;
				float ax = (float)(fx - x0), ay = (float)(fy - y0);
				const uint8_t *r0 = src + (size_t)y0 * (size_t)W;
				const uint8_t *r1 = src + (size_t)y1 * (size_t)W;
				float top = r0[x0] + ax * (float)(r0[x1] - r0[x0]);
				float bot = r1[x0] + ax * (float)(r1[x1] - r1[x0]);
				acc += top + ay * (bot - top);
				n++;
			}
			dst[(size_t)y * (size_t)w + (size_t)x] =
				(uint8_t)(n ? lrintf(acc / (float)n) : 255);
		}
	}
	return true;
}
