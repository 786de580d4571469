/*
 * text.h - what core checks in every piece of text it stores or looks up
 * (private to core). Text is valid UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF) without control characters: C0 (U+0000-001F),
 * DEL and C1 (U+0080-009F, which terminals read as ESC sequences). A field
 * may allow newlines (and tabs) where text has lines.
 */
#ifndef CNT_TEXT_H
#define CNT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "cinetty.h"

enum cnt_text_bad {
	CNT_TEXT_OK,
	CNT_TEXT_UTF8,		/* not valid UTF-8 */
	CNT_TEXT_CONTROL,	/* a control character */
};

#define CNT_TEXT_LINES	0x1	/* '\n' and '\t' are allowed */

enum cnt_text_bad cnt_text_check(const char *, int flags);
size_t	cnt_text_chars(const char *);	/* code points of valid UTF-8 */
void	cnt_text_clean(char *);		/* drop bad bytes and controls */
/*
 * CNT_OK if S (NULL counts as "") is valid text for FIELD, else CNT_ERR
 * with a CNT_E_INVALID message on FIELD naming WHAT ("the title").
 */
int	cnt_text_field(const char *s, int flags, const char *field,
	    const char *what, struct cnt_error *);

#endif
