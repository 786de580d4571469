/*
 * fuzz-keys.c - libFuzzer target: the app's key input, headless.
 *
 * The input becomes a key script for `cinetty tui --script` and runs the
 * whole app (tui_run): the UTF-8 key decoder, the screen stack, the
 * welcome, sign-in and sign-up screens, form editing and drawing. There
 * is no database (the context points at a socket that does not exist),
 * so screens that need data show "database unavailable"; that is part of
 * what is tested. Bytes are typed as they are, except that 0xff starts a
 * two-byte command: a named key, a resize or a mouse click. The first
 * byte picks how the app starts: guest, asking for a password, or a
 * signed-in account the database cannot confirm.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cinetty.h"
#include "tui.h"

int		LLVMFuzzerTestOneInput(const uint8_t *, size_t);
const char     *__lsan_default_suppressions(void);

/* ncurses keeps terminfo and screen data it never frees. */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libncursesw.so\nleak:libtinfo.so\n";
}

static const char *const keys[] = {
	"Enter", "Esc", "Tab", "BTab", "Up", "Down", "Left", "Right", "Home",
	"End", "PgUp", "PgDn", "Backspace", "Delete", "Space", "F1", "F5",
	"C-a", "C-e", "C-k", "C-u", "C-l", "Resize"
};
#define NKEYS	(sizeof keys / sizeof keys[0])

static struct cnt_config cfg;
static char	 path[64];
static FILE	*devnull;

static void
setup(void)
{
	struct cnt_error err;
	int	fd;

	if (devnull != NULL)
		return;
	devnull = fopen("/dev/null", "w");
	cnt_log_init(CNT_LOG_ERROR, devnull);
	cnt_config_init(&cfg);
	if (cnt_config_set(&cfg, "database",
	    "host=/nonexistent/cinetty-fuzz port=1 dbname=none", "fuzz",
	    &err) != CNT_OK ||
	    cnt_config_set(&cfg, "redis", "unix:/nonexistent/cinetty-fuzz",
	    "fuzz", &err) != CNT_OK ||
	    cnt_config_set(&cfg, "timezone", "UTC", "fuzz", &err) != CNT_OK ||
	    cnt_config_set(&cfg, "argon2_m_kib", "64", "fuzz", &err) != CNT_OK ||
	    cnt_config_set(&cfg, "argon2_t_cost", "1", "fuzz", &err) != CNT_OK)
		abort();
	snprintf(path, sizeof path, "/tmp/cinetty-fuzz-keys.%ld.keys",
	    (long)getpid());
	if ((fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600)) == -1)
		abort();
	close(fd);
	setenv("TERM", "xterm-256color", 1);
}

/* Write DATA as script lines to F. */
static void
write_script(FILE *f, const uint8_t *data, size_t size)
{
	size_t	i, run = 0;

	for (i = 0; i < size; i++) {
		if (data[i] == 0xff && i + 1 < size) {
			uint8_t op = data[++i];

			if (run > 0)
				fputc('\n', f), run = 0;
			if (op < 0xe0)
				fprintf(f, "key %s\n", keys[op % NKEYS]);
			else if (op < 0xf0 && i + 2 < size) {
				fprintf(f, "resize %d %d\n", 10 + data[i + 1] *
				    2 % 491, 5 + data[i + 2] % 196);
				i += 2;
			} else if (i + 2 < size) {
				fprintf(f, "click %d %d\n", data[i + 1] % 120,
				    data[i + 2] % 40);
				i += 2;
			}
			continue;
		}
		if (run == 0)
			fputs("bytes", f);
		fprintf(f, " %02x", data[i]);
		if (++run == 32)
			fputc('\n', f), run = 0;
	}
	if (run > 0)
		fputc('\n', f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tui_opts	 o;
	FILE		*f;

	if (size == 0)
		return 0;
	setup();
	if ((f = fopen(path, "w")) == NULL)
		abort();
	write_script(f, data + 1, size - 1);
	fclose(f);
	memset(&o, 0, sizeof o);
	o.cfg = &cfg;
	o.out = devnull;
	o.peer = "fuzz";
	o.script = path;
	o.script_cols = 100;
	o.script_rows = 30;
	switch (data[0] % 3) {
	case 1:
		o.ask_password = true;
		o.username = "zoe";
		break;
	case 2:
		o.account_id = 42;
		break;
	}
	(void)tui_run(&o);
	return 0;
}
