/* SPDX-License-Identifier: Apache-2.0 */
/*
 * address.h: normalising and comparing US postal addresses. Pure: no allocation, no I/O.
 *
 * Normalisation follows USPS Publication 28: street suffixes to their standard abbreviation
 * (Street/St/Str -> ST, Avenue/Ave/Av -> AVE, Boulevard -> BLVD ...; Appendix C1), directionals
 * (North -> N, Northwest -> NW), secondary unit designators (Apartment/Apt, Suite/Ste, #, Floor,
 * Room, Building ...; Appendix C2), house numbers and ranges (12-14), PO boxes (P.O. Box, POB,
 * Post Office Box), state names to two-letter codes (all states, DC and the territories), and
 * ZIP or ZIP+4 (a 4-digit ZIP that lost its leading zero is padded).
 *
 * The tables are written for this project from the publication's lists; they are not copied
 * from any program.
 */
#ifndef IDVERIFY_ADDRESS_H
#define IDVERIFY_ADDRESS_H

#include "idverify/reason.h"
#include "idverify/record.h"

struct idv_address {
	bool empty;        /* no street, no PO box, no city, no postal code */
	bool po_box;
	char box[16];      /* PO box number */
	char number[16];   /* house number as written (folded), "12-14", "123A" */
	uint32_t num_lo, num_hi; /* numeric range of the house number (lo == hi for one number;
				    0 when not numeric) */
	char predir[3];    /* N, S, E, W, NE, NW, SE, SW or "" */
	char name[96];     /* street name tokens, space separated (ordinal words as 1ST ...) */
	char suffix[8];    /* standard suffix abbreviation or "" */
	char postdir[3];
	char unit[16];     /* unit identifier without designator or '-' ("4B"), or a designator
			      that needs none ("BSMT") */
	char city[64];
	char state[3];     /* two-letter code or "" */
	char zip5[6];
	char zip4[5];
};

/*
 * Normalise an address. The unit may be in the street line ("12 Main St Apt 4") or in unit.
 * IDV_E_PARSE when a part is not valid UTF-8 (out is then empty). Never fails otherwise: what
 * cannot be parsed is kept as street name tokens.
 */
enum idv_err idv_address_normalize(const struct idv_address_in *in, struct idv_address *out);

/*
 * Compare two normalised addresses. EXACT 1.0 when every present component agrees. Penalties
 * (multiplied): unit on one side only 0.9 (UNIT_MISSING), suffix or a directional on one side
 * only 0.95, house number inside the other's range 0.9 (NUMBER_RANGE), street typo (Jaro-
 * Winkler >= 0.92, or one edit in names of 6+ letters) 0.9 (STREET_TYPO), ZIP missing on
 * one side with city and state equal 0.95 (POSTAL_MISSING). Different house number, street,
 * directional, unit, state, or a PO box against a street: 0 with that reason; different suffix 0.7; a different ZIP with the same
 * city 0.6 (else 0).
 */
void idv_address_compare(const struct idv_address *a, const struct idv_address *b,
			 struct idv_match *out);

/* The USPS two-letter code for a folded state name or code ("CALIFORNIA", "CA"), or NULL. */
const char *idv_address_state_code(const char *folded);

/* The Publication 28 standard abbreviation of a folded street suffix word, or NULL. */
const char *idv_address_suffix(const char *folded);

/* The standard abbreviation of a folded unit designator ("APARTMENT" -> "APT"), or NULL. */
const char *idv_address_unit_designator(const char *folded);

/* The normalised ZIP5 of a postal code ("" when it has none). out has 6 bytes. */
void idv_address_zip5(const char *postal_code, char out[6]);

#endif
