/*
 * text.c - the checks core makes on text from users before it reaches
 * PostgreSQL or a screen (see text.h): valid UTF-8, no control
 * characters. PostgreSQL would refuse invalid UTF-8 itself, but with a
 * raw "invalid byte sequence" error on no field; control characters it
 * would store, and a terminal would later obey them.
 */
#include <stdint.h>

#include "internal.h"
#include "text.h"

/*
 * Decode one code point at *P (advanced past it) into *CP; false if the
 * bytes there are not well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
static bool
utf8_decode(const unsigned char **p, uint32_t *cp)
{
	const unsigned char *s = *p;
	uint32_t	 c = s[0], min;
	int		 n, i;

	if (c < 0x80) {
		*cp = c;
		*p = s + 1;
		return true;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 1, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 2, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 3, c &= 0x07, min = 0x10000;
	else
		return false;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return false;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return false;
	*cp = c;
	*p = s + n + 1;
	return true;
}

enum cnt_text_bad
cnt_text_check(const char *s, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	enum cnt_text_bad bad = CNT_TEXT_OK;
	uint32_t	 cp;

	while (*p != '\0') {
		if (!utf8_decode(&p, &cp))
			return CNT_TEXT_UTF8;	/* the worse of the two */
		if ((cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) &&
		    !((flags & CNT_TEXT_LINES) && (cp == '\n' || cp == '\t')))
			bad = CNT_TEXT_CONTROL;
	}
	return bad;
}

/* Drop from S, in place, every byte that is not part of valid UTF-8 and
 * every control character. */
void
cnt_text_clean(char *s)
{
	const unsigned char *p = (const unsigned char *)s, *at;
	char		*o = s;
	uint32_t	 cp;

	while (*p != '\0') {
		at = p;
		if (!utf8_decode(&p, &cp)) {
			p = at + 1;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			continue;
		while (at < p)
			*o++ = (char)*at++;
	}
	*o = '\0';
}

size_t
cnt_text_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int
cnt_text_field(const char *s, int flags, const char *field,
    const char *what, struct cnt_error *err)
{
	switch (cnt_text_check(s != NULL ? s : "", flags)) {
	case CNT_TEXT_UTF8:
		return cnt_error_field(err, CNT_E_INVALID, field,
		    "%s is not valid UTF-8 text", what);
	case CNT_TEXT_CONTROL:
		return cnt_error_field(err, CNT_E_INVALID, field,
		    "%s may not contain control characters", what);
	case CNT_TEXT_OK:
		break;
	}
	return CNT_OK;
}
