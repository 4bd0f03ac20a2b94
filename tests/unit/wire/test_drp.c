/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/drp.h"

/* ---- base64 ---- */

static void
test_b64_vectors(void **state)
{
	(void)state;
	/* RFC 4648 section 10 */
	static const struct {
		const char *plain, *enc;
	} v[] = {
		{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
		{"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(v); i++) {
		char enc[32];
		uint8_t dec[32];
		size_t n;
		assert_int_equal(idv_b64_encode((const uint8_t *)v[i].plain, strlen(v[i].plain), enc,
						sizeof enc), IDV_OK);
		assert_string_equal(enc, v[i].enc);
		assert_int_equal(idv_b64_decode(v[i].enc, strlen(v[i].enc), dec, sizeof dec, &n),
				 IDV_OK);
		assert_int_equal(n, strlen(v[i].plain));
		assert_memory_equal(dec, v[i].plain, n);
	}
}

static void
test_b64_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum idv_err want;
		size_t n;
	} v[] = {
		{"Zm9vYg", IDV_OK, 4},          /* unpadded */
		{"Zm9vYg==\r\n", IDV_OK, 4},    /* trailing newline */
		{"Zm9vYg=", IDV_E_PARSE, 0},    /* short padding */
		{"Zm9v=Yg=", IDV_E_PARSE, 0},   /* padding inside */
		{"Zm9vY", IDV_E_PARSE, 0},      /* 6 dangling bits */
		{"Zm9vYh==", IDV_E_PARSE, 0},   /* non-zero unused bits */
		{"Zm9-Yg==", IDV_E_PARSE, 0},   /* URL-safe alphabet is not DRP's */
		{"Zm9v Yg==", IDV_E_PARSE, 0},  /* space inside */
		{"===", IDV_E_PARSE, 0},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(v); i++) {
		uint8_t dec[16];
		size_t n = 99;
		assert_int_equal(idv_b64_decode(v[i].in, strlen(v[i].in), dec, sizeof dec, &n),
				 v[i].want);
		if (v[i].want == IDV_OK)
			assert_int_equal(n, v[i].n);
	}
	uint8_t small[2];
	size_t n;
	assert_int_equal(idv_b64_decode("Zm9v", 4, small, sizeof small, &n), IDV_E_TOOBIG);
	char out[4];
	assert_int_equal(idv_b64_encode((const uint8_t *)"foo", 3, out, sizeof out), IDV_E_TOOBIG);
}

/* ---- ISO 8601 ---- */

static void
test_iso8601(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum idv_err want;
		int64_t t;
	} v[] = {
		{"1970-01-01T00:00:00Z", IDV_OK, 0},
		{"2025-01-01T12:00:00.000+00:00", IDV_OK, 1735732800}, /* OSIRAA's form */
		{"2025-01-01T12:00:00+01:00", IDV_OK, 1735732800 - 3600},
		{"2025-01-01T12:00:00-0530", IDV_OK, 1735732800 + 5 * 3600 + 1800},
		{"2025-01-01T12:00:00+02", IDV_OK, 1735732800 - 7200},
		{"2025-01-01 12:00:00z", IDV_OK, 1735732800},
		{"2024-02-29T23:59:59.123456789Z", IDV_OK, 1709251199},
		{"2025-01-01T12:00:00", IDV_E_PARSE, 0},    /* no offset */
		{"2025-01-01T12:00Z", IDV_E_PARSE, 0},
		{"2025-02-29T12:00:00Z", IDV_E_INVAL, 0},
		{"2025-01-01T24:00:00Z", IDV_E_INVAL, 0},
		{"2025-01-01T12:00:60Z", IDV_E_INVAL, 0},
		{"2025-01-01T12:00:00+15:00", IDV_E_INVAL, 0},
		{"2025-01-01T12:00:00.Z", IDV_E_PARSE, 0},
		{"2025-01-01T12:00:00Z ", IDV_E_PARSE, 0},
		{"2025-01-01T12:00:00+01:0", IDV_E_PARSE, 0},
		{"+2025-01-01T12:00:00Z", IDV_E_PARSE, 0},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(v); i++) {
		int64_t t = -1;
		enum idv_err e = idv_iso8601_parse(v[i].in, strlen(v[i].in), &t);
		if (e != v[i].want)
			fail_msg("%s: got %d want %d", v[i].in, e, v[i].want);
		if (e == IDV_OK && t != v[i].t)
			fail_msg("%s: got %lld want %lld", v[i].in, (long long)t, (long long)v[i].t);
	}
	char out[21];
	idv_iso8601_format(1735732800, out);
	assert_string_equal(out, "2025-01-01T12:00:00Z");
	idv_iso8601_format(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
}

/* ---- parsing ---- */

static void
test_parse_claims(void **state)
{
	(void)state;
	const char *j = "{\"agent-id\":\"CR_AA_DRP_ID_001\",\"business-id\":\"ACME\","
			"\"issued-at\":\"2025-01-01T12:00:00.000+00:00\","
			"\"expires-at\":\"2025-01-01T12:10:00Z\",\"drp.version\":\"1.0\","
			"\"exercise\":\"sale:opt-out\",\"regime\":\"ccpa\",\"relationships\":[\"customer\"],"
			"\"status_callback\":\"https://aa.example/cb\",\"name\":\"Lee, Ann\","
			"\"email\":\"ann@example.com\",\"email_verified\":true,\"phone_number\":null,"
			"\"address\":{\"street_address\":\"12 Main St\\nApt 4\",\"locality\":\"Oakland\","
			"\"region\":\"CA\",\"postal_code\":\"94607\",\"country\":\"US\",\"x\":[1,{}]},"
			"\"custom\":{\"nested\":[true,false,null,-1.5e3]},\"na\\u00efve\":\"\\ud83d\\ude00\"}";
	struct idv_drp_body b;
	char why[160];
	assert_int_equal(idv_drp_parse((const uint8_t *)j, strlen(j), &b, why, sizeof why), IDV_OK);
	assert_string_equal(b.agent_id, "CR_AA_DRP_ID_001");
	assert_true(b.has_issued_at && b.has_expires_at);
	assert_int_equal(b.expires_at - b.issued_at, 600);
	assert_string_equal(b.exercise, "sale:opt-out");
	assert_int_equal(b.nrelationships, 1);
	assert_true(b.email_verified);
	assert_false(b.phone_number_verified);
	assert_string_equal(b.phone_number, "");
	assert_true(b.address.present);
	assert_string_equal(b.address.street_address, "12 Main St\nApt 4");
	assert_string_equal(b.address.postal_code, "94607");
}

static void
test_parse_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		enum idv_err want;
		const char *why;
	} v[] = {
		{"[]", IDV_E_PARSE, "object"},
		{"{\"a\":1,\"a\":2}", IDV_E_PARSE, "duplicate"},
		{"{\"agent-id\":1}", IDV_E_INVAL, "agent-id must be a string"},
		{"{\"email_verified\":\"yes\"}", IDV_E_INVAL, "email_verified"},
		{"{\"issued-at\":\"yesterday\"}", IDV_E_INVAL, "issued-at"},
		{"{\"address\":[1]}", IDV_E_INVAL, "address"},
		{"{\"relationships\":[1]}", IDV_E_INVAL, "relationships"},
		{"{\"name\":\"a\\u0000b\"}", IDV_E_PARSE, "NUL"},
		{"{\"name\":\"\\ud800\"}", IDV_E_PARSE, "surrogate"},
		{"{\"a\":01}", IDV_E_PARSE, NULL},
		{"{\"a\":1,}", IDV_E_PARSE, NULL},
		{"{\"a\":tru}", IDV_E_PARSE, NULL},
		{"{\"a\":1} x", IDV_E_PARSE, "trailing"},
		{"{\"a\":\"\x01\"}", IDV_E_PARSE, "control"},
		{"{\"a\":\"\xff\"}", IDV_E_PARSE, "UTF-8"},
		{"{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}", IDV_E_PARSE, "deeply"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(v); i++) {
		struct idv_drp_body b;
		char why[160] = "";
		enum idv_err e = idv_drp_parse((const uint8_t *)v[i].json, strlen(v[i].json), &b, why,
					       sizeof why);
		if (e != v[i].want)
			fail_msg("%s: got %d want %d (%s)", v[i].json, e, v[i].want, why);
		if (v[i].why != NULL && strstr(why, v[i].why) == NULL)
			fail_msg("%s: reason '%s' lacks '%s'", v[i].json, why, v[i].why);
	}
	/* a known claim too long for its field */
	char big[600];
	int n = snprintf(big, sizeof big, "{\"agent-id\":\"%0300d\"}", 7);
	struct idv_drp_body b;
	char why[160];
	assert_int_equal(idv_drp_parse((const uint8_t *)big, (size_t)n, &b, why, sizeof why),
			 IDV_E_TOOBIG);
}

/* ---- validation order ---- */

/* A fake signature: 64 bytes, each the sum of the message bytes plus the key byte. */
static void
fake_sign(uint8_t key, const char *msg, uint8_t sig[64])
{
	uint8_t s = key;
	for (const char *p = msg; *p; p++)
		s = (uint8_t)(s + (uint8_t)*p);
	memset(sig, s, 64);
}

static bool
fake_verify(void *arg, const uint8_t sig[64], const uint8_t *msg, size_t len)
{
	uint8_t s = *(const uint8_t *)arg;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + msg[i]);
	for (size_t i = 0; i < 64; i++)
		if (sig[i] != s)
			return false;
	return true;
}

static void
fake_body(uint8_t key, const char *json, char *out, size_t outsz)
{
	uint8_t buf[1024];
	fake_sign(key, json, buf);
	memcpy(buf + 64, json, strlen(json));
	assert_int_equal(idv_b64_encode(buf, 64 + strlen(json), out, outsz), IDV_OK);
}

static void
test_validation_order(void **state)
{
	(void)state;
	uint8_t key = 7;
	const int64_t now = 1735732800 + 60;
	/* Each body fails at one step; earlier steps take precedence over later ones. */
	static const struct {
		const char *json;
		uint8_t signer;
		enum idv_drp_kind kind;
		enum idv_drp_step want;
	} v[] = {
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:10:00Z\",\"drp.version\":\"1.0\","
		 "\"exercise\":\"deletion\"}", 7, IDV_DRP_EXERCISE, IDV_DRP_OK},
		/* another key: refused at the signature, before anything else is looked at */
		{"{\"agent-id\":\"ZZ\",\"business-id\":\"XX\"}", 8, IDV_DRP_EXERCISE,
		 IDV_DRP_BAD_SIGNATURE},
		{"{\"agent-id\":\"AA\"", 7, IDV_DRP_EXERCISE, IDV_DRP_BAD_JSON},
		/* another agent's claim, with everything else wrong too: agent first */
		{"{\"agent-id\":\"ZZ\",\"business-id\":\"XX\",\"issued-at\":\"2030-01-01T00:00:00Z\"}",
		 7, IDV_DRP_EXERCISE, IDV_DRP_WRONG_AGENT},
		{"{\"agent-id\":\"AA\",\"business-id\":\"XX\",\"issued-at\":\"2030-01-01T00:00:00Z\"}",
		 7, IDV_DRP_EXERCISE, IDV_DRP_WRONG_BUSINESS},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2030-01-01T00:00:00Z\","
		 "\"expires-at\":\"2000-01-01T12:10:00Z\"}", 7, IDV_DRP_EXERCISE,
		 IDV_DRP_NOT_YET_VALID},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:01:00Z\"}", 7, IDV_DRP_EXERCISE, IDV_DRP_EXPIRED},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\"}",
		 7, IDV_DRP_EXERCISE, IDV_DRP_EXPIRED},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:10:00Z\",\"drp.version\":\"0.5\"}", 7,
		 IDV_DRP_EXERCISE, IDV_DRP_UNSUPPORTED},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:10:00Z\",\"drp.version\":\"1.0\","
		 "\"exercise\":\"sale:opt-in\"}", 7, IDV_DRP_EXERCISE, IDV_DRP_UNSUPPORTED},
		/* key setup needs no exercise */
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:10:00Z\",\"drp.version\":\"1.0\"}", 7,
		 IDV_DRP_KEY_SETUP, IDV_DRP_OK},
		/* a bounded lifetime (issue 19): at most 15 minutes, and after issued-at */
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:15:01Z\",\"drp.version\":\"1.0\","
		 "\"exercise\":\"deletion\"}", 7, IDV_DRP_EXERCISE, IDV_DRP_TOO_LONG},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"9999-12-31T23:59:59Z\",\"drp.version\":\"1.0\"}", 7,
		 IDV_DRP_KEY_SETUP, IDV_DRP_TOO_LONG},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:15:00Z\",\"drp.version\":\"1.0\","
		 "\"exercise\":\"deletion\"}", 7, IDV_DRP_EXERCISE, IDV_DRP_OK},
		/* a revoke carries the common claims and the request it revokes (issue 19) */
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:10:00Z\",\"request_id\":\"R1\",\"reason\":\"x\"}",
		 7, IDV_DRP_REVOKE, IDV_DRP_OK},
		{"{\"reason\":\"changed my mind\"}", 7, IDV_DRP_REVOKE, IDV_DRP_WRONG_AGENT},
		{"{\"reason\":\"x\",\"agent-id\":\"ZZ\"}", 7, IDV_DRP_REVOKE, IDV_DRP_WRONG_AGENT},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"reason\":\"x\"}", 7, IDV_DRP_REVOKE,
		 IDV_DRP_NOT_YET_VALID},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"reason\":\"x\",\"request_id\":\"R1\"}", 7, IDV_DRP_REVOKE, IDV_DRP_EXPIRED},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:10:00Z\",\"reason\":\"x\"}", 7, IDV_DRP_REVOKE,
		 IDV_DRP_WRONG_REQUEST},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2025-01-01T12:10:00Z\",\"request_id\":\"R2\"}", 7, IDV_DRP_REVOKE,
		 IDV_DRP_WRONG_REQUEST},
		{"{\"agent-id\":\"AA\",\"business-id\":\"CB\",\"issued-at\":\"2025-01-01T12:00:00Z\","
		 "\"expires-at\":\"2026-01-01T12:10:00Z\",\"request_id\":\"R1\"}", 7, IDV_DRP_REVOKE,
		 IDV_DRP_TOO_LONG},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(v); i++) {
		char body[2048];
		uint8_t scratch[1600];
		struct idv_drp_body b;
		const uint8_t *json;
		size_t jlen;
		char why[160];
		fake_body(v[i].signer, v[i].json, body, sizeof body);
		struct idv_drp_expect exp = {v[i].kind, "AA", "CB", "R1", now, fake_verify, &key};
		enum idv_drp_step s = idv_drp_validate(body, strlen(body), &exp, scratch,
						       sizeof scratch, &b, &json, &jlen, why,
						       sizeof why);
		if (s != v[i].want)
			fail_msg("case %zu: got %s want %s (%s)", i, idv_drp_step_name(s),
				 idv_drp_step_name(v[i].want), why);
		if (s == IDV_DRP_OK) {
			assert_int_equal(jlen, strlen(v[i].json));
			assert_memory_equal(json, v[i].json, jlen);
		}
	}
	/* not base64, and too short to hold a signature */
	uint8_t scratch[64];
	struct idv_drp_body b;
	const uint8_t *json;
	size_t jlen;
	struct idv_drp_expect exp = {IDV_DRP_EXERCISE, "AA", "CB", NULL, now, fake_verify, &key};
	assert_int_equal(idv_drp_validate("{\"a\":1}", 7, &exp, scratch, sizeof scratch, &b, &json,
					  &jlen, NULL, 0),
			 IDV_DRP_BAD_BASE64);
	assert_int_equal(idv_drp_validate("AAAA", 4, &exp, scratch, sizeof scratch, &b, &json,
					  &jlen, NULL, 0),
			 IDV_DRP_BAD_BASE64);
}

/* ---- mapping ---- */

static void
test_exercises_and_names(void **state)
{
	(void)state;
	assert_string_equal(idv_drp_request_type("access"), "know_categories");
	assert_string_equal(idv_drp_request_type("access:categories"), "know_categories");
	assert_string_equal(idv_drp_request_type("access:specific"), "know_specific");
	assert_string_equal(idv_drp_request_type("deletion"), "delete");
	assert_string_equal(idv_drp_request_type("sale:opt-out"), "opt_out");
	assert_string_equal(idv_drp_request_type("sale:opt_out"), "opt_out");
	assert_null(idv_drp_request_type("sale:opt-in"));
	assert_null(idv_drp_request_type(""));
	char g[64], f[64];
	assert_true(idv_drp_split_name("Lee, Ann Marie", g, sizeof g, f, sizeof f));
	assert_string_equal(g, "Ann Marie");
	assert_string_equal(f, "Lee");
	assert_true(idv_drp_split_name("  Ann Marie  Lee ", g, sizeof g, f, sizeof f));
	assert_string_equal(g, "Ann Marie");
	assert_string_equal(f, "Lee");
	assert_false(idv_drp_split_name("Cher", g, sizeof g, f, sizeof f));
	assert_false(idv_drp_split_name("Lee,", g, sizeof g, f, sizeof f));
}

static void
test_status_mapping(void **state)
{
	(void)state;
	static const struct {
		struct idv_drp_case_state c;
		const char *status, *reason;
	} v[] = {
		{{"awaiting_evidence", false, NULL, NULL, false, true}, "in_progress",
		 "need_user_verification"},
		{{"processing", false, NULL, NULL, false, false}, "in_progress", NULL},
		{{"manual_review", false, NULL, NULL, false, false}, "in_progress", NULL},
		{{"verified", false, NULL, NULL, false, false}, "in_progress", NULL},
		{{"no_verification_needed", false, NULL, NULL, false, false}, "in_progress", NULL},
		{{"not_verified", false, NULL, NULL, false, false}, "denied", "insuf_verification"},
		{{"refused", false, NULL, NULL, false, false}, "denied", "too_many_requests"},
		{{"closed", true, "fulfilled", NULL, false, false}, "fulfilled", NULL},
		{{"closed", true, "partially_fulfilled", NULL, false, false}, "fulfilled", NULL},
		{{"closed", true, "denied", "not_verified", false, false}, "denied",
		 "insuf_verification"},
		{{"closed", true, "denied", "exempt", false, false}, "denied", "other"},
		{{"closed", true, "withdrawn", NULL, false, false}, "revoked", NULL},
		{{"verified", false, NULL, NULL, true, false}, "revoked", NULL},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(v); i++) {
		const char *s, *r;
		idv_drp_status_of(&v[i].c, &s, &r);
		assert_string_equal(s, v[i].status);
		if (v[i].reason == NULL)
			assert_null(r);
		else
			assert_string_equal(r, v[i].reason);
	}
	assert_true(idv_drp_status_final("revoked"));
	assert_false(idv_drp_status_final("in_progress"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64_vectors),     cmocka_unit_test(test_b64_refusals),
		cmocka_unit_test(test_iso8601),         cmocka_unit_test(test_parse_claims),
		cmocka_unit_test(test_parse_refusals),  cmocka_unit_test(test_validation_order),
		cmocka_unit_test(test_exercises_and_names), cmocka_unit_test(test_status_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
