/* SPDX-License-Identifier: Apache-2.0 */
/*
 * document.h: what reading one uploaded document yields, shared by every reader (AAMVA, MRZ,
 * OCR of printed text, proof-of-residence parsing), by `idverify check`, by scoring and by the
 * case store. Pure data: no allocation; every string is a fixed, NUL-terminated array.
 *
 * A field has one value, the source that said it, a confidence in [0,1] and, when it was read
 * from pixels, its box in the (rectified) page image. Readers that see the same field from two
 * sources keep the more reliable one here and compare the two in a check
 * (barcode_matches_printed, mrz_matches_visual).
 */
#ifndef IDVERIFY_DOCUMENT_H
#define IDVERIFY_DOCUMENT_H

#include "idverify/common.h"

enum idv_doc_kind {
	IDV_DOC_UNKNOWN = 0,
	IDV_DOC_DRIVERS_LICENSE,
	IDV_DOC_ID_CARD,
	IDV_DOC_PASSPORT,
	IDV_DOC_PROOF_OF_RESIDENCE,
	IDV_DOC__COUNT
};

/* "unknown", "drivers_license", "id_card", "passport", "proof_of_residence". */
const char *idv_doc_kind_name(enum idv_doc_kind kind);
/* The kind named name[0..len), IDV_DOC__COUNT when none is. */
enum idv_doc_kind idv_doc_kind_lookup(const char *name, size_t len);

enum idv_doc_status {
	IDV_DOCSTAT_OK = 0,     /* processed (whatever it held) */
	IDV_DOCSTAT_UNREADABLE, /* a supported file that could not be decoded or read */
	IDV_DOCSTAT_REJECTED,   /* refused before decoding: unsupported format, bomb, too big */
};
const char *idv_doc_status_name(enum idv_doc_status st); /* "ok", "unreadable", "rejected" */

enum idv_source {
	IDV_SRC_NONE = 0,
	IDV_SRC_FORM,     /* typed by the requester */
	IDV_SRC_PDF417,   /* AAMVA barcode */
	IDV_SRC_MRZ,      /* machine-readable zone */
	IDV_SRC_OCR,      /* printed text read by OCR */
	IDV_SRC_PDF_TEXT, /* a PDF's text layer */
	IDV_SRC_BARCODE,  /* another barcode (QR, 1D) */
	IDV_SRC__COUNT
};
const char *idv_source_name(enum idv_source src); /* "form", "pdf417", "mrz", "ocr", ... */

enum idv_field_id {
	IDV_F_FAMILY_NAME = 0,
	IDV_F_GIVEN_NAMES,       /* given and middle names, space separated */
	IDV_F_NAME_SUFFIX,       /* JR, SR, III ... */
	IDV_F_DATE_OF_BIRTH,     /* YYYY-MM-DD */
	IDV_F_SEX,               /* M, F, X */
	IDV_F_DOCUMENT_NUMBER,   /* full value; masked only when presented */
	IDV_F_ISSUING_AUTHORITY, /* US state / Canadian province code, or ICAO country code */
	IDV_F_NATIONALITY,       /* ICAO country code */
	IDV_F_ISSUE_DATE,        /* YYYY-MM-DD */
	IDV_F_EXPIRY_DATE,       /* YYYY-MM-DD */
	IDV_F_STREET,
	IDV_F_UNIT,
	IDV_F_CITY,
	IDV_F_STATE,
	IDV_F_POSTAL_CODE,
	IDV_F_HOLDER_NAME,    /* proof of residence: the holder(s) as printed, "; " between */
	IDV_F_STATEMENT_DATE, /* proof of residence: YYYY-MM-DD */
	IDV_F_ISSUER,         /* proof of residence: the company or agency */
	IDV_F__COUNT
};
/* The JSON key of a field: "family_name", "given_names", ..., "issuer". */
const char *idv_field_name(enum idv_field_id id);
/* Inverse of idv_field_name; IDV_F__COUNT when unknown. */
enum idv_field_id idv_field_lookup(const char *name, size_t len);

#define IDV_FIELD_VALUE_MAX 160

struct idv_box {
	int x, y, w, h; /* pixels; w == 0 when there is no box */
};

struct idv_field {
	bool present;
	char value[IDV_FIELD_VALUE_MAX];
	enum idv_source source;
	float confidence;
	struct idv_box box;
};

enum idv_check_result {
	IDV_CHECK_NA = 0, /* not_applicable */
	IDV_CHECK_PASS,
	IDV_CHECK_FAIL,
};
const char *idv_check_result_name(enum idv_check_result r); /* "pass", "fail", "not_applicable" */

#define IDV_CHECK_NAME_MAX 32
#define IDV_CHECK_DETAIL_MAX 160
#define IDV_DOC_MAX_CHECKS 16

struct idv_check {
	char name[IDV_CHECK_NAME_MAX]; /* aamva_header, iin_matches_state, barcode_matches_printed,
					  expired, mrz_check_digits, mrz_matches_visual,
					  statement_recent, residence_kind_accepted, ... */
	enum idv_check_result result;
	char detail[IDV_CHECK_DETAIL_MAX]; /* never personal data */
};

/* Proof-of-residence kinds. */
enum idv_residence_kind {
	IDV_RES_NONE = 0,
	IDV_RES_UTILITY_BILL,
	IDV_RES_MOBILE_PHONE_BILL,
	IDV_RES_LEASE,
	IDV_RES_INSURANCE,
	IDV_RES_PROPERTY_TAX,
	IDV_RES_BANK_STATEMENT,
	IDV_RES_OTHER,
	IDV_RES__COUNT
};
const char *idv_residence_kind_name(enum idv_residence_kind k); /* "utility_bill", ... */
/* The kind named name[0..len), IDV_RES__COUNT when none is. */
enum idv_residence_kind idv_residence_kind_lookup(const char *name, size_t len);

#define IDV_DOC_MAX_BARCODES 8
#define IDV_MRZ_MAX_LINES 3
#define IDV_MRZ_LINE_MAX 48

struct idv_barcode_info {
	char format[16]; /* "PDF417", "QRCode", "Code128", ... */
	size_t length;   /* bytes of payload */
};

struct idv_mrz_info {
	bool present;
	char format[8]; /* "TD1", "TD2", "TD3", "MRVA", "MRVB" */
	size_t nlines;
	char lines[IDV_MRZ_MAX_LINES][IDV_MRZ_LINE_MAX];     /* after repair */
	char raw_lines[IDV_MRZ_MAX_LINES][IDV_MRZ_LINE_MAX]; /* as recognised */
	bool check_digits_valid;
	bool repaired;
};

struct idv_document {
	enum idv_doc_status status;
	enum idv_err err;       /* when status != OK */
	char error_detail[160]; /* when status != OK; never personal data */
	enum idv_doc_kind kind;
	enum idv_residence_kind residence_kind;
	struct idv_field fields[IDV_F__COUNT];
	struct idv_check checks[IDV_DOC_MAX_CHECKS];
	size_t nchecks;
	struct idv_barcode_info barcodes[IDV_DOC_MAX_BARCODES];
	size_t nbarcodes;
	struct idv_mrz_info mrz;
	int page_width, page_height; /* of the image the boxes refer to */
	int page_turns;              /* quarter turns clockwise that image was turned from the
					  upload to be upright (0-3; from its content) */
};

void idv_document_init(struct idv_document *doc);

/*
 * Set a field (value copied and truncated to IDV_FIELD_VALUE_MAX - 1 bytes). Replaces an
 * existing value only when the new confidence is higher. box may be NULL.
 */
void idv_document_set(struct idv_document *doc, enum idv_field_id id, const char *value, size_t len,
		      enum idv_source src, float confidence, const struct idv_box *box);

/* Add or replace (by name) a check. The detail is printf-formatted. */
void idv_document_check(struct idv_document *doc, const char *name, enum idv_check_result r,
			const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));

/* The check of that name, or NULL. */
const struct idv_check *idv_document_find_check(const struct idv_document *doc, const char *name);

/*
 * Mask a document number for presentation: all but the last 4 characters become '*'
 * (a value of 4 characters or fewer is fully masked). out has room for len + 1 bytes.
 */
void idv_mask_number(const char *value, char *out, size_t outsz);

#endif
