/* SPDX-License-Identifier: Apache-2.0 */
/* unit.h: what every cmocka unit test includes first (cmocka needs these before cmocka.h). */
#ifndef IDVERIFY_TEST_UNIT_H
#define IDVERIFY_TEST_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

/* The exit status of a test that cannot run (meson and automake report it as SKIP). */
#define UNIT_SKIP 77

/* Whether the binary was asked for its part over the public corpus (argv[1] "--corpus"):
 * tests/unit/meson.build registers that part as a test of its own, <module>_corpus. */
static inline bool
unit_corpus_mode(int argc, char **argv)
{
	return argc > 1 && strcmp(argv[1], "--corpus") == 0;
}
#endif
