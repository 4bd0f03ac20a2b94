/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_match.c: the comparators over arbitrary text. The input is split at '|' into up to ten
 * strings that become two names, two addresses, dates, phones and e-mails. Invariants: every
 * score is in [0,1] with a known reason, comparing a value with itself never scores lower than
 * comparing it with anything else, and nothing reads past its input.
 */
#include "idverify/address.h"
#include "idverify/match.h"
#include "idverify/name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check(const struct idv_match *m)
{
	IDV_ASSERT(m->score >= 0.0 && m->score <= 1.0);
	IDV_ASSERT((unsigned)m->reason < IDV_R__COUNT);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char part[10][128];
	size_t np = 0, o = 0;
	memset(part, 0, sizeof part);
	for (size_t i = 0; i < size && np < 10; i++) {
		if (data[i] == '|') {
			np++;
			o = 0;
			continue;
		}
		if (o + 1 < sizeof part[0])
			part[np][o++] = (char)data[i];
	}
	struct idv_name a, b;
	struct idv_match m, self;
	if (idv_name_parse(part[0], NULL, part[1], NULL, &a) == IDV_OK &&
	    idv_name_parse(part[2], part[3], part[1], part[4], &b) == IDV_OK) {
		idv_name_compare(&a, &b, NULL, &m);
		fuzz_check(&m);
		idv_name_compare(&a, &a, NULL, &self);
		fuzz_check(&self);
		IDV_ASSERT(idv_name_empty(&a) || self.score == 1.0);
		idv_name_compare_full(part[5], &b, NULL, &m);
		fuzz_check(&m);
	}
	struct idv_address_in ia, ib;
	memset(&ia, 0, sizeof ia);
	memset(&ib, 0, sizeof ib);
	idv_strlcpy(ia.street, part[5], sizeof ia.street);
	idv_strlcpy(ia.unit, part[6], sizeof ia.unit);
	idv_strlcpy(ia.city, part[7], sizeof ia.city);
	idv_strlcpy(ia.state, part[8], sizeof ia.state);
	idv_strlcpy(ia.postal_code, part[9], sizeof ia.postal_code);
	idv_strlcpy(ib.street, part[0], sizeof ib.street);
	idv_strlcpy(ib.postal_code, part[9], sizeof ib.postal_code);
	struct idv_address aa, ab;
	if (idv_address_normalize(&ia, &aa) == IDV_OK && idv_address_normalize(&ib, &ab) == IDV_OK) {
		idv_address_compare(&aa, &ab, &m);
		fuzz_check(&m);
		idv_address_compare(&aa, &aa, &self);
		fuzz_check(&self);
		IDV_ASSERT(self.score >= m.score || aa.empty);
	}
	idv_match_dob(part[0], part[1], &m);
	fuzz_check(&m);
	idv_match_phone(part[2], part[3], &m);
	fuzz_check(&m);
	idv_match_email(part[4], part[5], &m);
	fuzz_check(&m);
	(void)idv_jaro_winkler(part[0], strlen(part[0]), part[1], strlen(part[1]));
	(void)idv_one_edit(part[0], strlen(part[0]), part[1], strlen(part[1]));
	return 0;
}
