/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrzcell.h: the machine-readable zone's cell reader (ICAO Doc 9303 parts 3 to 6). Pure:
 * images are plain grey bytes and component boxes the caller found (service/io/read/mrzread.c
 * binarises and deskews with leptonica; tests/accuracy/mrz_train.c trains the templates).
 *
 * An MRZ is one font (OCR-B) at a fixed pitch with a known number of characters per line, a
 * known character class at each position, and check digits. Components are grouped into
 * rows and runs (candidate lines); 2 or 3 lines of equal extent and regular spacing form the
 * zone; each line's cell centres are fitted, every cell is resampled to a fixed size and
 * correlated with the OCR-B templates of the classes its position allows, and the check
 * digits choose between the two best readings of uncertain cells.
 *
 * Nothing here allocates except idv_mrzcell_find_lines (scratch, freed before it returns).
 */
#ifndef IDVERIFY_MRZCELL_H
#define IDVERIFY_MRZCELL_H

#include "idverify/mrz.h"

#define IDV_MRZCELL_W 20 /* template and cell size */
#define IDV_MRZCELL_H 28
#define IDV_MRZCELL_N (IDV_MRZCELL_W * IDV_MRZCELL_H)
#define IDV_MRZCELL_NCLASS 37  /* 0-9, A-Z, < */
#define IDV_MRZCELL_NBUCKET 2  /* templates from sharp (large) and soft (small) characters */
#define IDV_MRZCELL_MAX_COMPS 30000
#define IDV_MRZCELL_MAX_LINES 64

/* The classes in template order: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<". */
extern const char idv_mrzcell_alphabet[IDV_MRZCELL_NCLASS + 1];

/* OCR-B templates, zero mean and unit norm; have[][] marks the ones loaded. */
struct idv_mrzcell_templates {
	float tmpl[IDV_MRZCELL_NCLASS][IDV_MRZCELL_NBUCKET][IDV_MRZCELL_N];
	bool have[IDV_MRZCELL_NCLASS][IDV_MRZCELL_NBUCKET];
};

/* A grey image as plain bytes (8 bits, row-major, no padding); p is the caller's. */
struct idv_mrzcell_img {
	uint8_t *p;
	int w, h;
};

/* A connected component's bounding box (the caller finds them in a binarised image). */
struct idv_mrzcell_comp {
	int x, y, w, h;
};

/* A candidate MRZ line: a run of character-sized components. */
struct idv_mrzcell_line {
	int x0, x1;      /* extent */
	float cap;       /* cap height */
	float cy;        /* centre y */
	float pitch;     /* estimated from neighbours */
	size_t first, n; /* comps[first .. first+n) sorted by x */
};

struct idv_mrzcell_geom {
	struct idv_mrzcell_comp *comps; /* caller storage; sorted into rows and runs by
					  idv_mrzcell_find_lines */
	size_t ncomps;
	struct idv_mrzcell_line lines[IDV_MRZCELL_MAX_LINES];
	size_t nlines;
};

/* The 2 or 3 lines that form the MRZ. */
struct idv_mrzcell_zone {
	int format; /* 30, 36, 44 characters per line */
	size_t nlines;
	size_t line[3]; /* indexes into g->lines */
};

/* Least-squares fit of the cell centres of one line: cx(i) = a + b*i + c*i^2 and the centre
 * line y(x) = p + q*x from the tall components. */
struct idv_mrzcell_fit {
	float a, b, c;
	float p, q;
	float cap;
};

/* The two best characters of a cell and their correlations. */
struct idv_mrzcell_cand {
	char ch[2];
	float score[2];
};

/* A reading of a zone: its lines, every cell's candidates, the mean correlation (conf) and
 * how many check-digit groups passed of total. */
struct idv_mrzcell_reading {
	int fmt;
	size_t nlines;
	char lines[3][IDV_MRZ_LINE_MAX];
	struct idv_mrzcell_cand cand[3][48];
	float conf;
	int passed, total;
};

/*
 * Rows of character-sized components (c[0..n), reordered in place: g->comps = c), split into
 * runs at wide gaps; a run of at least 12 components spanning 24..64 cap heights is a
 * candidate line of g. imh is the image height.
 */
void idv_mrzcell_find_lines(struct idv_mrzcell_comp *c, size_t n, int imh,
			    struct idv_mrzcell_geom *g);

/* The 2 or 3 lines of g that form the MRZ (the lowest wins among equals, a complete TD1
 * triple over a pair); false when none do. */
bool idv_mrzcell_pick_zone(const struct idv_mrzcell_geom *g, struct idv_mrzcell_zone *z);

/* Fit the cell centres of line l holding nchars characters. */
void idv_mrzcell_fit_line(const struct idv_mrzcell_geom *g, const struct idv_mrzcell_line *l,
			  int nchars, struct idv_mrzcell_fit *f);

/* Sample the cell of character i into v[IDV_MRZCELL_N] (zero mean, unit norm); dx, dy shift
 * in cell units. False when the cell is blank. */
bool idv_mrzcell_cell(const struct idv_mrzcell_img *im, const struct idv_mrzcell_fit *f, int i,
		      float dx, float dy, float *v);

/* Read zone z of im with templates r, the cells shifted by xshift pitches: each cell's best
 * class, repaired by the check digits where a near tie allows. */
void idv_mrzcell_read_zone(const struct idv_mrzcell_templates *r, const struct idv_mrzcell_img *im,
			   const struct idv_mrzcell_geom *g, const struct idv_mrzcell_zone *z,
			   float xshift, struct idv_mrzcell_reading *rd);

#endif
