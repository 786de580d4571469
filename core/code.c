/*
 * code.c - booking codes such as "K7P-4QX": six characters from an
 * alphabet without look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B), so a code read
 * aloud at the box office or typed from a phone screen comes out right.
 * 25^6 is about 244 million codes; bookings.code is UNIQUE and the caller
 * draws again on the rare collision.
 */
#include <ctype.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "cinetty.h"

void
cnt_code_generate(char buf[8])
{
	static const char alphabet[] = CNT_CODE_ALPHABET;
	const size_t	n = sizeof alphabet - 1;
	unsigned char	r[6];
	size_t		i, j;

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		/* No entropy source: fall back to time and pid mixing. */
		uint64_t x = (uint64_t)time(NULL) * 6364136223846793005ULL ^
		    (uint64_t)getpid() ^ (uint64_t)clock();

		for (i = 0; i < sizeof r; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			r[i] = (unsigned char)(x >> 56);
		}
	}
	/* 250 = 10 * 25: bytes below it map evenly; redraw the rest. */
	for (i = 0, j = 0; i < 6; j++) {
		if (j == sizeof r) {
			if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
				r[0] = r[1] = r[2] = r[3] = r[4] = r[5] = 0;
			j = 0;
		}
		if (r[j] >= 250)
			continue;
		buf[i < 3 ? i : i + 1] = alphabet[r[j] % n];
		i++;
	}
	buf[3] = '-';
	buf[7] = '\0';
}

/* Accept "k7p4qx", "K7P-4QX", " k7p 4qx "; reject anything else. */
int
cnt_code_normalize(const char *in, char buf[8])
{
	size_t	n = 0;

	if (in == NULL)
		return -1;
	for (; *in != '\0'; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == '-' || c == ' ' || c == '\t')
			continue;
		if (n == 6 || !isalnum(c))
			return -1;
		c = (unsigned char)toupper(c);
		if (strchr(CNT_CODE_ALPHABET, c) == NULL)
			return -1;
		buf[n < 3 ? n : n + 1] = (char)c;
		n++;
	}
	if (n != 6)
		return -1;
	buf[3] = '-';
	buf[7] = '\0';
	return 0;
}
