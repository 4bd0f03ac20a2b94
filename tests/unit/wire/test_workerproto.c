/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include <math.h>

#include "idverify/workerproto.h"

static void
good_result(struct idv_wp_result *r)
{
	struct idv_document d;
	idv_document_init(&d);
	idv_document_set(&d, IDV_F_FAMILY_NAME, "LEE", 3, IDV_SRC_PDF417, 0.9f, NULL);
	idv_document_check(&d, "expired", IDV_CHECK_PASS, "valid for %d more days", 10);
	d.nbarcodes = 1;
	idv_strlcpy(d.barcodes[0].format, "PDF417", sizeof d.barcodes[0].format);
	d.barcodes[0].length = 300;
	idv_wp_result_init(r, IDV_WP_DONE, IDV_OK, &d);
}

static void
test_good_frames(void **state)
{
	(void)state;
	struct idv_wp_result r;
	good_result(&r);
	assert_int_equal(idv_wp_result_check(&r), IDV_OK);
	idv_wp_result_init(&r, IDV_WP_READY, IDV_OK, NULL);
	assert_int_equal(idv_wp_result_check(&r), IDV_OK);
	idv_wp_result_init(&r, IDV_WP_FAILED, IDV_OK, NULL);
	r.failure = IDV_WPF_TIMEOUT;
	assert_int_equal(idv_wp_result_check(&r), IDV_OK);
	struct idv_wp_request q;
	idv_wp_request_init(&q, 1, 20000, 0, 1000);
	assert_int_equal(idv_wp_request_check(&q, 1000), IDV_OK);
	assert_int_equal(idv_wp_request_check(&q, 999), IDV_E_TOOBIG);
	q.magic ^= 1;
	assert_int_equal(idv_wp_request_check(&q, 1000), IDV_E_PARSE);
	idv_wp_request_init(&q, -1, 20000, 0, 10);
	assert_int_equal(idv_wp_request_check(&q, 1000), IDV_E_PARSE);
}

/* Each corruption a compromised worker could send must be refused. */
static void corrupt_magic(struct idv_wp_result *r) { r->magic = 0; }
static void corrupt_version(struct idv_wp_result *r) { r->version = 99; }
static void corrupt_size(struct idv_wp_result *r) { r->doc_size--; }
static void corrupt_outcome(struct idv_wp_result *r) { r->outcome = IDV_WP__COUNT; }
static void corrupt_err(struct idv_wp_result *r) { r->err = IDV_E__COUNT; }
static void corrupt_err_neg(struct idv_wp_result *r) { r->err = -1; }
static void corrupt_status(struct idv_wp_result *r) { memset(&r->doc.status, 0x7f, sizeof(int)); }
static void corrupt_kind(struct idv_wp_result *r) { memset(&r->doc.kind, 0xff, sizeof(int)); }
static void corrupt_res(struct idv_wp_result *r) { memset(&r->doc.residence_kind, 9, 1); }
static void corrupt_detail(struct idv_wp_result *r)
{
	memset(r->doc.error_detail, 'A', sizeof r->doc.error_detail);
}
static void corrupt_value(struct idv_wp_result *r)
{
	memset(r->doc.fields[3].value, 'x', sizeof r->doc.fields[3].value);
}
static void corrupt_present(struct idv_wp_result *r) { memset(&r->doc.fields[0].present, 2, 1); }
static void corrupt_source(struct idv_wp_result *r) { memset(&r->doc.fields[0].source, 42, 1); }
static void corrupt_conf_nan(struct idv_wp_result *r) { r->doc.fields[0].confidence = NAN; }
static void corrupt_conf_big(struct idv_wp_result *r) { r->doc.fields[0].confidence = 1.5f; }
static void corrupt_box(struct idv_wp_result *r) { r->doc.fields[0].box.w = -4; }
static void corrupt_nchecks(struct idv_wp_result *r) { r->doc.nchecks = IDV_DOC_MAX_CHECKS + 1; }
static void corrupt_check_name(struct idv_wp_result *r)
{
	memset(r->doc.checks[0].name, 'n', sizeof r->doc.checks[0].name);
}
static void corrupt_check_result(struct idv_wp_result *r) { memset(&r->doc.checks[0].result, 3, 1); }
static void corrupt_nbarcodes(struct idv_wp_result *r) { r->doc.nbarcodes = 1000; }
static void corrupt_bc_format(struct idv_wp_result *r)
{
	memset(r->doc.barcodes[0].format, 'F', sizeof r->doc.barcodes[0].format);
}
static void corrupt_bc_len(struct idv_wp_result *r) { r->doc.barcodes[0].length = SIZE_MAX; }
static void corrupt_mrz_lines(struct idv_wp_result *r) { r->doc.mrz.nlines = 4; }
static void corrupt_mrz_text(struct idv_wp_result *r)
{
	memset(r->doc.mrz.raw_lines[2], '<', sizeof r->doc.mrz.raw_lines[2]);
}
static void corrupt_mrz_bool(struct idv_wp_result *r) { memset(&r->doc.mrz.repaired, 0xff, 1); }
static void corrupt_page(struct idv_wp_result *r) { r->doc.page_height = -1; }
static void corrupt_failure(struct idv_wp_result *r) { r->failure = IDV_WPF__COUNT; }
static void corrupt_failed_none(struct idv_wp_result *r) { r->outcome = IDV_WP_FAILED; }
static void corrupt_done_failure(struct idv_wp_result *r) { r->failure = IDV_WPF_CRASH; }

static void
test_corruptions_refused(void **state)
{
	(void)state;
	static void (*const corrupt[])(struct idv_wp_result *) = {
		corrupt_magic,	   corrupt_version,	 corrupt_size,	      corrupt_outcome,
		corrupt_err,	   corrupt_err_neg,	 corrupt_status,      corrupt_kind,
		corrupt_res,	   corrupt_detail,	 corrupt_value,	      corrupt_present,
		corrupt_source,	   corrupt_conf_nan,	 corrupt_conf_big,    corrupt_box,
		corrupt_nchecks,   corrupt_check_name,	 corrupt_check_result, corrupt_nbarcodes,
		corrupt_bc_format, corrupt_bc_len,	 corrupt_mrz_lines,   corrupt_mrz_text,
		corrupt_mrz_bool,  corrupt_page,	 corrupt_failure,     corrupt_failed_none,
		corrupt_done_failure,
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(corrupt); i++) {
		struct idv_wp_result r;
		good_result(&r);
		corrupt[i](&r);
		if (idv_wp_result_check(&r) != IDV_E_PARSE)
			fail_msg("corruption %zu was accepted", i);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_frames),
		cmocka_unit_test(test_corruptions_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
