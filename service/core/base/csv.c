/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv.c: RFC 4180 reader (see csv.h). A small state machine over the bytes of one row at a
 * time; values are copied unquoted into the caller's scratch buffer.
 */
#include "idverify/csv.h"
#include "idverify/str.h"

void
idv_csv_init(struct idv_csv *csv, const uint8_t *data, size_t len, char *scratch,
	     size_t scratch_size, struct idv_csv_cell *cells, size_t max_cells)
{
	memset(csv, 0, sizeof *csv);
	csv->data = data;
	csv->len = data != NULL ? len : 0;
	csv->line = 1;
	csv->scratch = scratch;
	csv->scratch_size = scratch_size;
	csv->cells = cells;
	csv->max_cells = max_cells;
	csv->err = IDV_OK;
	if (csv->len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
		csv->pos = 3;
}

static enum idv_err
csv_fail(struct idv_csv *csv, enum idv_err err)
{
	csv->failed = true;
	csv->err = err;
	csv->err_line = csv->row_line; /* where the bad row starts */
	return err;
}

/* Append one byte of a value to the scratch buffer, keeping room for its NUL. */
static bool
csv_put(struct idv_csv *csv, size_t *used, uint8_t c)
{
	if (*used + 1 >= csv->scratch_size)
		return false;
	csv->scratch[(*used)++] = (char)c;
	return true;
}

/* Terminate the current value and record it as a cell. */
static enum idv_err
csv_end_cell(struct idv_csv *csv, size_t *used, size_t start, bool quoted, size_t *ncells)
{
	if (*ncells >= csv->max_cells)
		return csv_fail(csv, IDV_E_TOOBIG);
	if (*used >= csv->scratch_size)
		return csv_fail(csv, IDV_E_TOOBIG);
	csv->scratch[(*used)++] = '\0';
	csv->cells[*ncells].p = csv->scratch + start;
	csv->cells[*ncells].len = *used - 1 - start;
	csv->cells[*ncells].quoted = quoted;
	(*ncells)++;
	return IDV_OK;
}

enum idv_err
idv_csv_next(struct idv_csv *csv, size_t *ncells)
{
	*ncells = 0;
	if (csv->failed)
		return csv->err;
	if (csv->scratch == NULL || csv->scratch_size == 0 || csv->cells == NULL ||
	    csv->max_cells == 0) {
		csv->row_line = csv->line;
		return csv_fail(csv, IDV_E_INVAL);
	}

	/* Skip blank lines (a bare CR LF or LF). */
	while (csv->pos < csv->len) {
		uint8_t c = csv->data[csv->pos];
		if (c == '\n') {
			csv->pos++;
			csv->line++;
		} else if (c == '\r' && csv->pos + 1 < csv->len && csv->data[csv->pos + 1] == '\n') {
			csv->pos += 2;
			csv->line++;
		} else {
			break;
		}
	}
	if (csv->pos >= csv->len)
		return IDV_E_NOTFOUND;

	csv->row_line = csv->line;
	size_t used = 0, start = 0, n = 0;
	bool quoted = false;   /* the current cell started with a quote */
	bool in_quotes = false; /* inside the quoted part */
	bool after_quote = false; /* the closing quote was seen */
	const uint8_t *d = csv->data;

	while (csv->pos < csv->len) {
		uint8_t c = d[csv->pos];
		if (c == '\0')
			return csv_fail(csv, IDV_E_PARSE);
		if (in_quotes) {
			if (c == '"') {
				if (csv->pos + 1 < csv->len && d[csv->pos + 1] == '"') {
					if (!csv_put(csv, &used, '"'))
						return csv_fail(csv, IDV_E_TOOBIG);
					csv->pos += 2;
					continue;
				}
				in_quotes = false;
				after_quote = true;
				csv->pos++;
				continue;
			}
			if (c == '\n')
				csv->line++;
			if (!csv_put(csv, &used, c))
				return csv_fail(csv, IDV_E_TOOBIG);
			csv->pos++;
			continue;
		}
		if (c == ',') {
			enum idv_err e = csv_end_cell(csv, &used, start, quoted, &n);
			if (e != IDV_OK)
				return e;
			start = used;
			quoted = after_quote = false;
			csv->pos++;
			continue;
		}
		if (c == '\n' || (c == '\r' && (csv->pos + 1 == csv->len || d[csv->pos + 1] == '\n'))) {
			csv->pos += c == '\r' && csv->pos + 1 < csv->len ? 2 : 1;
			enum idv_err e = csv_end_cell(csv, &used, start, quoted, &n);
			csv->line++;
			if (e != IDV_OK)
				return e;
			*ncells = n;
			return IDV_OK;
		}
		if (after_quote)
			return csv_fail(csv, IDV_E_PARSE);
		if (c == '"') {
			if (used != start)
				return csv_fail(csv, IDV_E_PARSE);
			quoted = in_quotes = true;
			csv->pos++;
			continue;
		}
		if (!csv_put(csv, &used, c))
			return csv_fail(csv, IDV_E_TOOBIG);
		csv->pos++;
	}
	if (in_quotes)
		return csv_fail(csv, IDV_E_PARSE);
	enum idv_err e = csv_end_cell(csv, &used, start, quoted, &n);
	if (e != IDV_OK)
		return e;
	*ncells = n;
	return IDV_OK;
}

enum idv_err
idv_csv_header_map(const struct idv_csv_cell *cells, size_t ncells, const char *const *names,
		   size_t nnames, int *index_out, size_t *dup_out)
{
	for (size_t i = 0; i < nnames; i++)
		index_out[i] = -1;
	for (size_t c = 0; c < ncells; c++) {
		const char *p = cells[c].p;
		size_t len = cells[c].len;
		idv_str_trim(&p, &len);
		for (size_t i = 0; i < nnames; i++) {
			if (!idv_str_ieq(p, len, names[i]))
				continue;
			if (index_out[i] >= 0) {
				if (dup_out != NULL)
					*dup_out = i;
				return IDV_E_CONFLICT;
			}
			if (c > (size_t)INT32_MAX)
				return IDV_E_TOOBIG;
			index_out[i] = (int)c;
		}
	}
	return IDV_OK;
}
