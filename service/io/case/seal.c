/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seal.c: a case's own data key (new, or unwrapped from its row) and the sealing of the case's
 * blobs under it (seal.h). AES-256-GCM with the reference and the blob's label as associated
 * data, so that a blob cannot be moved to another case or slot.
 */
#include "seal.h"
#include "idverify/str.h"

/* The result of reading a document, as stored (sealed): a versioned copy of the struct. */
#define SEAL_RESULT_MAGIC 0x49445644u /* "IDVD" */

struct seal_result {
	uint32_t magic;
	uint32_t size;
	struct idv_document doc;
};

static void
seal_aad(struct idv_buf *aad, const char *reference, const char *label)
{
	idv_buf_init(aad, 256);
	idv_buf_printf(aad, "idverify/case/%s/%s", reference, label);
}

enum idv_err
idv_case_key_new(const char *reference, uint8_t dek[IDV_KEY_LEN], struct idv_buf *wrapped)
{
	uint8_t kek[IDV_KEY_LEN];
	enum idv_err err;
	if ((err = idv_crypto_random(dek, IDV_KEY_LEN)) != IDV_OK ||
	    (err = idv_crypto_derive("case-wrap", kek)) != IDV_OK)
		return err;
	struct idv_buf aad;
	seal_aad(&aad, reference, "key");
	idv_buf_reset(wrapped);
	err = idv_crypto_seal(kek, aad.data, aad.len, dek, IDV_KEY_LEN, wrapped);
	idv_buf_cleanup(&aad);
	idv_wipe(kek, sizeof kek);
	return err;
}

enum idv_err
idv_case_key_open(const struct idv_case_row *row, uint8_t dek[IDV_KEY_LEN])
{
	uint8_t kek[IDV_KEY_LEN];
	enum idv_err err;
	if (row->wrapped_key.len == 0)
		return IDV_E_STATE; /* purged: the key is gone, and with it the data */
	if ((err = idv_crypto_derive("case-wrap", kek)) != IDV_OK)
		return err;
	struct idv_buf aad, plain;
	seal_aad(&aad, row->reference, "key");
	idv_buf_init(&plain, IDV_KEY_LEN);
	err = idv_crypto_open(kek, aad.data, aad.len, row->wrapped_key.data, row->wrapped_key.len,
			      &plain);
	if (err == IDV_OK && plain.len == IDV_KEY_LEN)
		memcpy(dek, plain.data, IDV_KEY_LEN);
	else if (err == IDV_OK)
		err = IDV_E_CRYPTO;
	idv_buf_cleanup_wipe(&plain);
	idv_buf_cleanup(&aad);
	idv_wipe(kek, sizeof kek);
	return err;
}

enum idv_err
idv_case_seal(const uint8_t dek[IDV_KEY_LEN], const char *reference, const char *label,
	      const void *p, size_t len, struct idv_buf *out)
{
	struct idv_buf aad;
	seal_aad(&aad, reference, label);
	idv_buf_reset(out);
	enum idv_err err = idv_crypto_seal(dek, aad.data, aad.len, p, len, out);
	idv_buf_cleanup(&aad);
	return err;
}

enum idv_err
idv_case_open(const uint8_t dek[IDV_KEY_LEN], const char *reference, const char *label,
	      const void *p, size_t len, struct idv_buf *out)
{
	struct idv_buf aad;
	seal_aad(&aad, reference, label);
	idv_buf_reset(out);
	enum idv_err err = idv_crypto_open(dek, aad.data, aad.len, p, len, out);
	idv_buf_cleanup(&aad);
	return err;
}

void
idv_doc_group(const char *doc_id, char group[IDV_DOC_ID_MAX])
{
	idv_strlcpy(group, doc_id, IDV_DOC_ID_MAX);
	char *dot = strchr(group, '.');
	if (dot != NULL)
		*dot = '\0';
}

enum idv_err
idv_document_content_seal(const uint8_t dek[IDV_KEY_LEN], const char *reference, const char *doc_id,
			  const void *p, size_t len, struct idv_buf *out)
{
	char label[64];
	if (!idv_fmt(label, sizeof label, "doc/%s", doc_id))
		return IDV_E_INVAL;
	return idv_case_seal(dek, reference, label, p, len, out);
}

enum idv_err
idv_document_content_open(const uint8_t dek[IDV_KEY_LEN], const char *reference, const char *doc_id,
			  const struct idv_buf *sealed, struct idv_buf *out)
{
	char label[64];
	if (!idv_fmt(label, sizeof label, "doc/%s", doc_id))
		return IDV_E_INVAL;
	return idv_case_open(dek, reference, label, sealed->data, sealed->len, out);
}

enum idv_err
idv_document_unseal(const uint8_t dek[IDV_KEY_LEN], const char *reference, const char *doc_id,
		    const struct idv_buf *sealed, struct idv_document *doc)
{
	char label[64];
	struct idv_buf plain;
	enum idv_err err;
	if (!idv_fmt(label, sizeof label, "result/%s", doc_id))
		return IDV_E_INVAL;
	idv_buf_init(&plain, sizeof(struct seal_result));
	err = idv_case_open(dek, reference, label, sealed->data, sealed->len, &plain);
	if (err == IDV_OK) {
		const struct seal_result *r = (const void *)plain.data;
		if (plain.len != sizeof *r || r->magic != SEAL_RESULT_MAGIC || r->size != sizeof *r)
			err = IDV_E_STATE; /* written by another version: read again */
		else
			memcpy(doc, &r->doc, sizeof *doc);
	}
	idv_buf_cleanup_wipe(&plain);
	return err;
}

enum idv_err
idv_document_seal(const uint8_t dek[IDV_KEY_LEN], const char *reference, const char *doc_id,
		  const struct idv_document *doc, struct idv_buf *out)
{
	char label[64];
	if (!idv_fmt(label, sizeof label, "result/%s", doc_id))
		return IDV_E_INVAL;
	struct seal_result *r = idv_calloc(1, sizeof *r);
	r->magic = SEAL_RESULT_MAGIC;
	r->size = sizeof *r;
	memcpy(&r->doc, doc, sizeof *doc);
	enum idv_err err = idv_case_seal(dek, reference, label, r, sizeof *r, out);
	idv_wipe(r, sizeof *r);
	free(r);
	return err;
}
