/* SPDX-License-Identifier: Apache-2.0 */
/* test_cardgeom.c: finding an ID-1 card's corners and warping it flat (cardgeom.h), on
 * synthetic grey images. */
#include "unit.h"

#include <math.h>
#include <stdlib.h>

#include "idverify/cardgeom.h"

/* A light background with a dark card of corners (x[i], y[i]) (convex, clockwise). */
static uint8_t *
card_image(int w, int h, const float x[4], const float y[4])
{
	uint8_t *p = idv_malloc((size_t)w * (size_t)h);
	for (int py = 0; py < h; py++)
		for (int px = 0; px < w; px++) {
			bool inside = true;
			for (int i = 0; i < 4 && inside; i++) {
				int j = (i + 1) % 4;
				float cr = (x[j] - x[i]) * ((float)py - y[i]) -
					   (y[j] - y[i]) * ((float)px - x[i]);
				inside = cr >= 0;
			}
			/* a little texture so the background is not flat */
			p[(size_t)py * (size_t)w + (size_t)px] =
				(uint8_t)(inside ? 60 : 200 + ((px * 7 + py * 3) % 11));
		}
	return p;
}

static float
corner_error(const struct idv_quad *q, const float x[4], const float y[4])
{
	float worst = 0;
	for (int i = 0; i < 4; i++) {
		float best = 1e9f;
		for (int k = 0; k < 4; k++) /* the order may start at another corner */
			best = fminf(best, hypotf(q->x[k] - x[i], q->y[k] - y[i]));
		worst = fmaxf(worst, best);
	}
	return worst;
}

static void
test_find_card(void **state)
{
	(void)state;
	/* A card 428 x 270 (ID-1's ratio), tilted by about 4 degrees, in a 640 x 480 image. */
	float a = 4.0f * 3.14159265f / 180.0f, cx = 320, cy = 240, hw = 214, hh = 135;
	float x[4], y[4];
	const float dx[4] = {-1, 1, 1, -1}, dy[4] = {-1, -1, 1, 1};
	for (int i = 0; i < 4; i++) {
		x[i] = cx + dx[i] * hw * cosf(a) - dy[i] * hh * sinf(a);
		y[i] = cy + dx[i] * hw * sinf(a) + dy[i] * hh * cosf(a);
	}
	uint8_t *p = card_image(640, 480, x, y);
	struct idv_quad q[4];
	size_t n = idv_cardgeom_find(p, 640, 480, 1.0f, q, 4);
	assert_true(n >= 1);
	assert_true(corner_error(&q[0], x, y) < 6.0f); /* 1 degree Hough bins: ~1% of the side */
	assert_true(q[0].score > 0.3f && q[0].score <= 1.0f);
	/* The top edge runs along a long side. */
	float top = hypotf(q[0].x[1] - q[0].x[0], q[0].y[1] - q[0].y[0]);
	float left = hypotf(q[0].x[3] - q[0].x[0], q[0].y[3] - q[0].y[0]);
	assert_true(top > left);
	free(p);
	/* At half scale the corners come back in input pixels. */
	float xs[4], ys[4];
	for (int i = 0; i < 4; i++)
		xs[i] = x[i] / 2, ys[i] = y[i] / 2;
	p = card_image(320, 240, xs, ys);
	n = idv_cardgeom_find(p, 320, 240, 0.5f, q, 4);
	assert_true(n >= 1);
	assert_true(corner_error(&q[0], x, y) < 10.0f);
	free(p);
}

static void
test_find_nothing(void **state)
{
	(void)state;
	uint8_t *p = idv_malloc(200 * 150);
	for (size_t i = 0; i < 200 * 150; i++)
		p[i] = (uint8_t)(128 + (i * 13) % 7); /* no edges worth a line */
	struct idv_quad q[2];
	assert_int_equal(idv_cardgeom_find(p, 200, 150, 1.0f, q, 2), 0);
	assert_int_equal(idv_cardgeom_find(p, 20, 20, 1.0f, q, 2), 0); /* too small */
	assert_int_equal(idv_cardgeom_find(p, 200, 150, 1.0f, q, 0), 0);
	free(p);
}

static void
test_homography_and_warp(void **state)
{
	(void)state;
	/* The unit square to a trapezoid: the four corners map exactly. */
	const float u[4] = {0, 1, 1, 0}, v[4] = {0, 0, 1, 1};
	const float x[4] = {10, 50, 60, 0}, y[4] = {5, 5, 40, 40};
	double hm[8];
	assert_true(idv_cardgeom_homography(u, v, x, y, hm));
	for (int i = 0; i < 4; i++) {
		double den = hm[6] * u[i] + hm[7] * v[i] + 1.0;
		assert_true(fabs((hm[0] * u[i] + hm[1] * v[i] + hm[2]) / den - x[i]) < 1e-6);
		assert_true(fabs((hm[3] * u[i] + hm[4] * v[i] + hm[5]) / den - y[i]) < 1e-6);
	}
	const float same[4] = {3, 3, 3, 3};
	assert_false(idv_cardgeom_homography(u, v, same, same, hm));

	/* Warping an axis-aligned quad of a horizontal ramp reproduces the ramp. */
	int W = 100, H = 60;
	uint8_t *src = idv_malloc((size_t)W * (size_t)H);
	for (int py = 0; py < H; py++)
		for (int px = 0; px < W; px++)
			src[py * W + px] = (uint8_t)(px * 2);
	struct idv_quad q = {{20, 69, 69, 20}, {10, 10, 49, 49}, 1};
	uint8_t dst[50 * 40];
	assert_true(idv_cardgeom_warp(src, W, H, &q, dst, 50, 40));
	for (int py = 0; py < 40; py++)
		for (int px = 0; px < 50; px++)
			assert_true(abs((int)dst[py * 50 + px] - 2 * (20 + px)) <= 1);
	/* Outside the source is white. */
	struct idv_quad off = {{-100, -50, -50, -100}, {0, 0, 30, 30}, 1};
	assert_true(idv_cardgeom_warp(src, W, H, &off, dst, 50, 40));
	assert_int_equal(dst[0], 255);
	struct idv_quad flat = {{5, 5, 5, 5}, {5, 5, 5, 5}, 0};
	dst[0] = 7;
	assert_false(idv_cardgeom_warp(src, W, H, &flat, dst, 50, 40));
	assert_int_equal(dst[0], 7);
	free(src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_card),
		cmocka_unit_test(test_find_nothing),
		cmocka_unit_test(test_homography_and_warp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
