/* SPDX-License-Identifier: Apache-2.0 */
/*
 * residence_labels.c: the label table (holder, premises address, statement date and
 * their confusers), matched at the start of a segment, tolerant of a letter or two misread;
 * person-like names and holder lists; where a label's value is and which label governs a segment.
 */
#include "idverify/residence_page.h"

/* ---------------------------------------------------------------------------------------------
 * Labels
 */

struct res_label {
	const char *text; /* normalised form */
	enum res_role role;
};

static const struct res_label res_labels[] = {
	{"account holder", ROLE_HOLDER},
	{"account holder name", ROLE_HOLDER},
	{"account name", ROLE_HOLDER},
	{"customer name", ROLE_HOLDER},
	{"customer", ROLE_HOLDER},
	{"subscriber", ROLE_HOLDER},
	{"subscriber name", ROLE_HOLDER},
	{"named insured", ROLE_HOLDER},
	{"named insureds", ROLE_HOLDER},
	{"named insured s", ROLE_HOLDER},
	{"insured", ROLE_HOLDER},
	{"policyholder", ROLE_HOLDER},
	{"policy holder", ROLE_HOLDER},
	{"tenant", ROLE_HOLDER},
	{"tenants", ROLE_HOLDER},
	{"tenant s", ROLE_HOLDER},
	{"resident", ROLE_HOLDER},
	{"residents", ROLE_HOLDER},
	{"lessee", ROLE_HOLDER},
	{"lessees", ROLE_HOLDER},
	{"owner", ROLE_HOLDER},
	{"owners", ROLE_HOLDER},
	{"owner s", ROLE_HOLDER},
	{"owner name", ROLE_HOLDER},
	{"property owner", ROLE_HOLDER},
	{"taxpayer", ROLE_HOLDER},
	{"taxpayer name", ROLE_HOLDER},
	{"assessed owner", ROLE_HOLDER},
	{"named insured and mailing address", ROLE_HOLDER},
	{"named insured and address", ROLE_HOLDER},
	{"name and address of insured", ROLE_HOLDER},
	{"insured name", ROLE_HOLDER},
	{"name of insured", ROLE_HOLDER},
	{"member name", ROLE_HOLDER},
	{"member", ROLE_HOLDER},
	{"resident name", ROLE_HOLDER},
	{"tenant name", ROLE_HOLDER},
	{"tenant names", ROLE_HOLDER},
	{"address", ROLE_ADDRESS_WEAK},
	{"service at", ROLE_ADDRESS},
	{"service address", ROLE_ADDRESS},
	{"service location", ROLE_ADDRESS},
	{"service addr", ROLE_ADDRESS},
	{"premises", ROLE_ADDRESS},
	{"premises address", ROLE_ADDRESS},
	{"leased premises", ROLE_ADDRESS},
	{"the premises", ROLE_ADDRESS},
	{"residence premises", ROLE_ADDRESS},
	{"property location", ROLE_ADDRESS},
	{"property address", ROLE_ADDRESS},
	{"location of property", ROLE_ADDRESS},
	{"rental property", ROLE_ADDRESS},
	{"rental unit", ROLE_ADDRESS},
	{"insured location", ROLE_ADDRESS},
	{"insured property", ROLE_ADDRESS},
	{"location of risk", ROLE_ADDRESS},
	{"situs address", ROLE_ADDRESS},
	{"site address", ROLE_ADDRESS},
	{"statement date", ROLE_DATE},
	{"bill date", ROLE_DATE},
	{"billing date", ROLE_DATE},
	{"invoice date", ROLE_DATE},
	{"date of bill", ROLE_DATE},
	{"date of statement", ROLE_DATE},
	{"date of issue", ROLE_DATE},
	{"issue date", ROLE_DATE},
	{"date issued", ROLE_DATE},
	{"issued", ROLE_DATE},
	{"issued on", ROLE_DATE},
	{"notice date", ROLE_DATE},
	{"date of notice", ROLE_DATE},
	{"mailing date", ROLE_DATE},
	{"lease date", ROLE_DATE},
	{"date of lease", ROLE_DATE},
	{"agreement date", ROLE_DATE},
	{"declarations date", ROLE_DATE},
	{"date", ROLE_DATE_WEAK},
	{"remit to", ROLE_NEG_ADDRESS},
	{"remittance address", ROLE_NEG_ADDRESS},
	{"please remit to", ROLE_NEG_ADDRESS},
	{"please remit payment to", ROLE_NEG_ADDRESS},
	{"remit payment to", ROLE_NEG_ADDRESS},
	{"make checks payable to", ROLE_NEG_ADDRESS},
	{"make check payable to", ROLE_NEG_ADDRESS},
	{"mail payment to", ROLE_NEG_ADDRESS},
	{"mail payments to", ROLE_NEG_ADDRESS},
	{"send payment to", ROLE_NEG_ADDRESS},
	{"send payments to", ROLE_NEG_ADDRESS},
	{"payment address", ROLE_NEG_ADDRESS},
	{"payments", ROLE_NEG_ADDRESS},
	{"mailing address", ROLE_NEG_ADDRESS},
	{"mail to", ROLE_NEG_ADDRESS},
	{"billing address", ROLE_NEG_ADDRESS},
	{"correspondence address", ROLE_NEG_ADDRESS},
	{"landlord", ROLE_NEG_ADDRESS},
	{"lessor", ROLE_NEG_ADDRESS},
	{"landlord address", ROLE_NEG_ADDRESS},
	{"property manager", ROLE_NEG_ADDRESS},
	{"management company", ROLE_NEG_ADDRESS},
	{"managing agent", ROLE_NEG_ADDRESS},
	{"lender", ROLE_NEG_ADDRESS},
	{"mortgagee", ROLE_NEG_ADDRESS},
	{"first mortgagee", ROLE_NEG_ADDRESS},
	{"lienholder", ROLE_NEG_ADDRESS},
	{"loss payee", ROLE_NEG_ADDRESS},
	{"agent", ROLE_NEG_ADDRESS},
	{"your agent", ROLE_NEG_ADDRESS},
	{"producer", ROLE_NEG_ADDRESS},
	{"insurer", ROLE_NEG_ADDRESS},
	{"company", ROLE_NEG_ADDRESS},
	{"tax collector", ROLE_NEG_ADDRESS},
	{"customer service", ROLE_NEG_ADDRESS},
	{"return service requested", ROLE_NEG_ADDRESS},
	{"due date", ROLE_NEG_DATE},
	{"payment due", ROLE_NEG_DATE},
	{"payment due date", ROLE_NEG_DATE},
	{"amount due by", ROLE_NEG_DATE},
	{"pay by", ROLE_NEG_DATE},
	{"please pay by", ROLE_NEG_DATE},
	{"due by", ROLE_NEG_DATE},
	{"due", ROLE_NEG_DATE},
	{"disconnect date", ROLE_NEG_DATE},
	{"next bill date", ROLE_NEG_DATE},
	{"next meter reading", ROLE_NEG_DATE},
	{"meter read date", ROLE_NEG_DATE},
	{"service period", ROLE_NEG_DATE},
	{"billing period", ROLE_NEG_DATE},
	{"service from", ROLE_NEG_DATE},
	{"period", ROLE_NEG_DATE},
	{"policy period", ROLE_NEG_DATE},
	{"lease term", ROLE_NEG_DATE},
	{"term", ROLE_NEG_DATE},
	{"commencement date", ROLE_NEG_DATE},
	{"start date", ROLE_NEG_DATE},
	{"end date", ROLE_NEG_DATE},
	{"expiration date", ROLE_NEG_DATE},
	{"delinquent after", ROLE_NEG_DATE},
	{"first installment due", ROLE_NEG_DATE},
	{"second installment due", ROLE_NEG_DATE},
	/* general wording of bills, leases and declarations */
	{"bill to", ROLE_HOLDER},
	{"billed to", ROLE_HOLDER},
	{"sold to", ROLE_HOLDER},
	{"prepared for", ROLE_HOLDER},
	{"service for", ROLE_HOLDER},
	{"applicant", ROLE_HOLDER},
	{"applicants", ROLE_HOLDER},
	{"occupant", ROLE_HOLDER},
	{"occupants", ROLE_HOLDER},
	{"renter", ROLE_HOLDER},
	{"renters", ROLE_HOLDER},
	{"homeowner", ROLE_HOLDER},
	{"homeowners", ROLE_HOLDER},
	{"borrower", ROLE_HOLDER},
	{"borrowers", ROLE_HOLDER},
	{"primary insured", ROLE_HOLDER},
	{"first named insured", ROLE_HOLDER},
	{"account owner", ROLE_HOLDER},
	{"cardholder", ROLE_HOLDER},
	{"primary account holder", ROLE_HOLDER},
	{"account holder s", ROLE_HOLDER},
	{"subscriber s", ROLE_HOLDER},
	{"insured s", ROLE_HOLDER},
	{"name of tenant", ROLE_HOLDER},
	{"name of tenants", ROLE_HOLDER},
	{"tenant s name", ROLE_HOLDER},
	{"resident s", ROLE_HOLDER},
	{"member s", ROLE_HOLDER},
	{"co op member", ROLE_HOLDER},
	{"coop member", ROLE_HOLDER},
	{"member name s", ROLE_HOLDER},
	{"customer s", ROLE_HOLDER},
	{"customer names", ROLE_HOLDER},
	{"account names", ROLE_HOLDER},
	{"policyholder s", ROLE_HOLDER},
	{"policy holders", ROLE_HOLDER},
	{"name", ROLE_HOLDER},
	{"names", ROLE_HOLDER},
	{"insured party", ROLE_HOLDER},
	{"lessee s", ROLE_HOLDER},
	{"resident names", ROLE_HOLDER},
	{"owner of record", ROLE_HOLDER},
	{"owners of record", ROLE_HOLDER},
	{"homeowner name", ROLE_HOLDER},
	{"borrower name", ROLE_HOLDER},
	{"location", ROLE_ADDRESS},
	{"service location address", ROLE_ADDRESS},
	{"installation address", ROLE_ADDRESS},
	{"installed at", ROLE_ADDRESS},
	{"service installed at", ROLE_ADDRESS},
	{"delivery address", ROLE_ADDRESS},
	{"supply address", ROLE_ADDRESS},
	{"meter location", ROLE_ADDRESS},
	{"location address", ROLE_ADDRESS},
	{"address of premises", ROLE_ADDRESS},
	{"premises location", ROLE_ADDRESS},
	{"rental address", ROLE_ADDRESS},
	{"unit address", ROLE_ADDRESS},
	{"dwelling", ROLE_ADDRESS},
	{"dwelling location", ROLE_ADDRESS},
	{"described location", ROLE_ADDRESS},
	{"location of residence premises", ROLE_ADDRESS},
	{"garaging address", ROLE_ADDRESS},
	{"garaging location", ROLE_ADDRESS},
	{"principal garaging address", ROLE_ADDRESS},
	{"risk address", ROLE_ADDRESS},
	{"property covered", ROLE_ADDRESS},
	{"covered location", ROLE_ADDRESS},
	{"covered property", ROLE_ADDRESS},
	{"insured premises", ROLE_ADDRESS},
	{"residence address", ROLE_ADDRESS},
	{"address of property", ROLE_ADDRESS},
	{"physical address", ROLE_ADDRESS},
	{"location of premises", ROLE_ADDRESS},
	{"leased property", ROLE_ADDRESS},
	{"property", ROLE_ADDRESS},
	{"service property", ROLE_ADDRESS},
	{"location of service", ROLE_ADDRESS},
	{"service addresses", ROLE_ADDRESS},
	{"premises leased", ROLE_ADDRESS},
	{"apartment", ROLE_ADDRESS},
	{"apartment address", ROLE_ADDRESS},
	{"home address", ROLE_ADDRESS},
	{"residential address", ROLE_ADDRESS},
	{"location of insured property", ROLE_ADDRESS},
	{"insured address", ROLE_ADDRESS},
	{"service location s", ROLE_ADDRESS},
	{"address of rental unit", ROLE_ADDRESS},
	{"rental premises", ROLE_ADDRESS},
	{"date prepared", ROLE_DATE},
	{"printed on", ROLE_DATE},
	{"print date", ROLE_DATE},
	{"date printed", ROLE_DATE},
	{"date mailed", ROLE_DATE},
	{"bill issued", ROLE_DATE},
	{"bill issue date", ROLE_DATE},
	{"statement issued", ROLE_DATE},
	{"date of this notice", ROLE_DATE},
	{"processing date", ROLE_DATE},
	{"prepared on", ROLE_DATE},
	{"date of declarations", ROLE_DATE},
	{"declarations issued", ROLE_DATE},
	{"issued date", ROLE_DATE},
	{"run date", ROLE_DATE},
	{"date of agreement", ROLE_DATE},
	{"signed", ROLE_DATE},
	{"date signed", ROLE_DATE},
	{"signature date", ROLE_DATE},
	{"executed on", ROLE_DATE},
	{"bill prepared", ROLE_DATE},
	{"invoice issued", ROLE_DATE},
	{"statement date s", ROLE_DATE},
	{"date of this bill", ROLE_DATE},
	{"date of this statement", ROLE_DATE},
	{"billing statement date", ROLE_DATE},
	{"bill print date", ROLE_DATE},
	{"notice issued", ROLE_DATE},
	{"date of policy", ROLE_DATE},
	{"policy issue date", ROLE_DATE},
	{"issue dt", ROLE_DATE},
	{"stmt date", ROLE_DATE},
	{"bill dt", ROLE_DATE},
	{"due on", ROLE_NEG_DATE},
	{"due upon receipt", ROLE_NEG_DATE},
	{"late after", ROLE_NEG_DATE},
	{"past due after", ROLE_NEG_DATE},
	{"late charge after", ROLE_NEG_DATE},
	{"late fee after", ROLE_NEG_DATE},
	{"shut off date", ROLE_NEG_DATE},
	{"shutoff date", ROLE_NEG_DATE},
	{"disconnection date", ROLE_NEG_DATE},
	{"next read date", ROLE_NEG_DATE},
	{"read date", ROLE_NEG_DATE},
	{"reading date", ROLE_NEG_DATE},
	{"meter reading date", ROLE_NEG_DATE},
	{"current reading", ROLE_NEG_DATE},
	{"previous reading", ROLE_NEG_DATE},
	{"coverage period", ROLE_NEG_DATE},
	{"policy term", ROLE_NEG_DATE},
	{"term of lease", ROLE_NEG_DATE},
	{"lease begins", ROLE_NEG_DATE},
	{"lease ends", ROLE_NEG_DATE},
	{"lease start", ROLE_NEG_DATE},
	{"lease end", ROLE_NEG_DATE},
	{"lease start date", ROLE_NEG_DATE},
	{"lease end date", ROLE_NEG_DATE},
	{"move in date", ROLE_NEG_DATE},
	{"move out date", ROLE_NEG_DATE},
	{"renewal date", ROLE_NEG_DATE},
	{"effective date", ROLE_NEG_DATE},
	{"effective", ROLE_NEG_DATE},
	{"expires", ROLE_NEG_DATE},
	{"expiration", ROLE_NEG_DATE},
	{"expiry date", ROLE_NEG_DATE},
	{"valid through", ROLE_NEG_DATE},
	{"valid until", ROLE_NEG_DATE},
	{"from", ROLE_NEG_DATE},
	{"to", ROLE_NEG_DATE},
	{"through", ROLE_NEG_DATE},
	{"begins", ROLE_NEG_DATE},
	{"ends", ROLE_NEG_DATE},
	{"last payment", ROLE_NEG_DATE},
	{"payment received", ROLE_NEG_DATE},
	{"last payment received", ROLE_NEG_DATE},
	{"date of birth", ROLE_NEG_DATE},
	{"dob", ROLE_NEG_DATE},
	{"autopay date", ROLE_NEG_DATE},
	{"draft date", ROLE_NEG_DATE},
	{"scheduled payment date", ROLE_NEG_DATE},
	{"policy effective date", ROLE_NEG_DATE},
	{"policy expiration date", ROLE_NEG_DATE},
	{"effective dates", ROLE_NEG_DATE},
	{"term begins", ROLE_NEG_DATE},
	{"term ends", ROLE_NEG_DATE},
	{"amount due on", ROLE_NEG_DATE},
	{"due date s", ROLE_NEG_DATE},
	{"pay on or before", ROLE_NEG_DATE},
	{"payment due by", ROLE_NEG_DATE},
	{"current due date", ROLE_NEG_DATE},
	{"read dates", ROLE_NEG_DATE},
	{"reading dates", ROLE_NEG_DATE},
	{"service dates", ROLE_NEG_DATE},
	{"bill period", ROLE_NEG_DATE},
	{"statement period", ROLE_NEG_DATE},
	{"billing cycle", ROLE_NEG_DATE},
	{"cycle", ROLE_NEG_DATE},
	{"period ending", ROLE_NEG_DATE},
	{"service through", ROLE_NEG_DATE},
	{"contract end", ROLE_NEG_DATE},
	{"send correspondence to", ROLE_NEG_ADDRESS},
	{"correspondence", ROLE_NEG_ADDRESS},
	{"our address", ROLE_NEG_ADDRESS},
	{"office address", ROLE_NEG_ADDRESS},
	{"main office", ROLE_NEG_ADDRESS},
	{"headquarters", ROLE_NEG_ADDRESS},
	{"contact us", ROLE_NEG_ADDRESS},
	{"write to us", ROLE_NEG_ADDRESS},
	{"questions", ROLE_NEG_ADDRESS},
	{"payment center", ROLE_NEG_ADDRESS},
	{"payment processing center", ROLE_NEG_ADDRESS},
	{"lockbox", ROLE_NEG_ADDRESS},
	{"return address", ROLE_NEG_ADDRESS},
	{"billing office", ROLE_NEG_ADDRESS},
	{"customer care", ROLE_NEG_ADDRESS},
	{"issued by", ROLE_NEG_ADDRESS},
	{"underwritten by", ROLE_NEG_ADDRESS},
	{"insurance company", ROLE_NEG_ADDRESS},
	{"carrier", ROLE_NEG_ADDRESS},
	{"broker", ROLE_NEG_ADDRESS},
	{"agency", ROLE_NEG_ADDRESS},
	{"agent address", ROLE_NEG_ADDRESS},
	{"mortgage company", ROLE_NEG_ADDRESS},
	{"landlord name", ROLE_NEG_ADDRESS},
	{"owner agent", ROLE_NEG_ADDRESS},
	{"owner s agent", ROLE_NEG_ADDRESS},
	{"property management", ROLE_NEG_ADDRESS},
	{"managed by", ROLE_NEG_ADDRESS},
	{"leasing office", ROLE_NEG_ADDRESS},
	{"management office", ROLE_NEG_ADDRESS},
	{"lessor address", ROLE_NEG_ADDRESS},
	{"landlord s address", ROLE_NEG_ADDRESS},
	{"agent of landlord", ROLE_NEG_ADDRESS},
	{"send payment", ROLE_NEG_ADDRESS},
	{"payment stub", ROLE_NEG_ADDRESS},
	{"mail payment", ROLE_NEG_ADDRESS},
	{"pay to", ROLE_NEG_ADDRESS},
	{"payable to", ROLE_NEG_ADDRESS},
	{"remit", ROLE_NEG_ADDRESS},
	{"remittance", ROLE_NEG_ADDRESS},
	{"company address", ROLE_NEG_ADDRESS},
	{"insurer address", ROLE_NEG_ADDRESS},
	{"producer address", ROLE_NEG_ADDRESS},
	{"servicer", ROLE_NEG_ADDRESS},
	{"loan servicer", ROLE_NEG_ADDRESS},
	{"lienholder address", ROLE_NEG_ADDRESS},
	{"additional interest", ROLE_NEG_ADDRESS},
	{"interested party", ROLE_NEG_ADDRESS},
	{"account number", ROLE_OTHER},
	{"account no", ROLE_OTHER},
	{"account", ROLE_OTHER},
	{"policy number", ROLE_OTHER},
	{"parcel number", ROLE_OTHER},
	{"parcel", ROLE_OTHER},
	{"apn", ROLE_OTHER},
	{"amount due", ROLE_OTHER},
	{"total amount due", ROLE_OTHER},
	{"phone", ROLE_OTHER},
	{"monthly rent", ROLE_OTHER},
	{"rent", ROLE_OTHER},
	{"security deposit", ROLE_OTHER},
	{"tax year", ROLE_OTHER},
	{"assessed value", ROLE_OTHER},
	{"premium", ROLE_OTHER},
	{"coverage", ROLE_OTHER},
	{"mobile number", ROLE_OTHER},
	{"wireless number", ROLE_OTHER},
};

/* Edit distance of two short strings, or cap + 1 when over cap. */
static size_t
res_distance(const char *a, size_t al, const char *b, size_t bl, size_t cap)
{
	size_t prev[48], cur[48];
	if (al >= 48 || bl >= 48)
		return cap + 1;
	for (size_t j = 0; j <= bl; j++)
		prev[j] = j;
	for (size_t i = 1; i <= al; i++) {
		cur[0] = i;
		size_t rowmin = i;
		for (size_t j = 1; j <= bl; j++) {
			size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > cap)
			return cap + 1;
		memcpy(prev, cur, (bl + 1) * sizeof(prev[0]));
	}
	return prev[bl];
}

/* Where the first nwords words (runs of letters and digits) of text end. */
static size_t
res_words_end(const char *text, size_t nwords)
{
	size_t i = 0;
	for (size_t w = 0; w < nwords; w++) {
		while (text[i] && !idv_isalnum((unsigned char)text[i]))
			i++;
		while (idv_isalnum((unsigned char)text[i]))
			i++;
	}
	return i;
}

/* Does v look like the value of a label of that role (a label printed without a colon, its
 * value on the same segment: "Bill Date May 16, 2025", "Service Address 12 Elm St")? */
static bool
res_value_fits(enum res_role role, const char *v)
{
	while (*v == ' ' || *v == '-' || *v == '.')
		v++;
	unsigned char c0 = (unsigned char)v[0];
	switch (role) {
	case ROLE_DATE:
	case ROLE_DATE_WEAK:
	case ROLE_NEG_DATE: {
		struct idv_date d;
		size_t off = 0;
		return idv_residence_find_date(v, strlen(v), &d, &off, NULL) && off <= 1;
	}
	case ROLE_ADDRESS:
	case ROLE_ADDRESS_WEAK:
	case ROLE_NEG_ADDRESS: return idv_isdigit(c0) || res_is_po_box(v);
	case ROLE_HOLDER: {
		/* names in capitals or capitalised, two to five words */
		size_t words = 0;
		for (const char *q = v; *q;) {
			while (*q == ' ')
				q++;
			if (!*q)
				break;
			if (!idv_isupper((unsigned char)*q))
				return false;
			words++;
			while (*q && *q != ' ')
				q++;
		}
		return words >= 2 && words <= 5 && res_name_like_labelled(v);
	}
	case ROLE_OTHER: return idv_isdigit(c0) || c0 == '$' || c0 == '#';
	case ROLE_NONE: break;
	}
	return false;
}

/* The longest label that starts text followed by a value that fits it; its length in label_len. */
static enum res_role
res_label_prefix(const char *text, const char *norm, size_t nl, size_t *label_len)
{
	size_t best = 0;
	enum res_role role = ROLE_NONE;
	for (size_t i = 0; i < IDV_ARRAY_LEN(res_labels); i++) {
		const char *lt = res_labels[i].text;
		size_t ll = strlen(lt);
		if (ll >= nl || ll <= best || memcmp(norm, lt, ll) != 0 || norm[ll] != ' ')
			continue;
		size_t nw = 1;
		for (size_t k = 0; k < ll; k++)
			nw += lt[k] == ' ';
		size_t end = res_words_end(text, nw);
		if (!res_value_fits(res_labels[i].role, text + end))
			continue;
		best = ll;
		role = res_labels[i].role;
		*label_len = end;
	}
	return role;
}

/*
 * Match a label at the start of text. The label must be followed by the end, a colon, or a
 * value that fits it (res_value_fits: a date after a date label, a house number after an
 * address label, a name in capitals after a holder label); without a colon a label word may
 * start a sentence ("Tenant agrees to ..."), so anything else is not a label.
 */
void
res_classify(const char *text, struct res_seg *out)
{
	char norm[IDV_RES_LINE_MAX];
	memset(out, 0, sizeof(*out));
	/* the label part: up to a colon, or the whole text */
	const char *colon = strchr(text, ':');
	size_t head_len = colon ? (size_t)(colon - text) : strlen(text);
	char head[IDV_RES_LINE_MAX];
	if (head_len >= sizeof(head))
		return;
	memcpy(head, text, head_len);
	head[head_len] = '\0';
	size_t nl = res_norm(head, norm, sizeof(norm));
	if (nl == 0)
		return;
	size_t best = 0;
	enum res_role role = ROLE_NONE;
	for (size_t i = 0; i < IDV_ARRAY_LEN(res_labels); i++) {
		size_t ll = strlen(res_labels[i].text);
		if (ll == nl && memcmp(norm, res_labels[i].text, ll) == 0 && ll > best) {
			best = ll;
			role = res_labels[i].role;
		}
	}
	if (role == ROLE_NONE && nl >= 7 && nl <= 40) {
		/* OCR slips in long labels ("Biting Date"): one edit per 6 characters, at most 2 */
		size_t bestd = SIZE_MAX;
		for (size_t i = 0; i < IDV_ARRAY_LEN(res_labels); i++) {
			size_t ll = strlen(res_labels[i].text);
			if (ll < 7 || (ll > nl ? ll - nl : nl - ll) > 2)
				continue;
			size_t cap = (ll + 3) / 6 < 2 ? (ll + 3) / 6 : 2;
			size_t d = res_distance(norm, nl, res_labels[i].text, ll, cap);
			if (d <= cap && d < bestd) {
				bestd = d;
				role = res_labels[i].role;
			}
		}
	}
	size_t prefix_len = 0;
	if (role == ROLE_NONE && colon == NULL)
		role = res_label_prefix(text, norm, nl, &prefix_len);
	if (role == ROLE_NONE)
		return;
	out->role = role;
	out->has_colon = colon != NULL;
	out->label_len = prefix_len ? prefix_len : colon ? head_len + 1 : head_len;
	const char *rest = text + out->label_len;
	size_t rl = strlen(rest);
	idv_str_trim(&rest, &rl);
	out->label_only = rl == 0;
}

/* ---------------------------------------------------------------------------------------------
 * The reader
 */

static const char *const res_company_words[] = {
	"inc", "llc", "llp", "ltd", "co", "corp", "corporation", "company", "bank", "energy",
	"electric", "power", "gas", "water", "utility", "utilities", "wireless", "mobile",
	"telecom", "communications", "insurance", "mutual", "county", "city", "department",
	"treasurer", "collector", "assessor", "services", "properties", "property", "management",
	"realty", "apartments", "group", "trust", "association", "authority", "district", "of",
	"the", "account", "statement", "bill", "total", "amount", "due", "service", "policy",
	"page", "date", "lease", "agreement", "tax", "notice", "declarations", "customer",
	"payment", "balance", "usage", "summary", "plan", "residential", "mortgage", "cellular",
	"cooperative", "agency", "collector", "talk", "telephone", "cable",
	"internet", "broadband", "financial", "credit", "union", "holdings",
};

/* A person's name: 2-8 words, no digits or company words, at least two words of two letters
 * or more ("J REYES" passes only under a holder label: res_name_like_labelled). */
static bool
res_name_like_min(const char *text, size_t min_long)
{
	char n[IDV_RES_LINE_MAX];
	size_t len = res_norm(text, n, sizeof(n));
	if (len == 0)
		return false;
	for (size_t i = 0; text[i] != '\0'; i++) {
		unsigned char c = (unsigned char)text[i];
		if (idv_isdigit(c) || c == ':' || c == '$' || c == '@' || c == '/' || c == '#')
			return false;
	}
	size_t words = 0, longw = 0;
	const char *p = n;
	while (*p) {
		const char *q = strchr(p, ' ');
		size_t wl = q ? (size_t)(q - p) : strlen(p);
		char w[64];
		if (wl >= sizeof(w))
			return false;
		memcpy(w, p, wl);
		w[wl] = '\0';
		for (size_t i = 0; i < IDV_ARRAY_LEN(res_company_words); i++)
			if (strcmp(w, res_company_words[i]) == 0)
				return false;
		words++;
		if (wl >= 2)
			longw++;
		p = q ? q + 1 : p + wl;
	}
	return words >= 2 && words <= 8 && longw >= min_long;
}

bool
res_name_like(const char *text)
{
	return res_name_like_min(text, 2);
}

bool
res_name_like_labelled(const char *text)
{
	return res_name_like_min(text, 1);
}

/* "LAST, FIRST M" as written on insurance and tax forms into "FIRST M LAST" (one comma, a
 * family name without spaces before it, given names after). Otherwise name is kept. */
static void
res_name_order(char *name, size_t namesz)
{
	const char *comma = strchr(name, ',');
	if (comma == NULL || strchr(comma + 1, ',') != NULL || comma == name)
		return;
	const char *given = comma + 1;
	while (*given == ' ')
		given++;
	size_t famlen = (size_t)(comma - name);
	if (*given == '\0' || memchr(name, ' ', famlen) != NULL)
		return;
	char out[IDV_RES_NAME_MAX];
	if (idv_fmt(out, sizeof out, "%s %.*s", given, (int)famlen, name))
		idv_strlcpy(name, out, namesz);
}

/*
 * OCR reads a capital I as a lower-case l: "lyer" in "Hana R lyer", "KHAlIL". In a name every
 * word starts with a capital, so a word starting with l and going on in lower case starts with
 * I; inside a word in capitals, an l is an I.
 */
static void
res_fix_name_glyphs(char *name)
{
	for (char *w = name; *w;) {
		while (*w == ' ' || *w == '-' || *w == '\'')
			w++;
		char *e = w;
		size_t upper = 0, lower = 0;
		while (*e && *e != ' ' && *e != '-' && *e != '\'') {
			upper += idv_isupper((unsigned char)*e) ? 1 : 0;
			lower += idv_islower((unsigned char)*e) && *e != 'l' ? 1 : 0;
			e++;
		}
		bool particle = (e - w == 3 && (memcmp(w, "los", 3) == 0 || memcmp(w, "las", 3) == 0 ||
						memcmp(w, "les", 3) == 0));
		if (w[0] == 'l' && e - w >= 3 && idv_islower((unsigned char)w[1]) && w[1] != 'l' &&
		    !particle)
			w[0] = 'I';
		else if (upper >= 2 && lower == 0)
			for (char *q = w; q < e; q++)
				if (*q == 'l')
					*q = 'I';
		w = e;
	}
}

/* Split "A and B", "A & B", "A; B" into holders. */
void
res_add_holders(struct idv_residence *r, const char *v)
{
	char buf[IDV_RES_LINE_MAX];
	if (!idv_strlcpy(buf, v, sizeof(buf)))
		buf[sizeof(buf) - 1] = '\0';
	const char *p = buf;
	while (*p && r->nholders < IDV_RES_MAX_HOLDERS) {
		const char *cut = NULL;
		size_t skip = 0;
		const char *seps[] = {" and ", " AND ", " And ", " & ", ";"};
		for (size_t s = 0; s < IDV_ARRAY_LEN(seps); s++) {
			const char *q = strstr(p, seps[s]);
			if (q && (!cut || q < cut)) {
				cut = q;
				skip = strlen(seps[s]);
			}
		}
		size_t len = cut ? (size_t)(cut - p) : strlen(p);
		char name[IDV_RES_NAME_MAX];
		res_copy_trim(name, sizeof(name), p, len);
		res_name_order(name, sizeof name);
		res_fix_name_glyphs(name);
		if (name[0] != '\0') {
			bool dup = false;
			for (size_t i = 0; i < r->nholders; i++)
				if (strcmp(r->holders[i], name) == 0)
					dup = true;
			if (!dup)
				memcpy(r->holders[r->nholders++], name, sizeof(name));
		}
		if (!cut)
			break;
		p = cut + skip;
	}
}

/*
 * The places a label's value may be: after the colon on the segment itself, the segment to the
 * right on the same row (close by), the segment below. Fills up to 3 (segment, offset) pairs in
 * that order; the caller takes the first that fits.
 */
size_t
res_label_values(const struct res_ctx *c, size_t i, size_t vseg[3], size_t voff[3])
{
	const struct idv_res_page *pg = c->pg;
	size_t n = 0;
	if (!c->seg[i].label_only) {
		vseg[n] = i;
		voff[n++] = c->seg[i].label_len;
		return n;
	}
	size_t r = res_right_of(pg, i, 10);
	if (r != SIZE_MAX && c->seg[r].role == ROLE_NONE) {
		vseg[n] = r;
		voff[n++] = 0;
	}
	size_t b = res_next_below(pg, i, 2);
	if (b != SIZE_MAX && c->seg[b].role == ROLE_NONE) {
		vseg[n] = b;
		voff[n++] = 0;
	}
	return n;
}

/* The label segment to the left of segment i on its row, close by (a label far to the left
 * heads another column); SIZE_MAX when there is none. */
static size_t
res_row_label(const struct res_ctx *c, size_t i)
{
	const struct idv_res_page *pg = c->pg;
	size_t left = SIZE_MAX;
	int leftgap = 0;
	for (size_t j = 0; j < pg->nlines; j++) {
		const struct idv_res_line *b = &pg->lines[j];
		int gap = pg->lines[i].box.x - (b->box.x + b->box.w);
		if (j == i || gap < -res_h(b) || !res_same_row(&pg->lines[i], b))
			continue;
		if (left == SIZE_MAX || gap < leftgap) {
			left = j;
			leftgap = gap;
		}
	}
	if (left != SIZE_MAX && c->seg[left].role != ROLE_NONE && c->seg[left].label_only &&
	    leftgap <= 8 * res_h(&pg->lines[i]))
		return left;
	return SIZE_MAX;
}

/* The label of segment i itself or on its row to its left; ROLE_NONE when none. */
static enum res_role
res_own_label(const struct res_ctx *c, size_t i, size_t *label)
{
	if (c->seg[i].role != ROLE_NONE) {
		*label = i;
		return c->seg[i].role;
	}
	size_t left = res_row_label(c, i);
	*label = left;
	return left == SIZE_MAX ? ROLE_NONE : c->seg[left].role;
}

/*
 * The label governing segment i: a label on the segment itself, a label segment on its row to
 * the left, or the nearest label above in its column within a few lines (walking up through the
 * block, each row's own label included). A weak "Address:" label takes the role of the label
 * above it (the named insured's address, the lienholder's), or is an address label of its own.
 * ROLE_NONE when there is none; *label gets the segment.
 */
enum res_role
res_governing(const struct res_ctx *c, size_t i, size_t *label)
{
	const struct idv_res_page *pg = c->pg;
	enum res_role weak = ROLE_NONE;
	size_t weak_label = SIZE_MAX;
	enum res_role role = res_own_label(c, i, label);
	if (role != ROLE_NONE && role != ROLE_ADDRESS_WEAK)
		return role;
	if (role == ROLE_ADDRESS_WEAK) {
		weak = role;
		weak_label = *label;
	}
	size_t cur = i;
	for (int steps = 0; steps < 4; steps++) {
		size_t up = res_next_above(pg, cur, 2);
		if (up == SIZE_MAX)
			break;
		role = res_own_label(c, up, label);
		if (role == ROLE_ADDRESS_WEAK && weak == ROLE_NONE) {
			weak = role;
			weak_label = *label;
		} else if (role != ROLE_NONE && role != ROLE_ADDRESS_WEAK) {
			return role;
		}
		cur = up;
	}
	*label = weak_label;
	return weak == ROLE_NONE ? ROLE_NONE : ROLE_ADDRESS;
}
