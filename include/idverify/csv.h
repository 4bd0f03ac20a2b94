/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv.h: a pure RFC 4180 CSV reader over bytes plus a length (no allocation, no I/O).
 *
 * The caller owns the input, a scratch buffer (which receives the unquoted cell values of one
 * row, each NUL-terminated) and an array of cells; idv_csv_next() fills them row by row. Cells
 * point into the scratch buffer and stay valid until the next call.
 *
 * Accepted: quoted fields with doubled quotes and embedded commas and line breaks, CRLF or LF
 * line ends, a missing final line end, a UTF-8 byte order mark at the very start. Blank lines
 * are skipped (not returned as rows). Refused with IDV_E_PARSE and, in csv->err_line, the line
 * on which the bad row starts: an unterminated quoted field, a quote inside an unquoted field,
 * characters after a closing quote, a NUL byte. A row with more cells than the cell array, or
 * whose values do not fit in the scratch buffer, is IDV_E_TOOBIG (also with err_line).
 *
 * Usage:
 *   struct idv_csv csv;
 *   idv_csv_init(&csv, data, len, scratch, sizeof scratch, cells, IDV_ARRAY_LEN(cells));
 *   size_t n;
 *   while ((err = idv_csv_next(&csv, &n)) == IDV_OK) { ... cells[0..n) ... csv.row_line ... }
 *   if (err != IDV_E_NOTFOUND) { ... error at csv.err_line ... }
 */
#ifndef IDVERIFY_CSV_H
#define IDVERIFY_CSV_H

#include "idverify/common.h"

struct idv_csv_cell {
	const char *p; /* NUL-terminated, inside the scratch buffer */
	size_t len;
	bool quoted; /* the cell was written in quotes */
};

struct idv_csv {
	const uint8_t *data;
	size_t len;
	size_t pos;
	size_t line;     /* 1-based line of data[pos] */
	size_t row_line; /* line on which the last returned row started */
	size_t err_line; /* first line of the row of the last error */
	char *scratch;
	size_t scratch_size;
	struct idv_csv_cell *cells;
	size_t max_cells;
	bool failed; /* sticky: after an error, idv_csv_next keeps returning it */
	enum idv_err err;
};

void idv_csv_init(struct idv_csv *csv, const uint8_t *data, size_t len, char *scratch,
		  size_t scratch_size, struct idv_csv_cell *cells, size_t max_cells);

/*
 * The next row: IDV_OK with *ncells cells (at least 1), IDV_E_NOTFOUND at the end of the
 * input, or an error (IDV_E_PARSE, IDV_E_TOOBIG) with csv->err_line set.
 */
enum idv_err idv_csv_next(struct idv_csv *csv, size_t *ncells);

/*
 * Map a header row to column indexes: for each wanted name (ASCII, compared case-insensitively
 * after trimming the cell), index_out[i] is the cell index or -1 when the column is absent.
 * Columns that are not wanted are ignored. A wanted name present twice is IDV_E_CONFLICT and
 * *dup_out (when not NULL) is the index of that name in names[].
 */
enum idv_err idv_csv_header_map(const struct idv_csv_cell *cells, size_t ncells,
				const char *const *names, size_t nnames, int *index_out,
				size_t *dup_out);

#endif
