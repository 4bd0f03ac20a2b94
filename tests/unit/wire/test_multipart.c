/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/multipart.h"

static const char body[] =
	"preamble ignored\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"kind\"\r\n"
	"\r\n"
	"government_id\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd\"\r\n"
	"Content-Type: image/jpeg\r\n"
	"\r\n"
	"\xff\xd8\x00\r\n--Xy\r\nnot a boundary\xff\xd9\r\n"
	"--XyZ--\r\n"
	"epilogue";

static void
test_parts(void **state)
{
	(void)state;
	struct idv_multipart mp;
	struct idv_part part;
	assert_int_equal(idv_multipart_init(&mp, "multipart/form-data; boundary=XyZ",
					    (const uint8_t *)body, sizeof body - 1),
			 IDV_OK);
	assert_int_equal(idv_multipart_next(&mp, &part), IDV_OK);
	assert_string_equal(part.name, "kind");
	assert_false(part.is_file);
	assert_int_equal(part.len, 13);
	assert_memory_equal(part.data, "government_id", 13);
	assert_int_equal(idv_multipart_next(&mp, &part), IDV_OK);
	assert_string_equal(part.name, "file");
	assert_true(part.is_file);
	assert_string_equal(part.filename, "../../etc/passwd"); /* informative; never used as a path */
	assert_string_equal(part.content_type, "image/jpeg");
	assert_int_equal(part.len, 3 + 2 + 4 + 2 + 14 + 2);
	assert_int_equal(part.data[2], 0);
	assert_int_equal(idv_multipart_next(&mp, &part), IDV_E_NOTFOUND);
	assert_int_equal(idv_multipart_next(&mp, &part), IDV_E_NOTFOUND);
}

static void
test_every_truncation_is_an_error_or_a_prefix(void **state)
{
	(void)state;
	/* Cut the body at every length: never a crash, never a part past the cut. */
	for (size_t cut = 0; cut < sizeof body - 1; cut++) {
		struct idv_multipart mp;
		struct idv_part part;
		if (idv_multipart_init(&mp, "multipart/form-data; boundary=\"XyZ\"",
				       (const uint8_t *)body, cut) != IDV_OK)
			continue;
		enum idv_err err;
		int n = 0;
		while ((err = idv_multipart_next(&mp, &part)) == IDV_OK) {
			assert_true(part.data + part.len <= (const uint8_t *)body + cut);
			n++;
		}
		assert_true(err == IDV_E_NOTFOUND || err == IDV_E_PARSE);
		if (cut < sizeof body - 1 - 12) /* before the closing delimiter */
			assert_true(err == IDV_E_PARSE);
		assert_true(n <= 2);
	}
}

static void
test_bad_headers(void **state)
{
	(void)state;
	struct idv_multipart mp;
	static const uint8_t b[] = "--a\r\n\r\n";
	assert_int_equal(idv_multipart_init(&mp, "application/json", b, sizeof b - 1),
			 IDV_E_UNSUPPORTED);
	assert_int_equal(idv_multipart_init(&mp, NULL, b, sizeof b - 1), IDV_E_UNSUPPORTED);
	assert_int_equal(idv_multipart_init(&mp, "multipart/form-data", b, sizeof b - 1),
			 IDV_E_PARSE);
	assert_int_equal(idv_multipart_init(&mp, "multipart/form-data; boundary=", b, sizeof b - 1),
			 IDV_E_PARSE);
	assert_int_equal(idv_multipart_init(&mp, "multipart/form-data; boundary=a\x01", b,
					    sizeof b - 1),
			 IDV_E_PARSE);
	/* A part without Content-Disposition. */
	static const uint8_t nodisp[] = "--a\r\nContent-Type: x\r\n\r\ndata\r\n--a--";
	struct idv_part part;
	assert_int_equal(idv_multipart_init(&mp, "multipart/form-data; boundary=a", nodisp,
					    sizeof nodisp - 1),
			 IDV_OK);
	assert_int_equal(idv_multipart_next(&mp, &part), IDV_E_PARSE);
	/* Too many parts. */
	char many[4096];
	size_t n = 0;
	for (int i = 0; i < IDV_MULTIPART_MAX_PARTS + 1; i++)
		n += (size_t)snprintf(many + n, sizeof many - n,
				      "--a\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nx\r\n",
				      i);
	n += (size_t)snprintf(many + n, sizeof many - n, "--a--\r\n");
	assert_int_equal(idv_multipart_init(&mp, "multipart/form-data; boundary=a",
					    (const uint8_t *)many, n),
			 IDV_OK);
	enum idv_err err;
	int count = 0;
	while ((err = idv_multipart_next(&mp, &part)) == IDV_OK)
		count++;
	assert_int_equal(count, IDV_MULTIPART_MAX_PARTS);
	assert_int_equal(err, IDV_E_TOOBIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_every_truncation_is_an_error_or_a_prefix),
		cmocka_unit_test(test_bad_headers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
