/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_mrz.c: idv_mrz_parse, idv_mrz_repair and idv_mrz_to_document on arbitrary bytes.
 *
 * Invariants (a violation aborts):
 *  - a rejected input leaves the struct zeroed; an accepted one has a consistent layout, every
 *    string terminated inside its array, lines made only of A-Z, 0-9 and '<';
 *  - parsing the parsed lines again gives the same struct (decoding is a function of lines);
 *  - repair never crashes, keeps raw, is idempotent, and returns IDV_OK exactly when every
 *    check digit is valid; a repaired MRZ that says so verifies when parsed from scratch;
 *  - the document it yields has terminated strings and check details.
 */
#include "idverify/mrz.h"

#define FUZZ_CHECK(x)                                                                              \
	do {                                                                                       \
		if (!(x)) {                                                                        \
			fprintf(stderr, "fuzz_mrz: invariant failed: %s (line %d)\n", #x, __LINE__); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
fuzz_terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

static void
fuzz_check_struct(const struct idv_mrz *m)
{
	FUZZ_CHECK(m->format > IDV_MRZ_NONE && m->format < IDV_MRZ__COUNT);
	FUZZ_CHECK(m->nlines == (m->format == IDV_MRZ_TD1 ? 3u : 2u));
	FUZZ_CHECK(m->line_len == 30 || m->line_len == 36 || m->line_len == 44);
	for (size_t i = 0; i < m->nlines; i++) {
		FUZZ_CHECK(strlen(m->raw[i]) == m->line_len);
		FUZZ_CHECK(strlen(m->lines[i]) == m->line_len);
		for (size_t j = 0; j < m->line_len; j++) {
			char c = m->lines[i][j];
			FUZZ_CHECK(idv_isupper(c) || idv_isdigit(c) || c == '<');
		}
	}
	FUZZ_CHECK(fuzz_terminated(m->document_code, sizeof m->document_code));
	FUZZ_CHECK(fuzz_terminated(m->issuing_state, sizeof m->issuing_state));
	FUZZ_CHECK(fuzz_terminated(m->nationality, sizeof m->nationality));
	FUZZ_CHECK(fuzz_terminated(m->primary, sizeof m->primary));
	FUZZ_CHECK(fuzz_terminated(m->secondary, sizeof m->secondary));
	FUZZ_CHECK(fuzz_terminated(m->document_number, sizeof m->document_number));
	FUZZ_CHECK(fuzz_terminated(m->birth, sizeof m->birth));
	FUZZ_CHECK(fuzz_terminated(m->expiry, sizeof m->expiry));
	FUZZ_CHECK(fuzz_terminated(m->optional1, sizeof m->optional1));
	FUZZ_CHECK(fuzz_terminated(m->optional2, sizeof m->optional2));
	bool all = true;
	for (int d = 0; d < IDV_MRZ_CD__COUNT; d++)
		if (m->digits[d].applicable && !m->digits[d].valid)
			all = false;
	FUZZ_CHECK(all == m->check_digits_valid);
	FUZZ_CHECK(m->repaired == (m->nrepaired > 0));
}

/* The lines of m as text, parsed again. */
static void
fuzz_reparse(const struct idv_mrz *m, struct idv_mrz *out)
{
	char text[IDV_MRZ_MAX_LINES * IDV_MRZ_LINE_MAX];
	size_t n = 0;
	for (size_t i = 0; i < m->nlines; i++) {
		memcpy(text + n, m->lines[i], m->line_len);
		n += m->line_len;
		text[n++] = '\n';
	}
	FUZZ_CHECK(idv_mrz_parse(text, n, out) == IDV_OK);
}

static void
fuzz_check_document(const struct idv_document *doc)
{
	for (int i = 0; i < IDV_F__COUNT; i++)
		FUZZ_CHECK(fuzz_terminated(doc->fields[i].value, sizeof doc->fields[i].value));
	FUZZ_CHECK(doc->nchecks <= IDV_DOC_MAX_CHECKS);
	for (size_t i = 0; i < doc->nchecks; i++) {
		FUZZ_CHECK(fuzz_terminated(doc->checks[i].name, sizeof doc->checks[i].name));
		FUZZ_CHECK(fuzz_terminated(doc->checks[i].detail, sizeof doc->checks[i].detail));
	}
	FUZZ_CHECK(idv_document_find_check(doc, "mrz_check_digits") != NULL);
	FUZZ_CHECK(doc->mrz.present);
	for (size_t i = 0; i < doc->mrz.nlines; i++) {
		FUZZ_CHECK(fuzz_terminated(doc->mrz.lines[i], sizeof doc->mrz.lines[i]));
		FUZZ_CHECK(fuzz_terminated(doc->mrz.raw_lines[i], sizeof doc->mrz.raw_lines[i]));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct idv_mrz zero;
	struct idv_mrz m, again;
	if (idv_mrz_parse((const char *)data, size, &m) != IDV_OK) {
		FUZZ_CHECK(memcmp(&m, &zero, sizeof m) == 0);
		FUZZ_CHECK(idv_mrz_repair(&m) == IDV_E_INVAL);
		return 0;
	}
	fuzz_check_struct(&m);
	FUZZ_CHECK(!m.repaired);
	fuzz_reparse(&m, &again);
	FUZZ_CHECK(memcmp(&m, &again, sizeof m) == 0);

	struct idv_mrz r;
	memcpy(&r, &m, sizeof r);
	enum idv_err e = idv_mrz_repair(&r);
	FUZZ_CHECK(e == IDV_OK || e == IDV_E_CHECKSUM);
	fuzz_check_struct(&r);
	FUZZ_CHECK(memcmp(r.raw, m.raw, sizeof r.raw) == 0);
	FUZZ_CHECK((e == IDV_OK) == r.check_digits_valid);
	if (m.check_digits_valid)
		FUZZ_CHECK(e == IDV_OK);
	if (e == IDV_OK) {
		/* Verified independently of the repair: from the text alone. */
		struct idv_mrz fresh;
		fuzz_reparse(&r, &fresh);
		FUZZ_CHECK(fresh.check_digits_valid);
		for (int d = 0; d < IDV_MRZ_CD__COUNT; d++)
			FUZZ_CHECK(!fresh.digits[d].applicable || fresh.digits[d].valid);
	}
	struct idv_mrz twice;
	memcpy(&twice, &r, sizeof twice);
	FUZZ_CHECK(idv_mrz_repair(&twice) == e);
	FUZZ_CHECK(memcmp(&twice, &r, sizeof r) == 0);

	/* Documents, seen from a day taken from the input (about 1888 to 2067). */
	int64_t today = 20000;
	if (size >= 2)
		today = (int64_t)((data[0] << 8) | data[1]) - 50000 + 20000;
	struct idv_document doc;
	idv_document_init(&doc);
	idv_mrz_to_document(&r, today, &doc);
	fuzz_check_document(&doc);
	FUZZ_CHECK(doc.mrz.check_digits_valid == r.check_digits_valid);
	return 0;
}
