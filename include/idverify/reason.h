/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reason.h: the vocabulary every comparator answers in (names, dates, phones, e-mail,
 * addresses): a score in [0,1] and the reason for it. Reason names are stable: they appear in
 * decisions.
 */
#ifndef IDVERIFY_REASON_H
#define IDVERIFY_REASON_H

#include "idverify/common.h"

/* Why a comparator scored what it did. Names are stable (they appear in decisions). */
enum idv_reason {
	IDV_R_EXACT = 0,          /* equal after normalisation (case, accents, punctuation) */
	IDV_R_MISSING,            /* one side or both sides have no value */
	IDV_R_UNPARSEABLE,        /* a value could not be read (bad date, not a phone number) */
	IDV_R_MISMATCH,           /* different */
	/* names */
	IDV_R_TRANSLITERATION,    /* equal through the ICAO 9303 transliteration (UE for U-umlaut) */
	IDV_R_NICKNAME,           /* given names related by the nickname table */
	IDV_R_INITIAL,            /* an initial against a full given name */
	IDV_R_TYPO,               /* close spelling (Jaro-Winkler) */
	IDV_R_FAMILY_PARTIAL,     /* one multi-part family name contains the other */
	IDV_R_SWAPPED,            /* given and family names in the other order */
	IDV_R_MIDDLE_AS_GIVEN,    /* goes by the middle name */
	IDV_R_MIDDLE_CONFLICT,    /* first names agree, middle names differ */
	IDV_R_SUFFIX_CONFLICT,    /* Jr against Sr, II against III */
	/* dates */
	IDV_R_DAY_MONTH_SWAP,     /* same date with day and month exchanged: not a match */
	/* e-mail (weaker reasons: not equal as written) */
	IDV_R_EMAIL_PLUS_TAG,     /* equal once a +tag of the local part is removed */
	IDV_R_EMAIL_DOTS,         /* equal once dots of the local part are removed */
	/* addresses */
	IDV_R_NUMBER_RANGE,       /* a house number inside the other's range (12 in 12-14) */
	IDV_R_NUMBER_DIFFERS,
	IDV_R_STREET_DIFFERS,
	IDV_R_STREET_TYPO,
	IDV_R_STREET_SUFFIX_DIFFERS, /* Main St against Main Ave */
	IDV_R_DIRECTIONAL_DIFFERS,   /* N Main against S Main */
	IDV_R_UNIT_DIFFERS,
	IDV_R_UNIT_MISSING,       /* one side has a unit, the other none */
	IDV_R_POSTAL_DIFFERS,
	IDV_R_POSTAL_MISSING,     /* matched on city and state without a ZIP on one side */
	IDV_R_CITY_DIFFERS,
	IDV_R_STATE_DIFFERS,
	IDV_R_PO_BOX_VS_STREET,
	IDV_R__COUNT
};

/* "exact", "missing", ..., never NULL. */
const char *idv_reason_name(enum idv_reason r);

struct idv_match {
	double score; /* [0,1] */
	enum idv_reason reason;
};

#endif
