/* SPDX-License-Identifier: Apache-2.0 */
/* api.h: the HTTP handlers, one group per file (service/io/api_<group>.c), listed in routes.c. */
#ifndef IDVERIFY_API_H
#define IDVERIFY_API_H

#include "idverify/http.h"

/* api_health.c */
void idv_api_healthz(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_readyz(struct idv_http_req *req, struct idv_http_resp *resp);
void idv_api_metrics(struct idv_http_req *req, struct idv_http_resp *resp);

/* api_records.c */
void idv_api_records_import(struct idv_http_req *req, struct idv_http_resp *resp);

#endif
