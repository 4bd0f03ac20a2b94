/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_records.c: `idverify records import FILE.csv` (all or nothing) and `records count`. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "idverify/limits.h"
#include "recordstore.h"
#include "idverify/str.h"

static void
records_usage(FILE *out)
{
	fprintf(out,
		"usage: idverify records import [OPTIONS] FILE.csv\n"
		"       idverify records count [OPTIONS]\n\n"
		"import: loads the business's existing customer records from a CSV file whose header\n"
		"names these columns, in any order: id, given_name, middle_name, family_name, suffix,\n"
		"date_of_birth (YYYY-MM-DD), email, phone, street, unit, city, state, postal_code.\n"
		"id, given_name and family_name are required. Every row is checked first; if any is\n"
		"bad, nothing is imported and each bad line is named with the reason. A record whose\n"
		"id exists already is replaced. Records are stored encrypted.\n\n");
	idv_config_usage(out);
}

/* Read a whole regular file of at most max bytes. */
static enum idv_err
records_read_file(const char *path, size_t max, uint8_t **out, size_t *len, char *why, size_t whysz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		idv_why(why, whysz, "%s: %s", path, strerror(errno));
		return IDV_E_IO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		idv_why(why, whysz, "%s: not a regular file of at most %zu bytes", path, max);
		close(fd);
		return IDV_E_TOOBIG;
	}
	size_t n = (size_t)st.st_size, got = 0;
	uint8_t *p = idv_malloc(n + 1);
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r <= 0) {
			idv_why(why, whysz, "%s: read error", path);
			free(p);
			close(fd);
			return IDV_E_IO;
		}
		got += (size_t)r;
	}
	close(fd);
	*out = p;
	*len = n;
	return IDV_OK;
}

int
idv_cmd_records(int argc, char **argv)
{
	char why[512];
	uint8_t *data = NULL;
	size_t len = 0;
	struct idv_cmd c;
	int status = idv_cmd_begin(&c, "records", argc, argv, 2, records_usage);
	if (status >= 0)
		return status;
	status = 1;
	bool import = idv_cmd_verb(&c, "import", 1);
	bool count = idv_cmd_verb(&c, "count", 0);
	if (!import && !count) {
		records_usage(stderr);
		return 2;
	}
	if (idv_cmd_store(&c) != IDV_OK)
		goto out;
	if (count) {
		int64_t n = 0;
		if (idv_store_record_count(c.store, &n) != IDV_OK) {
			fprintf(stderr, "idverify records: database error\n");
			goto out;
		}
		printf("%lld\n", (long long)n);
		status = 0;
		goto out;
	}
	if (records_read_file(c.pos[1], IDV_LIMIT_RECORDS_FILE, &data, &len, why, sizeof why) !=
	    IDV_OK) {
		fprintf(stderr, "idverify records: %s\n", why);
		goto out;
	}
	struct idv_import_report *rep = idv_calloc(1, sizeof *rep);
	enum idv_err err = idv_records_import_csv(c.store, data, len, idv_today_days(), rep);
	if (err == IDV_OK) {
		printf("idverify records: imported %zu records from %s\n", rep->imported, c.pos[1]);
		status = 0;
	} else {
		if (rep->fatal[0] != '\0')
			fprintf(stderr, "idverify records: %s: %s\n", c.pos[1], rep->fatal);
		size_t shown = rep->nerrors < IDV_IMPORT_MAX_ERRORS ? rep->nerrors
								    : IDV_IMPORT_MAX_ERRORS;
		for (size_t i = 0; i < shown; i++)
			fprintf(stderr, "%s:%zu: %s: %s\n", c.pos[1], rep->errors[i].where,
				rep->errors[i].column, rep->errors[i].reason);
		if (rep->nerrors > shown)
			fprintf(stderr, "... and %zu more bad lines\n", rep->nerrors - shown);
		fprintf(stderr,
			"idverify records: nothing imported (%zu of %zu rows are bad); fix them and "
			"import again\n",
			rep->nerrors, rep->rows);
	}
	free(rep);
out:
	if (data != NULL)
		idv_wipe(data, len);
	free(data);
	return idv_cmd_end(&c, status);
}
