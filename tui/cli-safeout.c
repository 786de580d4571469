/*
 * cli-safeout.c - what the commands print to a terminal carries no control
 * characters from the data. A film title, a hall or a walk-up customer's
 * name is stored as typed (by staff, by an admin, or by SQL around the
 * app); printed raw by `cinetty film list` or `cinetty booking show` an
 * escape sequence in it would act on the operator's terminal (set its
 * title, write its clipboard, move the cursor over what it printed).
 * When stdout or stderr is a terminal it is replaced by a stream that
 * turns C0 controls except tab and line ends, DEL and UTF-8-encoded C1
 * controls (U+0080..U+009F, 8-bit CSI among them) into '?'. Output to a
 * file or a pipe (CSV exports) is left exactly as it is.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cinetty.h"
#include "cli.h"

struct safe_out {
	int	fd;
	bool	after_c2;	/* the last byte written was 0xc2 */
};

/* Write all of BUF to FD; -1 on error. */
static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(fd, buf, n)) == -1)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t
safe_write(void *cookie, const char *buf, size_t n)
{
	struct safe_out	*so = cookie;
	char		 out[4096];
	size_t		 i, o = 0;
	unsigned char	 c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)buf[i];
		if (so->after_c2 && c >= 0x80 && c <= 0x9f) {
			/* 0xc2 went out already: make the pair "??" */
			c = '?';
		} else if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') ||
		    c == 0x7f)
			c = '?';
		so->after_c2 = c == 0xc2;
		out[o++] = (char)c;
		if (o == sizeof out) {
			if (write_all(so->fd, out, o) == -1)
				return -1;
			o = 0;
		}
	}
	if (o > 0 && write_all(so->fd, out, o) == -1)
		return -1;
	return (ssize_t)n;
}

/* A line-buffered safe stream on FD if FD is a terminal, else CUR. */
static FILE *
safe_stream(FILE *cur, int fd)
{
	static struct safe_out so[2];
	cookie_io_functions_t io = { NULL, safe_write, NULL, NULL };
	FILE	*f;

	if (!isatty(fd))
		return cur;
	fflush(cur);
	so[fd == STDERR_FILENO].fd = fd;
	if ((f = fopencookie(&so[fd == STDERR_FILENO], "w", io)) == NULL)
		return cur;
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

void
cli_safe_output(void)
{
	stdout = safe_stream(stdout, STDOUT_FILENO);
	stderr = safe_stream(stderr, STDERR_FILENO);
}
