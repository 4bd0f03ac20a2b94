/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vocab.h: the closed sets of words a case is described with, each spelled once as an X-macro
 * table X(NAME, "name"): who filed the request, the channel it came by, the kinds of document,
 * the responses and the bases of a denial. The strings are stable in the API and the store.
 * The request types are the core's (IDV_REQUEST_TYPES, score.h).
 */
#ifndef IDVERIFY_VOCAB_H
#define IDVERIFY_VOCAB_H

#include "idverify/common.h"
#include "idverify/score.h"

#define IDV_REQUESTER_ROLES(X)                                                                     \
	X(CONSUMER, "consumer")                                                                    \
	X(PARENT_OR_GUARDIAN, "parent_or_guardian")                                                \
	X(AUTHORIZED_AGENT, "authorized_agent")

#define IDV_CHANNELS(X)                                                                            \
	X(WEB, "web")                                                                              \
	X(API, "api")                                                                              \
	X(AGENT, "agent")                                                                          \
	X(EMAIL, "email")                                                                          \
	X(PHONE, "phone")                                                                          \
	X(MAIL, "mail")

#define IDV_DOC_KINDS(X)                                                                           \
	X(GOVERNMENT_ID, "government_id")                                                          \
	X(PROOF_OF_RESIDENCE, "proof_of_residence")                                                \
	X(AGENT_PERMISSION, "agent_permission")                                                    \
	X(AGENT_REGISTRATION, "agent_registration")                                                \
	X(POWER_OF_ATTORNEY, "power_of_attorney")                                                  \
	X(RELATIONSHIP_PROOF, "relationship_proof")

#define IDV_RESPONSES(X)                                                                           \
	X(FULFILLED, "fulfilled")                                                                  \
	X(PARTIALLY_FULFILLED, "partially_fulfilled")                                              \
	X(DENIED, "denied")

#define IDV_DENIAL_BASES(X)                                                                        \
	X(NOT_VERIFIED, "not_verified")                                                            \
	X(TOO_MANY_REQUESTS, "too_many_requests")                                                  \
	X(EXEMPT, "exempt")                                                                        \
	X(NO_PERSONAL_INFORMATION, "no_personal_information")                                      \
	X(CLAIM_NOT_COVERED, "claim_not_covered")                                                  \
	X(OTHER, "other")

/* The channels and requester roles as numbers (indexes of their vocab's names). */
enum idv_channel {
#define IDV_CHANNEL_ENUM(n, s) IDV_CHANNEL_##n,
	IDV_CHANNELS(IDV_CHANNEL_ENUM)
#undef IDV_CHANNEL_ENUM
		IDV_CHANNEL__COUNT
};
enum idv_requester {
#define IDV_REQUESTER_ENUM(n, s) IDV_REQUESTER_##n,
	IDV_REQUESTER_ROLES(IDV_REQUESTER_ENUM)
#undef IDV_REQUESTER_ENUM
		IDV_REQUESTER__COUNT
};

/*
 * One of the sets: its names and, for messages, all of them as one text ("a, b, c").
 * The sets are static and never change.
 */
struct idv_vocab {
	const char *const *names;
	size_t n;
	const char *list;
};
extern const struct idv_vocab idv_vocab_request_types, idv_vocab_requester_roles,
	idv_vocab_channels, idv_vocab_doc_kinds, idv_vocab_responses, idv_vocab_denial_bases;

/* True when s (may be NULL: false) is one of v's names. */
bool idv_vocab_has(const struct idv_vocab *v, const char *s);

/* The name of a requester role (never NULL), and whether role (a stored string) is it. */
const char *idv_requester_name(enum idv_requester r);
bool idv_requester_is(const char *role, enum idv_requester r);

#endif
