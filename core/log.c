/*
 * log.c - one line per event on stderr (or a given stream):
 *   2026-11-26T10:00:00Z level=info event=listen addr=127.0.0.1:2222
 * Callers write "key=value" fields; values with spaces are quoted by them.
 */
#include <string.h>
#include <unistd.h>

#include "cinetty.h"

static enum cnt_loglevel log_level = CNT_LOG_INFO;
static FILE *log_stream;

static const char *const log_names[] = { "debug", "info", "warn", "error" };

void
cnt_log_init(enum cnt_loglevel level, FILE *stream)
{
	log_level = level;
	log_stream = stream;
}

int
cnt_log_parse_level(const char *s, enum cnt_loglevel *level)
{
	size_t	i;

	for (i = 0; i < sizeof log_names / sizeof log_names[0]; i++) {
		if (strcmp(s, log_names[i]) == 0) {
			*level = (enum cnt_loglevel)i;
			return CNT_OK;
		}
	}
	return CNT_ERR;
}

void
cnt_log(enum cnt_loglevel level, const char *fmt, ...)
{
	FILE	       *f = log_stream != NULL ? log_stream : stderr;
	char		when[32], line[2048], *p;
	struct tm	tm;
	time_t		now;
	va_list		ap;
	int		n;

	if (level < log_level)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof line, "%s level=%s pid=%ld ", when,
	    log_names[level], (long)getpid());
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof line)
		vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	/* Values come from users (a login name, a command): a control
	 * character must not start a forged line or reach a terminal. */
	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	/* One write per line so lines of several processes do not mix. */
	fprintf(f, "%s\n", line);
	fflush(f);
}
