/* SPDX-License-Identifier: Apache-2.0 */
/*
 * score.h: the verification decision (DESIGN.md 4). Pure: the model, the policy, the claims,
 * the documents, the candidate records and "today" are all parameters; nothing is read from
 * files or clocks here (service/io/case/model.c loads models and policies from JSON).
 *
 * For each candidate record, each data point (name, date of birth, address, e-mail, phone) is
 * compared with the claims and with the fields read from the documents. A point counts when
 * it matches (score >= the model's threshold for it) a record field the model marks reliable;
 * a point backed by a usable document counts document_weight, a typed one typed_weight. The
 * candidate reaches the model's level when its counted points reach points_needed, every
 * required point matched, the required documents are there and usable, the declaration (when
 * required) is signed with a typed name that matches the record, and no condition with an
 * action of manual_review or not_verified is raised (the conditions and their actions are
 * enum idv_flag, set by the model). A second candidate within the ambiguity margin of the best
 * one is never guessed between.
 *
 * The decision names every point that counted and every one that did not, with why, and
 * records the name and version of the model (and policy) that produced it. Details never
 * contain personal data: only field names, reason codes, document indexes and kinds.
 */
#ifndef IDVERIFY_SCORE_H
#define IDVERIFY_SCORE_H

#include "idverify/attempts.h"
#include "idverify/document.h"
#include "idverify/match.h"
#include "idverify/name.h"
#include "idverify/record.h"

enum idv_level {
	IDV_LEVEL_NONE = 0,
	IDV_LEVEL_STANDARD,   /* "reasonable degree of certainty" (R16) */
	IDV_LEVEL_HEIGHTENED, /* "reasonably high degree of certainty" (R17) */
	IDV_LEVEL__COUNT
};
const char *idv_level_name(enum idv_level l); /* "none", "standard", "heightened" */
enum idv_level idv_level_lookup(const char *name, size_t len); /* IDV_LEVEL__COUNT if unknown */

enum idv_outcome {
	IDV_OUT_VERIFIED = 0,
	IDV_OUT_NOT_VERIFIED,
	IDV_OUT_MANUAL_REVIEW,
	IDV_OUT_NOT_REQUIRED, /* opt-out: no verification at all (R3) */
};
const char *idv_outcome_name(enum idv_outcome o);

/* The request types, stable strings of the API and the store: X(NAME, "name"). */
#define IDV_REQUEST_TYPES(X)                                                                     \
	X(KNOW_CATEGORIES, "know_categories")                                                    \
	X(KNOW_SPECIFIC, "know_specific")                                                        \
	X(DELETE, "delete")                                                                      \
	X(CORRECT, "correct")                                                                    \
	X(OPT_OUT, "opt_out")

enum idv_request_type {
#define IDV_REQ_ENUM(n, s) IDV_REQ_##n,
	IDV_REQUEST_TYPES(IDV_REQ_ENUM)
#undef IDV_REQ_ENUM
	IDV_REQ__COUNT
};
const char *idv_request_type_name(enum idv_request_type t);
enum idv_request_type idv_request_type_lookup(const char *name, size_t len);

/* What a model does when a condition is raised. */
enum idv_action {
	IDV_ACT_IGNORE = 0,     /* the evidence concerned is disregarded (counts for nothing) */
	IDV_ACT_ACCEPT,         /* the condition is tolerated: the evidence counts as usual */
	IDV_ACT_MANUAL_REVIEW,  /* the decision goes to a reviewer */
	IDV_ACT_NOT_VERIFIED,   /* the candidate (or the request) is refused */
	IDV_ACT__COUNT
};
const char *idv_action_name(enum idv_action a);
enum idv_action idv_action_lookup(const char *name, size_t len);

/* Conditions a model attaches actions to. Names are the keys of the model's "on" object. */
enum idv_flag {
	IDV_FLAG_DOB_DIFFERS = 0,      /* "date_of_birth_differs": typed or document DOB != record */
	IDV_FLAG_DOB_DAY_MONTH_SWAP,   /* "date_of_birth_day_month_swap" */
	IDV_FLAG_NAME_DIFFERS,         /* "name_differs": a required name point did not match */
	IDV_FLAG_SUFFIX_CONFLICT,      /* "suffix_conflict": Jr against Sr */
	IDV_FLAG_DOC_VS_CLAIMS,        /* "document_contradicts_claims": ID name/DOB != typed */
	IDV_FLAG_DOC_VS_RECORD,        /* "document_contradicts_record": ID name != record */
	IDV_FLAG_RESIDENCE_HOLDER,     /* "residence_holder_differs": proof holder != typed name */
	IDV_FLAG_RECENT_MOVE,          /* "recent_move": proof of residence address != record's */
	IDV_FLAG_DECLARATION_NAME,     /* "declaration_name_differs" */
	IDV_FLAG_UNREADABLE_REQUIRED,  /* "unreadable_required_document" */
	IDV_FLAG_UNREADABLE_OPTIONAL,  /* "unreadable_optional_document" */
	IDV_FLAG_DOC_CHECK_FAILED,     /* "document_check_failed": a reader's check failed */
	IDV_FLAG_EXPIRED_ID,           /* "expired_id" */
	IDV_FLAG_AMBIGUOUS,            /* "ambiguous_candidates" */
	IDV_FLAG__COUNT
};
const char *idv_flag_name(enum idv_flag f);
enum idv_flag idv_flag_lookup(const char *name, size_t len);

struct idv_model_point {
	bool counts;            /* this point type may count toward points_needed */
	bool reliable;          /* the business's record field for it is reliable (R16) */
	bool required;          /* must match for the level to be reached */
	double threshold;       /* comparator score at or above which it matches */
	double typed_weight;    /* what a typed (form) match counts */
	double document_weight; /* what a match backed by a usable document counts */
};

#define IDV_MODEL_NAME_MAX 64
#define IDV_MODEL_VERSION_MAX 32

/* Document classes a model can require. */
enum idv_doc_class {
	IDV_DCLASS_GOVERNMENT_ID = 0, /* drivers_license, id_card, passport */
	IDV_DCLASS_PROOF_OF_RESIDENCE,
	IDV_DCLASS__COUNT
};
const char *idv_doc_class_name(enum idv_doc_class c); /* "government_id", "proof_of_residence" */
enum idv_doc_class idv_doc_class_lookup(const char *name, size_t len);

struct idv_model {
	char name[IDV_MODEL_NAME_MAX];
	char version[IDV_MODEL_VERSION_MAX];
	enum idv_level level;
	struct idv_model_point points[IDV_PT__COUNT];
	double points_needed;
	bool documents_required[IDV_DCLASS__COUNT];
	bool id_kinds_accepted[IDV_DOC__COUNT];          /* which enum idv_doc_kind count as IDs */
	bool residence_kinds_accepted[IDV_RES__COUNT];
	int residence_max_age_days;
	int expired_id_grace_days;     /* an ID expired fewer days ago is not "expired" */
	bool declaration_required;
	double ambiguity_margin;       /* best - second < margin: ambiguous */
	double min_field_confidence;   /* document fields read with less are ignored */
	enum idv_action on[IDV_FLAG__COUNT];
};

/* A conservative built-in model for tests (the shipped ones are models/ *.json). */
void idv_model_defaults(struct idv_model *m, enum idv_level level);

/* IDV_E_INVAL (and a short reason, no personal data) when the model is inconsistent. */
enum idv_err idv_model_validate(const struct idv_model *m, char *why, size_t whysz);

#define IDV_POLICY_MAX_CLASSES 32

/* How the consumer takes part in an authorized agent's request (R24): verify their own
 * identity directly, confirm the agent's permission directly, or either. */
enum idv_agent_consumer {
	IDV_AGENT_CONSUMER_EITHER = 0,
	IDV_AGENT_CONSUMER_VERIFY,
	IDV_AGENT_CONSUMER_CONFIRM,
	IDV_AGENT_CONSUMER__COUNT
};
const char *idv_agent_consumer_name(enum idv_agent_consumer c); /* "either", "verify", ... */
enum idv_agent_consumer idv_agent_consumer_lookup(const char *name, size_t len);

struct idv_policy {
	char name[IDV_MODEL_NAME_MAX];
	char version[IDV_MODEL_VERSION_MAX];
	enum idv_level level[IDV_REQ__COUNT]; /* default level of each request type */
	/* Data classes of delete and correct requests and the level each needs (R18). */
	size_t nclasses;
	struct idv_policy_class {
		char name[32];
		enum idv_level level;
	} classes[IDV_POLICY_MAX_CLASSES];
	/* Authorized agents (R24, R25): what the consumer must do directly, and whether the
	 * consumer's signed permission (a document of kind agent_permission) is required. A
	 * power of attorney replaces both and goes to a reviewer. */
	struct idv_policy_agents {
		enum idv_agent_consumer consumer_must;
		bool permission_required;
	} agents;
	/* Verification attempts per claimed name and per targeted record (R9, attempts.h). */
	struct idv_attempts_rule attempts;
};

/* know_categories standard, know_specific heightened, delete/correct standard, opt_out none;
 * agents: the consumer verifies or confirms (either), signed permission required; attempts:
 * idv_attempts_rule_defaults. */
void idv_policy_defaults(struct idv_policy *p);

struct idv_declaration {
	bool present;
	bool is_signed;
	char typed_name[128];
};

struct idv_score_input {
	const struct idv_claims *claims;
	const struct idv_declaration *declaration; /* may be NULL */
	const struct idv_document *docs;           /* may be NULL when ndocs == 0 */
	size_t ndocs;
	const struct idv_record *cands;            /* candidate records (idv_match_select) */
	size_t ncands;
	const struct idv_nicknames *nick;          /* may be NULL */
	int64_t today_days;                        /* idv_date_to_days() of today */
};

enum idv_point_source {
	IDV_PSRC_NONE = 0,
	IDV_PSRC_FORM,
	IDV_PSRC_DOCUMENT,
	IDV_PSRC_FORM_DOCUMENT,
};
const char *idv_point_source_name(enum idv_point_source s); /* "none", "form", ... */

struct idv_point_result {
	enum idv_point type;
	enum idv_point_source source; /* where the match (or the attempt) came from */
	double score;                 /* best comparator score */
	enum idv_reason reason;       /* comparator reason of that score */
	bool counted;
	double value;                 /* what it counted (0 when not) */
	const char *why;              /* static code: "matched", "not_provided", "no_match",
					 "below_threshold", "no_record_value",
					 "matched_required_not_counted" (a gate),
					 "not_counted_by_model", "record_field_not_reliable",
					 "subject_of_correction", "document_pending_review" */
};

#define IDV_DECISION_MAX_REASONS 40
#define IDV_REASON_CODE_MAX 48
#define IDV_REASON_DETAIL_MAX 200

struct idv_decision_reason {
	char code[IDV_REASON_CODE_MAX];
	char detail[IDV_REASON_DETAIL_MAX];
};

struct idv_decision_model {
	char name[IDV_MODEL_NAME_MAX];
	char version[IDV_MODEL_VERSION_MAX];
};

struct idv_decision {
	enum idv_outcome outcome;
	enum idv_level level;          /* reached: verified at it, or already reached when review */
	enum idv_level level_required;
	enum idv_request_type request_type;
	bool has_record;               /* record_index/record_id name the matched candidate */
	size_t record_index;           /* into idv_score_input.cands */
	char record_id[64];
	struct idv_decision_model model;      /* the model that produced the outcome */
	struct idv_decision_model models[2];  /* every model evaluated */
	size_t nmodels;
	struct idv_decision_model policy;
	size_t ncandidates;
	bool has_points;               /* points[] describe the best candidate evaluated */
	size_t best_index;             /* that candidate (into cands), matched or not: the record
					  an attempt targets (attempts.h) */
	struct idv_point_result points[IDV_PT__COUNT];
	double total;                  /* points counted */
	double needed;
	size_t nreasons;
	struct idv_decision_reason reasons[IDV_DECISION_MAX_REASONS];
};

/*
 * Decide at one model's level. IDV_E_INVAL when an argument is missing or the model fails
 * idv_model_validate. The decision is always filled (NOT_VERIFIED on error).
 */
enum idv_err idv_score_decide(const struct idv_model *m, const struct idv_score_input *in,
			      struct idv_decision *out);

/*
 * Decide a request: the level comes from the policy (request type; for delete and correct the
 * highest level of the data classes named, else the type's default), raised to `requested`
 * when that is higher (a lower requested level never lowers it). opt_out is NOT_REQUIRED
 * (R3). A know_specific request that does not reach heightened but reaches standard is
 * VERIFIED at standard with reason heightened_not_reached (R20); if heightened went to
 * review, the outcome is MANUAL_REVIEW with level standard when standard was reached.
 * models[] is indexed by enum idv_level (models[IDV_LEVEL_STANDARD], ...).
 */
enum idv_err idv_score_request(const struct idv_policy *policy,
			       const struct idv_model *const models[IDV_LEVEL__COUNT],
			       enum idv_request_type type, enum idv_level requested,
			       const char *const *data_classes, size_t nclasses,
			       const struct idv_score_input *in, struct idv_decision *out);

/*
 * A reviewer-readable explanation: outcome, level, model, each point that counted and each
 * that did not with why, then every reason. Always NUL-terminated; truncated to outsz.
 */
void idv_decision_explain(const struct idv_decision *d, char *out, size_t outsz);

#endif
