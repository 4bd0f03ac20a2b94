/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrz_train.h: training the OCR-B templates of the MRZ reader (models/mrz/ocrb.tmpl) from
 * rendered pages. A test tool's code (mrz_tool train), not part of the service binary.
 */
#ifndef IDVERIFY_MRZ_TRAIN_H
#define IDVERIFY_MRZ_TRAIN_H

#include "mrzread.h"

struct mrz_train;

/* A new, empty accumulator (never NULL: allocation failure aborts). */
struct mrz_train *mrz_train_new(void);
void mrz_train_free(struct mrz_train *t); /* NULL: no-op */

/* Locate the MRZ of pix and, when its lines have the lengths of truth (LF-separated), add
 * each cell's samples to t. IDV_E_NOTFOUND when the zone or the lines do not match. */
enum idv_err mrz_train_add(struct mrz_train *t, struct Pix *pix, const char *truth);

/* Write the averaged templates (one per character and sharpness class) to path. */
enum idv_err mrz_train_write(const struct mrz_train *t, const char *path);

#endif
