// SPDX-License-Identifier: Apache-2.0
// worker_oom.cpp: see worker_oom.h.
#include <new>

#include "worker_oom.h"

void
idv_worker_set_new_handler(void (*fn)(void))
{
	std::set_new_handler(fn);
}
