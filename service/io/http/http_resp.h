/* SPDX-License-Identifier: Apache-2.0 */
/* http_resp.h: private to the HTTP server (http.c, http_resp.c): the response it hands a
 * handler. */
#ifndef IDVERIFY_HTTP_RESP_H
#define IDVERIFY_HTTP_RESP_H

#include "http.h"

/* An empty response: status 500 until a handler sets one, a body of at most 64 MiB (freed by
 * the server once the response is queued), no headers. */
void idv_http_resp_init(struct idv_http_resp *resp);

#endif
