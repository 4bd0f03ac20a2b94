/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.h: what every idverify C file includes, after its system and library headers.
 *
 * Assertions, checked size arithmetic, and the list of banned libc functions (STYLE.md 12),
 * poisoned at the end of this header so that a use fails the build. Because of the poison,
 * include this (and any idverify header) after all system and third-party headers.
 */
#ifndef IDVERIFY_COMMON_H
#define IDVERIFY_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idverify/err.h"

#define IDV_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Free and clear: a second IDV_FREE of the same pointer is harmless. */
#define IDV_FREE(p)                                                                                \
	do {                                                                                       \
		free(p);                                                                           \
		(p) = NULL;                                                                        \
	} while (0)

/* Internal invariants only, never for input checks: always compiled in, aborts. */
_Noreturn void idv_assert_fail(const char *expr, const char *file, int line);
#define IDV_ASSERT(x) ((x) ? (void)0 : idv_assert_fail(#x, __FILE__, __LINE__))

/*
 * Defensive checks that should never be true: handled in release builds (the expression's
 * value is returned), asserted in debug builds. Use as: if (IDV_NEVER(p == NULL)) return ...;
 */
#ifdef NDEBUG
#define IDV_NEVER(x) (x)
#else
#define IDV_NEVER(x) ((x) ? (idv_assert_fail(#x, __FILE__, __LINE__), 1) : 0)
#endif

/* Checked size arithmetic: true on overflow. */
static inline bool
idv_size_add(size_t a, size_t b, size_t *out)
{
	return __builtin_add_overflow(a, b, out);
}

static inline bool
idv_size_mul(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

/* Allocation that never returns NULL: out of memory aborts (as redis and kore do). */
void *idv_malloc(size_t n);
void *idv_calloc(size_t nmemb, size_t size);
void *idv_realloc(void *p, size_t n);
char *idv_strndup(const char *s, size_t n);
char *idv_strdup(const char *s);
/* Called instead of the message when an allocation fails, before the abort; a document worker
 * reports "memory" to serve and exits there. NULL: none. */
void idv_set_oom_handler(void (*fn)(size_t n));

/* Wipe memory in a way the compiler cannot optimise out. */
void idv_wipe(void *p, size_t n);

/* Constant-time comparison of two byte strings of equal length: true when equal. */
bool idv_ct_equal(const void *a, const void *b, size_t n);

/* Copy a NUL-terminated string into dst of size dstsz, always terminating.
 * Returns false (and an empty or truncated-but-terminated dst) if it did not fit. */
bool idv_strlcpy(char *dst, const char *src, size_t dstsz);

#ifndef IDV_NO_POISON
#pragma GCC poison gets strcpy strcat sprintf vsprintf strncpy strncat strtok atoi atol sscanf system
#endif

#endif
