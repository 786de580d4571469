/* file.c - reading the text files core loads (migrations, seed data). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The whole of PATH as a string (free it); NULL with ERR set if it cannot
 * be read or contains a NUL byte. */
char *
cnt_read_file(const char *path, struct cnt_error *err)
{
	FILE   *f;
	char   *buf = NULL;
	size_t	len = 0, cap = 0, n;

	if ((f = fopen(path, "rb")) == NULL) {
		cnt_error_set(err, CNT_E_INVALID, "%s: %s", path,
		    strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 8192) {
			cap = cap * 2 + 8192;
			buf = xrealloc(buf, cap + 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		cnt_error_set(err, CNT_E_INVALID, "%s: contains a NUL byte",
		    path);
		return NULL;
	}
	return buf;
}
