/* SPDX-License-Identifier: Apache-2.0 */
/*
 * score_doc.h: private to the decision (score.c, score_doc.c); not a contract for other
 * callers. The reason lists every stage of the decision writes to, the conditions raised, and
 * the claim-level context: the claims parsed once and each document classified under the model
 * (score_doc.c). All storage is the caller's; nothing here allocates.
 */
#ifndef IDVERIFY_SCORE_DOC_H
#define IDVERIFY_SCORE_DOC_H

#include "idverify/address.h"
#include "idverify/score.h"

/* ---- Reason lists ---- */

#define SCORE_MAX_NOTES 24

struct score_notes {
	size_t n;
	struct idv_decision_reason r[SCORE_MAX_NOTES];
};

/* Append a note (code, formatted detail); silently dropped once the list is full. */
void score_note(struct score_notes *l, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Append a reason to the decision; silently dropped once d->reasons is full. */
void score_reason(struct idv_decision *d, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Append every note of l to the decision's reasons, as far as they fit. */
void score_copy_notes(struct idv_decision *d, const struct score_notes *l);

/* Conditions raised, with the model's action applied. */
struct score_flags {
	bool raised[IDV_FLAG__COUNT];
};

/* Raise flag and note it with the model's action for it. */
void score_raise(const struct idv_model *m, struct score_flags *f, struct score_notes *notes,
		 enum idv_flag flag, const char *detail);
/* Whether a raised condition has action a under the model. */
bool score_any_action(const struct idv_model *m, const struct score_flags *f, enum idv_action a);

/* ---- Documents ---- */

#define SCORE_MAX_DOCS 8

enum score_doc_state {
	SDOC_USABLE = 0,
	SDOC_PENDING,    /* usable only once a reviewer accepts it */
	SDOC_UNUSABLE,   /* disregarded (too old, kind not accepted, ...) */
	SDOC_UNREADABLE, /* not read, or nothing identifying read */
	SDOC_FAILED,     /* its condition refuses the request */
};

/* "usable", "pending_review", "unusable", "unreadable", "refused". */
const char *score_doc_state_name(enum score_doc_state s);

struct score_doc {
	int dclass; /* enum idv_doc_class, or -1 */
	enum score_doc_state state;
	const char *kind;
	bool has_name, has_dob, has_addr;
	struct idv_name name;
	const char *holder; /* proof of residence holder line, or NULL */
	const char *dob;
	struct idv_address addr;
};

/* The claim-level context; m and in are borrowed for the decision's duration. */
struct score_ctx {
	const struct idv_model *m;
	const struct idv_score_input *in;
	struct idv_name cname;
	bool has_cname;
	struct idv_address caddr;
	size_t ndocs;
	struct score_doc docs[SCORE_MAX_DOCS];
	struct score_flags flags; /* claim-level conditions */
	struct score_notes notes;
};

/* Whether point pt is the subject of a correction request (it then never counts, R11). */
bool score_corrected(const struct score_ctx *c, enum idv_point pt);

/* Classify document i of c->in into c->docs[i]; raises claim-level conditions in c. */
void score_classify_doc(struct score_ctx *c, size_t i);

/* Usable, or usable once a reviewer accepts it. */
bool score_doc_live(const struct score_doc *sd);

#endif
