/* SPDX-License-Identifier: Apache-2.0 */
/* mem.c: allocation that aborts on exhaustion, wiping, constant-time compare, assertions. */
#include "idverify/common.h"

_Noreturn void
idv_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "idverify: assertion failed: %s (%s:%d)\n", expr, file, line);
	abort();
}

static void (*mem_oom_handler)(size_t n);

void
idv_set_oom_handler(void (*fn)(size_t n))
{
	mem_oom_handler = fn;
}

static _Noreturn void
mem_oom(size_t n)
{
	if (mem_oom_handler != NULL)
		mem_oom_handler(n); /* expected not to return */
	fprintf(stderr, "idverify: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
idv_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		mem_oom(n);
	return p;
}

void *
idv_calloc(size_t nmemb, size_t size)
{
	size_t total;
	if (idv_size_mul(nmemb, size, &total))
		mem_oom(SIZE_MAX);
	void *p = calloc(total ? nmemb : 1, total ? size : 1);
	if (p == NULL)
		mem_oom(total);
	return p;
}

void *
idv_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		mem_oom(n);
	return q;
}

char *
idv_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = idv_malloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *
idv_strdup(const char *s)
{
	return idv_strndup(s, strlen(s));
}

void
idv_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

bool
idv_ct_equal(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

bool
idv_strlcpy(char *dst, const char *src, size_t dstsz)
{
	if (dstsz == 0)
		return false;
	size_t len = strnlen(src, dstsz);
	if (len >= dstsz) {
		memcpy(dst, src, dstsz - 1);
		dst[dstsz - 1] = '\0';
		return false;
	}
	memcpy(dst, src, len + 1);
	return true;
}
