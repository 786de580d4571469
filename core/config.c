/*
 * config.c - cinetty.conf and its overrides.
 *
 * Every key is listed once in config_table with its type, default and a line
 * of help; the loader, the environment overrides, `cinettyd -t` and the man
 * page's key list all follow this table. Order of precedence: defaults, the
 * file, CINETTY_<KEY> environment variables, command-line "key=value".
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cinetty.h"

enum cfg_type { CFG_INT, CFG_BOOL, CFG_STRING, CFG_LIST };

struct cfg_entry {
	struct cnt_config_key key;
	enum cfg_type	type;
	size_t		off;		/* of the value in struct cnt_config */
	size_t		count_off;	/* CFG_LIST: of the count */
	long		min, max;	/* CFG_INT */
};

#define INT(n, d, lo, hi, h) \
	{ { #n, "int", d, h }, CFG_INT, offsetof(struct cnt_config, n), 0, lo, hi }
#define BOOL(n, d, h) \
	{ { #n, "bool", d, h }, CFG_BOOL, offsetof(struct cnt_config, n), 0, 0, 0 }
#define STR(n, d, h) \
	{ { #n, "string", d, h }, CFG_STRING, offsetof(struct cnt_config, n), 0, 0, 0 }
#define LIST(n, d, h) \
	{ { #n, "list", d, h }, CFG_LIST, offsetof(struct cnt_config, n), \
	    offsetof(struct cnt_config, n##_count_), 0, 0 }

/* struct cnt_config names the counts nlisten/nhost_key. */
#define listen_count_	nlisten
#define host_key_count_	nhost_key

static const struct cfg_entry config_table[] = {
	STR(cinema_name, "cinetty", "name of the cinema shown on the welcome screen"),
	STR(timezone, "UTC", "time zone of the cinema, for \"today\" and show times"),
	STR(log_level, "info", "debug, info, warn or error"),
	STR(share_dir, "", "folder holding db/ and seed/ (default: built-in path)"),

	STR(database, "", "PostgreSQL conninfo or URI; empty uses the PG* environment"),
	STR(redis, "127.0.0.1:6379", "Redis address: unix:/path or host:port"),
	STR(redis_password, "", "Redis AUTH password, if any"),
	INT(redis_db, "0", 0, 15, "Redis database number"),
	INT(redis_timeout_ms, "200", 10, 60000, "longest wait for Redis before giving up"),
	INT(db_idle_seconds, "60", 0, 86400, "close an unused PostgreSQL connection after this"),
	INT(statement_timeout_ms, "5000", 0, 3600000, "PostgreSQL statement_timeout (0 = none)"),

	INT(hold_minutes, "10", 1, 120, "how long selected seats stay held"),
	INT(max_seats_per_booking, "10", 1, 100, "most seats in one booking"),
	INT(cancel_cutoff_minutes, "60", 0, 10080, "customers cancel up to this long before the start"),
	INT(complete_after_minutes, "5", 0, 1440, "bookings complete this long after the show ends"),
	INT(trailer_minutes, "15", 0, 120, "ads and trailers added to a film's runtime"),
	INT(cleaning_minutes, "15", 0, 240, "buffer between two shows in one theatre"),
	INT(checkin_open_minutes, "60", 0, 1440, "check-in opens this long before the start"),

	INT(argon2_t_cost, "2", 1, 100, "argon2id passes"),
	INT(argon2_m_kib, "19456", 8, 4194304, "argon2id memory in KiB"),
	INT(argon2_parallelism, "1", 1, 64, "argon2id lanes"),
	INT(login_max_failures, "5", 1, 1000, "failed sign-ins allowed per window"),
	INT(login_window_seconds, "300", 1, 86400, "window for counting failed sign-ins"),
	INT(login_lockout_seconds, "30", 1, 86400, "first refusal delay; doubles each time"),

	INT(job_max_attempts, "8", 1, 100, "tries before a job goes to the dead letters"),
	INT(job_lease_seconds, "30", 1, 3600, "a claimed job is retried if not done in this time"),
	INT(sweep_seconds, "30", 1, 3600, "how often the worker sweeps PostgreSQL for missed work"),
	STR(mail_command, "/usr/sbin/sendmail -t -i", "mailer fed each message on stdin; empty keeps mail queued"),
	STR(mail_from, "cinetty@localhost", "From: address of mail"),

	LIST(listen, "127.0.0.1:2222", "address:port to listen on; repeat the key for several"),
	LIST(host_key, "/var/lib/cinetty/ssh_host_ed25519_key", "SSH host key file; created if missing"),
	STR(guest_user, "guest", "user name that gets in without a password"),
	STR(user, "", "switch to this user after binding when started as root"),
	BOOL(worker, "no", "run a job worker child inside cinettyd"),
	INT(login_grace_seconds, "30", 1, 3600, "time allowed for key exchange and sign-in"),
	INT(idle_minutes, "15", 0, 1440, "close idle sessions after this (0 = never)"),
	INT(max_sessions, "500", 1, 100000, "most sessions at once"),
	INT(max_sessions_per_address, "10", 1, 100000, "most sessions from one address"),
	INT(max_startups, "20", 1, 10000, "most unauthenticated connections at once"),
	INT(max_auth_tries, "6", 1, 100, "sign-in attempts per connection"),
	INT(shutdown_grace_seconds, "30", 0, 3600, "on SIGTERM, wait this long for sessions"),
};

#define NKEYS (sizeof config_table / sizeof config_table[0])

const struct cnt_config_key *
cnt_config_keys(size_t *count)
{
	static struct cnt_config_key keys[NKEYS];
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		keys[i] = config_table[i].key;
	*count = NKEYS;
	return keys;
}

static const struct cfg_entry *
config_find(const char *name)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++) {
		if (strcmp(config_table[i].key.name, name) == 0)
			return &config_table[i];
	}
	return NULL;
}

static void
list_clear(struct cnt_config *cfg, const struct cfg_entry *e)
{
	char  **items = (char **)((char *)cfg + e->off);
	int    *n = (int *)((char *)cfg + e->count_off);
	int	i;

	for (i = 0; i < *n; i++) {
		free(items[i]);
		items[i] = NULL;
	}
	*n = 0;
}

/*
 * Store VALUE in the field of E. A list key given again appends, except that
 * the first value from a new ORIGIN replaces the defaults (so a file's
 * "listen" lines replace the default address rather than adding to it).
 */
static int
config_store(struct cnt_config *cfg, const struct cfg_entry *e,
    const char *value, const char *origin, struct cnt_error *err)
{
	void   *field = (char *)cfg + e->off;
	char   *end;
	long	v;

	switch (e->type) {
	case CFG_INT:
		errno = 0;
		v = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0)
			return cnt_error_field(err, CNT_E_INVALID, e->key.name,
			    "%s: %s: not a whole number: \"%s\"", origin,
			    e->key.name, value);
		if (v < e->min || v > e->max)
			return cnt_error_field(err, CNT_E_INVALID, e->key.name,
			    "%s: %s: %ld is out of range %ld..%ld", origin,
			    e->key.name, v, e->min, e->max);
		*(int *)field = (int)v;
		break;
	case CFG_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "on") == 0 || strcmp(value, "1") == 0)
			*(bool *)field = true;
		else if (strcmp(value, "no") == 0 ||
		    strcmp(value, "false") == 0 || strcmp(value, "off") == 0 ||
		    strcmp(value, "0") == 0)
			*(bool *)field = false;
		else
			return cnt_error_field(err, CNT_E_INVALID, e->key.name,
			    "%s: %s: expected yes or no, not \"%s\"", origin,
			    e->key.name, value);
		break;
	case CFG_STRING:
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		break;
	case CFG_LIST: {
		char  **items = field;
		int    *n = (int *)((char *)cfg + e->count_off);

		if (*value == '\0')
			return cnt_error_field(err, CNT_E_INVALID, e->key.name,
			    "%s: %s: empty value", origin, e->key.name);
		if (*n >= CNT_CONFIG_MAXLIST)
			return cnt_error_field(err, CNT_E_INVALID, e->key.name,
			    "%s: %s: more than %d values", origin, e->key.name,
			    CNT_CONFIG_MAXLIST);
		items[(*n)++] = xstrdup(value);
		break;
	}
	}
	return CNT_OK;
}

/* Checks that need the meaning of a value, not only its type. */
static int
config_check(const struct cnt_config *cfg, const struct cfg_entry *e,
    const char *origin, struct cnt_error *err)
{
	enum cnt_loglevel level;
	const char     *s;
	int		i, n;

	if (strcmp(e->key.name, "log_level") == 0 &&
	    cnt_log_parse_level(cfg->log_level, &level) != CNT_OK)
		return cnt_error_field(err, CNT_E_INVALID, e->key.name,
		    "%s: log_level: expected debug, info, warn or error, not "
		    "\"%s\"", origin, cfg->log_level);
	if (strcmp(e->key.name, "listen") == 0) {
		s = cfg->listen[cfg->nlisten - 1];
		n = -1;
		/* host:port or [v6]:port; the port is 1..65535 */
		const char *colon = strrchr(s, ':');
		if (colon != NULL && colon[1] != '\0') {
			char   *end;
			long	port = strtol(colon + 1, &end, 10);

			if (*end == '\0' && port >= 1 && port <= 65535)
				n = (int)port;
		}
		if (n < 0 || colon == s)
			return cnt_error_field(err, CNT_E_INVALID, e->key.name,
			    "%s: listen: expected address:port (port 1-65535),"
			    " not \"%s\"", origin, s);
	}
	if (strcmp(e->key.name, "redis") == 0) {
		s = cfg->redis;
		if (strncmp(s, "unix:", 5) == 0) {
			if (s[5] != '/')
				return cnt_error_field(err, CNT_E_INVALID,
				    e->key.name, "%s: redis: unix: needs an "
				    "absolute socket path", origin);
		} else {
			const char *colon = strrchr(s, ':');
			char	   *end;
			long	    port;

			if (colon == NULL || colon == s)
				return cnt_error_field(err, CNT_E_INVALID,
				    e->key.name, "%s: redis: expected host:port "
				    "or unix:/path, not \"%s\"", origin, s);
			port = strtol(colon + 1, &end, 10);
			if (*end != '\0' || port < 1 || port > 65535)
				return cnt_error_field(err, CNT_E_INVALID,
				    e->key.name, "%s: redis: bad port in \"%s\"",
				    origin, s);
		}
	}
	if (strcmp(e->key.name, "guest_user") == 0) {
		for (i = 0; cfg->guest_user[i] != '\0'; i++)
			if (!isalnum((unsigned char)cfg->guest_user[i]) &&
			    strchr("._-", cfg->guest_user[i]) == NULL)
				return cnt_error_field(err, CNT_E_INVALID,
				    e->key.name, "%s: guest_user: letters, digits"
				    " and ._- only", origin);
	}
	return CNT_OK;
}

int
cnt_config_set(struct cnt_config *cfg, const char *key, const char *value,
    const char *origin, struct cnt_error *err)
{
	const struct cfg_entry *e = config_find(key);

	if (e == NULL)
		return cnt_error_field(err, CNT_E_INVALID, key,
		    "%s: unknown key \"%s\"", origin, key);
	if (config_store(cfg, e, value, origin, err) != CNT_OK)
		return CNT_ERR;
	return config_check(cfg, e, origin, err);
}

/* KEY's value in CFG as text (lists joined with ", "); NULL if unknown. */
char *
cnt_config_get(const struct cnt_config *cfg, const char *key)
{
	const struct cfg_entry *e = config_find(key);
	const char     *field;
	char	       *s, *t;
	int		i, n;

	if (e == NULL)
		return NULL;
	field = (const char *)cfg + e->off;
	switch (e->type) {
	case CFG_INT:
		return xasprintf("%d", *(const int *)field);
	case CFG_BOOL:
		return xstrdup(*(const bool *)field ? "yes" : "no");
	case CFG_STRING:
		return xstrdup(*(char *const *)field);
	case CFG_LIST:
		n = *(const int *)((const char *)cfg + e->count_off);
		s = xstrdup("");
		for (i = 0; i < n; i++) {
			t = xasprintf("%s%s%s", s, i > 0 ? ", " : "",
			    ((char *const *)field)[i]);
			free(s);
			s = t;
		}
		return s;
	}
	return NULL;
}

void
cnt_config_init(struct cnt_config *cfg)
{
	size_t	i;

	memset(cfg, 0, sizeof *cfg);
	for (i = 0; i < NKEYS; i++) {
		/* Defaults are checked by the unit tests; they cannot fail. */
		if (config_store(cfg, &config_table[i], config_table[i].key.def,
		    "default", NULL) != CNT_OK)
			abort();
	}
}

void
cnt_config_free(struct cnt_config *cfg)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++) {
		const struct cfg_entry *e = &config_table[i];

		if (e->type == CFG_STRING) {
			char  **p = (char **)((char *)cfg + e->off);

			free(*p);
			*p = NULL;
		} else if (e->type == CFG_LIST)
			list_clear(cfg, e);
	}
}

/* Make DST an independent copy of SRC (DST is overwritten, not freed). */
void
cnt_config_copy(struct cnt_config *dst, const struct cnt_config *src)
{
	size_t	i;
	int	j;

	memcpy(dst, src, sizeof *dst);
	for (i = 0; i < NKEYS; i++) {
		const struct cfg_entry *e = &config_table[i];

		if (e->type == CFG_STRING) {
			char  **p = (char **)((char *)dst + e->off);

			*p = xstrdup(*p != NULL ? *p : "");
		} else if (e->type == CFG_LIST) {
			char  **items = (char **)((char *)dst + e->off);
			int	n = *(int *)((char *)dst + e->count_off);

			for (j = 0; j < n; j++)
				items[j] = xstrdup(items[j]);
		}
	}
}

static char *
trim(char *s)
{
	char   *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Remove one level of matching double quotes, as in: name = "Cine Nova". */
static char *
unquote(char *s)
{
	size_t	len = strlen(s);

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s[len - 1] = '\0';
		return s + 1;
	}
	return s;
}

int
cnt_config_load_file(struct cnt_config *cfg, const char *path,
    struct cnt_error *err)
{
	FILE   *f;
	int	rc;

	if ((f = fopen(path, "r")) == NULL)
		return cnt_error_set(err, CNT_E_INVALID, "%s: %s", path,
		    strerror(errno));
	rc = cnt_config_load_stream(cfg, f, path, err);
	fclose(f);
	return rc;
}

/* Read configuration lines from F; PATH names it in messages. */
int
cnt_config_load_stream(struct cnt_config *cfg, FILE *f, const char *path,
    struct cnt_error *err)
{
	char	       *line = NULL, *key, *value, *eq, origin[512];
	size_t		cap = 0;
	ssize_t		len;
	unsigned	lineno = 0;
	bool		seen_list[NKEYS] = { false };
	int		rc = CNT_OK;

	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		snprintf(origin, sizeof origin, "%s:%u", path, lineno);
		if ((size_t)len != strlen(line)) {
			rc = cnt_error_set(err, CNT_E_INVALID,
			    "%s: NUL byte in line", origin);
			break;
		}
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			rc = cnt_error_set(err, CNT_E_INVALID,
			    "%s: expected \"key = value\"", origin);
			break;
		}
		*eq = '\0';
		key = trim(key);
		value = unquote(trim(eq + 1));
		if (*key == '\0') {
			rc = cnt_error_set(err, CNT_E_INVALID,
			    "%s: missing key before \"=\"", origin);
			break;
		}
		const struct cfg_entry *e = config_find(key);
		if (e == NULL) {
			rc = cnt_error_field(err, CNT_E_INVALID, key,
			    "%s: unknown key \"%s\"", origin, key);
			break;
		}
		/* The file's first value of a list replaces the default. */
		if (e->type == CFG_LIST && !seen_list[e - config_table]) {
			list_clear(cfg, e);
			seen_list[e - config_table] = true;
		}
		if ((rc = cnt_config_set(cfg, key, value, origin, err)) != CNT_OK)
			break;
	}
	if (rc == CNT_OK && ferror(f))
		rc = cnt_error_set(err, CNT_E_INVALID, "%s: read error", path);
	free(line);
	return rc;
}

int
cnt_config_load_env(struct cnt_config *cfg, struct cnt_error *err)
{
	char	name[96], origin[128];
	size_t	i, j;

	for (i = 0; i < NKEYS; i++) {
		const struct cfg_entry *e = &config_table[i];
		const char *v;

		snprintf(name, sizeof name, "CINETTY_%s", e->key.name);
		for (j = 8; name[j] != '\0'; j++)
			name[j] = (char)toupper((unsigned char)name[j]);
		if ((v = getenv(name)) == NULL)
			continue;
		snprintf(origin, sizeof origin, "environment %s", name);
		if (e->type == CFG_LIST)
			list_clear(cfg, e);
		if (cnt_config_set(cfg, e->key.name, v, origin, err) != CNT_OK)
			return CNT_ERR;
	}
	return CNT_OK;
}

int
cnt_config_set_arg(struct cnt_config *cfg, const char *arg,
    struct cnt_error *err)
{
	const char *eq = strchr(arg, '=');
	char	   *key;
	int	    rc;

	if (eq == NULL || eq == arg)
		return cnt_error_set(err, CNT_E_INVALID,
		    "option \"%s\": expected key=value", arg);
	key = xstrndup(arg, (size_t)(eq - arg));
	rc = cnt_config_set(cfg, key, eq + 1, "command line", err);
	free(key);
	return rc;
}
