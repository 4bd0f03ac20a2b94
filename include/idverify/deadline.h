/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deadline.h: the due dates of a consumer request (RULES.md R29-R31). Pure: dates in, dates out.
 *
 * - Acknowledge within 10 business days (R29): business days exclude Saturdays, Sundays and
 *   California state holidays, computed for any year from their rules (Gov. Code § 6700: fixed
 *   dates, Nth/last weekday of a month, the day after Thanksgiving; a holiday falling on a
 *   Sunday is observed on the Monday after, § 6702).
 * - Respond within 45 calendar days (R30), or a shorter promise the business configures.
 * - One extension (R31), with a reason, decided on or before the original due date, to at most
 *   90 days after receipt in total.
 */
#ifndef IDVERIFY_DEADLINE_H
#define IDVERIFY_DEADLINE_H

#include "idverify/str.h"

#define IDV_DEADLINE_ACK_BUSINESS_DAYS 10
#define IDV_DEADLINE_RESPOND_DAYS 45
#define IDV_DEADLINE_MAX_TOTAL_DAYS 90

/* True when the date is a California state holiday (as observed). */
bool idv_deadline_is_holiday(const struct idv_date *d);
/* True for Monday-Friday that are not holidays. */
bool idv_deadline_is_business_day(const struct idv_date *d);
/* The date n business days after from (from itself not counted). */
void idv_deadline_add_business_days(const struct idv_date *from, int n, struct idv_date *out);

struct idv_deadlines {
	struct idv_date received;
	struct idv_date acknowledge_by;
	struct idv_date respond_by;
};

/* respond_days: the business's promise, 1..45 (0 = 45). */
enum idv_err idv_deadline_compute(const struct idv_date *received, int respond_days,
				  struct idv_deadlines *out);

/*
 * Extend a response due date. IDV_E_STATE when already extended or when today is after the
 * current due date (the notice must go out within the first period); IDV_E_INVAL when the new
 * date is not after the current one or is more than 90 days after receipt.
 */
enum idv_err idv_deadline_extend(const struct idv_deadlines *d, bool already_extended,
				 const struct idv_date *today, const struct idv_date *new_due,
				 struct idv_date *out);

#endif
