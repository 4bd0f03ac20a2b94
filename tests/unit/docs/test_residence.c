/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/residence.h"

/*
 * Pages are written as segments {x, y, text}: each segment becomes words of 10 px per character
 * and 20 px high, one character apart, as OCR or a PDF text layer would give them. Segments on
 * the same y with a wide gap between them are separate columns.
 */
struct seg {
	int x, y;
	const char *text;
};

#define MAX_SEGS 40

struct page_case {
	const char *name;
	bool ocr_lines; /* words carry block/line numbers (tesseract) rather than -1 (PDF) */
	struct seg segs[MAX_SEGS];
	const char *holder; /* "; "-joined */
	const char *street, *unit, *city, *state, *zip;
	const char *date;
	enum idv_residence_kind kind;
	const char *today; /* the day the page is read (NULL: unknown) */
};

static const struct page_case cases[] = {
	{
		"utility: mailing PO box addressee, labelled service address, street remit-to",
		false,
		{
			{100, 40, "BRIGHTWATER ENERGY"},
			{100, 100, "Statement Date: March 3, 2025"},
			{700, 100, "Account Number: 4410-2231-09"},
			{100, 130, "Due Date: March 24, 2025"},
			{100, 200, "MARIA L GONZALEZ"},
			{100, 222, "PO BOX 4471"},
			{100, 244, "RIVERTON, WY 82501"},
			{100, 320, "Service Address:"},
			{100, 342, "1187 Cottonwood Ln Apt 3C"},
			{100, 364, "Riverton, WY 82501-4410"},
			{100, 420, "Electric usage 612 kWh"},
			{100, 600, "Remit to:"},
			{100, 622, "Brightwater Energy"},
			{100, 644, "2200 Industrial Pkwy"},
			{100, 666, "Casper, WY 82601"},
			{0, 0, NULL},
		},
		"MARIA L GONZALEZ", "1187 Cottonwood Ln", "Apt 3C", "Riverton", "WY", "82501-4410",
		"2025-03-03", IDV_RES_UTILITY_BILL, NULL,
	},
	{
		"lease: landlord address first, tenants listed, premises on one line",
		true,
		{
			{100, 40, "RESIDENTIAL LEASE AGREEMENT"},
			{100, 100, "Date of Lease: 01/15/2025"},
			{100, 140, "Landlord:"},
			{100, 162, "Oakridge Property Management LLC"},
			{100, 184, "400 Commerce Blvd Suite 210"},
			{100, 206, "Austin, TX 78701"},
			{100, 260, "Tenants:"},
			{100, 282, "Daniel Okafor"},
			{100, 304, "Priya Raman"},
			{100, 360, "Premises: 78 Juniper St, Unit 12, Round Rock, TX 78664"},
			{100, 400, "Lease Term: February 1, 2025 to January 31, 2026"},
			{100, 430, "Monthly Rent: $1,850.00"},
			{0, 0, NULL},
		},
		"Daniel Okafor; Priya Raman", "78 Juniper St", "Unit 12", "Round Rock", "TX", "78664",
		"2025-01-15", IDV_RES_LEASE, NULL,
	},
	{
		"insurance: named insureds joined, agent and mortgagee addresses",
		false,
		{
			{100, 40, "Harborline Mutual Insurance"},
			{100, 80, "HOMEOWNERS POLICY DECLARATIONS"},
			{100, 120, "Date Issued: 2025-02-20"},
			{100, 150, "Policy Period: 03/01/2025 - 03/01/2026"},
			{100, 200, "Named Insured: JOHN A PARK and SUSAN PARK"},
			{100, 240, "Mailing Address:"},
			{100, 262, "PO Box 902"},
			{100, 284, "Eugene, OR 97440"},
			{700, 240, "Your Agent:"},
			{700, 262, "Lee Insurance Agency"},
			{700, 284, "15 Main St"},
			{700, 306, "Eugene, OR 97401"},
			{100, 360, "Insured Location:"},
			{100, 382, "3021 Willamette Ave"},
			{100, 404, "Eugene, OR 97405"},
			{100, 460, "Mortgagee:"},
			{100, 482, "First Valley Bank"},
			{100, 504, "800 Lender Way"},
			{100, 526, "Portland, OR 97204"},
			{100, 580, "Coverage A Dwelling $350,000 Deductible $1,000 Premium $1,204"},
			{0, 0, NULL},
		},
		"JOHN A PARK; SUSAN PARK", "3021 Willamette Ave", "", "Eugene", "OR", "97405",
		"2025-02-20", IDV_RES_INSURANCE, NULL,
	},
	{
		"mobile: no service label, company header address, addressee block, PO box remit",
		true,
		{
			{100, 30, "NORTHSTAR WIRELESS"},
			{100, 70, "900 Tower Rd"},
			{100, 92, "Dallas, TX 75201"},
			{700, 30, "Bill Date: Apr 2, 2025"},
			{700, 60, "Pay by: Apr 20, 2025"},
			{100, 180, "KEVIN T BROOKS"},
			{100, 202, "5512 Meadow Creek Dr"},
			{100, 224, "Plano, TX 75024"},
			{100, 300, "Wireless number (214) 555-0142  Data used 12.4 GB  Talk minutes 340"},
			{100, 500, "Make checks payable to:"},
			{100, 522, "Northstar Wireless"},
			{100, 544, "P.O. Box 660108"},
			{100, 566, "Dallas, TX 75266-0108"},
			{0, 0, NULL},
		},
		"KEVIN T BROOKS", "5512 Meadow Creek Dr", "", "Plano", "TX", "75024", "2025-04-02",
		IDV_RES_MOBILE_PHONE_BILL, NULL,
	},
	{
		"property tax: owner label, property location, tax collector remit",
		false,
		{
			{100, 40, "MADISON COUNTY TREASURER"},
			{100, 70, "2024 REAL PROPERTY TAX BILL"},
			{100, 110, "Bill Date 11/01/2024"},
			{100, 140, "Parcel Number: 18-07-301-004"},
			{100, 200, "Owner:"},
			{250, 200, "HELEN M WRIGHT"},
			{100, 250, "Property Location:"},
			{100, 272, "96 Orchard Hill Rd"},
			{100, 294, "Huntsville, AL 35806"},
			{100, 350, "First Installment Due: 12/31/2024"},
			{100, 380, "Assessed Value $212,400"},
			{100, 520, "Remit to:"},
			{100, 542, "Madison County Tax Collector"},
			{100, 564, "100 Northside Square"},
			{100, 586, "Huntsville, AL 35801"},
			{0, 0, NULL},
		},
		"HELEN M WRIGHT", "96 Orchard Hill Rd", "", "Huntsville", "AL", "35806", "2024-11-01",
		IDV_RES_PROPERTY_TAX, NULL,
	},
	{
		"utility: two columns on one row, remit-to beside the service address",
		false,
		{
			{100, 40, "CLEARSPRING WATER UTILITY"},
			{100, 100, "Account Holder: Samuel J Ortiz"},
			{100, 130, "Billing Date: 5 May 2025"},
			{100, 180, "Service Address: 42 Lakeview Ter"},
			{900, 180, "Remit to: 17 Reservoir Rd"},
			{100, 202, "Bend, OR 97701"},
			{900, 202, "Salem, OR 97301"},
			{100, 260, "Water usage 4,200 gallons  Sewer charge"},
			{0, 0, NULL},
		},
		"Samuel J Ortiz", "42 Lakeview Ter", "", "Bend", "OR", "97701", "2025-05-05",
		IDV_RES_UTILITY_BILL, NULL,
	},
	{
		"OCR slips: l of the suffix read as |, a label with two wrong letters",
		true,
		{
			{100, 40, "SUMMIT GAS & ELECTRIC"},
			{100, 100, "Biting Date: 04/28/2025"},
			{100, 160, "GRACE T MOREAU"},
			{100, 182, "3146 Magnolia P| Apt 17A"},
			{100, 204, "Plano, TX 75024"},
			{100, 260, "Gas usage 40 therms Meter 7712345"},
			{0, 0, NULL},
		},
		"GRACE T MOREAU", "3146 Magnolia Pl", "Apt 17A", "Plano", "TX", "75024", "2025-04-28",
		IDV_RES_UTILITY_BILL, NULL,
	},
	{
		"lease in prose: the tenants and the premises named in sentences, rent paid elsewhere",
		false,
		{
			{100, 40, "RESIDENTIAL LEASE AGREEMENT"},
			{100, 100, "This Lease is made on 02/11/2025 by and between Cedar Row Homes LLC"},
			{100, 122, "(\"Landlord\") and Priya N Raman and Tomas Ek (the \"Tenants\")."},
			{100, 160, "1. Landlord leases to Tenants the dwelling known as 77 Birch Hollow Dr,"},
			{100, 182, "Unit 5, Eugene, OR 97401 (the \"Premises\")."},
			{100, 220, "2. Rent is paid to Landlord at 9 Commerce Way, Portland, OR 97204."},
			{0, 0, NULL},
		},
		"Priya N Raman; Tomas Ek", "77 Birch Hollow Dr", "Unit 5", "Eugene", "OR", "97401",
		"2025-02-11", IDV_RES_LEASE, NULL,
	},
	{
		"declarations: LAST, FIRST M insured, weak Address label, lienholder's address below",
		false,
		{
			{100, 40, "ACME MUTUAL INSURANCE"},
			{100, 70, "HOMEOWNERS POLICY DECLARATIONS"},
			{100, 100, "Named Insured:"},
			{400, 100, "OKAFOR, CHIDI A"},
			{100, 122, "Address:"},
			{400, 122, "18 Quarry Rd"},
			{400, 144, "Athens, GA 30601"},
			{100, 200, "Date Issued: June 2, 2025"},
			{100, 260, "Mortgagee:"},
			{400, 260, "First Peach Bank"},
			{400, 282, "400 Peachtree St"},
			{400, 304, "Atlanta, GA 30308"},
			{0, 0, NULL},
		},
		"CHIDI A OKAFOR", "18 Quarry Rd", "", "Athens", "GA", "30601", "2025-06-02",
		IDV_RES_INSURANCE, NULL,
	},
	{
		"utility stub: an initial and a family name under a holder label, 'Service at'",
		false,
		{
			{100, 40, "NORTHFORK WATER"},
			{100, 100, "Bill Date: 04/02/2025"},
			{100, 130, "Customer: R DUBOIS"},
			{100, 160, "Service at: 5 Wren Ct, Apt 2, Ames, IA 50010"},
			{100, 190, "Water usage 3,100 gallons"},
			{100, 220, "Mail payments to: PO Box 88, Ames, IA 50010"},
			{0, 0, NULL},
		},
		"R DUBOIS", "5 Wren Ct", "Apt 2", "Ames", "IA", "50010", "2025-04-02",
		IDV_RES_UTILITY_BILL, NULL,
	},
	{
		"phone bill: labels without colons before their values, a period before the bill date",
		true,
		{
			{100, 40, "NORTHFIELD TELEPHONE CO"},
			{100, 100, "Service Period 02/01/2025 - 02/28/2025"},
			{100, 130, "Bill Date March 3, 2025"},
			{100, 160, "Payment Due March 24, 2025"},
			{100, 220, "Account Name: Hana R lyer"},
			{100, 250, "Service Address 44 Birch Rd"},
			{100, 272, "Tulsa, OK 74103"},
			{100, 330, "Local calls, long distance and fees $41.20"},
			{0, 0, NULL},
		},
		"Hana R Iyer", "44 Birch Rd", "", "Tulsa", "OK", "74103", "2025-03-03",
		IDV_RES_UTILITY_BILL, NULL,
	},
	{
		"lease in prose: 'hereinafter referred to as', a term in the future",
		false,
		{
			{100, 40, "RESIDENTIAL LEASE"},
			{100, 100, "The term of this lease begins May 1, 2025 and ends April 30, 2026."},
			{100, 122, "This Lease is made on April 2, 2025 between Oak Street Rentals LLC,"},
			{100, 144, "hereinafter called the \"Landlord\", and Priya N Raman, hereinafter"},
			{100, 166, "referred to as \"Tenant\". Landlord leases to Tenant the premises"},
			{100, 188, "situated at 9 Lake View Dr, Unit 4, Madison, WI 53703."},
			{0, 0, NULL},
		},
		"Priya N Raman", "9 Lake View Dr", "Unit 4", "Madison", "WI", "53703", "2025-04-02",
		IDV_RES_LEASE, "2025-04-20",
	},
};

/* Turn segments into words. */
static size_t
make_words(const struct page_case *c, struct idv_ocr_word *w, size_t maxw)
{
	size_t n = 0;
	for (int s = 0; s < MAX_SEGS && c->segs[s].text; s++) {
		const char *t = c->segs[s].text;
		size_t i = 0;
		while (t[i] && n < maxw) {
			while (t[i] == ' ')
				i++;
			size_t st = i;
			while (t[i] && t[i] != ' ')
				i++;
			if (i == st)
				break;
			struct idv_ocr_word *x = &w[n++];
			memset(x, 0, sizeof(*x));
			memcpy(x->text, t + st, i - st);
			x->box.x = c->segs[s].x + (int)st * 10;
			x->box.y = c->segs[s].y;
			x->box.w = (int)(i - st) * 10;
			x->box.h = 20;
			x->confidence = 0.9f;
			x->block = c->ocr_lines ? (c->segs[s].x > 500 ? 2 : 1) : 0;
			x->line = c->ocr_lines ? c->segs[s].y : -1;
		}
	}
	return n;
}

static void
test_pages(void **state)
{
	(void)state;
	static struct idv_res_page page;
	static struct idv_ocr_word words[400];
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		const struct page_case *c = &cases[i];
		size_t n = make_words(c, words, IDV_ARRAY_LEN(words));
		assert_int_equal(idv_res_page_from_words(words, n, 1700, 2200, 0, &page), IDV_OK);
		struct idv_residence r;
		printf("case %zu: %s\n", i, c->name);
		int64_t today = 0;
		struct idv_date td;
		if (c->today != NULL) {
			assert_int_equal(idv_date_parse(c->today, strlen(c->today), &td), IDV_OK);
			today = idv_date_to_days(&td);
		}
		assert_int_equal(idv_residence_parse(&page, today, &r), IDV_OK);
		struct idv_document doc;
		idv_document_init(&doc);
		idv_residence_to_document(&r, IDV_SRC_PDF_TEXT, &doc);
		assert_string_equal(doc.fields[IDV_F_HOLDER_NAME].value, c->holder);
		assert_string_equal(doc.fields[IDV_F_STREET].value, c->street);
		assert_string_equal(doc.fields[IDV_F_UNIT].value, c->unit);
		assert_string_equal(doc.fields[IDV_F_CITY].value, c->city);
		assert_string_equal(doc.fields[IDV_F_STATE].value, c->state);
		assert_string_equal(doc.fields[IDV_F_POSTAL_CODE].value, c->zip);
		assert_string_equal(doc.fields[IDV_F_STATEMENT_DATE].value, c->date);
		assert_int_equal(doc.residence_kind, c->kind);
		assert_int_equal(doc.kind, IDV_DOC_PROOF_OF_RESIDENCE);
	}
}

/* A scan three degrees off level: a label and its value two columns apart are on one row only
 * once the skew (measured along the long lines) is taken out. */
static void
test_skew(void **state)
{
	(void)state;
	static const struct seg segs[] = {
		{100, 40, "CEDAR MUTUAL INSURANCE COMPANY"},
		{100, 100, "RENTERS POLICY DECLARATIONS FOR THE PERIOD SHOWN"},
		{100, 160, "Residence Premises:"},
		{400, 160, "18 Quarry Rd, Athens, GA 30601"},
		{100, 200, "Named Insured:"},
		{400, 200, "OKAFOR, CHIDI A"},
		{100, 240, "Date Issued:"},
		{400, 240, "June 2, 2025"},
		{100, 300, "Coverage C Personal Property 25,000 Deductible 500"},
		{100, 340, "Lienholder:"},
		{400, 340, "First Peach Bank, 400 Peachtree St, Atlanta, GA 30308"},
	};
	static struct idv_ocr_word w[200];
	size_t n = 0;
	for (size_t s = 0; s < IDV_ARRAY_LEN(segs); s++) {
		const char *t = segs[s].text;
		for (size_t i = 0; t[i];) {
			while (t[i] == ' ')
				i++;
			size_t st = i;
			while (t[i] && t[i] != ' ')
				i++;
			if (i == st)
				break;
			struct idv_ocr_word *x = &w[n++];
			memset(x, 0, sizeof(*x));
			memcpy(x->text, t + st, i - st);
			x->box.x = segs[s].x + (int)st * 10;
			x->box.y = segs[s].y + (x->box.x * 60) / 1000; /* 3.4 degrees */
			x->box.w = (int)(i - st) * 10;
			x->box.h = 20;
			x->confidence = 0.9f;
			x->block = segs[s].x > 300 ? 2 : 1;
			x->line = (int)s;
		}
	}
	static struct idv_res_page page;
	assert_int_equal(idv_res_page_from_words(w, n, 1700, 2200, 0, &page), IDV_OK);
	struct idv_residence r;
	assert_int_equal(idv_residence_parse(&page, 0, &r), IDV_OK);
	assert_int_equal(r.nholders, 1);
	assert_string_equal(r.holders[0], "CHIDI A OKAFOR");
	assert_string_equal(r.street, "18 Quarry Rd");
	assert_string_equal(r.postal_code, "30601");
	assert_true(r.has_date);
	assert_int_equal(r.statement_date.month, 6);
	assert_int_equal(r.statement_date.day, 2);
}

static void
test_dates(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum idv_err err;
		const char *out;
	} dc[] = {
		{"March 5, 2025", IDV_OK, "2025-03-05"},
		{"Mar 5 2025", IDV_OK, "2025-03-05"},
		{"Sept. 30, 2024", IDV_OK, "2024-09-30"},
		{"5 March 2025", IDV_OK, "2025-03-05"},
		{"03/05/2025", IDV_OK, "2025-03-05"},
		{"3-5-2025", IDV_OK, "2025-03-05"},
		{"03/05/25", IDV_OK, "2025-03-05"},
		{"2025-03-05", IDV_OK, "2025-03-05"},
		{"04/1 2/2025", IDV_OK, "2025-04-12"}, /* OCR split a numeric date */
		{"02/30/2025", IDV_E_PARSE, NULL},
		{"13/01/2025", IDV_E_PARSE, NULL},
		{"March 32, 2025", IDV_E_PARSE, NULL},
		{"Due March 5, 2025", IDV_E_PARSE, NULL},
		{"03/05/20251", IDV_E_PARSE, NULL},
		{"", IDV_E_PARSE, NULL},
		{"Mayo 5, 2025", IDV_E_PARSE, NULL},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(dc); i++) {
		struct idv_date d;
		enum idv_err e = idv_residence_parse_date(dc[i].in, strlen(dc[i].in), &d);
		assert_int_equal(e, dc[i].err);
		if (e == IDV_OK) {
			char s[11];
			idv_date_format(&d, s);
			assert_string_equal(s, dc[i].out);
		}
	}
}

static void
test_checks(void **state)
{
	(void)state;
	struct idv_date today = {2025, 4, 1};
	int64_t td = idv_date_to_days(&today);
	static const struct {
		const char *date; /* NULL: none read */
		enum idv_residence_kind kind;
		int max_age;
		uint32_t kinds;
		enum idv_check_result recent, accepted;
	} cc[] = {
		{"2025-03-01", IDV_RES_UTILITY_BILL, 0, 0, IDV_CHECK_PASS, IDV_CHECK_PASS},
		{"2025-01-01", IDV_RES_UTILITY_BILL, 0, 0, IDV_CHECK_PASS, IDV_CHECK_PASS}, /* 90 d */
		{"2024-12-31", IDV_RES_UTILITY_BILL, 0, 0, IDV_CHECK_FAIL, IDV_CHECK_PASS}, /* 91 d */
		{"2024-12-31", IDV_RES_LEASE, 365, 0, IDV_CHECK_PASS, IDV_CHECK_PASS},
		{"2025-04-02", IDV_RES_LEASE, 0, 0, IDV_CHECK_PASS, IDV_CHECK_PASS},
		{"2025-04-05", IDV_RES_LEASE, 0, 0, IDV_CHECK_FAIL, IDV_CHECK_PASS},
		{NULL, IDV_RES_INSURANCE, 0, 0, IDV_CHECK_FAIL, IDV_CHECK_PASS},
		{"2025-03-01", IDV_RES_BANK_STATEMENT, 0, 0, IDV_CHECK_PASS, IDV_CHECK_FAIL},
		{"2025-03-01", IDV_RES_OTHER, 0, 0, IDV_CHECK_PASS, IDV_CHECK_FAIL},
		{"2025-03-01", IDV_RES_MOBILE_PHONE_BILL, 0, 1u << IDV_RES_UTILITY_BILL,
		 IDV_CHECK_PASS, IDV_CHECK_FAIL},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cc); i++) {
		struct idv_document doc;
		idv_document_init(&doc);
		doc.kind = IDV_DOC_PROOF_OF_RESIDENCE;
		doc.residence_kind = cc[i].kind;
		if (cc[i].date)
			idv_document_set(&doc, IDV_F_STATEMENT_DATE, cc[i].date, 10, IDV_SRC_OCR,
					 0.9f, NULL);
		struct idv_residence_policy pol = {cc[i].max_age, cc[i].kinds};
		idv_residence_checks(&doc, td, &pol);
		assert_int_equal(idv_document_find_check(&doc, "statement_recent")->result,
				 cc[i].recent);
		assert_int_equal(idv_document_find_check(&doc, "residence_kind_accepted")->result,
				 cc[i].accepted);
	}
}

static void
test_kinds_parse(void **state)
{
	(void)state;
	uint32_t k = 0;
	assert_int_equal(idv_residence_kinds_parse("utility_bill, lease", 19, &k), IDV_OK);
	assert_true(k == ((1u << IDV_RES_UTILITY_BILL) | (1u << IDV_RES_LEASE)));
	assert_int_equal(idv_residence_kinds_parse("utility_bill,boat", 17, &k), IDV_E_PARSE);
	assert_int_equal(idv_residence_kinds_parse("", 0, &k), IDV_E_PARSE);
}

/* Hostile input: junk words, huge word counts, empty pages never crash. */
static void
test_hostile(void **state)
{
	(void)state;
	static struct idv_res_page page;
	static struct idv_ocr_word w[5000];
	for (size_t i = 0; i < IDV_ARRAY_LEN(w); i++) {
		memset(&w[i], 0, sizeof(w[i]));
		memset(w[i].text, (int)('!' + i % 90), sizeof(w[i].text)); /* no NUL */
		w[i].box.x = (int)(i % 50) * 13;
		w[i].box.y = (int)(i / 50) * 7;
		w[i].box.w = 12;
		w[i].box.h = (int)(i % 3) * 9;
		w[i].line = (i % 7 == 0) ? -1 : (int)(i / 50);
	}
	enum idv_err e = idv_res_page_from_words(w, IDV_ARRAY_LEN(w), 0, 0, 0, &page);
	assert_true(e == IDV_OK || e == IDV_E_TOOBIG);
	struct idv_residence r;
	(void)idv_residence_parse(&page, 0, &r);
	assert_int_equal(idv_res_page_from_words(w, 0, 0, 0, 0, &page), IDV_OK);
	assert_int_equal(idv_residence_parse(&page, 0, &r), IDV_E_PARSE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_skew),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_kinds_parse),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
