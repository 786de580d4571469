/* cinetty-shift.h - a box-office shift's takings, for counting the drawer
 * (shift.c). Part of the public API: include "cinetty.h", not this. */
#ifndef CINETTY_SHIFT_H
#define CINETTY_SHIFT_H

struct cnt_shift {
	time_t		since;
	int		sales;		/* payments taken by the staff member */
	int		tickets;	/* tickets in those sales */
	int64_t		sales_cents;
	int64_t		cash_cents;	/* of sales_cents, cash */
	int64_t		card_cents;	/* of sales_cents, card */
	int		refunds;	/* refunds the staff member gave */
	int64_t		refund_cents;
	int64_t		cash_refund_cents;	/* of refund_cents, paid in cash */
	int64_t		drawer_cents;	/* cash taken - cash refunded */
};

/* The actor's own sales and refunds since SINCE, in one query. Staff and
 * admin only (customers: FORBIDDEN). */
int	cnt_shift_summary(struct cnt_ctx *, const struct cnt_actor *,
	    time_t since, struct cnt_shift *, struct cnt_error *);

#endif
