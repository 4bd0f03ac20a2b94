/* SPDX-License-Identifier: Apache-2.0 */
/*
 * routes.c: every HTTP route of idverify, in one table: the attack surface on one screen.
 * Each names who may call it and what body it takes; the server enforces both before the
 * handler runs (http.h).
 */
#include "idverify/api.h"
#include "idverify/limits.h"

#define PUBLIC IDV_ROLE_PUBLIC
#define ADMIN IDV_ROLE_ADMIN

const struct idv_route idv_routes[] = {
	{{"GET", "/healthz"}, idv_api_healthz, PUBLIC, IDV_BODY_NONE, 0, "process is up"},
	{{"GET", "/readyz"}, idv_api_readyz, PUBLIC, IDV_BODY_NONE, 0,
	 "database open and migrated"},
	{{"GET", "/metrics"}, idv_api_metrics, PUBLIC, IDV_BODY_NONE, 0, "Prometheus metrics"},
	{{"POST", "/v1/records"}, idv_api_records_import, ADMIN, IDV_BODY_JSON,
	 4u * 1024u * 1024u, "load existing customer records (all or nothing)"},
};

const size_t idv_routes_count = sizeof idv_routes / sizeof idv_routes[0];
