/* seatmap.h - the seat map widget (seatmap.c), used by the customer's
 * seat screen and later by the box office's sale screen. */
#ifndef SEATMAP_H
#define SEATMAP_H

#include "app.h"

struct seatmap_view {
	const struct cnt_seatmap *map;
	int		cursor;		/* index into map->seats, -1 none */
	const int64_t  *selected;	/* seat ids picked, not held yet */
	size_t		nselected;
	/* Set by seatmap_draw, for clicks: */
	int		ox, oy;		/* screen cell of layout 0,0 */
	int		col0, row0;	/* first layout column / line shown */
	int		x, y, w, h;	/* the area drawn */
};

/* Cells the map needs: 2 a layout column plus row letters both sides. */
int	seatmap_width(const struct cnt_seatmap *);
int	seatmap_height(const struct cnt_seatmap *);
/* Draw V's map in the area Y,X,H,W, scrolled so the cursor shows. */
void	seatmap_draw(struct app *, struct seatmap_view *, int y, int x,
	    int h, int w);
/* Draw the legend on row Y from X. */
void	seatmap_legend(struct app *, int y, int x, int w);
/* Move the cursor to the nearest seat in direction DX, DY (skipping gaps
 * and aisles); false if there is none. */
bool	seatmap_move(struct seatmap_view *, int dx, int dy);
/* The seat at screen cell Y,X as last drawn, or -1. */
int	seatmap_hit(const struct seatmap_view *, int y, int x);
/* The seat with id ID, or -1. */
int	seatmap_find(const struct cnt_seatmap *, int64_t id);
/* "C5" into BUF. */
const char *seatmap_name(const struct cnt_seat *, char buf[16]);
bool	seatmap_is_selected(const struct seatmap_view *, int64_t id);

#endif
