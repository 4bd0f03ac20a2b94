/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.h: structured logs, one JSON object per line on stderr:
 * {"ts":"2026-11-22T23:59:59.123Z","level":"info","event":"http.request", ...fields}.
 *
 * Fields are given as a jansson pack format and its arguments, for example
 *   idv_log(IDV_LOG_INFO, "http.request", "{s:s,s:i}", "route", "/healthz", "status", 200);
 * Never log personal data: names, dates of birth, addresses, document numbers, e-mails, phones,
 * tokens, keys, request bodies. Log ids, counts, statuses, route patterns (not paths) and hashes.
 */
#ifndef IDVERIFY_LOG_H
#define IDVERIFY_LOG_H

#include <stddef.h>

enum idv_log_level { IDV_LOG_DEBUG, IDV_LOG_INFO, IDV_LOG_WARN, IDV_LOG_ERROR, IDV_LOG__COUNT };

/* "debug", "info", "warn", "error"; the level named name[0..len), IDV_LOG__COUNT when none. */
const char *idv_log_level_name(enum idv_log_level level);
enum idv_log_level idv_log_level_lookup(const char *name, size_t len);

void idv_log_set_level(enum idv_log_level min);
void idv_log(enum idv_log_level level, const char *event, const char *fmt, ...);

#endif
