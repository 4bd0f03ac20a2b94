/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_keys.c: `idverify keys create --role R --name N`, `keys revoke ID`, `keys list`;
 * `idverify audit verify`; and the hidden `idverify routes` (the route table as JSON, for the
 * API tests' role matrix). Opening the database needs the master key (audit.h).
 */
#include <jansson.h>

#include "audit.h"
#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "api.h"
#include "http.h"
#include "keys.h"
#include "idverify/str.h"

static void
keys_usage(FILE *out)
{
	fprintf(out,
		"usage: idverify keys create --role admin|reviewer|intake --name NAME [OPTIONS]\n"
		"       idverify keys revoke ID [OPTIONS]\n"
		"       idverify keys list [OPTIONS]\n\n"
		"create: makes an API key for a role and prints it once (only its hash is kept);\n"
		"callers send it as 'Authorization: Bearer KEY'. revoke: the key stops working at\n"
		"once. list: the keys as JSON lines, without secrets. Both are in the audit trail.\n\n");
	idv_config_usage(out);
}

/* Take "--name VALUE" (or --name=VALUE) out of argv; returns argc left. */
static int
keys_take(int argc, char **argv, const char *name, const char **value)
{
	size_t n = strlen(name);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
			continue;
		int drop;
		if (a[2 + n] == '=') {
			*value = a + 3 + n;
			drop = 1;
		} else if (a[2 + n] == '\0' && i + 1 < argc) {
			*value = argv[i + 1];
			drop = 2;
		} else {
			continue;
		}
		for (int k = i; k + drop < argc; k++)
			argv[k] = argv[k + drop];
		return argc - drop;
	}
	return argc;
}

static bool
keys_print(void *arg, const struct idv_key_row *row)
{
	(void)arg;
	json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:b}", "id", row->id, "role", row->role, "name",
			      row->name, "created_at", (json_int_t)row->created_at, "revoked",
			      row->revoked_at != 0);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s != NULL)
		printf("%s\n", s);
	free(s);
	json_decref(o);
	return true;
}

int
idv_cmd_keys(int argc, char **argv)
{
	const char *role = NULL, *name = NULL;
	argc = keys_take(argc, argv, "role", &role);
	argc = keys_take(argc, argv, "name", &name);
	struct idv_cmd c;
	int status = idv_cmd_begin(&c, "keys", argc, argv, 2, keys_usage);
	if (status >= 0)
		return status;
	status = 1;
	bool create = idv_cmd_verb(&c, "create", 0);
	bool revoke = idv_cmd_verb(&c, "revoke", 1);
	bool list = idv_cmd_verb(&c, "list", 0);
	if (!create && !revoke && !list) {
		keys_usage(stderr);
		return 2;
	}
	if (create && (role == NULL || name == NULL || idv_keys_role_bit(role) == 0)) {
		fprintf(stderr, "idverify keys create: needs --role admin|reviewer|intake and "
				"--name NAME\n");
		return 2;
	}
	if (idv_cmd_store(&c) != IDV_OK)
		goto out;
	enum idv_err err = IDV_OK;
	if (create) {
		char token[IDV_KEY_TOKEN_MAX], id[IDV_KEY_ID_MAX];
		err = idv_keys_create(c.store, role, name, "admin", token, id);
		if (err == IDV_E_INVAL) {
			fprintf(stderr, "idverify keys create: a name is 1 to 64 letters, digits, "
					"spaces or - _ . @\n");
			status = 2;
			goto out;
		}
		if (err == IDV_OK) {
			printf("%s\n", token);
			fprintf(stderr,
				"idverify keys: created key %s (%s) for role %s; the key is "
				"shown once: store it now\n",
				id, name, role);
			idv_wipe(token, sizeof token);
		}
	} else if (revoke) {
		err = idv_keys_revoke(c.store, c.pos[1], "admin");
		if (err == IDV_E_NOTFOUND || err == IDV_E_STATE) {
			fprintf(stderr, "idverify keys revoke: %s\n",
				err == IDV_E_NOTFOUND ? "no such key" : "revoked already");
			goto out;
		}
		if (err == IDV_OK)
			printf("revoked %s\n", c.pos[1]);
	} else {
		err = idv_store_key_each(c.store, keys_print, NULL);
	}
	if (err != IDV_OK) {
		fprintf(stderr, "idverify keys: %s\n", idv_err_str(err));
		goto out;
	}
	status = 0;
out:
	return idv_cmd_end(&c, status);
}

int
idv_cmd_audit(int argc, char **argv)
{
	struct idv_cmd c;
	int status = idv_cmd_begin(&c, "audit", argc, argv, 1, NULL);
	if (status >= 0)
		return status;
	status = 1;
	if (c.help || !idv_cmd_verb(&c, "verify", 0)) {
		fprintf(c.help ? stdout : stderr,
			"usage: idverify audit verify [OPTIONS]\n\nRecomputes the audit trail's "
			"hash chain: prints \"ok N entries\", or names the first\nbroken entry and "
			"exits 1.\n\n");
		idv_config_usage(c.help ? stdout : stderr);
		return c.help ? 0 : 2;
	}
	if (idv_cmd_store(&c) != IDV_OK)
		goto out;
	struct idv_audit_report rep;
	enum idv_err err = idv_audit_verify(c.store, &rep);
	if (err == IDV_OK) {
		printf("ok %lld entries\n", (long long)rep.entries);
		status = 0;
	} else if (err == IDV_E_CHECKSUM) {
		printf("broken at entry %lld: %s (%lld entries before it hold)\n",
		       (long long)rep.bad_seq, rep.why, (long long)rep.entries);
	} else {
		fprintf(stderr, "idverify audit: %s\n", idv_err_str(err));
	}
out:
	return idv_cmd_end(&c, status);
}

int
idv_cmd_routes(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static const char *const bodies[] = {"none", "json", "json_optional", "raw"};
	json_t *arr = json_array();
	for (size_t i = 0; i < idv_routes_count; i++) {
		const struct idv_route *r = &idv_routes[i];
		json_t *roles = json_array();
		for (unsigned bit = 1; bit <= IDV_ROLE_LAST; bit <<= 1)
			if (r->roles & bit)
				json_array_append_new(roles, json_string(idv_role_name(bit)));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:s,s:b,s:s}", "method",
						     r->p.method, "pattern", r->p.pattern, "roles",
						     roles, "body", bodies[r->body], "drp",
						     (r->flags & IDV_ROUTE_DRP) != 0, "summary",
						     r->summary));
	}
	char *s = json_dumps(arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(arr);
	if (s == NULL)
		return 1;
	printf("%s\n", s);
	free(s);
	return 0;
}
