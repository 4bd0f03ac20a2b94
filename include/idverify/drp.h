/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drp.h: the pure parts of the Data Rights Protocol 1.0 (/work/shared/DRP.md): base64 (RFC 4648,
 * standard alphabet), ISO 8601 timestamps, the decoding of a signed body
 * (base64(signature[64] || json)), the validation of its claims in the order the specification
 * gives (section 3.07), the mapping of exercises onto idverify request types and of case states
 * onto DRP statuses.
 *
 * No allocation, no I/O, no clock: the signature check is a callback (OpenSSL lives in
 * service/io/sys/crypto.c) and "now" is a parameter. Outputs are fixed-size structs; strings are
 * NUL-terminated UTF-8 without NUL bytes. Hostile input returns a step code and a reason in why
 * (never the value of a claim).
 */
#ifndef IDVERIFY_DRP_H
#define IDVERIFY_DRP_H

#include "idverify/common.h"

/* ---- base64 ---- */

#define IDV_B64_DECODED_MAX(n) (((n) + 3) / 4 * 3)
#define IDV_B64_ENCODED_LEN(n) (((n) + 2) / 3 * 4) /* without the NUL */

/*
 * Decode p[0..len) (standard alphabet; '=' padding optional but, when present, correct; ASCII
 * white space at the end ignored) into out (outsz >= IDV_B64_DECODED_MAX(len) is always enough).
 * IDV_E_PARSE on any other character, misplaced padding or non-zero trailing bits;
 * IDV_E_TOOBIG when out is too small.
 */
enum idv_err idv_b64_decode(const char *p, size_t len, uint8_t *out, size_t outsz,
			    size_t *outlen);

/* Encode with padding into out (outsz > IDV_B64_ENCODED_LEN(len)), NUL-terminated. */
enum idv_err idv_b64_encode(const uint8_t *p, size_t len, char *out, size_t outsz);

/* ---- ISO 8601 ---- */

/*
 * "YYYY-MM-DDTHH:MM:SS" (a space is accepted for 'T'), optional fraction ".d+" (ignored),
 * then "Z", "z", "+HH:MM", "-HH:MM", "+HHMM" or "+HH" (a time without an offset is ambiguous and
 * refused). Leap second 60 is refused. Seconds since 1970-01-01T00:00:00Z in *out.
 */
enum idv_err idv_iso8601_parse(const char *p, size_t len, int64_t *out);

/* "YYYY-MM-DDTHH:MM:SSZ" of t into out (at least 21 bytes). */
void idv_iso8601_format(int64_t t, char out[21]);

/* ---- signed bodies ---- */

#define IDV_DRP_SIG_LEN 64
#define IDV_DRP_ID_MAX 128
#define IDV_DRP_URL_MAX 512
#define IDV_DRP_TEXT_MAX 256
#define IDV_DRP_MAX_RELATIONSHIPS 8
/* The longest a signed body may be valid: expires-at at most this long after issued-at. A
 * body is remembered against replays until it expires, so this also bounds that memory. */
#define IDV_DRP_LIFETIME_MAX_S (15 * 60)

enum idv_drp_kind {
	IDV_DRP_KEY_SETUP = 0, /* POST /v1/agent/{agent-id} */
	IDV_DRP_EXERCISE,      /* POST /v1/data-rights-request */
	IDV_DRP_REVOKE,        /* DELETE /v1/data-rights-request/{id}: {"reason"}, and (issue
				  19) the common claims and the request_id it revokes */
};

/* An OpenID Connect address claim (OIDC Core 1.0 section 5.1.1). */
struct idv_drp_address {
	bool present;
	char formatted[IDV_DRP_TEXT_MAX];
	char street_address[IDV_DRP_TEXT_MAX];
	char locality[128];
	char region[64];
	char postal_code[32];
	char country[64];
};

/* What a signed body says. Claims not listed here are allowed (the spec permits custom
 * claims) and ignored, but must be valid JSON. */
struct idv_drp_body {
	char agent_id[IDV_DRP_ID_MAX];
	char business_id[IDV_DRP_ID_MAX];
	bool has_agent_id, has_business_id, has_issued_at, has_expires_at;
	int64_t issued_at, expires_at; /* unix seconds */
	char version[16];              /* "drp.version" */
	char exercise[32];
	char regime[16];
	char agent_request_id[IDV_DRP_ID_MAX];
	char status_callback[IDV_DRP_URL_MAX];
	size_t nrelationships;
	char relationships[IDV_DRP_MAX_RELATIONSHIPS][32];
	/* identity claims */
	char name[IDV_DRP_TEXT_MAX];
	char email[IDV_DRP_TEXT_MAX];
	bool email_verified;
	char phone_number[32];
	bool phone_number_verified;
	struct idv_drp_address address;
	bool address_verified;
	char birthdate[16];                         /* OIDC "birthdate", when an agent sends it */
	char power_of_attorney[IDV_DRP_URL_MAX];    /* a reference; empty when absent */
	char reason[IDV_DRP_TEXT_MAX];              /* revoke */
	char request_id[IDV_DRP_ID_MAX];            /* revoke: the request it revokes */
};

/*
 * Parse the JSON of a signed body into out. The top level must be an object without duplicate
 * keys, at most IDV_LIMIT_JSON_DEPTH deep, valid UTF-8; known claims must have their type
 * (strings, booleans, the address object, an array of strings) and fit their field.
 * IDV_E_PARSE (malformed), IDV_E_INVAL (a known claim of the wrong type or form) or
 * IDV_E_TOOBIG (a known claim too long), with a reason naming the claim in why.
 */
enum idv_err idv_drp_parse(const uint8_t *json, size_t len, struct idv_drp_body *out, char *why,
			   size_t whysz);

/* The outcome of the validation, step by step in the order of DRP 3.07. */
enum idv_drp_step {
	IDV_DRP_OK = 0,
	IDV_DRP_BAD_BASE64,     /* 1. the body does not decode, or is shorter than a signature */
	IDV_DRP_BAD_SIGNATURE,  /* 2. the signature does not verify with the agent's key */
	IDV_DRP_BAD_JSON,       /*    the signed bytes are not a well-formed body */
	IDV_DRP_WRONG_AGENT,    /* 3. agent-id missing or not the agent of the token */
	IDV_DRP_WRONG_BUSINESS, /* 4. business-id missing or not ours */
	IDV_DRP_NOT_YET_VALID,  /* 5. issued-at missing or in the future */
	IDV_DRP_EXPIRED,        /* 6. expires-at missing or passed */
	IDV_DRP_UNSUPPORTED,    /*    drp.version or exercise missing or not supported */
	IDV_DRP_TOO_LONG,       /*    expires-at more than IDV_DRP_LIFETIME_MAX_S after
				      issued-at (or before it) */
	IDV_DRP_WRONG_REQUEST,  /*    revoke: request_id missing or not the request revoked */
};
const char *idv_drp_step_name(enum idv_drp_step s); /* "bad_base64", ... */

/* Verifies sig over msg[0..len) with the key of the expected agent. */
typedef bool (*idv_drp_verify_fn)(void *arg, const uint8_t sig[IDV_DRP_SIG_LEN],
				  const uint8_t *msg, size_t len);

struct idv_drp_expect {
	enum idv_drp_kind kind;
	const char *agent_id;    /* the agent tied to the token (or named by the URL) */
	const char *business_id; /* ours */
	const char *request_id;  /* revoke: the request of the URL */
	int64_t now;
	idv_drp_verify_fn verify;
	void *arg;
};

/*
 * Validate a signed body body[0..len) in the specification's order: base64-decode (into
 * scratch, scratchsz >= IDV_B64_DECODED_MAX(len)); verify the signature; parse; agent-id equals
 * exp->agent_id; business-id equals ours; now >= issued-at; now < expires-at; expires-at at
 * most IDV_DRP_LIFETIME_MAX_S after issued-at; then (key setup and exercise) drp.version and
 * (exercise) the exercise are supported, (revoke) request_id is exp->request_id. Every kind
 * needs agent-id, business-id, issued-at and expires-at. The first failing step
 * is returned, with a reason in why. On success *json and *json_len point at the signed JSON bytes
 * inside scratch (for the replay store) and out holds the claims.
 */
enum idv_drp_step idv_drp_validate(const char *body, size_t len, const struct idv_drp_expect *exp,
				   uint8_t *scratch, size_t scratchsz, struct idv_drp_body *out,
				   const uint8_t **json, size_t *json_len, char *why, size_t whysz);

/* ---- exercises and statuses ---- */

/*
 * The idverify request type of an exercise: access and access:categories -> know_categories,
 * access:specific -> know_specific, deletion -> delete, sale:opt-out and sale:opt_out ->
 * opt_out. NULL when not supported (sale:opt-in: there is nothing to verify or record).
 */
const char *idv_drp_request_type(const char *exercise);

/* Split a DRP "name" into given and family names: "Family, Given" (as OSIRAA sends) or
 * "Given Middle Family". Returns false when there is no family name. */
bool idv_drp_split_name(const char *name, char *given, size_t givensz, char *family,
			size_t familysz);

/* A case as the DRP status computation needs it. */
struct idv_drp_case_state {
	const char *status;       /* the case status (cases.h) */
	bool closed;
	const char *response;     /* when closed: fulfilled, partially_fulfilled, denied, withdrawn */
	const char *denial_basis; /* when denied */
	bool revoked;             /* revoked by the agent */
	bool need_user;           /* the consumer must still verify or confirm directly (R24) */
};

/* DRP status and reason (reason may be NULL) of a case. */
void idv_drp_status_of(const struct idv_drp_case_state *c, const char **status,
		       const char **reason);

/* Final DRP states (fulfilled, denied, revoked, expired). */
bool idv_drp_status_final(const char *status);

#endif
