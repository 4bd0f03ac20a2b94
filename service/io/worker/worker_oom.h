/* SPDX-License-Identifier: Apache-2.0 */
/* worker_oom.h: C++ allocation failures (tesseract, zxing-cpp) in a document worker go to the
 * same handler as idv_malloc's (worker_oom.cpp). */
#ifndef IDVERIFY_WORKER_OOM_H
#define IDVERIFY_WORKER_OOM_H

#ifdef __cplusplus
extern "C" {
#endif

/* std::set_new_handler(fn): fn is called when operator new cannot allocate; it must not
 * return. */
void idv_worker_set_new_handler(void (*fn)(void));

#ifdef __cplusplus
}
#endif

#endif
