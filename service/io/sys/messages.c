/* SPDX-License-Identifier: Apache-2.0 */
/*
 * messages.c: the language catalogues (messages.h). Loaded before the server threads start and
 * never changed while they run, so readers need no lock.
 */
#include "messages.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "idverify/lang.h"
#include "idverify/str.h"

static struct {
	size_t n;
	char names[IDV_MESSAGES_LANGS_MAX][4];
	const char *list[IDV_MESSAGES_LANGS_MAX];
	json_t *cat[IDV_MESSAGES_LANGS_MAX];
} messages;

void
idv_messages_unload(void)
{
	for (size_t i = 0; i < messages.n; i++)
		json_decref(messages.cat[i]);
	memset(&messages, 0, sizeof messages);
}

/* A catalogue: a flat object of string values. */
static json_t *
messages_read(const char *dir, const char *lang, char *why, size_t whysz)
{
	char path[PATH_MAX + 16];
	json_error_t e;
	json_t *o = NULL;
	if (!idv_fmt(path, sizeof path, "%s/%s.json", dir, lang)) {
		idv_why(why, whysz, "%s: path too long", dir);
		goto out;
	}
	o = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (o == NULL) {
		idv_why(why, whysz, "%s: %s (line %d)", path, e.text, e.line);
		goto out;
	}
	const char *key;
	json_t *v;
	if (!json_is_object(o)) {
		idv_why(why, whysz, "%s: not a JSON object", path);
		goto bad;
	}
	json_object_foreach(o, key, v)
	{
		if (!json_is_string(v) || json_string_length(v) == 0) {
			idv_why(why, whysz, "%s: %s is not a non-empty string", path, key);
			goto bad;
		}
	}
	goto out;
bad:
	json_decref(o);
	o = NULL;
out:
	return o;
}

/* Does every key of a exist in b? why names the first that does not. */
static bool
messages_covers(json_t *a, const char *an, json_t *b, const char *bn, char *why, size_t whysz)
{
	const char *key;
	json_t *v;
	json_object_foreach(a, key, v)
	{
		if (json_object_get(b, key) == NULL) {
			idv_why(why, whysz, "messages: %s in %s.json is missing from %s.json", key,
				an, bn);
			return false;
		}
	}
	return true;
}

enum idv_err
idv_messages_load(const char *models_dir, char *why, size_t whysz)
{
	char dir[PATH_MAX];
	enum idv_err result = IDV_E_PARSE;
	DIR *d = NULL;
	idv_messages_unload();
	if (!idv_fmt(dir, sizeof dir, "%s/messages", models_dir)) {
		idv_why(why, whysz, "%s: path too long", models_dir);
		goto out;
	}
	if ((messages.cat[0] = messages_read(dir, "en", why, whysz)) == NULL)
		goto out;
	idv_strlcpy(messages.names[0], "en", sizeof messages.names[0]);
	messages.n = 1;
	if ((d = opendir(dir)) == NULL) {
		idv_why(why, whysz, "%s: cannot be listed", dir);
		goto out;
	}
	struct dirent *ent;
	while ((ent = readdir(d)) != NULL) {
		const char *nm = ent->d_name;
		bool lang = strlen(nm) == 7 && strcmp(nm + 2, ".json") == 0 && nm[0] >= 'a' &&
			    nm[0] <= 'z' && nm[1] >= 'a' && nm[1] <= 'z';
		if (!lang || strncmp(nm, "en", 2) == 0)
			continue;
		if (messages.n == IDV_MESSAGES_LANGS_MAX) {
			idv_why(why, whysz, "%s: more than %d catalogues", dir,
				IDV_MESSAGES_LANGS_MAX);
			goto out;
		}
		char *name = messages.names[messages.n];
		memcpy(name, nm, 2);
		name[2] = '\0';
		json_t *cat = messages_read(dir, name, why, whysz);
		if (cat == NULL)
			goto out;
		messages.cat[messages.n++] = cat;
		if (!messages_covers(messages.cat[0], "en", cat, name, why, whysz) ||
		    !messages_covers(cat, name, messages.cat[0], "en", why, whysz))
			goto out;
	}
	/* a stable order whatever the directory's: English first, then by name */
	for (size_t i = 1; i < messages.n; i++)
		for (size_t k = i + 1; k < messages.n; k++)
			if (strcmp(messages.names[k], messages.names[i]) < 0) {
				char t[4];
				memcpy(t, messages.names[i], sizeof t);
				memcpy(messages.names[i], messages.names[k], sizeof t);
				memcpy(messages.names[k], t, sizeof t);
				json_t *c = messages.cat[i];
				messages.cat[i] = messages.cat[k];
				messages.cat[k] = c;
			}
	for (size_t i = 0; i < messages.n; i++)
		messages.list[i] = messages.names[i];
	result = IDV_OK;
out:
	if (d != NULL)
		closedir(d);
	if (result != IDV_OK)
		idv_messages_unload();
	return result;
}

const char *const *
idv_messages_languages(size_t *n)
{
	*n = messages.n;
	return messages.list;
}

static int
messages_index(const char *lang)
{
	for (size_t i = 0; lang != NULL && i < messages.n; i++)
		if (strcmp(messages.names[i], lang) == 0)
			return (int)i;
	return -1;
}

const char *
idv_messages_pick(const char *want, const char *accept)
{
	int i = messages_index(want);
	if (i < 0)
		i = idv_lang_pick(accept, messages.list, messages.n);
	return i < 0 ? NULL : messages.names[i];
}

json_t *
idv_messages_catalogue(const char *lang)
{
	int i = messages_index(lang);
	return i < 0 ? NULL : messages.cat[i];
}

const char *
idv_messages_text(const char *lang, const char *key)
{
	return json_string_value(json_object_get(idv_messages_catalogue(lang), key));
}
