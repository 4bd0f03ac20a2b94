/* SPDX-License-Identifier: Apache-2.0 */
/* buf.c: growable byte buffer with a ceiling and a sticky error (see buf.h). */
#include "idverify/buf.h"

void
idv_buf_init(struct idv_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = IDV_OK;
}

void
idv_buf_cleanup(struct idv_buf *b)
{
	IDV_FREE(b->data);
	b->len = 0;
	b->cap = 0;
}

void
idv_buf_cleanup_wipe(struct idv_buf *b)
{
	if (b->data != NULL)
		idv_wipe(b->data, b->cap);
	idv_buf_cleanup(b);
}

void
idv_buf_reset(struct idv_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
	b->err = IDV_OK;
}

/* Make room for n more bytes plus the terminating NUL. */
static enum idv_err
buf_reserve(struct idv_buf *b, size_t n)
{
	size_t need;
	if (b->err != IDV_OK)
		return b->err;
	if (idv_size_add(b->len, n, &need) || need > b->max) {
		idv_buf_cleanup(b);
		b->err = IDV_E_TOOBIG;
		return b->err;
	}
	if (need + 1 <= b->cap)
		return IDV_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need + 1)
		cap = cap > SIZE_MAX / 2 ? need + 1 : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	b->data = idv_realloc(b->data, cap);
	b->cap = cap;
	return IDV_OK;
}

enum idv_err
idv_buf_append(struct idv_buf *b, const void *p, size_t n)
{
	enum idv_err err = buf_reserve(b, n);
	if (err != IDV_OK)
		return err;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return IDV_OK;
}

enum idv_err
idv_buf_append_str(struct idv_buf *b, const char *s)
{
	return idv_buf_append(b, s, strlen(s));
}

enum idv_err
idv_buf_append_byte(struct idv_buf *b, uint8_t c)
{
	return idv_buf_append(b, &c, 1);
}

enum idv_err
idv_buf_append_zeros(struct idv_buf *b, size_t n)
{
	enum idv_err err = buf_reserve(b, n);
	if (err != IDV_OK)
		return err;
	memset(b->data + b->len, 0, n);
	b->len += n;
	b->data[b->len] = '\0';
	return IDV_OK;
}

enum idv_err
idv_buf_vprintf(struct idv_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->err = IDV_E_PARSE;
		return b->err;
	}
	enum idv_err err = buf_reserve(b, (size_t)n);
	if (err != IDV_OK)
		return err;
	int m = vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	if (m != n) {
		b->err = IDV_E_PARSE;
		return b->err;
	}
	b->len += (size_t)n;
	return IDV_OK;
}

enum idv_err
idv_buf_printf(struct idv_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum idv_err err = idv_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return err;
}

const char *
idv_buf_str(const struct idv_buf *b)
{
	return b->data != NULL ? (const char *)b->data : "";
}

uint8_t *
idv_buf_steal(struct idv_buf *b, size_t *len)
{
	uint8_t *p = b->data;
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

void
idv_ids_init(struct idv_ids *l, size_t max)
{
	l->v = NULL;
	l->n = l->cap = 0;
	l->max = max;
}

bool
idv_ids_push(struct idv_ids *l, int64_t id)
{
	if (l->n >= l->max)
		return false;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		if (cap > l->max)
			cap = l->max;
		l->v = idv_realloc(l->v, cap * sizeof *l->v);
		l->cap = cap;
	}
	l->v[l->n++] = id;
	return true;
}

void
idv_ids_cleanup(struct idv_ids *l)
{
	IDV_FREE(l->v);
	l->n = l->cap = 0;
}
