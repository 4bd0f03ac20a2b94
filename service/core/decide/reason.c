/* SPDX-License-Identifier: Apache-2.0 */
/* reason.c: the names of the comparators' reasons (reason.h). */
#include "idverify/reason.h"
#include "idverify/str.h"

static const char *const reason_names[IDV_R__COUNT] = {
	"exact",
	"missing",
	"unparseable",
	"mismatch",
	"transliteration",
	"nickname",
	"initial",
	"typo",
	"family_partial",
	"swapped",
	"middle_as_given",
	"middle_conflict",
	"suffix_conflict",
	"day_month_swap",
	"email_plus_tag",
	"email_dots",
	"number_range",
	"number_differs",
	"street_differs",
	"street_typo",
	"street_suffix_differs",
	"directional_differs",
	"unit_differs",
	"unit_missing",
	"postal_differs",
	"postal_missing",
	"city_differs",
	"state_differs",
	"po_box_vs_street",
};

IDV_NAME_FN(idv_reason, enum idv_reason, reason_names, IDV_R__COUNT, "unknown")
