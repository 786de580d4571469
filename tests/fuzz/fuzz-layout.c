/* fuzz-layout.c - libFuzzer target: layout text of any bytes parses into
 * seats inside the stated bounds, or fails with a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cinetty.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cnt_layout lay;
	struct cnt_error err;
	char	       *text = malloc(size + 1);
	size_t		i;

	memcpy(text, data, size);
	text[size] = '\0';
	if (cnt_layout_parse(text, &lay, &err) == CNT_OK) {
		if (lay.nseats == 0 || lay.height > CNT_LAYOUT_MAX_LINES ||
		    lay.width > CNT_LAYOUT_MAX_WIDTH)
			abort();
		for (i = 0; i < lay.nseats; i++) {
			if (lay.seats[i].number < 1 ||
			    lay.seats[i].x >= lay.width ||
			    lay.seats[i].y >= lay.height ||
			    lay.seats[i].type >= CNT_SEAT_NTYPES)
				abort();
		}
		cnt_layout_free(&lay);
	} else if (err.msg[0] == '\0')
		abort();
	free(text);
	return 0;
}
