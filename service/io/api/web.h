/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web.h: the pages people use (intake form, status page, agent page, reviewers' console), plain
 * HTML, CSS and JavaScript files under service/web/ embedded into the binary at build time by
 * service/web/embed.py (a generated web_assets.c of byte arrays). The handlers that serve them
 * are in service/io/api/api_web.c (api.h); the assets are read-only and live as long as the program.
 */
#ifndef IDVERIFY_WEB_H
#define IDVERIFY_WEB_H

#include <stddef.h>

struct idv_web_asset {
	const char *name;         /* file name under service/web/, e.g. "intake.js" */
	const char *content_type; /* "text/html; charset=utf-8", ... */
	const unsigned char *data;
	size_t len;
	const char *etag; /* quoted strong validator: a hash of the content */
};

extern const struct idv_web_asset idv_web_assets[];
extern const size_t idv_web_assets_count;

/* The asset called name, or NULL. name is a bare file name (no '/'). */
const struct idv_web_asset *idv_web_asset_find(const char *name);

#endif
