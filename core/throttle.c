/*
 * throttle.c - sign-in throttling.
 *
 * Sign-in attempts are counted per source address and per account, each in
 * a Redis hash (cinetty:throttle:addr:PEER, cinetty:throttle:acct:LOGIN):
 * attempts in the current window of login_window_seconds. An attempt is
 * counted when it is let through (cnt_throttle_check reserves it), before
 * the password is checked, so parallel attempts cannot slip past the limit:
 * once login_max_failures attempts are reserved the next one locks the key
 * for login_lockout_seconds, doubling with each lockout while the key lives
 * (it expires one quiet window after the lock ends). A failure that fills
 * the quota locks at once; a success gives the address its attempt back and
 * clears the account's counter. An attempt that could not be decided (the
 * database was down) stays counted. Each step is one Lua script; when
 * Redis is down the same rules run on a small per-process table instead.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "redis-internal.h"

#define THROTTLE_MAX_LOCK_MS	86400000LL	/* one day */
#define THROTTLE_TABLE		512		/* per-process fallback slots */
#define THROTTLE_KEYLEN		160

enum throttle_op { OP_CHECK, OP_FAIL, OP_OK };
static const char *const throttle_op_names[] = { "check", "fail", "ok" };

/*
 * KEYS: the counters (the address's first, then the account's; either may
 * be absent). ARGV: now_ms max window_ms lockout_ms op naddr, where op is
 *   check  reserve an attempt on every key, unless one is locked or full
 *          (a full one is locked now and nothing is reserved)
 *   fail   lock every key whose reserved attempts fill its quota
 *   ok     give the address its attempt back, clear the account
 * and naddr is 1 when KEYS[1] is an address. Returns the ms the caller
 * must wait (0: go ahead).
 */
static struct cnt_redis_script script_throttle = { "throttle",
"local now = tonumber(ARGV[1])\n"
"local max, win, lock = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
"local op, naddr = ARGV[5], tonumber(ARGV[6])\n"
"local st, wait, full = {}, 0, false\n"
"for i = 1, #KEYS do\n"
"  local h = redis.call('HMGET', KEYS[i], 'fails', 'wstart', 'until', 'locks')\n"
"  local s = { fails = tonumber(h[1]) or 0, wstart = tonumber(h[2]) or 0,\n"
"    untl = tonumber(h[3]) or 0, locks = tonumber(h[4]) or 0, dirty = false }\n"
"  if s.untl <= now and now - s.wstart >= win then s.fails = 0; s.wstart = now end\n"
"  if s.untl > now and s.untl - now > wait then wait = s.untl - now end\n"
"  if s.untl <= now and s.fails >= max then full = true end\n"
"  st[i] = s\n"
"end\n"
"local function lockit(s)\n"
"  s.locks = s.locks + 1\n"
"  local d = lock * 2 ^ (s.locks - 1)\n"
"  if d > 86400000 then d = 86400000 end\n"
"  s.untl = now + d; s.fails = 0; s.wstart = s.untl; s.dirty = true\n"
"  if d > wait then wait = d end\n"
"end\n"
"for i = 1, #KEYS do\n"
"  local s = st[i]\n"
"  if s.untl <= now then\n"
"    if op == 'check' and wait == 0 and not full then\n"
"      s.fails = s.fails + 1; s.dirty = true\n"
"    elseif (op == 'check' or op == 'fail') and s.fails >= max then\n"
"      lockit(s)\n"
"    elseif op == 'ok' and i <= naddr and s.fails > 0 then\n"
"      s.fails = s.fails - 1; s.dirty = true\n"
"    end\n"
"  end\n"
"  if op == 'ok' and i > naddr then\n"
"    redis.call('DEL', KEYS[i])\n"
"  elseif s.dirty then\n"
"    redis.call('HSET', KEYS[i], 'fails', s.fails, 'wstart',\n"
"      string.format('%d', s.wstart), 'until', string.format('%d', s.untl),\n"
"      'locks', s.locks)\n"
"    local ttl = win\n"
"    if s.untl > now then ttl = s.untl - now + win end\n"
"    redis.call('PEXPIRE', KEYS[i], string.format('%d', ttl))\n"
"  end\n"
"end\n"
"if op == 'ok' then wait = 0 end\n"
"return string.format('%d', wait)\n", "" };

/* The per-process fallback: the same rules on a fixed table. */
struct throttle_slot {
	char		key[THROTTLE_KEYLEN];
	int		fails;
	int		locks;
	int64_t		wstart;
	int64_t		until;
	int64_t		expires;
};
static struct throttle_slot throttle_table[THROTTLE_TABLE];

/* The slot for KEY; CREATE takes a free or expired one (else the one that
 * expires first). NULL if absent and not CREATE. */
static struct throttle_slot *
slot_find(const char *key, int64_t now, bool create)
{
	struct throttle_slot *s, *victim = NULL;
	size_t	i;

	for (i = 0; i < THROTTLE_TABLE; i++) {
		s = &throttle_table[i];
		if (s->key[0] != '\0' && s->expires <= now)
			s->key[0] = '\0';
		if (s->key[0] != '\0' && strcmp(s->key, key) == 0)
			return s;
		if (victim == NULL || (victim->key[0] != '\0' &&
		    (s->key[0] == '\0' || s->expires < victim->expires)))
			victim = s;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof *victim);
	cnt_strlcpy(victim->key, key, sizeof victim->key);
	return victim;
}

/* Lock slot S now: the next lockout, twice the last. */
static void
slot_lock(const struct cnt_config *cfg, struct throttle_slot *s, int64_t now)
{
	int64_t	d = (int64_t)cfg->login_lockout_seconds * 1000;

	s->locks++;
	d = s->locks > 20 ? THROTTLE_MAX_LOCK_MS : d << (s->locks - 1);
	if (d > THROTTLE_MAX_LOCK_MS)
		d = THROTTLE_MAX_LOCK_MS;
	s->until = now + d;
	s->fails = 0;
	s->wstart = s->until;
}

/* The Lua script's rules, in C, for the fallback (NADDR as there). */
static int64_t
slot_apply(const struct cnt_config *cfg, char keys[][THROTTLE_KEYLEN],
    int nkeys, int naddr, int64_t now, enum throttle_op op)
{
	struct throttle_slot *st[2];
	int64_t		win = (int64_t)cfg->login_window_seconds * 1000;
	int64_t		wait = 0;
	bool		full = false;
	int		i;

	for (i = 0; i < nkeys; i++) {
		st[i] = slot_find(keys[i], now, op == OP_CHECK);
		if (st[i] == NULL)
			continue;
		if (st[i]->expires <= now)	/* new: keep it past the next find */
			st[i]->expires = now + win;
		if (st[i]->until <= now && now - st[i]->wstart >= win) {
			st[i]->fails = 0;
			st[i]->wstart = now;
		}
		if (st[i]->until > now && st[i]->until - now > wait)
			wait = st[i]->until - now;
		if (st[i]->until <= now &&
		    st[i]->fails >= cfg->login_max_failures)
			full = true;
	}
	for (i = 0; i < nkeys; i++) {
		if (st[i] == NULL)
			continue;
		if (op == OP_OK && i >= naddr) {
			st[i]->key[0] = '\0';
			continue;
		}
		if (st[i]->until <= now) {
			if (op == OP_CHECK && wait == 0 && !full)
				st[i]->fails++;
			else if (op != OP_OK &&
			    st[i]->fails >= cfg->login_max_failures) {
				slot_lock(cfg, st[i], now);
				if (st[i]->until - now > wait)
					wait = st[i]->until - now;
			} else if (op == OP_OK && st[i]->fails > 0)
				st[i]->fails--;
		}
		st[i]->expires = (st[i]->until > now ? st[i]->until : now) +
		    win;
	}
	return op == OP_OK ? 0 : wait;
}

/* The Redis keys for PEER and LOGIN ("" when absent); LOGIN case-folded. */
static int
throttle_keys(const char *peer, const char *login,
    char keys[2][THROTTLE_KEYLEN])
{
	size_t	i, n;
	int	nkeys = 0;

	if (peer != NULL && *peer != '\0')
		snprintf(keys[nkeys++], THROTTLE_KEYLEN,
		    CNT_REDIS_PREFIX "throttle:addr:%s", peer);
	if (login != NULL && *login != '\0') {
		n = (size_t)snprintf(keys[nkeys], THROTTLE_KEYLEN,
		    CNT_REDIS_PREFIX "throttle:acct:%s", login);
		for (i = 0; i < n && i < THROTTLE_KEYLEN; i++)
			keys[nkeys][i] = (char)tolower(
			    (unsigned char)keys[nkeys][i]);
		nkeys++;
	}
	return nkeys;
}

/* Run OP on the counters of PEER and LOGIN; returns the ms to wait. */
static int64_t
throttle_run(struct cnt_ctx *ctx, const char *peer, const char *login,
    enum throttle_op op)
{
	const struct cnt_config *cfg = &ctx->cfg;
	struct cnt_error err;
	char		keys[2][THROTTLE_KEYLEN];
	char		now_s[CNT_I64BUF], max[CNT_I64BUF], win[CNT_I64BUF];
	char		lock[CNT_I64BUF];
	const char     *args[8];
	int64_t		now = cnt_now_ms(), wait;
	redisReply     *r;
	int		nkeys, naddr, i, n = 0;

	naddr = peer != NULL && *peer != '\0';
	nkeys = throttle_keys(peer, login, keys);
	if (nkeys == 0)
		return 0;
	for (i = 0; i < nkeys; i++)
		args[n++] = keys[i];
	args[n++] = cnt_i64(now_s, now);
	args[n++] = cnt_i64(max, cfg->login_max_failures);
	args[n++] = cnt_i64(win, (int64_t)cfg->login_window_seconds * 1000);
	args[n++] = cnt_i64(lock, (int64_t)cfg->login_lockout_seconds * 1000);
	args[n++] = throttle_op_names[op];
	args[n++] = naddr ? "1" : "0";
	r = cnt_redis_eval(ctx, &err, &script_throttle, nkeys, 6, args);
	if (r != NULL && r->type == REDIS_REPLY_STRING) {
		wait = strtoll(r->str, NULL, 10);
		freeReplyObject(r);
		return wait;
	}
	if (r != NULL)
		freeReplyObject(r);
	/* Redis is down (or answered nonsense): this process decides. */
	return slot_apply(cfg, keys, nkeys, naddr, now, op);
}

int
cnt_throttle_check(struct cnt_ctx *ctx, const char *peer, const char *login,
    struct cnt_error *err)
{
	int64_t	wait = throttle_run(ctx, peer, login, OP_CHECK);
	long	secs = (long)((wait + 999) / 1000);

	if (wait <= 0)
		return CNT_OK;
	log_info("event=signin_throttled peer=%s login=%s wait_s=%ld",
	    peer != NULL ? peer : "", login != NULL ? login : "", secs);
	if (secs >= 120)
		return cnt_error_set(err, CNT_E_FORBIDDEN, "Too many failed "
		    "sign-ins. Try again in %ld minutes.", (secs + 59) / 60);
	return cnt_error_set(err, CNT_E_FORBIDDEN, "Too many failed sign-ins. "
	    "Try again in %ld second%s.", secs, secs == 1 ? "" : "s");
}

void
cnt_throttle_failed(struct cnt_ctx *ctx, const char *peer, const char *login)
{
	throttle_run(ctx, peer, login, OP_FAIL);
}

void
cnt_throttle_succeeded(struct cnt_ctx *ctx, const char *peer,
    const char *login)
{
	throttle_run(ctx, peer, login, OP_OK);
}
