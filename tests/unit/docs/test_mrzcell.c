/* SPDX-License-Identifier: Apache-2.0 */
/* test_mrzcell.c: the MRZ cell reader (mrzcell.h) on synthetic zones: lines from component
 * boxes, the zone's format, cell sampling, and a reading through templates. */
#include "unit.h"

#include <math.h>
#include <stdlib.h>

#include "idverify/mrzcell.h"

/* The ICAO Doc 9303 TD3 specimen: its check digits are valid. */
static const char *const td3[2] = {
	"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
};

#define PITCH 20
#define CAP 28
#define LEFT 40

static int
line_cy(size_t li)
{
	return 80 + 50 * (int)li;
}

/* A glyph per character: a 3 x 4 grid of dark blocks from a hash of the character. */
static void
draw_glyph(struct idv_mrzcell_img *im, int x0, int cy, char ch)
{
	unsigned bits = ((unsigned)(unsigned char)ch * 2654435761u >> 7) | 1u;
	for (int gy = 0; gy < 4; gy++)
		for (int gx = 0; gx < 3; gx++) {
			if (!(bits >> (gy * 3 + gx) & 1u))
				continue;
			for (int y = 0; y < 7; y++)
				for (int x = 0; x < 4; x++)
					im->p[(size_t)(cy - 14 + gy * 7 + y) * (size_t)im->w +
					      (size_t)(x0 + 3 + gx * 4 + x)] = 20;
		}
}

/* The image of lines and one component box per character (what a binariser would find). */
static size_t
render(struct idv_mrzcell_img *im, const char *const *lines, size_t nl,
       struct idv_mrzcell_comp *comps)
{
	im->w = LEFT * 2 + 44 * PITCH;
	im->h = 240;
	im->p = idv_malloc((size_t)im->w * (size_t)im->h);
	memset(im->p, 235, (size_t)im->w * (size_t)im->h);
	size_t n = 0;
	for (size_t li = 0; li < nl; li++)
		for (size_t i = 0; lines[li][i] != '\0'; i++) {
			int x0 = LEFT + (int)i * PITCH;
			draw_glyph(im, x0, line_cy(li), lines[li][i]);
			comps[n++] = (struct idv_mrzcell_comp){x0 + 3, line_cy(li) - 14, 12, CAP};
		}
	return n;
}

static void
test_lines_and_zone(void **state)
{
	(void)state;
	struct idv_mrzcell_img im;
	struct idv_mrzcell_comp *comps = idv_calloc(200, sizeof *comps);
	struct idv_mrzcell_geom g = {0};
	size_t n = render(&im, td3, 2, comps);
	g.comps = comps;
	idv_mrzcell_find_lines(comps, n, im.h, &g);
	assert_int_equal(g.nlines, 2);
	assert_int_equal(g.ncomps, 88);
	for (size_t i = 0; i < 2; i++) {
		assert_true(fabsf(g.lines[i].pitch - PITCH) < 0.5f);
		assert_true(fabsf(g.lines[i].cap - CAP) < 0.5f);
	}
	struct idv_mrzcell_zone z;
	assert_true(idv_mrzcell_pick_zone(&g, &z));
	assert_int_equal(z.format, 44); /* TD3: 2 x 44 */
	assert_int_equal(z.nlines, 2);
	assert_true(g.lines[z.line[0]].cy < g.lines[z.line[1]].cy);
	/* One line alone is no zone; a short run is no line. */
	struct idv_mrzcell_geom one = g;
	one.nlines = 1;
	assert_false(idv_mrzcell_pick_zone(&one, &z));
	free(im.p);
	n = render(&im, (const char *const[]){"P<UTO<<<<<"}, 1, comps);
	idv_mrzcell_find_lines(comps, n, im.h, &g);
	assert_int_equal(g.nlines, 0);
	free(im.p);
	free(comps);
}

static void
test_cell(void **state)
{
	(void)state;
	struct idv_mrzcell_img im = {idv_malloc(100 * 60), 100, 60};
	memset(im.p, 200, 100 * 60);
	struct idv_mrzcell_fit f = {.a = 50, .b = 20, .c = 0, .p = 30, .q = 0, .cap = 28};
	float v[IDV_MRZCELL_N];
	assert_false(idv_mrzcell_cell(&im, &f, 0, 0, 0, v)); /* blank */
	for (int y = 20; y < 40; y++)
		for (int x = 44; x < 50; x++)
			im.p[y * 100 + x] = 0;
	assert_true(idv_mrzcell_cell(&im, &f, 0, 0, 0, v));
	double sum = 0, nn = 0;
	for (int k = 0; k < IDV_MRZCELL_N; k++)
		sum += v[k], nn += (double)v[k] * v[k];
	assert_true(fabs(sum) < 1e-3);      /* zero mean */
	assert_true(fabs(nn - 1.0) < 1e-3); /* unit norm */
	free(im.p);
}

static void
test_read_zone(void **state)
{
	(void)state;
	struct idv_mrzcell_img im;
	struct idv_mrzcell_comp *comps = idv_calloc(200, sizeof *comps);
	struct idv_mrzcell_geom g = {0};
	size_t n = render(&im, td3, 2, comps);
	g.comps = comps;
	idv_mrzcell_find_lines(comps, n, im.h, &g);
	struct idv_mrzcell_zone z;
	assert_true(idv_mrzcell_pick_zone(&g, &z));
	/* Templates: each character's cell as sampled from the image itself. */
	struct idv_mrzcell_templates *t = idv_calloc(1, sizeof *t);
	for (size_t li = 0; li < 2; li++) {
		struct idv_mrzcell_fit f;
		idv_mrzcell_fit_line(&g, &g.lines[z.line[li]], z.format, &f);
		assert_true(fabsf(f.b - PITCH) < 0.5f);
		for (int i = 0; i < z.format; i++) {
			int k = (int)(strchr(idv_mrzcell_alphabet, td3[li][i]) - idv_mrzcell_alphabet);
			if (t->have[k][0])
				continue;
			assert_true(idv_mrzcell_cell(&im, &f, i, 0, 0, t->tmpl[k][0]));
			memcpy(t->tmpl[k][1], t->tmpl[k][0], sizeof t->tmpl[k][0]);
			t->have[k][0] = t->have[k][1] = true;
		}
	}
	struct idv_mrzcell_reading *rd = idv_calloc(1, sizeof *rd);
	idv_mrzcell_read_zone(t, &im, &g, &z, 0.0f, rd);
	assert_int_equal(rd->fmt, 44);
	assert_int_equal(rd->nlines, 2);
	assert_string_equal(rd->lines[0], td3[0]);
	assert_string_equal(rd->lines[1], td3[1]);
	assert_int_equal(rd->passed, rd->total);
	assert_true(rd->total > 0);
	assert_true(rd->conf > 0.9f);
	free(rd);
	free(t);
	free(im.p);
	free(comps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_and_zone),
		cmocka_unit_test(test_cell),
		cmocka_unit_test(test_read_zone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
