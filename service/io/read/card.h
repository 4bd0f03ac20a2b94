/* SPDX-License-Identifier: Apache-2.0 */
/*
 * card.h: finding an ID-1 card (85.6 x 54 mm) in a photo and rectifying it (the geometry and
 * struct idv_quad are the core's: cardgeom.h).
 *
 * Phone photos show the card in perspective, a few degrees off, on a table, fabric or a hand;
 * zxing-cpp reads almost none of them until the card is cut out and made flat (DESIGN.md 9).
 * The finder looks for the largest well-supported quadrilateral of straight edges whose
 * opposite sides are nearly parallel and whose aspect ratio is near ID-1: gradients on a
 * downscaled copy, a Hough transform voted along each edge pixel's gradient direction, pairs
 * of near-parallel lines, and a score from how much of each side is really an edge.
 */
#ifndef IDVERIFY_CARD_H
#define IDVERIFY_CARD_H

#include "idverify/cardgeom.h"

struct Pix;

/* Up to max candidates in an 8 bpp image, best first. Returns how many were found. */
size_t idv_card_find(struct Pix *grey, struct idv_quad *out, size_t max);

/* Warp the quad of grey to a new w x h 8 bpp image (projective, bilinear). NULL on failure. */
struct Pix *idv_card_rectify(struct Pix *grey, const struct idv_quad *q, int w, int h);

#endif
