/* SPDX-License-Identifier: Apache-2.0 */
/* keys.c: API keys per role (see keys.h). */
#include <time.h>

#include "audit.h"
#include "crypto.h"
#include "keys.h"
#include "idverify/str.h"

#define KEY_PREFIX "idvk_"
#define KEY_ID_BYTES 8
#define KEY_SECRET_BYTES 32

static const struct {
	const char *name;
	unsigned bit;
	bool key;
} keys_roles[] = {
#define KEYS_ROLE(n, s, bit, key) {s, IDV_ROLE_##n, key},
	IDV_ROLES(KEYS_ROLE)
#undef KEYS_ROLE
};

const char *
idv_role_name(unsigned bit)
{
	for (size_t i = 0; i < IDV_ARRAY_LEN(keys_roles); i++)
		if (keys_roles[i].bit == bit)
			return keys_roles[i].name;
	return "unknown";
}

unsigned
idv_keys_role_bit(const char *role)
{
	for (size_t i = 0; i < IDV_ARRAY_LEN(keys_roles); i++)
		if (keys_roles[i].key && strcmp(role, keys_roles[i].name) == 0)
			return keys_roles[i].bit;
	return 0;
}

static bool
keys_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)name[i];
		if (!(idv_isalnum(c) || c == ' ' || c == '-' || c == '_' || c == '.' || c == '@'))
			return false;
	}
	return true;
}

enum idv_err
idv_keys_create(struct idv_store *s, const char *role, const char *name, const char *actor,
		char *token, char id[IDV_KEY_ID_MAX])
{
	uint8_t rid[KEY_ID_BYTES], sec[KEY_SECRET_BYTES];
	char sechex[2 * KEY_SECRET_BYTES + 1];
	struct idv_key_row row;
	enum idv_err err;
	memset(&row, 0, sizeof row);
	if (idv_keys_role_bit(role) == 0 || !keys_name_ok(name))
		return IDV_E_INVAL;
	if ((err = idv_crypto_random(rid, sizeof rid)) != IDV_OK ||
	    (err = idv_crypto_random(sec, sizeof sec)) != IDV_OK)
		return err;
	idv_hex(rid, sizeof rid, row.id);
	idv_hex(sec, sizeof sec, sechex);
	idv_wipe(sec, sizeof sec);
	bool fits = idv_fmt(token, IDV_KEY_TOKEN_MAX, KEY_PREFIX "%s_%s", row.id, sechex);
	idv_wipe(sechex, sizeof sechex);
	if (!fits)
		return IDV_E_TOOBIG;
	idv_crypto_sha256(token, strlen(token), row.secret_hash);
	idv_strlcpy(row.role, role, sizeof row.role);
	idv_strlcpy(row.name, name, sizeof row.name);
	row.created_at = (int64_t)time(NULL);
	if ((err = idv_store_begin(s)) != IDV_OK)
		goto fail;
	if ((err = idv_store_key_insert(s, &row)) == IDV_OK)
		err = idv_audit_append(s, actor, "key.created", "",
				       json_pack("{s:s,s:s}", "key", row.id, "role", role));
	if ((err = idv_store_end(s, err)) != IDV_OK)
		goto fail;
	idv_strlcpy(id, row.id, IDV_KEY_ID_MAX);
	return IDV_OK;
fail:
	idv_wipe(token, IDV_KEY_TOKEN_MAX);
	return err;
}

enum idv_err
idv_keys_revoke(struct idv_store *s, const char *id, const char *actor)
{
	enum idv_err err = idv_store_begin(s);
	if (err != IDV_OK)
		return err;
	if ((err = idv_store_key_revoke(s, id, (int64_t)time(NULL))) == IDV_OK)
		err = idv_audit_append(s, actor, "key.revoked", "", json_pack("{s:s}", "key", id));
	return idv_store_end(s, err);
}

enum idv_err
idv_keys_check(struct idv_store *s, const char *token, unsigned *role, char id[IDV_KEY_ID_MAX])
{
	size_t plen = strlen(KEY_PREFIX), idlen = 2 * KEY_ID_BYTES;
	size_t len = strlen(token);
	struct idv_key_row row;
	uint8_t h[32];
	if (len != plen + idlen + 1 + 2 * KEY_SECRET_BYTES ||
	    strncmp(token, KEY_PREFIX, plen) != 0 || token[plen + idlen] != '_')
		return IDV_E_NOTFOUND;
	char kid[IDV_KEY_ID_MAX];
	memcpy(kid, token + plen, idlen);
	kid[idlen] = '\0';
	for (size_t i = 0; i < idlen; i++)
		if (!idv_isxdigit((unsigned char)kid[i]))
			return IDV_E_NOTFOUND;
	enum idv_err err = idv_store_key_get(s, kid, &row);
	if (err != IDV_OK)
		return err;
	idv_crypto_sha256(token, len, h);
	bool ok = idv_ct_equal(h, row.secret_hash, sizeof h);
	idv_wipe(h, sizeof h);
	if (!ok || row.revoked_at != 0)
		return IDV_E_NOTFOUND;
	*role = idv_keys_role_bit(row.role);
	idv_strlcpy(id, row.id, IDV_KEY_ID_MAX);
	return *role != 0 ? IDV_OK : IDV_E_NOTFOUND;
}
