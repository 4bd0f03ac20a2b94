/* SPDX-License-Identifier: Apache-2.0 */
/*
 * address.c: US address normalisation and comparison (see address.h). The tables follow USPS
 * Publication 28 (Appendix B states, C1 street suffixes, C2 secondary unit designators) and
 * were typed for this project: each row lists the spellings seen in practice, the standard
 * abbreviation first.
 */
#include "idverify/address.h"
#include "idverify/name.h"
#include "idverify/str.h"

/* ---- Tables ---- */

/* Standard abbreviation, then every accepted spelling (space separated). */
static const char *const address_suffixes[][2] = {
	{"ALY", "ALLEY ALLEE ALLY ALY"},
	{"ANX", "ANEX ANNEX ANNX ANX"},
	{"ARC", "ARCADE ARC"},
	{"AVE", "AVENUE AV AVE AVEN AVENU AVN AVNUE"},
	{"BYU", "BAYOU BAYOO BYU"},
	{"BCH", "BEACH BCH"},
	{"BND", "BEND BND"},
	{"BLF", "BLUFF BLF BLUF"},
	{"BLFS", "BLUFFS BLFS"},
	{"BTM", "BOTTOM BOT BTM BOTTM"},
	{"BLVD", "BOULEVARD BLVD BOUL BOULV BLV"},
	{"BR", "BRANCH BR BRNCH"},
	{"BRG", "BRIDGE BRDGE BRG"},
	{"BRK", "BROOK BRK"},
	{"BRKS", "BROOKS BRKS"},
	{"BG", "BURG BG"},
	{"BGS", "BURGS BGS"},
	{"BYP", "BYPASS BYP BYPA BYPAS BYPS"},
	{"CP", "CAMP CP CMP"},
	{"CYN", "CANYON CANYN CNYN CYN"},
	{"CPE", "CAPE CPE"},
	{"CSWY", "CAUSEWAY CAUSWA CSWY"},
	{"CTR", "CENTER CEN CENT CENTR CENTRE CNTER CNTR CTR"},
	{"CTRS", "CENTERS CTRS"},
	{"CIR", "CIRCLE CIR CIRC CIRCL CRCL CRCLE"},
	{"CIRS", "CIRCLES CIRS"},
	{"CLF", "CLIFF CLF"},
	{"CLFS", "CLIFFS CLFS"},
	{"CLB", "CLUB CLB"},
	{"CMN", "COMMON CMN"},
	{"CMNS", "COMMONS CMNS"},
	{"COR", "CORNER COR"},
	{"CORS", "CORNERS CORS"},
	{"CRSE", "COURSE CRSE"},
	{"CT", "COURT CT CRT"},
	{"CTS", "COURTS CTS"},
	{"CV", "COVE CV"},
	{"CVS", "COVES CVS"},
	{"CRK", "CREEK CRK"},
	{"CRES", "CRESCENT CRES CRSENT CRSNT"},
	{"CRST", "CREST CRST"},
	{"XING", "CROSSING CRSSNG XING"},
	{"XRD", "CROSSROAD XRD"},
	{"XRDS", "CROSSROADS XRDS"},
	{"CURV", "CURVE CURV"},
	{"DL", "DALE DL"},
	{"DM", "DAM DM"},
	{"DV", "DIVIDE DIV DV DVD"},
	{"DR", "DRIVE DR DRIV DRV"},
	{"DRS", "DRIVES DRS"},
	{"EST", "ESTATE EST"},
	{"ESTS", "ESTATES ESTS"},
	{"EXPY", "EXPRESSWAY EXP EXPR EXPRESS EXPW EXPY"},
	{"EXT", "EXTENSION EXT EXTN EXTNSN"},
	{"EXTS", "EXTENSIONS EXTS"},
	{"FALL", "FALL"},
	{"FLS", "FALLS FLS"},
	{"FRY", "FERRY FRRY FRY"},
	{"FLD", "FIELD FLD"},
	{"FLDS", "FIELDS FLDS"},
	{"FLT", "FLAT FLT"},
	{"FLTS", "FLATS FLTS"},
	{"FRD", "FORD FRD"},
	{"FRDS", "FORDS FRDS"},
	{"FRST", "FOREST FORESTS FRST"},
	{"FRG", "FORGE FORG FRG"},
	{"FRGS", "FORGES FRGS"},
	{"FRK", "FORK FRK"},
	{"FRKS", "FORKS FRKS"},
	{"FT", "FORT FRT FT"},
	{"FWY", "FREEWAY FREEWY FRWAY FRWY FWY"},
	{"GDN", "GARDEN GARDN GRDEN GRDN GDN"},
	{"GDNS", "GARDENS GDNS GRDNS"},
	{"GTWY", "GATEWAY GATEWY GATWAY GTWAY GTWY"},
	{"GLN", "GLEN GLN"},
	{"GLNS", "GLENS GLNS"},
	{"GRN", "GREEN GRN"},
	{"GRNS", "GREENS GRNS"},
	{"GRV", "GROVE GROV GRV"},
	{"GRVS", "GROVES GRVS"},
	{"HBR", "HARBOR HARB HARBR HBR HRBOR"},
	{"HBRS", "HARBORS HBRS"},
	{"HVN", "HAVEN HVN"},
	{"HTS", "HEIGHTS HT HTS"},
	{"HWY", "HIGHWAY HIGHWY HIWAY HIWY HWAY HWY"},
	{"HL", "HILL HL"},
	{"HLS", "HILLS HLS"},
	{"HOLW", "HOLLOW HLLW HOLLOWS HOLW HOLWS"},
	{"INLT", "INLET INLT"},
	{"IS", "ISLAND IS ISLND"},
	{"ISS", "ISLANDS ISLNDS ISS"},
	{"ISLE", "ISLE ISLES"},
	{"JCT", "JUNCTION JCT JCTION JCTN JUNCTN JUNCTON"},
	{"JCTS", "JUNCTIONS JCTNS JCTS"},
	{"KY", "KEY KY"},
	{"KYS", "KEYS KYS"},
	{"KNL", "KNOLL KNL KNOL"},
	{"KNLS", "KNOLLS KNLS"},
	{"LK", "LAKE LK"},
	{"LKS", "LAKES LKS"},
	{"LAND", "LAND"},
	{"LNDG", "LANDING LNDG LNDNG"},
	{"LN", "LANE LN"},
	{"LGT", "LIGHT LGT"},
	{"LGTS", "LIGHTS LGTS"},
	{"LF", "LOAF LF"},
	{"LCK", "LOCK LCK"},
	{"LCKS", "LOCKS LCKS"},
	{"LDG", "LODGE LDG LDGE LODG"},
	{"LOOP", "LOOP LOOPS"},
	{"MALL", "MALL"},
	{"MNR", "MANOR MNR"},
	{"MNRS", "MANORS MNRS"},
	{"MDW", "MEADOW MDW"},
	{"MDWS", "MEADOWS MDWS MEDOWS"},
	{"MEWS", "MEWS"},
	{"ML", "MILL ML"},
	{"MLS", "MILLS MLS"},
	{"MSN", "MISSION MISSN MSSN MSN"},
	{"MTWY", "MOTORWAY MTWY"},
	{"MT", "MOUNT MNT MT"},
	{"MTN", "MOUNTAIN MNTAIN MNTN MOUNTIN MTIN MTN"},
	{"MTNS", "MOUNTAINS MNTNS MTNS"},
	{"NCK", "NECK NCK"},
	{"ORCH", "ORCHARD ORCH ORCHRD"},
	{"OVAL", "OVAL OVL"},
	{"OPAS", "OVERPASS OPAS"},
	{"PARK", "PARK PRK PARKS"},
	{"PKWY", "PARKWAY PARKWY PKWAY PKWY PKY PARKWAYS PKWYS"},
	{"PASS", "PASS"},
	{"PSGE", "PASSAGE PSGE"},
	{"PATH", "PATH PATHS"},
	{"PIKE", "PIKE PIKES"},
	{"PNE", "PINE PNE"},
	{"PNES", "PINES PNES"},
	{"PL", "PLACE PL"},
	{"PLN", "PLAIN PLN"},
	{"PLNS", "PLAINS PLNS"},
	{"PLZ", "PLAZA PLZ PLZA"},
	{"PT", "POINT PT"},
	{"PTS", "POINTS PTS"},
	{"PRT", "PORT PRT"},
	{"PRTS", "PORTS PRTS"},
	{"PR", "PRAIRIE PR PRR"},
	{"RADL", "RADIAL RAD RADIEL RADL"},
	{"RAMP", "RAMP"},
	{"RNCH", "RANCH RANCHES RNCH RNCHS"},
	{"RPD", "RAPID RPD"},
	{"RPDS", "RAPIDS RPDS"},
	{"RST", "REST RST"},
	{"RDG", "RIDGE RDG RDGE"},
	{"RDGS", "RIDGES RDGS"},
	{"RIV", "RIVER RIV RVR RIVR"},
	{"RD", "ROAD RD"},
	{"RDS", "ROADS RDS"},
	{"RTE", "ROUTE RTE"},
	{"ROW", "ROW"},
	{"RUE", "RUE"},
	{"RUN", "RUN"},
	{"SHL", "SHOAL SHL"},
	{"SHLS", "SHOALS SHLS"},
	{"SHR", "SHORE SHOAR SHR"},
	{"SHRS", "SHORES SHOARS SHRS"},
	{"SKWY", "SKYWAY SKWY"},
	{"SPG", "SPRING SPG SPNG SPRNG"},
	{"SPGS", "SPRINGS SPGS SPNGS SPRNGS"},
	{"SPUR", "SPUR SPURS"},
	{"SQ", "SQUARE SQ SQR SQRE SQU"},
	{"SQS", "SQUARES SQRS SQS"},
	{"STA", "STATION STA STATN STN"},
	{"STRA", "STRAVENUE STRA STRAV STRAVEN STRAVN STRVN STRVNUE"},
	{"STRM", "STREAM STREME STRM"},
	{"ST", "STREET ST STR STRT"},
	{"STS", "STREETS STS"},
	{"SMT", "SUMMIT SMT SUMIT SUMITT"},
	{"TER", "TERRACE TER TERR"},
	{"TRWY", "THROUGHWAY TRWY"},
	{"TRCE", "TRACE TRACES TRCE"},
	{"TRAK", "TRACK TRACKS TRAK TRK TRKS"},
	{"TRFY", "TRAFFICWAY TRFY"},
	{"TRL", "TRAIL TRAILS TRL TRLS"},
	{"TRLR", "TRAILER TRLR TRLRS"},
	{"TUNL", "TUNNEL TUNEL TUNL TUNLS TUNNELS TUNNL"},
	{"TPKE", "TURNPIKE TRNPK TURNPK TPKE"},
	{"UPAS", "UNDERPASS UPAS"},
	{"UN", "UNION UN"},
	{"UNS", "UNIONS UNS"},
	{"VLY", "VALLEY VALLY VLLY VLY"},
	{"VLYS", "VALLEYS VLYS"},
	{"VIA", "VIADUCT VDCT VIA VIADCT"},
	{"VW", "VIEW VW"},
	{"VWS", "VIEWS VWS"},
	{"VLG", "VILLAGE VILL VILLAG VILLG VILLIAGE VLG"},
	{"VLGS", "VILLAGES VLGS"},
	{"VL", "VILLE VL"},
	{"VIS", "VISTA VIS VIST VST VSTA"},
	{"WALK", "WALK WALKS"},
	{"WALL", "WALL"},
	{"WAY", "WAY WY"},
	{"WAYS", "WAYS"},
	{"WL", "WELL WL"},
	{"WLS", "WELLS WLS"},
};

/* Secondary unit designators (Appendix C2); the flag says whether an identifier follows. */
static const struct {
	const char *std;
	const char *spellings;
	bool needs_id;
} address_units[] = {
	{"APT", "APARTMENT APT AP APTMT", true},
	{"BSMT", "BASEMENT BSMT", false},
	{"BLDG", "BUILDING BLDG BLD", true},
	{"DEPT", "DEPARTMENT DEPT", true},
	{"FL", "FLOOR FL FLR", true},
	{"FRNT", "FRONT FRNT", false},
	{"HNGR", "HANGAR HANGER HNGR", true},
	{"KEY", "KEY", true},
	{"LBBY", "LOBBY LBBY", false},
	{"LOT", "LOT", true},
	{"LOWR", "LOWER LOWR", false},
	{"OFC", "OFFICE OFC", false},
	{"PH", "PENTHOUSE PH", false},
	{"PIER", "PIER", true},
	{"REAR", "REAR", false},
	{"RM", "ROOM RM", true},
	{"SIDE", "SIDE", false},
	{"SLIP", "SLIP", true},
	{"SPC", "SPACE SPC", true},
	{"STOP", "STOP", true},
	{"STE", "SUITE STE", true},
	{"TRLR", "TRAILER TRLR", true},
	{"UNIT", "UNIT", true},
	{"UPPR", "UPPER UPPR", false},
	{"#", "# NO NUM NUMBER", true},
};

static const char *const address_directionals[][2] = {
	{"N", "NORTH"},      {"S", "SOUTH"},      {"E", "EAST"},       {"W", "WEST"},
	{"NE", "NORTHEAST"}, {"NW", "NORTHWEST"}, {"SE", "SOUTHEAST"}, {"SW", "SOUTHWEST"},
};

static const char *const address_states[][2] = {
	{"AL", "ALABAMA"},
	{"AK", "ALASKA"},
	{"AZ", "ARIZONA"},
	{"AR", "ARKANSAS"},
	{"CA", "CALIFORNIA"},
	{"CO", "COLORADO"},
	{"CT", "CONNECTICUT"},
	{"DE", "DELAWARE"},
	{"DC", "DISTRICT OF COLUMBIA"},
	{"FL", "FLORIDA"},
	{"GA", "GEORGIA"},
	{"HI", "HAWAII"},
	{"ID", "IDAHO"},
	{"IL", "ILLINOIS"},
	{"IN", "INDIANA"},
	{"IA", "IOWA"},
	{"KS", "KANSAS"},
	{"KY", "KENTUCKY"},
	{"LA", "LOUISIANA"},
	{"ME", "MAINE"},
	{"MD", "MARYLAND"},
	{"MA", "MASSACHUSETTS"},
	{"MI", "MICHIGAN"},
	{"MN", "MINNESOTA"},
	{"MS", "MISSISSIPPI"},
	{"MO", "MISSOURI"},
	{"MT", "MONTANA"},
	{"NE", "NEBRASKA"},
	{"NV", "NEVADA"},
	{"NH", "NEW HAMPSHIRE"},
	{"NJ", "NEW JERSEY"},
	{"NM", "NEW MEXICO"},
	{"NY", "NEW YORK"},
	{"NC", "NORTH CAROLINA"},
	{"ND", "NORTH DAKOTA"},
	{"OH", "OHIO"},
	{"OK", "OKLAHOMA"},
	{"OR", "OREGON"},
	{"PA", "PENNSYLVANIA"},
	{"RI", "RHODE ISLAND"},
	{"SC", "SOUTH CAROLINA"},
	{"SD", "SOUTH DAKOTA"},
	{"TN", "TENNESSEE"},
	{"TX", "TEXAS"},
	{"UT", "UTAH"},
	{"VT", "VERMONT"},
	{"VA", "VIRGINIA"},
	{"WA", "WASHINGTON"},
	{"WV", "WEST VIRGINIA"},
	{"WI", "WISCONSIN"},
	{"WY", "WYOMING"},
	{"AS", "AMERICAN SAMOA"},
	{"GU", "GUAM"},
	{"MP", "NORTHERN MARIANA ISLANDS"},
	{"PR", "PUERTO RICO"},
	{"VI", "VIRGIN ISLANDS"},
	{"UM", "UNITED STATES MINOR OUTLYING ISLANDS"},
	{"FM", "FEDERATED STATES OF MICRONESIA"},
	{"MH", "MARSHALL ISLANDS"},
	{"PW", "PALAU"},
	{"AA", "ARMED FORCES AMERICAS"},
	{"AE", "ARMED FORCES EUROPE"},
	{"AP", "ARMED FORCES PACIFIC"},
	/* Common older abbreviations. */
	{"CA", "CALIF"},
	{"MA", "MASS"},
	{"PA", "PENN"},
	{"WA", "WASH"},
	{"DC", "WASHINGTON DC"},
	{"VI", "US VIRGIN ISLANDS"},
};

static const char *const address_ordinals[][2] = {
	{"1ST", "FIRST"},       {"2ND", "SECOND"},       {"3RD", "THIRD"},
	{"4TH", "FOURTH"},      {"5TH", "FIFTH"},        {"6TH", "SIXTH"},
	{"7TH", "SEVENTH"},     {"8TH", "EIGHTH"},       {"9TH", "NINTH"},
	{"10TH", "TENTH"},      {"11TH", "ELEVENTH"},    {"12TH", "TWELFTH"},
	{"13TH", "THIRTEENTH"}, {"14TH", "FOURTEENTH"},  {"15TH", "FIFTEENTH"},
	{"16TH", "SIXTEENTH"},  {"17TH", "SEVENTEENTH"}, {"18TH", "EIGHTEENTH"},
	{"19TH", "NINETEENTH"}, {"20TH", "TWENTIETH"},
};

/* ---- Lookups ---- */

/* True when word is one of the space-separated words of list. */
static bool
address_in_list(const char *word, const char *list)
{
	size_t wl = strlen(word);
	const char *p = list;
	while (*p != '\0') {
		const char *e = strchr(p, ' ');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == wl && memcmp(p, word, n) == 0)
			return true;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return false;
}

const char *
idv_address_suffix(const char *folded)
{
	for (size_t i = 0; i < IDV_ARRAY_LEN(address_suffixes); i++)
		if (address_in_list(folded, address_suffixes[i][1]))
			return address_suffixes[i][0];
	return NULL;
}

static int
address_unit_index(const char *folded)
{
	for (size_t i = 0; i < IDV_ARRAY_LEN(address_units); i++)
		if (address_in_list(folded, address_units[i].spellings))
			return (int)i;
	return -1;
}

const char *
idv_address_unit_designator(const char *folded)
{
	int i = address_unit_index(folded);
	return i >= 0 ? address_units[i].std : NULL;
}

static const char *
address_directional(const char *folded)
{
	for (size_t i = 0; i < IDV_ARRAY_LEN(address_directionals); i++)
		if (strcmp(folded, address_directionals[i][0]) == 0 ||
		    strcmp(folded, address_directionals[i][1]) == 0)
			return address_directionals[i][0];
	return NULL;
}

const char *
idv_address_state_code(const char *folded)
{
	for (size_t i = 0; i < IDV_ARRAY_LEN(address_states); i++)
		if (strcmp(folded, address_states[i][0]) == 0 ||
		    strcmp(folded, address_states[i][1]) == 0)
			return address_states[i][0];
	return NULL;
}

void
idv_address_zip5(const char *postal_code, char out[6])
{
	char digits[10];
	size_t n = 0;
	out[0] = '\0';
	if (postal_code == NULL)
		return;
	for (const char *p = postal_code; *p != '\0'; p++) {
		if (idv_isdigit((unsigned char)*p)) {
			if (n >= sizeof digits)
				return; /* not a ZIP */
			digits[n++] = *p;
		} else if (*p != '-' && *p != ' ') {
			return;
		}
	}
	/* 5 or 9 digits; 4 or 8 when a spreadsheet dropped a leading zero. */
	if (n == 4 || n == 8) {
		memmove(digits + 1, digits, n);
		digits[0] = '0';
		n++;
	}
	if (n != 5 && n != 9)
		return;
	memcpy(out, digits, 5);
	out[5] = '\0';
}

/* ---- Normalisation ---- */

#define ADDRESS_MAX_TOKENS 16

struct address_tokens {
	size_t n;
	char tok[ADDRESS_MAX_TOKENS][32];
};

static enum idv_err
address_tokenize(const char *s, struct address_tokens *out)
{
	char buf[ADDRESS_MAX_TOKENS * 32];
	out->n = 0;
	enum idv_err e = idv_name_fold(s, strlen(s), IDV_FOLD_ADDRESS, buf, sizeof buf);
	if (e == IDV_E_PARSE)
		return e;
	const char *p = buf;
	while (*p != '\0' && out->n < ADDRESS_MAX_TOKENS) {
		while (*p == ' ')
			p++;
		const char *st = p;
		while (*p != '\0' && *p != ' ')
			p++;
		size_t n = (size_t)(p - st);
		/* Strip '-' and '/' at either end: they only join things inside a token. */
		while (n > 0 && (st[0] == '-' || st[0] == '/')) {
			st++;
			n--;
		}
		while (n > 0 && (st[n - 1] == '-' || st[n - 1] == '/'))
			n--;
		if (n == 0)
			continue;
		if (n >= sizeof out->tok[0])
			n = sizeof out->tok[0] - 1;
		memcpy(out->tok[out->n], st, n);
		out->tok[out->n][n] = '\0';
		out->n++;
	}
	return IDV_OK;
}

static void
address_tokens_drop(struct address_tokens *t, size_t from, size_t count)
{
	if (from >= t->n)
		return;
	if (from + count > t->n)
		count = t->n - from;
	for (size_t i = from; i + count < t->n; i++)
		memcpy(t->tok[i], t->tok[i + count], sizeof t->tok[0]);
	t->n -= count;
}

static bool
address_has_digit(const char *s)
{
	for (; *s != '\0'; s++)
		if (idv_isdigit((unsigned char)*s))
			return true;
	return false;
}

/* Unit identifiers compare without '-' and '#': 4-B, #4B and 4B agree. */
static void
address_unit_id(const char *s, char *out, size_t outsz)
{
	size_t o = 0;
	for (; *s != '\0' && o + 1 < outsz; s++)
		if (*s != '-' && *s != '#' && *s != '/')
			out[o++] = *s;
	out[o] = '\0';
}

/*
 * Find a unit designator in t at or after position from; on success store the unit and remove
 * the designator and what follows it from t.
 */
static bool
address_take_unit(struct address_tokens *t, size_t from, struct idv_address *out)
{
	for (size_t i = from; i < t->n; i++) {
		int u = address_unit_index(t->tok[i]);
		if (u < 0)
			continue;
		size_t j = i + 1;
		if (j < t->n && strcmp(t->tok[j], "#") == 0)
			j++;
		bool id = j < t->n && (address_has_digit(t->tok[j]) ||
				       (address_units[u].needs_id && strlen(t->tok[j]) <= 2 &&
					idv_address_suffix(t->tok[j]) == NULL &&
					address_directional(t->tok[j]) == NULL));
		if (id) {
			address_unit_id(t->tok[j], out->unit, sizeof out->unit);
			address_tokens_drop(t, i, t->n - i);
			return true;
		}
		if (j >= t->n && !address_units[u].needs_id) {
			idv_strlcpy(out->unit, address_units[u].std, sizeof out->unit);
			address_tokens_drop(t, i, t->n - i);
			return true;
		}
	}
	return false;
}

static bool
address_tok_is(const struct address_tokens *t, size_t i, const char *w)
{
	return i < t->n && strcmp(t->tok[i], w) == 0;
}

/* PO BOX n, P O BOX n, P O B n, POB n, POBOX n, POST OFFICE BOX n, BOX n, PO n. */
static bool
address_po_box(const struct address_tokens *t, struct idv_address *out)
{
	size_t i;
	if (address_tok_is(t, 0, "POST") && address_tok_is(t, 1, "OFFICE") &&
	    address_tok_is(t, 2, "BOX"))
		i = 3;
	else if (address_tok_is(t, 0, "P") && address_tok_is(t, 1, "O") &&
		 (address_tok_is(t, 2, "BOX") || address_tok_is(t, 2, "B")))
		i = 3;
	else if (address_tok_is(t, 0, "PO") && address_tok_is(t, 1, "BOX"))
		i = 2;
	else if (address_tok_is(t, 0, "POB") || address_tok_is(t, 0, "POBOX") ||
		 address_tok_is(t, 0, "BOX") || address_tok_is(t, 0, "PO"))
		i = 1;
	else
		return false;
	if (address_tok_is(t, i, "#"))
		i++;
	if (i >= t->n || !address_has_digit(t->tok[i]))
		return false;
	out->po_box = true;
	address_unit_id(t->tok[i], out->box, sizeof out->box);
	return true;
}

static void
address_number(const char *tok, struct idv_address *out)
{
	idv_strlcpy(out->number, tok, sizeof out->number);
	uint64_t lo = 0, hi = 0;
	const char *dash = strchr(tok, '-');
	size_t n = 0;
	while (idv_isdigit((unsigned char)tok[n]))
		n++;
	if (n == 0 || idv_parse_u64(tok, n, UINT32_MAX, &lo) != IDV_OK)
		return;
	hi = lo;
	if (dash != NULL && (size_t)(dash - tok) == n) {
		const char *h = dash + 1;
		size_t hn = 0;
		while (idv_isdigit((unsigned char)h[hn]))
			hn++;
		if (hn > 0 && h[hn] == '\0' && idv_parse_u64(h, hn, UINT32_MAX, &hi) == IDV_OK &&
		    hi > lo && hi - lo <= 200) {
			out->num_lo = (uint32_t)lo;
			out->num_hi = (uint32_t)hi;
			return;
		}
		hi = lo;
	}
	out->num_lo = (uint32_t)lo;
	out->num_hi = (uint32_t)hi;
}

static void
address_join(const struct address_tokens *t, size_t from, size_t to, char *out, size_t outsz)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = from; i < to; i++) {
		size_t n = strlen(t->tok[i]);
		if (o + n + 2 > outsz)
			break;
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, t->tok[i], n);
		o += n;
	}
	out[o] = '\0';
}

/* Words spelled the same way on both sides before comparing names of streets and cities. */
static void
address_canon_word(char *tok, size_t size)
{
	static const char *const map[][2] = {
		{"SAINT", "ST"},
		{"MOUNT", "MT"},
		{"FORT", "FT"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(address_ordinals); i++)
		if (strcmp(tok, address_ordinals[i][1]) == 0) {
			idv_strlcpy(tok, address_ordinals[i][0], size);
			return;
		}
	for (size_t i = 0; i < IDV_ARRAY_LEN(map); i++)
		if (strcmp(tok, map[i][0]) == 0) {
			idv_strlcpy(tok, map[i][1], size);
			return;
		}
	const char *d = address_directional(tok);
	if (d != NULL)
		idv_strlcpy(tok, d, size);
}

static enum idv_err
address_street(const char *street, const char *unit, struct idv_address *out)
{
	struct address_tokens t;
	enum idv_err e = address_tokenize(street, &t);
	if (e != IDV_OK)
		return e;
	if (address_po_box(&t, out))
		goto unit;
	size_t i = 0;
	if (t.n > 0 && idv_isdigit((unsigned char)t.tok[0][0])) {
		address_number(t.tok[0], out);
		i = 1;
		/* 12 1/2 Main St */
		if (i < t.n && strchr(t.tok[i], '/') != NULL &&
		    idv_isdigit((unsigned char)t.tok[i][0])) {
			size_t l = strlen(out->number);
			(void)idv_fmt_cat(out->number, sizeof out->number, &l, " %s", t.tok[i]);
			i++;
		}
	}
	address_take_unit(&t, i + 1, out);
	size_t end = t.n;
	/* A trailing identifier right after a suffix or directional: "12 Main St 4B". */
	if (end >= i + 3 && address_has_digit(t.tok[end - 1]) &&
	    (idv_address_suffix(t.tok[end - 2]) != NULL ||
	     address_directional(t.tok[end - 2]) != NULL) &&
	    out->unit[0] == '\0') {
		address_unit_id(t.tok[end - 1], out->unit, sizeof out->unit);
		end--;
	}
	if (end >= i + 2) {
		const char *d = address_directional(t.tok[end - 1]);
		if (d != NULL && idv_address_suffix(t.tok[end - 2]) != NULL) {
			idv_strlcpy(out->postdir, d, sizeof out->postdir);
			end--;
		}
	}
	if (end >= i + 2) {
		const char *s = idv_address_suffix(t.tok[end - 1]);
		if (s != NULL) {
			idv_strlcpy(out->suffix, s, sizeof out->suffix);
			end--;
		}
	}
	if (end >= i + 2 && out->postdir[0] == '\0' && out->suffix[0] == '\0') {
		const char *d = address_directional(t.tok[end - 1]);
		if (d != NULL) {
			idv_strlcpy(out->postdir, d, sizeof out->postdir);
			end--;
		}
	}
	if (end >= i + 2) {
		const char *d = address_directional(t.tok[i]);
		if (d != NULL) {
			idv_strlcpy(out->predir, d, sizeof out->predir);
			i++;
		}
	}
	for (size_t k = i; k < end; k++)
		address_canon_word(t.tok[k], sizeof t.tok[k]);
	address_join(&t, i, end, out->name, sizeof out->name);
unit:
	if (unit != NULL && unit[0] != '\0') {
		struct address_tokens u;
		e = address_tokenize(unit, &u);
		if (e != IDV_OK)
			return e;
		char id[16] = "";
		if (u.n > 0) {
			if (!address_take_unit(&u, 0, out) || out->unit[0] == '\0') {
				size_t k = u.n - 1;
				address_unit_id(u.tok[k], id, sizeof id);
				if (address_unit_index(u.tok[k]) < 0 || u.n == 1)
					idv_strlcpy(out->unit, id, sizeof out->unit);
			}
		}
	}
	return IDV_OK;
}

enum idv_err
idv_address_normalize(const struct idv_address_in *in, struct idv_address *out)
{
	memset(out, 0, sizeof *out);
	enum idv_err e = address_street(in->street, in->unit, out);
	if (e != IDV_OK)
		goto fail;
	struct address_tokens t;
	if ((e = address_tokenize(in->city, &t)) != IDV_OK)
		goto fail;
	for (size_t k = 0; k < t.n; k++)
		address_canon_word(t.tok[k], sizeof t.tok[k]);
	address_join(&t, 0, t.n, out->city, sizeof out->city);
	char st[96];
	if ((e = idv_name_fold(in->state, strlen(in->state), 0, st, sizeof st)) == IDV_E_PARSE)
		goto fail;
	const char *code = idv_address_state_code(st);
	if (code != NULL)
		idv_strlcpy(out->state, code, sizeof out->state);
	idv_address_zip5(in->postal_code, out->zip5);
	if (out->zip5[0] != '\0') {
		size_t n = 0;
		char digits[10];
		for (const char *p = in->postal_code; *p != '\0' && n < sizeof digits; p++)
			if (idv_isdigit((unsigned char)*p))
				digits[n++] = *p;
		if (n == 9 || n == 8) {
			memcpy(out->zip4, digits + n - 4, 4);
			out->zip4[4] = '\0';
		}
	}
	out->empty = out->name[0] == '\0' && out->number[0] == '\0' && !out->po_box &&
		     out->city[0] == '\0' && out->zip5[0] == '\0';
	return IDV_OK;
fail:
	memset(out, 0, sizeof *out);
	out->empty = true;
	return IDV_E_PARSE;
}

/* ---- Comparison ---- */

static void
address_penalty(struct idv_match *m, double factor, enum idv_reason r)
{
	m->score *= factor;
	if (m->reason == IDV_R_EXACT)
		m->reason = r;
}

static void
address_fail(struct idv_match *m, enum idv_reason r)
{
	m->score = 0.0;
	m->reason = r;
}

static bool
address_number_compatible(const struct idv_address *a, const struct idv_address *b, bool *range)
{
	*range = false;
	if (strcmp(a->number, b->number) == 0)
		return true;
	if (a->num_lo == 0 || b->num_lo == 0)
		return false;
	/* Letters after the number must agree when both are single numbers: 12A is not 12B. */
	bool a_range = a->num_hi != a->num_lo, b_range = b->num_hi != b->num_lo;
	if (!a_range && !b_range)
		return false;
	if (a->num_lo <= b->num_hi && b->num_lo <= a->num_hi) {
		*range = true;
		return true;
	}
	return false;
}

void
idv_address_compare(const struct idv_address *a, const struct idv_address *b, struct idv_match *out)
{
	out->score = 1.0;
	out->reason = IDV_R_EXACT;
	if (a->empty || b->empty) {
		address_fail(out, IDV_R_MISSING);
		return;
	}
	if (a->po_box != b->po_box) {
		address_fail(out, IDV_R_PO_BOX_VS_STREET);
		return;
	}
	if (a->po_box) {
		if (strcmp(a->box, b->box) != 0) {
			address_fail(out, IDV_R_NUMBER_DIFFERS);
			return;
		}
	} else {
		if (a->name[0] == '\0' || b->name[0] == '\0') {
			address_fail(out, IDV_R_MISSING);
			return;
		}
		bool range;
		if (!address_number_compatible(a, b, &range)) {
			address_fail(out, IDV_R_NUMBER_DIFFERS);
			return;
		}
		if (strcmp(a->name, b->name) != 0) {
			size_t al = strlen(a->name), bl = strlen(b->name);
			double jw = idv_jaro_winkler(a->name, al, b->name, bl);
			bool edit = al >= 6 && bl >= 6 && idv_one_edit(a->name, al, b->name, bl);
			if (jw < 0.92 && !edit) {
				address_fail(out, IDV_R_STREET_DIFFERS);
				return;
			}
			address_penalty(out, 0.9, IDV_R_STREET_TYPO);
		}
		if (a->predir[0] != '\0' && b->predir[0] != '\0' &&
		    strcmp(a->predir, b->predir) != 0) {
			address_fail(out, IDV_R_DIRECTIONAL_DIFFERS);
			return;
		}
		if (a->postdir[0] != '\0' && b->postdir[0] != '\0' &&
		    strcmp(a->postdir, b->postdir) != 0) {
			address_fail(out, IDV_R_DIRECTIONAL_DIFFERS);
			return;
		}
		if (a->suffix[0] != '\0' && b->suffix[0] != '\0' &&
		    strcmp(a->suffix, b->suffix) != 0)
			address_penalty(out, 0.7, IDV_R_STREET_SUFFIX_DIFFERS);
		else if ((a->suffix[0] == '\0') != (b->suffix[0] == '\0'))
			address_penalty(out, 0.95, IDV_R_EXACT);
		if ((a->predir[0] == '\0') != (b->predir[0] == '\0') ||
		    (a->postdir[0] == '\0') != (b->postdir[0] == '\0'))
			address_penalty(out, 0.95, IDV_R_EXACT);
		if (range)
			address_penalty(out, 0.9, IDV_R_NUMBER_RANGE);
	}
	if (a->unit[0] != '\0' && b->unit[0] != '\0') {
		if (strcmp(a->unit, b->unit) != 0) {
			address_fail(out, IDV_R_UNIT_DIFFERS);
			return;
		}
	} else if (a->unit[0] != '\0' || b->unit[0] != '\0') {
		address_penalty(out, 0.9, IDV_R_UNIT_MISSING);
	}
	if (a->state[0] != '\0' && b->state[0] != '\0' && strcmp(a->state, b->state) != 0) {
		address_fail(out, IDV_R_STATE_DIFFERS);
		return;
	}
	bool city_same = a->city[0] != '\0' && strcmp(a->city, b->city) == 0;
	if (a->zip5[0] != '\0' && b->zip5[0] != '\0') {
		if (strcmp(a->zip5, b->zip5) != 0) {
			if (!city_same) {
				address_fail(out, IDV_R_POSTAL_DIFFERS);
				return;
			}
			out->score *= 0.6;
			out->reason = IDV_R_POSTAL_DIFFERS;
		}
	} else {
		if (!city_same) {
			address_fail(out, a->city[0] == '\0' || b->city[0] == '\0'
						  ? IDV_R_MISSING
						  : IDV_R_CITY_DIFFERS);
			return;
		}
		if (a->state[0] == '\0' || b->state[0] == '\0') {
			address_fail(out, IDV_R_MISSING);
			return;
		}
		address_penalty(out, 0.95, IDV_R_POSTAL_MISSING);
	}
}
