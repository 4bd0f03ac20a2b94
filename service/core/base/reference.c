/* SPDX-License-Identifier: Apache-2.0 */
/* reference.c: case reference numbers with a Luhn mod 32 check symbol (reference.h). */
#include "idverify/reference.h"
#include "idverify/str.h"

static const char ref_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Value of a symbol, or -1; forgives case and the usual confusions. */
static int
ref_value(int c)
{
	c = idv_toupper(c);
	if (c == 'O')
		c = '0';
	if (c == 'I' || c == 'L')
		c = '1';
	for (int i = 0; i < 32; i++)
		if (ref_alphabet[i] == c)
			return i;
	return -1;
}

/* Luhn mod N over values, the check symbol appended last. */
static int
ref_check(const int *v, size_t n)
{
	int factor = 2, sum = 0;
	for (size_t i = n; i-- > 0;) {
		int addend = factor * v[i];
		factor = factor == 2 ? 1 : 2;
		addend = addend / 32 + addend % 32;
		sum += addend;
	}
	return (32 - sum % 32) % 32;
}

void
idv_ref_make(const uint8_t rnd[IDV_REF_RANDOM_BYTES], char out[IDV_REF_LEN + 1])
{
	uint64_t bits = 0;
	for (int i = 0; i < IDV_REF_RANDOM_BYTES; i++)
		bits = bits << 8 | rnd[i];
	int v[12];
	for (int i = 0; i < 12; i++) {
		v[i] = (int)(bits & 31);
		bits >>= 5;
	}
	size_t k = 0;
	for (int i = 0; i < 12; i++) {
		out[k++] = ref_alphabet[v[i]];
		if (i % 4 == 3)
			out[k++] = '-';
	}
	out[k++] = ref_alphabet[ref_check(v, 12)];
	out[k] = '\0';
}

enum idv_err
idv_ref_parse(const char *p, size_t len, char out[IDV_REF_LEN + 1])
{
	int v[13];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '-' || c == ' ')
			continue;
		int x = ref_value(c);
		if (x < 0 || n >= 13)
			return IDV_E_PARSE;
		v[n++] = x;
	}
	if (n != 13)
		return IDV_E_PARSE;
	if (ref_check(v, 12) != v[12])
		return IDV_E_CHECKSUM;
	size_t k = 0;
	for (int i = 0; i < 12; i++) {
		out[k++] = ref_alphabet[v[i]];
		if (i % 4 == 3)
			out[k++] = '-';
	}
	out[k++] = ref_alphabet[v[12]];
	out[k] = '\0';
	return IDV_OK;
}
