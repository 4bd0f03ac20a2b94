/* SPDX-License-Identifier: Apache-2.0 */
/*
 * orient.h: turning a page or a card upright from its content, before any field is read (an
 * upload may be a scan or photo turned 90, 180 or 270 degrees with no EXIF orientation, or with
 * a wrong one). leptonica's text-orientation detector (ascenders and descenders of Latin text
 * on a binarised copy) answers first, in milliseconds; when it is not sure the page is upright,
 * tesseract's orientation detection (osd.traineddata) decides. No clear answer from either
 * leaves the image as it is: the MRZ band and the PDF417 tell their own orientation to their
 * readers, and the licence front is also read upside down.
 */
#ifndef IDVERIFY_ORIENT_H
#define IDVERIFY_ORIENT_H

struct Pix;
struct idv_ocr;

/*
 * Quarter turns clockwise that bring the 8 bpp grey image upright: 0, 1, 2 or 3, or -1 when
 * the content does not say (too little text, low confidence).
 */
int idv_orient_detect(struct Pix *grey, struct idv_ocr *ocr);

/*
 * A new image: grey turned upright (a clone of grey when it already is, or when its orientation
 * is unknown); *turns gets the quarter turns applied (0 when none). ocr (may be NULL: leptonica
 * only) gives the OSD fallback. NULL on allocation failure.
 */
struct Pix *idv_orient_upright(struct Pix *grey, struct idv_ocr *ocr, int *turns);

#endif
