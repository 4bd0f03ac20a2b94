/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extract_pending.c: TEMPORARY stand-in for service/io/extract.c, which another branch
 * implements. Every document comes back unreadable with the detail "document reading not
 * merged yet", so that `idverify verify` builds and behaves safely (an unreadable document
 * never counts) on this branch. The lead removes this file when extract.c is merged.
 */
#include "idverify/extract.h"

enum idv_err
idv_extract_bytes(const uint8_t *p, size_t len, const struct idv_extract_opts *opts,
		  struct idv_document *doc)
{
	(void)p;
	(void)len;
	(void)opts;
	idv_document_init(doc);
	doc->status = IDV_DOCSTAT_UNREADABLE;
	doc->err = IDV_E_UNSUPPORTED;
	idv_strlcpy(doc->error_detail, "document reading not merged yet", sizeof doc->error_detail);
	return IDV_OK;
}

enum idv_err
idv_extract_file(const char *path, const struct idv_extract_opts *opts, struct idv_document *doc)
{
	(void)path;
	return idv_extract_bytes(NULL, 0, opts, doc);
}
