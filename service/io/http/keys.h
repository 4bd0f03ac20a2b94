/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keys.h: API keys per role (admin, reviewer, intake). A key is shown once, at creation, as
 * "idvk_<id>_<secret>"; the store keeps only its SHA-256, compared in constant time. Revoked
 * keys stop working at once. Creation and revocation are audited (audit.h).
 */
#ifndef IDVERIFY_KEYS_H
#define IDVERIFY_KEYS_H

#include "store.h"

#define IDV_KEY_TOKEN_MAX 96

/* Who may call a route (a bit set): X(NAME, "name", bit, an API key may have it). */
#define IDV_ROLES(X)                                                                             \
	X(PUBLIC, "public", 0, false)     /* anyone, no credentials */                           \
	X(ADMIN, "admin", 1, true)        /* the business's admin key */                         \
	X(REVIEWER, "reviewer", 2, true)                                                         \
	X(INTAKE, "intake", 3, true)                                                             \
	X(CASE, "case", 4, false)         /* a requester's per-case token */                     \
	X(AGENT, "agent", 5, false)       /* an authorized agent's DRP token */                  \
	X(CONSUMER, "consumer", 6, false) /* the consumer's own session on an agent's request */

enum idv_role {
#define IDV_ROLE_ENUM(n, s, bit, key) IDV_ROLE_##n = 1u << bit,
	IDV_ROLES(IDV_ROLE_ENUM)
#undef IDV_ROLE_ENUM
};
#define IDV_ROLE_LAST IDV_ROLE_CONSUMER /* the highest role bit, for loops over them */

/* The name of a role bit ("public", "admin", ...); "unknown" for anything else. */
const char *idv_role_name(unsigned bit);

/* The role bit of a role an API key may have (admin, reviewer, intake); 0 when unknown. */
unsigned idv_keys_role_bit(const char *role);

/*
 * Create a key for role with a name (1-64 characters of letters, digits, space, - _ . @),
 * audited as actor. token (IDV_KEY_TOKEN_MAX) receives the whole key, id its id.
 * IDV_E_INVAL for a bad role or name.
 */
enum idv_err idv_keys_create(struct idv_store *s, const char *role, const char *name,
			     const char *actor, char *token, char id[IDV_KEY_ID_MAX]);

/* Revoke key id, audited as actor: IDV_E_NOTFOUND, IDV_E_STATE when revoked already. */
enum idv_err idv_keys_revoke(struct idv_store *s, const char *id, const char *actor);

/* Is token a valid, unrevoked key? Its role bit and id. IDV_E_NOTFOUND when not. */
enum idv_err idv_keys_check(struct idv_store *s, const char *token, unsigned *role,
			    char id[IDV_KEY_ID_MAX]);

#endif
