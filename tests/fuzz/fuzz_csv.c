/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_csv.c: the CSV reader over arbitrary bytes, with a small scratch buffer and cell array
 * so that the size limits are hit. Invariants: every cell is NUL-terminated at its length and
 * lies inside the scratch buffer; row lines never go back; the record header and row mapping
 * accept whatever the reader returns without failing hard.
 */
#include "idverify/csv.h"
#include "idverify/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char scratch[96];
	struct idv_csv_cell cells[IDV_COL__COUNT + 2];
	struct idv_csv csv;
	size_t n, last = 0;
	int map[IDV_COL__COUNT];
	bool have_map = false;
	enum idv_err e;
	idv_csv_init(&csv, data, size, scratch, sizeof scratch, cells, IDV_ARRAY_LEN(cells));
	while ((e = idv_csv_next(&csv, &n)) == IDV_OK) {
		IDV_ASSERT(n >= 1 && n <= IDV_ARRAY_LEN(cells));
		IDV_ASSERT(csv.row_line >= last);
		last = csv.row_line;
		for (size_t i = 0; i < n; i++) {
			IDV_ASSERT(cells[i].p >= scratch && cells[i].p + cells[i].len < scratch + sizeof scratch);
			IDV_ASSERT(cells[i].p[cells[i].len] == '\0');
			IDV_ASSERT(strlen(cells[i].p) == cells[i].len);
		}
		if (!have_map) {
			have_map = idv_record_header(cells, n, map) == IDV_OK;
			continue;
		}
		struct idv_record rec;
		enum idv_record_col bad;
		(void)idv_record_from_row(map, cells, n, &rec, &bad);
	}
	IDV_ASSERT(e == IDV_E_NOTFOUND || e == IDV_E_PARSE || e == IDV_E_TOOBIG);
	IDV_ASSERT(idv_csv_next(&csv, &n) == e);
	return 0;
}
