/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_check.c: `idverify check [--reveal] [--today YYYY-MM-DD] [--models DIR] FILE...`
 * Reads each file through the same pipeline as the service (idv_extract_file) and prints one
 * JSON object per file per line; --timings adds where the time went, stage by stage
 * (stagetime.h: a measurement for benchmarks, names and milliseconds only). Exit 0 when every file was processed, whatever it held;
 * 2 on usage errors; 1 when the extractor itself could not run (e.g. OCR data missing).
 */
#include <getopt.h>
#include <time.h>

#include <jansson.h>

#include "cmd.h"
#include "docjson.h"
#include "extract.h"
#include "idverify/residence.h"
#include "idverify/str.h"
#include "stagetime.h"

static void
check_usage(FILE *out)
{
	fprintf(out,
		"usage: idverify check [--reveal] [--today YYYY-MM-DD] [--models DIR] [--hint KIND]\n"
		"       [--max-age DAYS] [--residence-kinds LIST] [--timings] FILE...\n"
		"\n"
		"Reads identity documents and proofs of residence and prints, for each FILE, one\n"
		"JSON object per line: status, error, kind, fields (value, source, confidence,\n"
		"box), barcodes, mrz and checks. Document numbers are masked unless --reveal.\n"
		"\n"
		"  --reveal           print document numbers in full\n"
		"  --today DATE       the date expiry is checked against (default: today, UTC)\n"
		"  --models DIR       the models directory (OCR configuration)\n"
		"  --hint KIND        id, residence or any (default): what the files should be\n"
		"  --max-age DAYS     proofs of residence: statement_recent limit (default 90)\n"
		"  --residence-kinds LIST  accepted proof kinds, e.g. utility_bill,lease\n"
		"  --timings          add \"timings\": CPU and wall milliseconds per reading stage\n");
}

/* {"stage": {"cpu_ms", "wall_ms", "calls"}, ...} of the file just read. */
static json_t *
check_timings(void)
{
	const struct idv_stagetime *st;
	size_t n = idv_stagetime_get(&st);
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, st[i].name,
				    json_pack("{s:f,s:f,s:I}", "cpu_ms", (double)st[i].cpu_ns / 1e6,
					      "wall_ms", (double)st[i].wall_ns / 1e6, "calls",
					      (json_int_t)st[i].calls));
	return o;
}

int
idv_cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"reveal", no_argument, NULL, 'r'},
		{"today", required_argument, NULL, 't'},
		{"models", required_argument, NULL, 'm'},
		{"hint", required_argument, NULL, 'H'},            /* residence */
		{"max-age", required_argument, NULL, 'A'},         /* residence */
		{"residence-kinds", required_argument, NULL, 'K'}, /* residence */
		{"timings", no_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct idv_extract_opts opts = {0};
	unsigned flags = 0;
	bool today_set = false, timings = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': flags |= IDV_DOCJSON_REVEAL; break;
		case 't': {
			struct idv_date d;
			if (idv_date_parse(optarg, strlen(optarg), &d) != IDV_OK) {
				fprintf(stderr, "idverify check: --today wants YYYY-MM-DD\n");
				return 2;
			}
			opts.today_days = idv_date_to_days(&d);
			today_set = true;
			break;
		}
		case 'm': opts.models_dir = optarg; break;
		case 'H': /* residence: what the caller expects */
			if (strcmp(optarg, "id") == 0)
				opts.hint = IDV_HINT_GOVERNMENT_ID;
			else if (strcmp(optarg, "residence") == 0)
				opts.hint = IDV_HINT_PROOF_OF_RESIDENCE;
			else if (strcmp(optarg, "any") == 0)
				opts.hint = IDV_HINT_ANY;
			else {
				fprintf(stderr, "idverify check: --hint wants id, residence or any\n");
				return 2;
			}
			break;
		case 'A': { /* residence */
			uint64_t v;
			if (idv_parse_u64z(optarg, 36500, &v) != IDV_OK || v == 0) {
				fprintf(stderr, "idverify check: --max-age wants days (1..36500)\n");
				return 2;
			}
			opts.residence_max_age_days = (int)v;
			break;
		}
		case 'K': /* residence */
			if (idv_residence_kinds_parse(optarg, strlen(optarg), &opts.residence_kinds) !=
			    IDV_OK) {
				fprintf(stderr, "idverify check: --residence-kinds wants a list such as "
						"utility_bill,lease\n");
				return 2;
			}
			break;
		case 'T': timings = true; break;
		case 'h': check_usage(stdout); return 0;
		default: check_usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		check_usage(stderr);
		return 2;
	}
	if (!today_set)
		opts.today_days = (int64_t)(time(NULL) / 86400);

	int status = 0;
	struct idv_document *doc = idv_malloc(sizeof *doc);
	for (int i = optind; i < argc; i++) {
		idv_stagetime_reset();
		enum idv_err err = idv_extract_file(argv[i], &opts, doc);
		if (err != IDV_OK) {
			fprintf(stderr, "idverify check: %s: %s\n", argv[i], idv_err_str(err));
			status = 1;
			continue;
		}
		json_t *line = json_object();
		json_object_set_new(line, "file", json_string(argv[i]));
		json_t *dj = idv_docjson(doc, flags);
		json_object_update(line, dj);
		json_decref(dj);
		if (timings)
			json_object_set_new(line, "timings", check_timings());
		char *s = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(4));
		json_decref(line);
		if (s == NULL) {
			fprintf(stderr, "idverify check: %s: cannot encode the result\n", argv[i]);
			status = 1;
			continue;
		}
		puts(s);
		fflush(stdout);
		free(s);
	}
	idv_wipe(doc, sizeof *doc);
	free(doc);
	idv_extract_shutdown();
	return status;
}
