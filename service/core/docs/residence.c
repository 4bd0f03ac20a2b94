/* SPDX-License-Identifier: Apache-2.0 */
/*
 * residence.c: proofs of residence from words with boxes (see residence.h).
 *
 * The page is first turned into line segments (words of one text line without a wide gap), in
 * reading order. Then, in this order:
 *   - labels are recognised at the start of a segment, by longest match against one table
 *     (holder, premises address, statement date, and the confusers: remit-to, mailing,
 *     payment, landlord, lender, agent, due dates, periods);
 *   - every "City, ST 12345" segment with a street (or PO box) above it, or on the same segment,
 *     is an address candidate; the label governing it (nearest label above in the same column,
 *     or on the same row) scores it: a premises label wins, a confuser label or a PO box
 *     excludes it, an addressee block (a name right above) is the fallback;
 *   - holders are the values of holder labels, else the name above the chosen address;
 *   - the statement date is the value of the strongest date label, else the first date not under
 *     a due-date or period label;
 *   - the kind comes from keyword scores, the issuer from the tallest text at the top.
 * The parts live in residence_*.c (see residence_page.h); this file runs them in order and turns
 * the result into a document.
 */
#include "idverify/residence_page.h"

struct res_kw {
	const char *word;
	enum idv_residence_kind kind;
	int weight;
};

static const struct res_kw res_kind_words[] = {
	{"electric", IDV_RES_UTILITY_BILL, 2}, {"electricity", IDV_RES_UTILITY_BILL, 2},
	{"kwh", IDV_RES_UTILITY_BILL, 3}, {"gas", IDV_RES_UTILITY_BILL, 1},
	{"therms", IDV_RES_UTILITY_BILL, 3}, {"water", IDV_RES_UTILITY_BILL, 2},
	{"sewer", IDV_RES_UTILITY_BILL, 2}, {"meter", IDV_RES_UTILITY_BILL, 2},
	{"utility", IDV_RES_UTILITY_BILL, 2}, {"utilities", IDV_RES_UTILITY_BILL, 2},
	{"energy", IDV_RES_UTILITY_BILL, 1}, {"gallons", IDV_RES_UTILITY_BILL, 2},
	/* landline, internet and cable services are utilities too */
	{"telephone", IDV_RES_UTILITY_BILL, 2}, {"landline", IDV_RES_UTILITY_BILL, 3},
	{"local calls", IDV_RES_UTILITY_BILL, 2}, {"long distance", IDV_RES_UTILITY_BILL, 2},
	{"internet", IDV_RES_UTILITY_BILL, 2}, {"broadband", IDV_RES_UTILITY_BILL, 2},
	{"cable", IDV_RES_UTILITY_BILL, 2}, {"fiber", IDV_RES_UTILITY_BILL, 1},
	{"trash", IDV_RES_UTILITY_BILL, 2}, {"refuse", IDV_RES_UTILITY_BILL, 2},
	{"propane", IDV_RES_UTILITY_BILL, 2}, {"ccf", IDV_RES_UTILITY_BILL, 3},
	{"kilowatt", IDV_RES_UTILITY_BILL, 2}, {"rental agreement", IDV_RES_LEASE, 3},
	{"wireless", IDV_RES_MOBILE_PHONE_BILL, 3}, {"mobile", IDV_RES_MOBILE_PHONE_BILL, 2},
	{"cellular", IDV_RES_MOBILE_PHONE_BILL, 3}, {"minutes", IDV_RES_MOBILE_PHONE_BILL, 2},
	{"texts", IDV_RES_MOBILE_PHONE_BILL, 2}, {"data", IDV_RES_MOBILE_PHONE_BILL, 1},
	{"roaming", IDV_RES_MOBILE_PHONE_BILL, 2}, {"talk", IDV_RES_MOBILE_PHONE_BILL, 1},
	{"device", IDV_RES_MOBILE_PHONE_BILL, 1}, {"lines", IDV_RES_MOBILE_PHONE_BILL, 1},
	{"lease", IDV_RES_LEASE, 3}, {"tenant", IDV_RES_LEASE, 2}, {"tenants", IDV_RES_LEASE, 2},
	{"landlord", IDV_RES_LEASE, 3}, {"lessor", IDV_RES_LEASE, 2}, {"lessee", IDV_RES_LEASE, 2},
	{"rent", IDV_RES_LEASE, 2}, {"premises", IDV_RES_LEASE, 1},
	{"deposit", IDV_RES_LEASE, 1},
	{"insurance", IDV_RES_INSURANCE, 2}, {"insured", IDV_RES_INSURANCE, 3},
	{"policy", IDV_RES_INSURANCE, 2}, {"declarations", IDV_RES_INSURANCE, 3},
	{"premium", IDV_RES_INSURANCE, 3}, {"coverage", IDV_RES_INSURANCE, 2},
	{"deductible", IDV_RES_INSURANCE, 3}, {"liability", IDV_RES_INSURANCE, 1},
	{"homeowners", IDV_RES_INSURANCE, 2}, {"renters", IDV_RES_INSURANCE, 1},
	{"property tax", IDV_RES_PROPERTY_TAX, 4}, {"assessed", IDV_RES_PROPERTY_TAX, 3},
	{"assessor", IDV_RES_PROPERTY_TAX, 3}, {"parcel", IDV_RES_PROPERTY_TAX, 3},
	{"taxpayer", IDV_RES_PROPERTY_TAX, 2}, {"treasurer", IDV_RES_PROPERTY_TAX, 2},
	{"tax collector", IDV_RES_PROPERTY_TAX, 3}, {"millage", IDV_RES_PROPERTY_TAX, 3},
	{"levy", IDV_RES_PROPERTY_TAX, 2}, {"installment", IDV_RES_PROPERTY_TAX, 1},
	{"bank statement", IDV_RES_BANK_STATEMENT, 4}, {"checking", IDV_RES_BANK_STATEMENT, 2},
	{"deposits", IDV_RES_BANK_STATEMENT, 1}, {"withdrawals", IDV_RES_BANK_STATEMENT, 3},
};

static enum idv_residence_kind
res_pick_kind(const struct idv_res_page *pg)
{
	int score[IDV_RES__COUNT] = {0};
	for (size_t i = 0; i < pg->nlines; i++) {
		char n[IDV_RES_LINE_MAX];
		res_norm(pg->lines[i].text, n, sizeof(n));
		for (size_t k = 0; k < IDV_ARRAY_LEN(res_kind_words); k++)
			if (res_has_word(n, res_kind_words[k].word))
				score[res_kind_words[k].kind] += res_kind_words[k].weight;
	}
	enum idv_residence_kind best = IDV_RES_OTHER;
	int bs = 2;
	for (int k = IDV_RES_UTILITY_BILL; k < IDV_RES__COUNT; k++)
		if (score[k] > bs) {
			bs = score[k];
			best = (enum idv_residence_kind)k;
		}
	return best;
}

static void
res_pick_issuer(const struct res_ctx *c, struct idv_residence *r)
{
	const struct idv_res_page *pg = c->pg;
	int hs[IDV_RES_MAX_LINES];
	size_t nh = 0;
	for (size_t i = 0; i < pg->nlines; i++)
		hs[nh++] = pg->lines[i].height;
	int med = res_median(hs, nh);
	int limit = pg->height > 0 ? pg->height / 4 : INT32_MAX;
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < pg->nlines; i++) {
		const struct idv_res_line *l = &pg->lines[i];
		if (l->box.y > limit)
			break;
		if (c->seg[i].role != ROLE_NONE || l->height * 4 < med * 5)
			continue; /* the issuer is printed larger than the body text */
		size_t letters = 0;
		bool digits = false;
		for (size_t k = 0; l->text[k]; k++) {
			if (idv_isalpha((unsigned char)l->text[k]))
				letters++;
			if (idv_isdigit((unsigned char)l->text[k]))
				digits = true;
		}
		if (letters < 3 || digits)
			continue;
		if (best == SIZE_MAX || l->height > pg->lines[best].height * 5 / 4)
			best = i;
	}
	if (best != SIZE_MAX) {
		res_copy_trim(r->issuer, sizeof(r->issuer), pg->lines[best].text,
			      strlen(pg->lines[best].text));
		r->issuer_box = pg->lines[best].box;
	}
}

enum idv_err
idv_residence_parse(const struct idv_res_page *page, int64_t today_days, struct idv_residence *out)
{
	struct res_ctx ctx;
	struct res_addr addr;
	bool have_addr = false;

	memset(out, 0, sizeof(*out));
	ctx.pg = page;
	ctx.today_days = today_days;
	for (size_t i = 0; i < page->nlines && i < IDV_RES_MAX_LINES; i++)
		res_classify(page->lines[i].text, &ctx.seg[i]);

	out->kind = res_pick_kind(page);
	res_pick_issuer(&ctx, out);
	res_pick_address(&ctx, out, &addr, &have_addr);
	if (have_addr) {
		out->has_address = true;
		out->address_from_label = addr.labelled;
		idv_strlcpy(out->street, addr.street_text, sizeof(out->street));
		idv_strlcpy(out->unit, addr.unit, sizeof(out->unit));
		idv_strlcpy(out->city, addr.p.city, sizeof(out->city));
		memcpy(out->state, addr.p.state, sizeof(out->state));
		memcpy(out->postal_code, addr.p.zip, sizeof(out->postal_code));
		out->address_box = addr.box;
	}
	res_pick_holders(&ctx, out, &addr, have_addr);
	res_pick_prose(&ctx, out, have_addr && addr.labelled);
	res_pick_date(&ctx, out);
	if (!out->has_address && out->nholders == 0 && !out->has_date)
		return IDV_E_PARSE;
	return IDV_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Into a document, checks
 */

void
idv_residence_to_document(const struct idv_residence *r, enum idv_source src,
			  struct idv_document *doc)
{
	doc->kind = IDV_DOC_PROOF_OF_RESIDENCE;
	doc->residence_kind = r->kind;
	if (r->nholders > 0) {
		char v[IDV_FIELD_VALUE_MAX];
		size_t n = 0;
		v[0] = '\0';
		for (size_t i = 0; i < r->nholders; i++) {
			int k = snprintf(v + n, sizeof(v) - n, "%s%s", i ? "; " : "", r->holders[i]);
			if (k < 0 || (size_t)k >= sizeof(v) - n)
				break;
			n += (size_t)k;
		}
		idv_document_set(doc, IDV_F_HOLDER_NAME, v, n, src,
				 r->holder_from_label ? 0.9f : 0.7f, &r->holder_box);
	}
	if (r->has_address) {
		float conf = r->address_from_label ? 0.9f : 0.7f;
		idv_document_set(doc, IDV_F_STREET, r->street, strlen(r->street), src, conf,
				 &r->address_box);
		if (r->unit[0])
			idv_document_set(doc, IDV_F_UNIT, r->unit, strlen(r->unit), src, conf,
					 &r->address_box);
		idv_document_set(doc, IDV_F_CITY, r->city, strlen(r->city), src, conf,
				 &r->address_box);
		idv_document_set(doc, IDV_F_STATE, r->state, strlen(r->state), src, conf,
				 &r->address_box);
		idv_document_set(doc, IDV_F_POSTAL_CODE, r->postal_code, strlen(r->postal_code),
				 src, conf, &r->address_box);
	}
	if (r->has_date) {
		char d[11];
		idv_date_format(&r->statement_date, d);
		idv_document_set(doc, IDV_F_STATEMENT_DATE, d, 10, src,
				 r->date_from_label ? 0.9f : 0.6f, &r->date_box);
	}
	if (r->issuer[0])
		idv_document_set(doc, IDV_F_ISSUER, r->issuer, strlen(r->issuer), src, 0.6f,
				 &r->issuer_box);
}

#define RES_DEFAULT_KINDS                                                                          \
	((1u << IDV_RES_UTILITY_BILL) | (1u << IDV_RES_MOBILE_PHONE_BILL) | (1u << IDV_RES_LEASE) | \
	 (1u << IDV_RES_INSURANCE) | (1u << IDV_RES_PROPERTY_TAX))

void
idv_residence_checks(struct idv_document *doc, int64_t today_days,
		     const struct idv_residence_policy *policy)
{
	int max_age = policy && policy->max_age_days > 0 ? policy->max_age_days
							 : IDV_RES_DEFAULT_MAX_AGE_DAYS;
	uint32_t kinds = policy && policy->accepted_kinds ? policy->accepted_kinds
							  : RES_DEFAULT_KINDS;
	const struct idv_field *f = &doc->fields[IDV_F_STATEMENT_DATE];
	struct idv_date d;
	if (!f->present || idv_date_parse(f->value, strlen(f->value), &d) != IDV_OK) {
		idv_document_check(doc, "statement_recent", IDV_CHECK_FAIL,
				   "no statement date could be read");
	} else {
		int64_t age = today_days - idv_date_to_days(&d);
		if (age < -1)
			idv_document_check(doc, "statement_recent", IDV_CHECK_FAIL,
					   "statement date is %lld days in the future",
					   (long long)-age);
		else if (age > max_age)
			idv_document_check(doc, "statement_recent", IDV_CHECK_FAIL,
					   "statement is %lld days old (limit %d)", (long long)age,
					   max_age);
		else
			idv_document_check(doc, "statement_recent", IDV_CHECK_PASS,
					   "statement is %lld days old (limit %d)",
					   (long long)(age < 0 ? 0 : age), max_age);
	}
	enum idv_residence_kind k = doc->residence_kind;
	if ((unsigned)k < 32 && k != IDV_RES_NONE && (kinds & (1u << k)))
		idv_document_check(doc, "residence_kind_accepted", IDV_CHECK_PASS, "%s",
				   idv_residence_kind_name(k));
	else
		idv_document_check(doc, "residence_kind_accepted", IDV_CHECK_FAIL,
				   "%s is not an accepted proof of residence",
				   idv_residence_kind_name(k));
}

enum idv_err
idv_residence_kinds_parse(const char *p, size_t len, uint32_t *out)
{
	uint32_t set = 0;
	size_t i = 0;
	while (i < len) {
		size_t s = i;
		while (i < len && p[i] != ',')
			i++;
		const char *w = p + s;
		size_t wl = i - s;
		idv_str_trim(&w, &wl);
		if (wl > 0) {
			int found = -1;
			for (int k = IDV_RES_UTILITY_BILL; k < IDV_RES__COUNT; k++)
				if (idv_str_ieq(w, wl, idv_residence_kind_name((enum idv_residence_kind)k)))
					found = k;
			if (found < 0)
				return IDV_E_PARSE;
			set |= 1u << found;
		}
		i++;
	}
	if (set == 0)
		return IDV_E_PARSE;
	*out = set;
	return IDV_OK;
}
