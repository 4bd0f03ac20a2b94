/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reference.h: case reference numbers people can read out on the phone.
 *
 * 12 random symbols of Crockford's base-32 alphabet (0-9 A-Z without I, L, O, U: 60 bits, so
 * unguessable) in three groups, then a check symbol computed with the Luhn mod 32 algorithm,
 * which catches every single wrong symbol and every swap of two adjacent symbols but 0 <-> Z:
 *   "7KQ4-M2XA-9FDP-J"
 * Parsing forgives what people do: lower case, spaces or no dashes, I/L typed for 1, O for 0.
 * Pure: randomness comes from the caller.
 */
#ifndef IDVERIFY_REFERENCE_H
#define IDVERIFY_REFERENCE_H

#include "idverify/common.h"

#define IDV_REF_RANDOM_BYTES 8 /* 60 of these 64 bits are used */
#define IDV_REF_LEN 16         /* "XXXX-XXXX-XXXX-C" */

/* Make a reference from random bytes: out gets IDV_REF_LEN characters and a NUL. */
void idv_ref_make(const uint8_t rnd[IDV_REF_RANDOM_BYTES], char out[IDV_REF_LEN + 1]);

/*
 * Parse p[0..len) into the canonical form. IDV_E_PARSE when it has the wrong shape or
 * symbols, IDV_E_CHECKSUM when the check symbol does not match.
 */
enum idv_err idv_ref_parse(const char *p, size_t len, char out[IDV_REF_LEN + 1]);

#endif
