/* SPDX-License-Identifier: Apache-2.0 */
/* score_explain.c: a reviewer-readable explanation of a decision (score.h). */
#include <stdarg.h>

#include "idverify/score.h"
#include "idverify/str.h"

/* ---- Explanation ---- */

struct score_out {
	char *p;
	size_t size, len;
};

static void score_put(struct score_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
score_put(struct score_out *o, const char *fmt, ...)
{
	if (o->len + 1 >= o->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->p + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->len += (size_t)n < o->size - o->len ? (size_t)n : o->size - o->len - 1;
}

void
idv_decision_explain(const struct idv_decision *d, char *out, size_t outsz)
{
	struct score_out o = {out, outsz, 0};
	if (outsz == 0)
		return;
	out[0] = '\0';
	score_put(&o, "Outcome: %s", idv_outcome_name(d->outcome));
	if (d->level != IDV_LEVEL_NONE)
		score_put(&o, " at level %s", idv_level_name(d->level));
	score_put(&o, " (required: %s, request %s).", idv_level_name(d->level_required),
		  idv_request_type_name(d->request_type));
	if (d->model.name[0] != '\0')
		score_put(&o, " Model %s version %s.", d->model.name, d->model.version);
	if (d->has_record)
		score_put(&o, " Record %s.", d->record_id);
	if (d->has_points) {
		score_put(&o, " Points counted (%.2g of %.2g needed):", d->total, d->needed);
		bool any = false;
		for (int t = 0; t < IDV_PT__COUNT; t++) {
			const struct idv_point_result *r = &d->points[t];
			if (!r->counted)
				continue;
			score_put(&o, "%s %s from %s, %s, %.2g", any ? ";" : "", idv_point_name(r->type),
				  idv_point_source_name(r->source), idv_reason_name(r->reason),
				  r->value);
			any = true;
		}
		if (!any)
			score_put(&o, " none");
		score_put(&o, ". Not counted:");
		any = false;
		for (int t = 0; t < IDV_PT__COUNT; t++) {
			const struct idv_point_result *r = &d->points[t];
			if (r->counted)
				continue;
			score_put(&o, "%s %s (%s; comparator: %s)", any ? ";" : "",
				  idv_point_name(r->type), r->why != NULL ? r->why : "-",
				  idv_reason_name(r->reason));
			any = true;
		}
		if (!any)
			score_put(&o, " none");
		score_put(&o, ".");
	}
	for (size_t i = 0; i < d->nreasons; i++)
		score_put(&o, " [%s] %s.", d->reasons[i].code, d->reasons[i].detail);
}
