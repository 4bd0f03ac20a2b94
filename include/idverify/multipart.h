/* SPDX-License-Identifier: Apache-2.0 */
/*
 * multipart.h: a multipart/form-data reader (RFC 7578) over a whole body held in memory.
 * Pure, no allocation: parts point into the body. Bytes plus length; NULs allowed in content.
 *
 *   struct idv_multipart mp;
 *   if (idv_multipart_init(&mp, content_type_header, body, len) != IDV_OK) ...
 *   struct idv_part part;
 *   while ((err = idv_multipart_next(&mp, &part)) == IDV_OK) { ... }
 *   if (err != IDV_E_NOTFOUND) ... malformed ...
 */
#ifndef IDVERIFY_MULTIPART_H
#define IDVERIFY_MULTIPART_H

#include "idverify/common.h"

#define IDV_MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 */
#define IDV_MULTIPART_NAME_MAX 64
#define IDV_MULTIPART_MAX_PARTS 16

struct idv_part {
	char name[IDV_MULTIPART_NAME_MAX];     /* form field name */
	char filename[IDV_MULTIPART_NAME_MAX]; /* "" when not a file; informative only */
	bool is_file;
	char content_type[IDV_MULTIPART_NAME_MAX]; /* as declared: never trusted */
	const uint8_t *data;
	size_t len;
};

struct idv_multipart {
	const uint8_t *body;
	size_t len;
	size_t pos;
	char boundary[IDV_MULTIPART_BOUNDARY_MAX + 5]; /* "\r\n--" + boundary */
	size_t blen;
	unsigned nparts;
	bool done;
};

/* From the Content-Type header ("multipart/form-data; boundary=..."): IDV_E_UNSUPPORTED when
 * it is not multipart/form-data, IDV_E_PARSE when the boundary is missing or bad. */
enum idv_err idv_multipart_init(struct idv_multipart *mp, const char *content_type,
				const uint8_t *body, size_t len);

/* The next part: IDV_OK, IDV_E_NOTFOUND after the last one, IDV_E_PARSE when malformed,
 * IDV_E_TOOBIG after IDV_MULTIPART_MAX_PARTS parts. */
enum idv_err idv_multipart_next(struct idv_multipart *mp, struct idv_part *part);

#endif
