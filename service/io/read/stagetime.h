/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stagetime.h: where the time of reading one document goes, for benchmarks (`idverify check
 * --timings`, tests/bench/bench_read.py): measurement only, never a decision and never a test
 * assertion. Stages nest: while a stage runs inside another (the OCR of the visual zone inside
 * the MRZ reader), its time is its own and not its parent's, so the stages of a document add up
 * to the time of the outermost one. CPU time of the calling thread (steady on a shared machine)
 * and wall time are both kept.
 *
 * The figures are per thread and say nothing of the document's content (stage names and
 * durations only); idv_stagetime_reset starts a new document.
 */
#ifndef IDVERIFY_STAGETIME_H
#define IDVERIFY_STAGETIME_H

#include <stddef.h>
#include <stdint.h>

#define IDV_STAGETIME_MAX 24  /* distinct stage names */
#define IDV_STAGETIME_DEPTH 8 /* nesting depth; deeper stages are counted in their parent */

struct idv_stagetime {
	char name[32];
	uint64_t cpu_ns, wall_ns;
	unsigned calls;
};

/* Forget the figures of the previous document (the stack must be empty). */
void idv_stagetime_reset(void);

/* Enter the stage name (a string literal or a name shorter than 32 bytes) until the matching
 * idv_stagetime_end. */
void idv_stagetime_begin(const char *name);
void idv_stagetime_end(void);

/* The stages seen since the last reset, in the order first entered; returns how many. */
size_t idv_stagetime_get(const struct idv_stagetime **out);

#endif
