/*
 * cli-user.c - `cinetty user ...`: accounts, roles and SSH keys from the
 * server's shell. The operator acts as CNT_ACTOR_SYSTEM (an admin with no
 * account); core still applies every rule (the last admin, key checks).
 *
 * Passwords come from standard input (a prompt without echo on a terminal,
 * else the first line), never from the command line, where ps and shell
 * history would show them.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* One `cinetty user` subcommand; RUN gets argv from its own name on. */
struct user_cmd {
	const char     *name;
	const char     *args;		/* usage after the name */
	const char     *help;		/* what it does, for --help */
	int		(*run)(struct cnt_ctx *, int, char **);
};

/* ------------------------------------------------------------------ */
/* Helpers.                                                             */

static void
cmd_usage(FILE *f, const char *prefix, const struct user_cmd *c)
{
	fprintf(f, "usage: cinetty %s %s%s%s\n", prefix, c->name,
	    c->args[0] != '\0' ? " " : "", c->args);
}

/*
 * Parse the options every subcommand shares (--help, and those in LONGOPTS
 * written to FLAGS by index). Returns -1 to go on, else an exit status.
 * Leaves optind at the first operand.
 */
static int
parse_opts(int argc, char **argv, const char *prefix, const struct user_cmd *c,
    const struct option *longopts, const char **vals)
{
	struct option	opts[8];
	int		n = 0, ch, idx;

	for (; longopts != NULL && longopts[n].name != NULL && n < 6; n++) {
		opts[n] = longopts[n];
		opts[n].flag = NULL;
		opts[n].val = 256 + n;
	}
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0;		/* glibc: start over (options may follow operands) */
	while ((ch = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
		if (ch == 'h') {
			cmd_usage(stdout, prefix, c);
			printf("%s\n", c->help);
			return CLI_OK;
		}
		if (ch >= 256) {
			vals[ch - 256] = optarg != NULL ? optarg : "";
			continue;
		}
		cmd_usage(stderr, prefix, c);
		return CLI_USAGE;
	}
	return -1;
}

/* Exit with usage unless there are between MIN and MAX operands. */
static int
want_operands(int argc, int min, int max, const char *prefix,
    const struct user_cmd *c)
{
	int	n = argc - optind;

	if (n < min || n > max) {
		cmd_usage(stderr, prefix, c);
		return 0;
	}
	return 1;
}

/* Read one line from F without its newline; NULL at end of input. */
static char *
read_line(FILE *f)
{
	char	       *line = NULL;
	size_t		cap = 0;
	ssize_t		len;

	if ((len = getline(&line, &cap, f)) < 0) {
		free(line);
		return NULL;
	}
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	return line;
}

/* Prompt on the terminal with echo off; NULL on end of input. */
static char *
prompt_password(const char *prompt)
{
	struct termios	old, quiet;
	char	       *pw;
	int		restore;

	fputs(prompt, stderr);
	fflush(stderr);
	restore = tcgetattr(STDIN_FILENO, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	pw = read_line(stdin);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return pw;
}

/* Wipe and free a password. */
static void
free_password(char *pw)
{
	if (pw != NULL) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
}

/*
 * A new password: asked twice on a terminal (unless FROM_STDIN), else the
 * first line of standard input. NULL (message printed) if none.
 */
static char *
new_password(const char *what, int from_stdin)
{
	char   *pw, *again;

	if (from_stdin || !isatty(STDIN_FILENO)) {
		if ((pw = read_line(stdin)) == NULL || *pw == '\0') {
			fprintf(stderr, "cinetty %s: no password on standard"
			    " input\n", what);
			free_password(pw);
			return NULL;
		}
		return pw;
	}
	if ((pw = prompt_password("New password: ")) == NULL)
		return NULL;
	if ((again = prompt_password("Again: ")) == NULL ||
	    strcmp(pw, again) != 0) {
		fprintf(stderr, "cinetty %s: the passwords differ\n", what);
		free_password(pw);
		free_password(again);
		return NULL;
	}
	free_password(again);
	return pw;
}

/* The account named NAME, or a message and CLI_REFUSED. */
static int
get_account(struct cnt_ctx *ctx, const char *what, const char *name,
    struct cnt_account *acc)
{
	struct cnt_error err;

	if (cnt_account_by_name(ctx, name, acc, &err) != CNT_OK)
		return cli_fail(what, &err);
	return CLI_OK;
}

static void
format_date(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d",
	    &tm) == 0)
		cnt_strlcpy(buf, "?", len);
}

#define I64BUF 24

static const char *
i64str(char buf[I64BUF], int64_t v)
{
	snprintf(buf, I64BUF, "%lld", (long long)v);
	return buf;
}

static int
max_int(int a, size_t b)
{
	return (size_t)a > b ? a : (int)b;
}

/* ------------------------------------------------------------------ */
/* user add / list                                                      */

static const struct user_cmd cmd_add;

static int
user_add(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 0 },
		{ "password-stdin", no_argument, NULL, 0 },
		{ NULL, 0, NULL, 0 }
	};
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	const char     *vals[2] = { NULL, NULL };
	struct cnt_signup su;
	struct cnt_account acc;
	struct cnt_error err;
	enum cnt_role	role = CNT_ROLE_CUSTOMER;
	char	       *pw;
	int		rc;

	if ((rc = parse_opts(argc, argv, "user", &cmd_add, opts, vals)) >= 0)
		return rc;
	if (!want_operands(argc, 3, 3, "user", &cmd_add))
		return CLI_USAGE;
	if (vals[0] != NULL && (cnt_role_parse(vals[0], &role) != CNT_OK ||
	    role == CNT_ROLE_GUEST)) {
		fprintf(stderr, "cinetty user add: --role is customer, staff"
		    " or admin\n");
		return CLI_USAGE;
	}
	su.username = argv[optind];
	su.email = argv[optind + 1];
	su.full_name = argv[optind + 2];
	su.password = "";
	/* The other fields first: no point typing a password for nothing. */
	if (cnt_signup_validate(&su, &err) != CNT_OK &&
	    strcmp(err.field, "password") != 0)
		return cli_fail("user add", &err);
	if ((pw = new_password("user add", vals[1] != NULL)) == NULL)
		return CLI_REFUSED;
	su.password = pw;
	rc = cnt_account_create(ctx, &sys, &su, role, &acc, &err);
	free_password(pw);
	if (rc != CNT_OK)
		return cli_fail("user add", &err);
	printf("user add: %s (id %lld, %s) created\n", acc.username,
	    (long long)acc.id, cnt_role_name(acc.role));
	cnt_account_free(&acc);
	return CLI_OK;
}

static const struct user_cmd cmd_add = {
	"add", "[--role customer|staff|admin] [--password-stdin]"
	" USERNAME EMAIL FULL-NAME",
	"Create an account (a customer unless --role says otherwise). The\n"
	"password is read from standard input: asked twice on a terminal,\n"
	"else the first line.", user_add
};

static const struct user_cmd cmd_list;

static int
user_list(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 0 },
		{ "offset", required_argument, NULL, 0 },
		{ NULL, 0, NULL, 0 }
	};
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	const char     *vals[2] = { NULL, NULL };
	struct cnt_account *a;
	struct cnt_error err;
	size_t		n, i;
	char		idb[I64BUF], date[16];
	int		rc, limit = 0, offset = 0;
	int		wid = 2, wuser = 8, wrole = 4, wmail = 5;

	if ((rc = parse_opts(argc, argv, "user", &cmd_list, opts, vals)) >= 0)
		return rc;
	if (!want_operands(argc, 0, 1, "user", &cmd_list))
		return CLI_USAGE;
	if ((vals[0] != NULL && (limit = atoi(vals[0])) <= 0) ||
	    (vals[1] != NULL && (offset = atoi(vals[1])) < 0)) {
		fprintf(stderr, "cinetty user list: --limit and --offset take"
		    " a number\n");
		return CLI_USAGE;
	}
	if (cnt_account_list(ctx, &sys, optind < argc ? argv[optind] : NULL,
	    offset, limit, &a, &n, &err) != CNT_OK)
		return cli_fail("user list", &err);
	for (i = 0; i < n; i++) {
		wid = max_int(wid, strlen(i64str(idb, a[i].id)));
		wuser = max_int(wuser, strlen(a[i].username));
		wrole = max_int(wrole, strlen(cnt_role_name(a[i].role)));
		wmail = max_int(wmail, strlen(a[i].email));
	}
	printf("%*s  %-*s  %-*s  %-6s  %-10s  %-*s  %s\n", wid, "ID", wuser,
	    "USERNAME", wrole, "ROLE", "STATE", "CREATED", wmail, "EMAIL",
	    "NAME");
	for (i = 0; i < n; i++) {
		format_date(a[i].created_at, date, sizeof date);
		printf("%*lld  %-*s  %-*s  %-6s  %-10s  %-*s  %s\n", wid,
		    (long long)a[i].id, wuser, a[i].username, wrole,
		    cnt_role_name(a[i].role), a[i].locked ? "locked" : "active",
		    date, wmail, a[i].email, a[i].full_name);
	}
	cnt_accounts_free(a, n);
	return CLI_OK;
}

static const struct user_cmd cmd_list = {
	"list", "[--limit N] [--offset N] [SEARCH]",
	"List accounts by username, or those whose username, email or name\n"
	"contains SEARCH (case-insensitive).", user_list
};

/* ------------------------------------------------------------------ */
/* promote / demote / lock / unlock / passwd                            */

static const struct user_cmd cmd_promote, cmd_demote;

/* Change USER's role to the operand or DEF; UP says which way it may go. */
static int
change_role(struct cnt_ctx *ctx, int argc, char **argv,
    const struct user_cmd *c, enum cnt_role def, int up)
{
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_account acc;
	struct cnt_error err;
	enum cnt_role	role = def;
	char		what[32];
	int		rc;

	if ((rc = parse_opts(argc, argv, "user", c, NULL, NULL)) >= 0)
		return rc;
	if (!want_operands(argc, 1, 2, "user", c))
		return CLI_USAGE;
	snprintf(what, sizeof what, "user %s", c->name);
	if (optind + 1 < argc && (cnt_role_parse(argv[optind + 1], &role) !=
	    CNT_OK || role == CNT_ROLE_GUEST)) {
		fprintf(stderr, "cinetty %s: a role is customer, staff or"
		    " admin\n", what);
		return CLI_USAGE;
	}
	if ((rc = get_account(ctx, what, argv[optind], &acc)) != CLI_OK)
		return rc;
	if (acc.role == role) {
		printf("%s: %s is already %s\n", what, acc.username,
		    cnt_role_name(role));
		cnt_account_free(&acc);
		return CLI_OK;
	}
	if ((role > acc.role) != up) {
		fprintf(stderr, "cinetty %s: %s is %s; use `cinetty user %s`"
		    " to make it %s\n", what, acc.username,
		    cnt_role_name(acc.role), up ? "demote" : "promote",
		    cnt_role_name(role));
		cnt_account_free(&acc);
		return CLI_REFUSED;
	}
	if (cnt_account_set_role(ctx, &sys, acc.id, role, &err) != CNT_OK) {
		cnt_account_free(&acc);
		return cli_fail(what, &err);
	}
	printf("%s: %s is now %s (was %s)\n", what, acc.username,
	    cnt_role_name(role), cnt_role_name(acc.role));
	cnt_account_free(&acc);
	return CLI_OK;
}

static int
user_promote(struct cnt_ctx *ctx, int argc, char **argv)
{
	return change_role(ctx, argc, argv, &cmd_promote, CNT_ROLE_ADMIN, 1);
}

static int
user_demote(struct cnt_ctx *ctx, int argc, char **argv)
{
	return change_role(ctx, argc, argv, &cmd_demote, CNT_ROLE_CUSTOMER, 0);
}

static const struct user_cmd cmd_promote = {
	"promote", "USERNAME [staff|admin]",
	"Give an account a higher role (admin unless given).", user_promote
};

static const struct user_cmd cmd_demote = {
	"demote", "USERNAME [customer|staff]",
	"Give an account a lower role (customer unless given). The last\n"
	"admin who can sign in cannot be demoted.", user_demote
};

static const struct user_cmd cmd_lock, cmd_unlock;

static int
set_locked(struct cnt_ctx *ctx, int argc, char **argv,
    const struct user_cmd *c, bool locked)
{
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_account acc;
	struct cnt_error err;
	char		what[32];
	int		rc;

	if ((rc = parse_opts(argc, argv, "user", c, NULL, NULL)) >= 0)
		return rc;
	if (!want_operands(argc, 1, 1, "user", c))
		return CLI_USAGE;
	snprintf(what, sizeof what, "user %s", c->name);
	if ((rc = get_account(ctx, what, argv[optind], &acc)) != CLI_OK)
		return rc;
	rc = cnt_account_set_locked(ctx, &sys, acc.id, locked, &err);
	if (rc == CNT_OK)
		printf("%s: %s is %s\n", what, acc.username,
		    locked ? "locked" : "unlocked");
	cnt_account_free(&acc);
	return rc == CNT_OK ? CLI_OK : cli_fail(what, &err);
}

static int
user_lock(struct cnt_ctx *ctx, int argc, char **argv)
{
	return set_locked(ctx, argc, argv, &cmd_lock, true);
}

static int
user_unlock(struct cnt_ctx *ctx, int argc, char **argv)
{
	return set_locked(ctx, argc, argv, &cmd_unlock, false);
}

static const struct user_cmd cmd_lock = {
	"lock", "USERNAME",
	"Refuse all sign-ins of an account (password and key). The last\n"
	"admin who can sign in cannot be locked.", user_lock
};

static const struct user_cmd cmd_unlock = {
	"unlock", "USERNAME", "Allow a locked account to sign in again.",
	user_unlock
};

static const struct user_cmd cmd_passwd;

static int
user_passwd(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "password-stdin", no_argument, NULL, 0 },
		{ NULL, 0, NULL, 0 }
	};
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	const char     *vals[1] = { NULL };
	struct cnt_account acc;
	struct cnt_error err;
	char	       *pw;
	int		rc;

	if ((rc = parse_opts(argc, argv, "user", &cmd_passwd, opts, vals)) >= 0)
		return rc;
	if (!want_operands(argc, 1, 1, "user", &cmd_passwd))
		return CLI_USAGE;
	if ((rc = get_account(ctx, "user passwd", argv[optind], &acc)) !=
	    CLI_OK)
		return rc;
	if ((pw = new_password("user passwd", vals[0] != NULL)) == NULL) {
		cnt_account_free(&acc);
		return CLI_REFUSED;
	}
	rc = cnt_account_set_password(ctx, &sys, acc.id, pw, &err);
	free_password(pw);
	if (rc == CNT_OK)
		printf("user passwd: password of %s changed\n", acc.username);
	cnt_account_free(&acc);
	return rc == CNT_OK ? CLI_OK : cli_fail("user passwd", &err);
}

static const struct user_cmd cmd_passwd = {
	"passwd", "[--password-stdin] USERNAME",
	"Set an account's password, read from standard input (asked twice\n"
	"on a terminal, else the first line).", user_passwd
};

/* ------------------------------------------------------------------ */
/* key add / list / rm                                                  */

static const struct user_cmd cmd_key_add, cmd_key_list, cmd_key_rm;

static int
key_add(struct cnt_ctx *ctx, int argc, char **argv)
{
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_account acc;
	struct cnt_sshkey key;
	struct cnt_error err;
	const char     *file;
	FILE	       *f;
	char	       *line;
	int		rc, lineno = 0, added = 0, failed = 0;

	if ((rc = parse_opts(argc, argv, "user key", &cmd_key_add, NULL,
	    NULL)) >= 0)
		return rc;
	if (!want_operands(argc, 1, 2, "user key", &cmd_key_add))
		return CLI_USAGE;
	file = optind + 1 < argc ? argv[optind + 1] : "-";
	if ((rc = get_account(ctx, "user key add", argv[optind], &acc)) !=
	    CLI_OK)
		return rc;
	if (strcmp(file, "-") == 0)
		f = stdin;
	else if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "cinetty user key add: %s: cannot read it\n",
		    file);
		cnt_account_free(&acc);
		return CLI_REFUSED;
	}
	while ((line = read_line(f)) != NULL) {
		const char *p = line + strspn(line, " \t");

		lineno++;
		if (*p == '\0' || *p == '#') {
			free(line);
			continue;
		}
		if (cnt_sshkey_add(ctx, &sys, acc.id, line, &key, &err) ==
		    CNT_OK) {
			printf("user key add: %s: key %lld %s %s%s%s\n",
			    acc.username, (long long)key.id, key.type,
			    key.fingerprint, key.comment[0] != '\0' ? " " : "",
			    key.comment);
			cnt_sshkey_free(&key);
			added++;
		} else {
			fprintf(stderr, "cinetty user key add: %s line %d: %s\n",
			    strcmp(file, "-") == 0 ? "input" : file, lineno,
			    err.msg);
			failed++;
		}
		free(line);
	}
	if (f != stdin)
		fclose(f);
	if (added == 0 && failed == 0)
		fprintf(stderr, "cinetty user key add: no key line in %s\n",
		    strcmp(file, "-") == 0 ? "the input" : file);
	cnt_account_free(&acc);
	return failed == 0 && added > 0 ? CLI_OK : CLI_REFUSED;
}

static const struct user_cmd cmd_key_add = {
	"add", "USERNAME [FILE|-]",
	"Register the public keys in FILE (authorized_keys format, one a line,\n"
	"e.g. ~/.ssh/id_ed25519.pub; standard input by default) for sign-in.",
	key_add
};

static int
key_list(struct cnt_ctx *ctx, int argc, char **argv)
{
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_account acc;
	struct cnt_sshkey *k;
	struct cnt_error err;
	size_t		n, i;
	char		idb[I64BUF], date[16];
	int		rc, wid = 2, wtype = 4, wfp = 11;

	if ((rc = parse_opts(argc, argv, "user key", &cmd_key_list, NULL,
	    NULL)) >= 0)
		return rc;
	if (!want_operands(argc, 1, 1, "user key", &cmd_key_list))
		return CLI_USAGE;
	if ((rc = get_account(ctx, "user key list", argv[optind], &acc)) !=
	    CLI_OK)
		return rc;
	rc = cnt_sshkey_list(ctx, &sys, acc.id, &k, &n, &err);
	cnt_account_free(&acc);
	if (rc != CNT_OK)
		return cli_fail("user key list", &err);
	for (i = 0; i < n; i++) {
		wid = max_int(wid, strlen(i64str(idb, k[i].id)));
		wtype = max_int(wtype, strlen(k[i].type));
		wfp = max_int(wfp, strlen(k[i].fingerprint));
	}
	printf("%*s  %-*s  %-*s  %-10s  %s\n", wid, "ID", wtype, "TYPE", wfp,
	    "FINGERPRINT", "ADDED", "COMMENT");
	for (i = 0; i < n; i++) {
		format_date(k[i].created_at, date, sizeof date);
		printf("%*lld  %-*s  %-*s  %-10s  %s\n", wid,
		    (long long)k[i].id, wtype, k[i].type, wfp,
		    k[i].fingerprint, date, k[i].comment);
	}
	cnt_sshkeys_free(k, n);
	return CLI_OK;
}

static const struct user_cmd cmd_key_list = {
	"list", "USERNAME",
	"List an account's keys with their SHA256 fingerprints (as\n"
	"ssh-keygen -lf prints them).", key_list
};

static int
key_rm(struct cnt_ctx *ctx, int argc, char **argv)
{
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_account acc;
	struct cnt_sshkey *k;
	struct cnt_error err;
	const char     *want;
	char		idb[I64BUF];
	size_t		n, i;
	int		rc;

	if ((rc = parse_opts(argc, argv, "user key", &cmd_key_rm, NULL,
	    NULL)) >= 0)
		return rc;
	if (!want_operands(argc, 2, 2, "user key", &cmd_key_rm))
		return CLI_USAGE;
	want = argv[optind + 1];
	if ((rc = get_account(ctx, "user key rm", argv[optind], &acc)) !=
	    CLI_OK)
		return rc;
	rc = cnt_sshkey_list(ctx, &sys, acc.id, &k, &n, &err);
	if (rc != CNT_OK) {
		cnt_account_free(&acc);
		return cli_fail("user key rm", &err);
	}
	/* by id, by fingerprint, or by fingerprint without "SHA256:" */
	for (i = 0; i < n; i++)
		if (strcmp(want, i64str(idb, k[i].id)) == 0 ||
		    strcmp(want, k[i].fingerprint) == 0 ||
		    strcmp(want, k[i].fingerprint + 7) == 0)
			break;
	if (i == n) {
		fprintf(stderr, "cinetty user key rm: %s has no key %s (see"
		    " `cinetty user key list %s`)\n", acc.username, want,
		    acc.username);
		cnt_sshkeys_free(k, n);
		cnt_account_free(&acc);
		return CLI_REFUSED;
	}
	rc = cnt_sshkey_remove(ctx, &sys, k[i].id, &err);
	if (rc == CNT_OK)
		printf("user key rm: %s: key %lld %s removed\n", acc.username,
		    (long long)k[i].id, k[i].fingerprint);
	cnt_sshkeys_free(k, n);
	cnt_account_free(&acc);
	return rc == CNT_OK ? CLI_OK : cli_fail("user key rm", &err);
}

static const struct user_cmd cmd_key_rm = {
	"rm", "USERNAME ID|FINGERPRINT",
	"Remove one of an account's keys, named by its id or fingerprint\n"
	"(from `cinetty user key list`).", key_rm
};

static const struct user_cmd *const key_cmds[] = {
	&cmd_key_add, &cmd_key_list, &cmd_key_rm
};
#define NKEYCMDS (sizeof key_cmds / sizeof key_cmds[0])

static void
key_usage(FILE *f)
{
	size_t	i;

	for (i = 0; i < NKEYCMDS; i++)
		cmd_usage(f, "user key", key_cmds[i]);
}

static int
user_key(struct cnt_ctx *ctx, int argc, char **argv)
{
	size_t	i;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		key_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	for (i = 0; i < NKEYCMDS; i++)
		if (strcmp(argv[1], key_cmds[i]->name) == 0)
			return key_cmds[i]->run(ctx, argc - 1, argv + 1);
	fprintf(stderr, "cinetty user key: unknown command \"%s\"\n", argv[1]);
	key_usage(stderr);
	return CLI_USAGE;
}

static const struct user_cmd cmd_key = {
	"key", "add|list|rm ...", "Manage an account's SSH public keys.",
	user_key
};

/* ------------------------------------------------------------------ */

static const struct user_cmd *const user_cmds[] = {
	&cmd_add, &cmd_list, &cmd_promote, &cmd_demote, &cmd_lock,
	&cmd_unlock, &cmd_passwd, &cmd_key
};
#define NUSERCMDS (sizeof user_cmds / sizeof user_cmds[0])

static void
user_usage(FILE *f)
{
	size_t	i;

	for (i = 0; i < NUSERCMDS; i++) {
		if (user_cmds[i] == &cmd_key)
			key_usage(f);
		else
			cmd_usage(f, "user", user_cmds[i]);
	}
	fprintf(f, "`cinetty user COMMAND --help` describes a command.\n");
}

static int
user_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	size_t	i;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		user_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	for (i = 0; i < NUSERCMDS; i++)
		if (strcmp(argv[1], user_cmds[i]->name) == 0)
			return user_cmds[i]->run(ctx, argc - 1, argv + 1);
	fprintf(stderr, "cinetty user: unknown command \"%s\"\n", argv[1]);
	user_usage(stderr);
	return CLI_USAGE;
}

const struct cli_cmd cli_cmd_user = {
	"user", "accounts, roles and SSH keys", user_run
};
