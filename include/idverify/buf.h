/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h: a growable byte buffer with a mandatory ceiling (STYLE.md 8).
 *
 * idv_buf_init(&b, max) sets the cap. An append that would pass it frees the buffer and
 * returns IDV_E_TOOBIG; the error is sticky (later appends fail too) so builders can check
 * once at the end. The content is always NUL-terminated for convenience (the NUL is not
 * counted in len and not against max).
 */
#ifndef IDVERIFY_BUF_H
#define IDVERIFY_BUF_H

#include <stdarg.h>

#include "idverify/common.h"

struct idv_buf {
	uint8_t *data; /* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;
	enum idv_err err; /* sticky */
};

void idv_buf_init(struct idv_buf *b, size_t max);
void idv_buf_cleanup(struct idv_buf *b);      /* frees; the buffer may be reused after init */
void idv_buf_cleanup_wipe(struct idv_buf *b); /* wipes the bytes first (secrets, PII) */
void idv_buf_reset(struct idv_buf *b);        /* len = 0, keeps memory and clears err */
enum idv_err idv_buf_append(struct idv_buf *b, const void *p, size_t n);
enum idv_err idv_buf_append_str(struct idv_buf *b, const char *s);
enum idv_err idv_buf_append_byte(struct idv_buf *b, uint8_t c);
/* n zero bytes: room that the caller then writes into at data + (len before the call). */
enum idv_err idv_buf_append_zeros(struct idv_buf *b, size_t n);
enum idv_err idv_buf_printf(struct idv_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum idv_err idv_buf_vprintf(struct idv_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The content as a C string ("" when empty). Valid until the next append or cleanup. */
const char *idv_buf_str(const struct idv_buf *b);
/* Hands the data to the caller (who frees it) and leaves the buffer empty. */
uint8_t *idv_buf_steal(struct idv_buf *b, size_t *len);

/*
 * A list of ids (rows) gathered while iterating, to work on after the iteration. At most max:
 * past it idv_ids_push returns false (the id not added), so that an iteration callback can
 * return its result to stop there (the rest waits for the next pass).
 */
struct idv_ids {
	int64_t *v;
	size_t n, cap, max;
};
void idv_ids_init(struct idv_ids *l, size_t max);
bool idv_ids_push(struct idv_ids *l, int64_t id);
void idv_ids_cleanup(struct idv_ids *l); /* frees; init again to reuse */

#endif
