/* script.h - the key scripts of headless mode (script.c). */
#ifndef SCRIPT_H
#define SCRIPT_H

enum step_kind {
	STEP_KEYS,	/* keys[]: bytes and K_* codes to feed */
	STEP_RESIZE,	/* x = cols, y = rows */
	STEP_CLICK,	/* x, y */
	STEP_SLEEP,	/* x = milliseconds */
	STEP_EXPECT,	/* text must be on screen */
	STEP_REJECT,	/* text must not be on screen */
	STEP_DUMP	/* print the screen to stderr (debugging) */
};

struct script_step {
	enum step_kind	kind;
	int	       *keys;
	int		nkeys, maxkeys;
	int		x, y;
	char	       *text;
};

struct script;

struct script  *script_open(const char *path, char **cause);
void		script_close(struct script *);
int		script_next(struct script *, struct script_step *,
		    char **cause);
void		script_step_free(struct script_step *);
int		script_line(const struct script *);

#endif
