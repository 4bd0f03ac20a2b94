/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cardgeom.h: the geometry of an ID-1 card (85.6 x 54 mm) in a photo: finding its four
 * corners and warping it flat. Pure: grey images are plain bytes (8 bits, row-major, no
 * padding) owned by the caller; service/io/read/card.c converts images and downscales.
 *
 * The finder looks for the largest well-supported quadrilateral of straight edges whose
 * opposite sides are nearly parallel and whose aspect ratio is near ID-1: gradients, a Hough
 * transform voted along each edge pixel's gradient direction, pairs of near-parallel lines,
 * and a score from how much of each side is really an edge.
 */
#ifndef IDVERIFY_CARDGEOM_H
#define IDVERIFY_CARDGEOM_H

#include "idverify/common.h"

#define IDV_CARD_ASPECT (85.6f / 54.0f)
#define IDV_CARDGEOM_WORK 640 /* the long side the finder works at (the caller downscales) */

/* Corners in image pixels: top-left, top-right, bottom-right, bottom-left, with the top edge
 * along a long side of the card (the card may still be upside down). */
struct idv_quad {
	float x[4], y[4];
	float score; /* 0..1: edge support of the sides */
};

/*
 * Up to max candidates in the w x h working image p, best first; returns how many. p is
 * blurred in place. f is the working image's scale (working / input pixels, <= 1): the
 * corners come back in input pixels. 0 for an image under 32 pixels on a side.
 */
size_t idv_cardgeom_find(uint8_t *p, int w, int h, float f, struct idv_quad *out, size_t max);

/* The 8 coefficients of the homography mapping (u,v) -> (x,y) for 4 correspondences; false
 * when they are degenerate. */
bool idv_cardgeom_homography(const float u[4], const float v[4], const float x[4],
			     const float y[4], double hm[8]);

/*
 * Warp the quad q of src (W x H) to dst (w x h, caller storage of w * h bytes): projective,
 * bilinear, white outside src; when the card is much larger than dst, a small neighbourhood
 * is averaged. False (dst untouched) when the quad is degenerate.
 */
bool idv_cardgeom_warp(const uint8_t *src, int W, int H, const struct idv_quad *q, uint8_t *dst,
		       int w, int h);

#endif
