/* SPDX-License-Identifier: Apache-2.0 */
/* vocab.c: the name tables of vocab.h, made from its X-macros. */
#include "vocab.h"

#include "idverify/str.h"

#define VOCAB_NAME(n, s) s,
#define VOCAB_LIST(n, s) ", " s
/* A set from its X-macro: the names, their number and the list (its leading ", " skipped). */
#define VOCAB(var, table)                                                                          \
	static const char *const var##_names[] = {table(VOCAB_NAME)};                              \
	const struct idv_vocab var = {var##_names, IDV_ARRAY_LEN(var##_names),                     \
				      (table(VOCAB_LIST)) + 2}

VOCAB(idv_vocab_request_types, IDV_REQUEST_TYPES);
VOCAB(idv_vocab_requester_roles, IDV_REQUESTER_ROLES);
VOCAB(idv_vocab_channels, IDV_CHANNELS);
VOCAB(idv_vocab_doc_kinds, IDV_DOC_KINDS);
VOCAB(idv_vocab_responses, IDV_RESPONSES);
VOCAB(idv_vocab_denial_bases, IDV_DENIAL_BASES);

bool
idv_vocab_has(const struct idv_vocab *v, const char *s)
{
	for (size_t i = 0; s != NULL && i < v->n; i++)
		if (strcmp(s, v->names[i]) == 0)
			return true;
	return false;
}

IDV_NAME_FN(idv_requester, enum idv_requester, idv_vocab_requester_roles.names,
	    IDV_REQUESTER__COUNT, "unknown")

bool
idv_requester_is(const char *role, enum idv_requester r)
{
	return role != NULL && strcmp(role, idv_requester_name(r)) == 0;
}
