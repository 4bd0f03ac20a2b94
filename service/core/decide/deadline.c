/* SPDX-License-Identifier: Apache-2.0 */
/* deadline.c: business days, California state holidays and request due dates (deadline.h). */
#include "idverify/deadline.h"

enum holiday_kind { HOL_FIXED, HOL_NTH_WEEKDAY, HOL_LAST_WEEKDAY, HOL_DAY_AFTER_NTH };

struct holiday_rule {
	enum holiday_kind kind;
	int month;
	int day;     /* HOL_FIXED */
	int weekday; /* 0 = Monday */
	int nth;
};

/* California Government Code § 6700 (state holidays as observed by state offices). */
static const struct holiday_rule holiday_rules[] = {
	{HOL_FIXED, 1, 1, 0, 0},          /* New Year's Day */
	{HOL_NTH_WEEKDAY, 1, 0, 0, 3},    /* Martin Luther King, Jr. Day: third Monday */
	{HOL_FIXED, 2, 12, 0, 0},         /* Lincoln Day */
	{HOL_NTH_WEEKDAY, 2, 0, 0, 3},    /* Washington's Birthday: third Monday */
	{HOL_FIXED, 3, 31, 0, 0},         /* Cesar Chavez Day */
	{HOL_LAST_WEEKDAY, 5, 0, 0, 0},   /* Memorial Day: last Monday */
	{HOL_FIXED, 7, 4, 0, 0},          /* Independence Day */
	{HOL_NTH_WEEKDAY, 9, 0, 0, 1},    /* Labor Day: first Monday */
	{HOL_NTH_WEEKDAY, 9, 0, 4, 4},    /* Native American Day: fourth Friday */
	{HOL_FIXED, 11, 11, 0, 0},        /* Veterans Day */
	{HOL_NTH_WEEKDAY, 11, 0, 3, 4},   /* Thanksgiving Day: fourth Thursday */
	{HOL_DAY_AFTER_NTH, 11, 0, 3, 4}, /* the day after Thanksgiving */
	{HOL_FIXED, 12, 25, 0, 0},        /* Christmas Day */
};

static int
deadline_days_in_month(int year, int month)
{
	int d = 31;
	while (!idv_date_valid(year, month, d))
		d--;
	return d;
}

/* The date of a rule in a year (before Sunday observance). */
static void
deadline_rule_date(const struct holiday_rule *r, int year, struct idv_date *out)
{
	struct idv_date d = {year, r->month, 1};
	switch (r->kind) {
	case HOL_FIXED:
		d.day = r->day;
		break;
	case HOL_NTH_WEEKDAY:
	case HOL_DAY_AFTER_NTH: {
		int first = idv_date_weekday(&d);
		d.day = 1 + (r->weekday - first + 7) % 7 + 7 * (r->nth - 1);
		if (r->kind == HOL_DAY_AFTER_NTH)
			d.day += 1;
		break;
	}
	case HOL_LAST_WEEKDAY: {
		d.day = deadline_days_in_month(year, r->month);
		int last = idv_date_weekday(&d);
		d.day -= (last - r->weekday + 7) % 7;
		break;
	}
	}
	*out = d;
}

bool
idv_deadline_is_holiday(const struct idv_date *d)
{
	int64_t day = idv_date_to_days(d);
	/* A holiday on a Sunday is observed on the Monday after (§ 6702); check this year's and,
	 * for January 1 observed on January 2, last year's rules too. */
	for (int y = d->year - 1; y <= d->year; y++) {
		for (size_t i = 0; i < IDV_ARRAY_LEN(holiday_rules); i++) {
			struct idv_date h;
			deadline_rule_date(&holiday_rules[i], y, &h);
			int64_t hd = idv_date_to_days(&h);
			if (idv_date_weekday(&h) == 6)
				hd += 1;
			if (hd == day)
				return true;
		}
	}
	return false;
}

bool
idv_deadline_is_business_day(const struct idv_date *d)
{
	int wd = idv_date_weekday(d);
	return wd < 5 && !idv_deadline_is_holiday(d);
}

void
idv_deadline_add_business_days(const struct idv_date *from, int n, struct idv_date *out)
{
	int64_t day = idv_date_to_days(from);
	struct idv_date d;
	while (n > 0) {
		day++;
		idv_date_from_days(day, &d);
		if (idv_deadline_is_business_day(&d))
			n--;
	}
	idv_date_from_days(day, out);
}

enum idv_err
idv_deadline_compute(const struct idv_date *received, int respond_days, struct idv_deadlines *out)
{
	if (respond_days == 0)
		respond_days = IDV_DEADLINE_RESPOND_DAYS;
	if (respond_days < 1 || respond_days > IDV_DEADLINE_RESPOND_DAYS ||
	    !idv_date_valid(received->year, received->month, received->day))
		return IDV_E_INVAL;
	out->received = *received;
	idv_deadline_add_business_days(received, IDV_DEADLINE_ACK_BUSINESS_DAYS,
				       &out->acknowledge_by);
	idv_date_from_days(idv_date_to_days(received) + respond_days, &out->respond_by);
	return IDV_OK;
}

enum idv_err
idv_deadline_extend(const struct idv_deadlines *d, bool already_extended,
		    const struct idv_date *today, const struct idv_date *new_due, struct idv_date *out)
{
	if (already_extended)
		return IDV_E_STATE;
	if (idv_date_to_days(today) > idv_date_to_days(&d->respond_by))
		return IDV_E_STATE;
	int64_t received = idv_date_to_days(&d->received);
	int64_t due = idv_date_to_days(new_due);
	if (due <= idv_date_to_days(&d->respond_by) || due > received + IDV_DEADLINE_MAX_TOTAL_DAYS)
		return IDV_E_INVAL;
	*out = *new_due;
	return IDV_OK;
}
