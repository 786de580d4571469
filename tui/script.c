/*
 * script.c - key names, and the key scripts of headless mode
 * (`cinetty tui --script FILE`).
 *
 * A script is read one line at a time:
 *   type TEXT          the bytes of TEXT, as if typed
 *   key NAME [N]       a named key (Enter, Esc, Tab, BTab, Up, Down, Left,
 *                      Right, Home, End, PgUp, PgDn, Backspace, Delete,
 *                      Space, F1..F12, C-x for Ctrl-x, or one character)
 *   paste N TEXT       TEXT repeated N times
 *   bytes HH HH ...    raw bytes in hex (invalid UTF-8 for tests)
 *   resize COLS ROWS   the terminal changes size
 *   click X Y          a mouse click on a cell
 *   sleep MS           let time pass (live events and timers run)
 *   expect TEXT        the screen shows TEXT now, else the run fails
 *   reject TEXT        the screen does not show TEXT now
 *   dump               print the screen to stderr
 *   # comment, blank lines
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "script.h"

static const struct {
	const char     *name;
	int		key;
} key_names[] = {
	{ "Enter", K_ENTER }, { "Esc", K_ESC }, { "Tab", K_TAB },
	{ "BTab", K_BTAB }, { "Up", K_UP }, { "Down", K_DOWN },
	{ "Left", K_LEFT }, { "Right", K_RIGHT }, { "Home", K_HOME },
	{ "End", K_END }, { "PgUp", K_PPAGE }, { "PgDn", K_NPAGE },
	{ "Backspace", K_BACKSPACE }, { "Delete", K_DC }, { "Space", ' ' },
	{ "Resize", K_RESIZE },
};

bool
key_is_enter(int k)
{
	return k == K_ENTER || k == '\n' || k == K_ENTER_KP;
}

bool
key_is_backspace(int k)
{
	return k == K_BACKSPACE || k == K_DEL || k == K_CTRL('h');
}

bool
key_is_text(int k)
{
	return k >= 0x20 && k != 0x7f && !(k >= 0x80 && k < 0xa0) &&
	    k < K_BASE;
}

const char *
key_label(int key, char buf[16])
{
	size_t	i;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (key_names[i].key == key)
			return key_names[i].name;
	if (key >= K_F(1) && key <= K_F(12))
		snprintf(buf, 16, "F%d", key - K_F(0));
	else if (key > 0 && key < 0x20)
		snprintf(buf, 16, "C-%c", key + 'a' - 1);
	else if (key < 0x80 && key > 0)
		snprintf(buf, 16, "%c", key);
	else
		snprintf(buf, 16, "#%x", key);
	return buf;
}

/* The key called NAME, or -1. */
static int
key_parse(const char *name)
{
	size_t	i;
	int	n;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strcasecmp(key_names[i].name, name) == 0)
			return key_names[i].key;
	if ((name[0] == 'F' || name[0] == 'f') && (n = atoi(name + 1)) >= 1 &&
	    n <= 12)
		return K_F(n);
	if (strncmp(name, "C-", 2) == 0 && isalpha((unsigned char)name[2]) &&
	    name[3] == '\0')
		return K_CTRL(name[2]);
	if (name[0] != '\0' && name[1] == '\0')
		return (unsigned char)name[0];
	return -1;
}

struct script {
	FILE	       *f;
	char	       *path;
	int		line;
	char	       *buf;
	size_t		size;
};

struct script *
script_open(const char *path, char **cause)
{
	struct script	*s;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: cannot open: %m", path);
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->f = f;
	s->path = xstrdup(path);
	return s;
}

void
script_close(struct script *s)
{
	if (s == NULL)
		return;
	fclose(s->f);
	free(s->path);
	free(s->buf);
	free(s);
}

int
script_line(const struct script *s)
{
	return s->line;
}

/* Add key K to the step's keys. */
static void
step_add(struct script_step *st, int k)
{
	if (st->nkeys == st->maxkeys) {
		st->maxkeys = st->maxkeys ? st->maxkeys * 2 : 64;
		st->keys = xreallocarray(st->keys, (size_t)st->maxkeys,
		    sizeof *st->keys);
	}
	st->keys[st->nkeys++] = k;
}

void
script_step_free(struct script_step *st)
{
	free(st->keys);
	free(st->text);
	memset(st, 0, sizeof *st);
}

/*
 * Read the next step into ST (free it with script_step_free). Returns 1, 0
 * at the end, -1 with *CAUSE for a line that makes no sense.
 */
int
script_next(struct script *s, struct script_step *st, char **cause)
{
	ssize_t	 len;
	char	*cmd, *arg, *end;
	int	 k, n, i;

	memset(st, 0, sizeof *st);
	for (;;) {
		if ((len = getline(&s->buf, &s->size, s->f)) == -1)
			return 0;
		s->line++;
		while (len > 0 && (s->buf[len - 1] == '\n' ||
		    s->buf[len - 1] == '\r'))
			s->buf[--len] = '\0';
		cmd = s->buf;
		while (*cmd == ' ' || *cmd == '\t')
			cmd++;
		if (*cmd != '\0' && *cmd != '#')
			break;
	}
	arg = cmd + strcspn(cmd, " \t");
	if (*arg != '\0')
		*arg++ = '\0';
	if (strcmp(cmd, "type") == 0) {
		st->kind = STEP_KEYS;
		for (; *arg != '\0'; arg++)
			step_add(st, (unsigned char)*arg);
	} else if (strcmp(cmd, "key") == 0) {
		st->kind = STEP_KEYS;
		end = arg + strcspn(arg, " \t");
		n = 1;
		if (*end != '\0') {
			*end++ = '\0';
			n = atoi(end);
		}
		if ((k = key_parse(arg)) == -1 || n < 1 || n > 10000)
			goto bad;
		for (i = 0; i < n; i++)
			step_add(st, k);
	} else if (strcmp(cmd, "paste") == 0) {
		st->kind = STEP_KEYS;
		n = (int)strtol(arg, &end, 10);
		if (n < 1 || n > 100000 || *end != ' ')
			goto bad;
		for (i = 0; i < n; i++)
			for (arg = end + 1; *arg != '\0'; arg++)
				step_add(st, (unsigned char)*arg);
	} else if (strcmp(cmd, "bytes") == 0) {
		st->kind = STEP_KEYS;
		while (*arg != '\0') {
			k = (int)strtol(arg, &end, 16);
			if (end == arg || k < 0 || k > 255)
				goto bad;
			step_add(st, k);
			arg = end;
			while (*arg == ' ')
				arg++;
		}
	} else if (strcmp(cmd, "resize") == 0) {
		st->kind = STEP_RESIZE;
		if (sscanf(arg, "%d %d", &st->x, &st->y) != 2 || st->x < 10 ||
		    st->y < 5 || st->x > 500 || st->y > 200)
			goto bad;
	} else if (strcmp(cmd, "click") == 0) {
		st->kind = STEP_CLICK;
		if (sscanf(arg, "%d %d", &st->x, &st->y) != 2)
			goto bad;
	} else if (strcmp(cmd, "sleep") == 0) {
		st->kind = STEP_SLEEP;
		st->x = atoi(arg);
		if (st->x < 0 || st->x > 60000)
			goto bad;
	} else if (strcmp(cmd, "expect") == 0 || strcmp(cmd, "reject") == 0) {
		st->kind = cmd[0] == 'e' ? STEP_EXPECT : STEP_REJECT;
		st->text = xstrdup(arg);
	} else if (strcmp(cmd, "dump") == 0)
		st->kind = STEP_DUMP;
	else
		goto bad;
	return 1;
bad:
	*cause = xasprintf("%s:%d: cannot understand \"%s %s\"", s->path,
	    s->line, cmd, arg);
	script_step_free(st);
	return -1;
}
