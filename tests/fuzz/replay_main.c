/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay_main.c: runs a fuzz target's LLVMFuzzerTestOneInput over every file of a seed directory,
 * so that corpora and past crashers are replayed by the normal test suite without libFuzzer.
 * Prints "N passed, 0 failed" (a crash fails the test by itself).
 */
#include <dirent.h>
#include <sys/stat.h>

#include "idverify/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	uint8_t *data = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			data = idv_realloc(data, cap);
		}
		size_t n = fread(data + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	/* Copy into an exact-size allocation so AddressSanitizer sees reads past the end. */
	uint8_t *exact = idv_malloc(len);
	if (len)
		memcpy(exact, data, len);
	free(data);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SEED_DIR\n", argv[0]);
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (d == NULL) {
		fprintf(stderr, "replay: cannot open %s\n", argv[1]);
		return 1;
	}
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		int n = snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
		if (n < 0 || (size_t)n >= sizeof path)
			continue;
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path) != 0) {
			fprintf(stderr, "replay: cannot read %s\n", path);
			closedir(d);
			return 1;
		}
		count++;
	}
	closedir(d);
	if (count == 0) {
		fprintf(stderr, "replay: no seeds in %s\n", argv[1]);
		return 1;
	}
	printf("%d passed, 0 failed\n", count);
	return 0;
}
