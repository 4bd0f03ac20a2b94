/* SPDX-License-Identifier: Apache-2.0 */
/*
 * messages.h: the texts a consumer reads (pages, e-mails, problem titles and details), one
 * catalogue file per language outside the code: MODELS/messages/LANG.json, a flat JSON object
 * of key -> text ("intake.title": "Make a privacy request"), {name} marking a value filled in
 * where the text is used. English (en.json) is required and is the default; every other
 * catalogue there (two lower-case letters) must have exactly its keys, or loading fails.
 * Loaded once by `serve` before it answers; read-only afterwards, so any thread may read it.
 */
#ifndef IDVERIFY_MESSAGES_H
#define IDVERIFY_MESSAGES_H

#include <jansson.h>
#include <stddef.h>

#include "idverify/common.h"

#define IDV_MESSAGES_LANGS_MAX 8
#define IDV_MESSAGES_FILE_MAX (1024u * 1024u) /* one catalogue */

/* Load every catalogue of models_dir/messages; IDV_E_PARSE (why says which file and key) when
 * en.json is absent or bad, or another catalogue lacks a key of it or has one it lacks. */
enum idv_err idv_messages_load(const char *models_dir, char *why, size_t whysz);

/* Forget the catalogues (tests, shutdown). */
void idv_messages_unload(void);

/* The loaded languages, English first; *n gets their number (0 before a load). Borrowed. */
const char *const *idv_messages_languages(size_t *n);

/*
 * The language to answer in: want when it names a loaded language (a page's switch, ?lang=),
 * else the best of the Accept-Language header accept (lang.h), else NULL when neither names
 * one (the caller's default: English texts as the code has them). Borrowed.
 */
const char *idv_messages_pick(const char *want, const char *accept);

/* The text of key in lang, or NULL (no such key, language or catalogue). Borrowed. */
const char *idv_messages_text(const char *lang, const char *key);

/* lang's whole catalogue (a JSON object), or NULL. Borrowed: json_incref to keep it. */
json_t *idv_messages_catalogue(const char *lang);

#endif
