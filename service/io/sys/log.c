/* SPDX-License-Identifier: Apache-2.0 */
/* log.c: JSON-lines logging on stderr (see log.h). One write(2) per line, so lines from several
 * threads never interleave. */
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "idverify/common.h"
#include "log.h"
#include "idverify/str.h"

static enum idv_log_level log_min = IDV_LOG_INFO;

static const char *const log_names[IDV_LOG__COUNT] = {"debug", "info", "warn", "error"};

IDV_NAME_LOOKUP_FN(idv_log_level, enum idv_log_level, log_names, IDV_LOG__COUNT, "info")

void
idv_log_set_level(enum idv_log_level min)
{
	log_min = min;
}

void
idv_log(enum idv_log_level level, const char *event, const char *fmt, ...)
{
	if (level < log_min)
		return;
	json_t *fields = NULL;
	if (fmt != NULL) {
		va_list ap;
		va_start(ap, fmt);
		json_error_t jerr;
		fields = json_vpack_ex(&jerr, 0, fmt, ap);
		va_end(ap);
	}
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	char ts[40];
	size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n == 0 || !idv_fmt(ts + n, sizeof ts - n, ".%03ldZ", (long)(tv.tv_usec / 1000)))
		ts[0] = '\0';
	json_t *obj = json_object();
	json_object_set_new(obj, "ts", json_string(ts));
	json_object_set_new(obj, "level", json_string(idv_log_level_name(level)));
	json_object_set_new(obj, "event", json_string(event));
	if (fields != NULL)
		json_object_update_missing(obj,
					   fields); /* ts, level and event cannot be overridden */
	json_decref(fields);
	char *line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (line == NULL)
		return;
	size_t len = strlen(line);
	line[len] = '\n'; /* overwrite the NUL; json_dumps allocated len + 1 */
	ssize_t w = write(STDERR_FILENO, line, len + 1);
	(void)w;
	free(line);
}
