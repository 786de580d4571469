/*
 * throttle.c - sign-in throttling.
 *
 * Failed sign-ins are counted per source address and per account, each in
 * a Redis hash (cinetty:throttle:addr:PEER, cinetty:throttle:acct:LOGIN):
 * failures in the current window of login_window_seconds; on reaching
 * login_max_failures the key is locked for login_lockout_seconds, doubling
 * with each lockout while the key lives (it expires one quiet window after
 * the lock ends). Check and count are one Lua script, so concurrent
 * attempts cannot slip past the limit. A success clears the account's
 * counter, not the address's. When Redis is down the same rules run on a
 * small per-process table instead.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "redis-internal.h"

#define THROTTLE_MAX_LOCK_MS	86400000LL	/* one day */
#define THROTTLE_TABLE		512		/* per-process fallback slots */
#define THROTTLE_KEYLEN		160

/*
 * KEYS: the counters to look at (address, account; one may be absent).
 * ARGV now_ms max_failures window_ms lockout_ms op ("check" or "fail").
 * Returns the ms the caller must still wait (0: go ahead).
 */
static struct cnt_redis_script script_throttle = { "throttle",
"local now = tonumber(ARGV[1])\n"
"local max, win, lock = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
"local wait = 0\n"
"for i = 1, #KEYS do\n"
"  local h = redis.call('HMGET', KEYS[i], 'fails', 'wstart', 'until', 'locks')\n"
"  local fails, wstart = tonumber(h[1]) or 0, tonumber(h[2]) or 0\n"
"  local untl, locks = tonumber(h[3]) or 0, tonumber(h[4]) or 0\n"
"  if ARGV[5] == 'fail' and untl <= now then\n"
"    if now - wstart >= win then fails = 0; wstart = now end\n"
"    fails = fails + 1\n"
"    if fails >= max then\n"
"      locks = locks + 1\n"
"      local d = lock * 2 ^ (locks - 1)\n"
"      if d > 86400000 then d = 86400000 end\n"
"      untl = now + d; fails = 0; wstart = untl\n"
"    end\n"
"    redis.call('HSET', KEYS[i], 'fails', fails, 'wstart',\n"
"      string.format('%d', wstart), 'until', string.format('%d', untl),\n"
"      'locks', locks)\n"
"    local ttl = win\n"
"    if untl > now then ttl = untl - now + win end\n"
"    redis.call('PEXPIRE', KEYS[i], string.format('%d', ttl))\n"
"  end\n"
"  if untl - now > wait then wait = untl - now end\n"
"end\n"
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

/* The Lua script's rules, in C, for the fallback. */
static int64_t
slot_apply(const struct cnt_config *cfg, const char *key, int64_t now,
    bool fail)
{
	struct throttle_slot *s = slot_find(key, now, fail);
	int64_t		win = (int64_t)cfg->login_window_seconds * 1000, d;

	if (s == NULL)
		return 0;
	if (fail && s->until <= now) {
		if (now - s->wstart >= win) {
			s->fails = 0;
			s->wstart = now;
		}
		if (++s->fails >= cfg->login_max_failures) {
			s->locks++;
			d = (int64_t)cfg->login_lockout_seconds * 1000;
			d = s->locks > 20 ? THROTTLE_MAX_LOCK_MS :
			    d << (s->locks - 1);
			if (d > THROTTLE_MAX_LOCK_MS)
				d = THROTTLE_MAX_LOCK_MS;
			s->until = now + d;
			s->fails = 0;
			s->wstart = s->until;
		}
		s->expires = (s->until > now ? s->until : now) + win;
	}
	return s->until > now ? s->until - now : 0;
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

/* Count a failure (FAIL) or only look; returns the ms to wait. */
static int64_t
throttle_run(struct cnt_ctx *ctx, const char *peer, const char *login,
    bool fail)
{
	const struct cnt_config *cfg = &ctx->cfg;
	struct cnt_error err;
	char		keys[2][THROTTLE_KEYLEN];
	char		now_s[CNT_I64BUF], max[CNT_I64BUF], win[CNT_I64BUF];
	char		lock[CNT_I64BUF];
	const char     *args[7];
	int64_t		now = cnt_now_ms(), wait = 0, w;
	redisReply     *r;
	int		nkeys, i, n = 0;

	nkeys = throttle_keys(peer, login, keys);
	if (nkeys == 0)
		return 0;
	for (i = 0; i < nkeys; i++)
		args[n++] = keys[i];
	args[n++] = cnt_i64(now_s, now);
	args[n++] = cnt_i64(max, cfg->login_max_failures);
	args[n++] = cnt_i64(win, (int64_t)cfg->login_window_seconds * 1000);
	args[n++] = cnt_i64(lock, (int64_t)cfg->login_lockout_seconds * 1000);
	args[n++] = fail ? "fail" : "check";
	r = cnt_redis_eval(ctx, &err, &script_throttle, nkeys, 5, args);
	if (r != NULL && r->type == REDIS_REPLY_STRING) {
		wait = strtoll(r->str, NULL, 10);
		freeReplyObject(r);
		return wait;
	}
	if (r != NULL)
		freeReplyObject(r);
	/* Redis is down (or answered nonsense): this process decides. */
	for (i = 0; i < nkeys; i++) {
		w = slot_apply(cfg, keys[i], now, fail);
		if (w > wait)
			wait = w;
	}
	return wait;
}

int
cnt_throttle_check(struct cnt_ctx *ctx, const char *peer, const char *login,
    struct cnt_error *err)
{
	int64_t	wait = throttle_run(ctx, peer, login, false);
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
	throttle_run(ctx, peer, login, true);
}

void
cnt_throttle_succeeded(struct cnt_ctx *ctx, const char *peer,
    const char *login)
{
	struct cnt_error err;
	struct throttle_slot *s;
	char		keys[2][THROTTLE_KEYLEN];
	redisReply     *r;
	int		nkeys;

	(void)peer;
	if (login == NULL || *login == '\0')
		return;
	nkeys = throttle_keys(NULL, login, keys);
	if (nkeys == 0)
		return;
	if ((s = slot_find(keys[0], cnt_now_ms(), false)) != NULL)
		s->key[0] = '\0';
	if ((r = cnt_redis_cmd(ctx, &err, "DEL", keys[0], NULL)) != NULL)
		freeReplyObject(r);
}
