/*
 * test-sshkey.c - SSH public keys of accounts: fingerprints equal to what
 * the real `ssh-keygen -lf` prints for keys it generates here, add / list /
 * remove / lookup on a real PostgreSQL, who may touch whose keys, and the
 * refusal of malformed lines, options, certificates and duplicates.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define PW	"correct horse battery"

static char *keydir;

/* Run shell command CMD; fail the test unless it exits 0. */
static void
run(const char *cmd)
{
	int	st = system(cmd);

	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("command failed (status %d): %s", st, cmd);
}

/* The first line of FILE, without its newline; owned. */
static char *
first_line(const char *file)
{
	FILE   *f = fopen(file, "r");
	char	buf[16384];

	if (f == NULL)
		fail_msg("cannot read %s", file);
	if (fgets(buf, sizeof buf, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

/* First line of CMD's output, without its newline; owned. */
static char *
output_of(const char *cmd)
{
	FILE   *f = popen(cmd, "r");
	char	buf[4096];

	if (f == NULL)
		fail_msg("cannot run %s", cmd);
	if (fgets(buf, sizeof buf, f) == NULL)
		buf[0] = '\0';
	if (pclose(f) != 0)
		fail_msg("command failed: %s", cmd);
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

/*
 * Generate a key NAME of ssh-keygen TYPE (and BITS if > 0) in the key
 * folder; return its .pub line (owned) and its fingerprint as ssh-keygen
 * prints it in *FP (owned).
 */
static char *
keygen(const char *name, const char *type, int bits, char **fp)
{
	char   *path = xasprintf("%s/%s", keydir, name);
	char   *cmd, *line, *out, *sp;

	cmd = bits > 0 ?
	    xasprintf("ssh-keygen -q -t %s -b %d -N '' -C '%s@test host'"
	    " -f '%s'", type, bits, name, path) :
	    xasprintf("ssh-keygen -q -t %s -N '' -C '%s@test host' -f '%s'",
	    type, name, path);
	run(cmd);
	free(cmd);
	cmd = xasprintf("%s.pub", path);
	line = first_line(cmd);
	free(cmd);
	/* "256 SHA256:abc... comment (ED25519)" */
	cmd = xasprintf("ssh-keygen -lf '%s.pub'", path);
	out = output_of(cmd);
	free(cmd);
	sp = strchr(out, ' ');
	assert_non_null(sp);
	*fp = xstrndup(sp + 1, strcspn(sp + 1, " "));
	free(out);
	free(path);
	return line;
}

static int
setup(void **state)
{
	struct cnt_config cfg;
	const char     *tmp = getenv("CINETTY_TEST_TMP");
	enum cnt_loglevel level;

	test_config(&cfg);
	if (cnt_log_parse_level(cfg.log_level, &level) == CNT_OK)
		cnt_log_init(level, NULL);
	keydir = xasprintf("%s/sshkeys.%ld", tmp != NULL ? tmp : "/tmp",
	    (long)getpid());
	if (mkdir(keydir, 0700) != 0)
		return -1;
	*state = cnt_ctx_new(&cfg);
	cnt_config_free(&cfg);
	return 0;
}

static int
teardown(void **state)
{
	char   *cmd = xasprintf("rm -rf '%s'", keydir);

	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", keydir);
	free(cmd);
	free(keydir);
	cnt_ctx_free(*state);
	return 0;
}

static struct cnt_actor
make_user(struct cnt_ctx *ctx, const char *user)
{
	struct cnt_signup su;
	struct cnt_account acc;
	struct cnt_error err;
	struct cnt_actor actor;
	char	       *email = xasprintf("%s@example.com", user);

	su.username = user;
	su.email = email;
	su.full_name = "Key Tester";
	su.password = PW;
	assert_ok(cnt_account_signup(ctx, &su, &acc, &err), &err);
	actor = cnt_account_actor(&acc);
	cnt_account_free(&acc);
	free(email);
	return actor;
}

/* The base64 word of a .pub LINE; owned. */
static char *
blob_of(const char *line)
{
	const char *b = strchr(line, ' ') + 1;

	return xstrndup(b, strcspn(b, " "));
}

/* ------------------------------------------------------------------ */

static void
test_fingerprint_matches_ssh_keygen(void **state)
{
	static const struct { const char *type; int bits; const char *name; }
	    kinds[] = {
		{ "ed25519", 0, "ssh-ed25519" },
		{ "ecdsa", 256, "ecdsa-sha2-nistp256" },
		{ "ecdsa", 384, "ecdsa-sha2-nistp384" },
		{ "rsa", 2048, "ssh-rsa" },
	};
	struct cnt_error err;
	struct cnt_sshkey k;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char   *fp, *name = xasprintf("fp%zu", i);
		char   *line = keygen(name, kinds[i].type, kinds[i].bits, &fp);

		assert_ok(cnt_sshkey_parse(line, &k, &err), &err);
		assert_string_equal(k.type, kinds[i].name);
		if (strcmp(k.fingerprint, fp) != 0)
			fail_msg("%s key: expected ssh-keygen's fingerprint %s,"
			    " got %s", kinds[i].name, fp, k.fingerprint);
		assert_true(strncmp(k.fingerprint, "SHA256:", 7) == 0);
		assert_null(strchr(k.fingerprint, '='));
		free(name);
		name = xasprintf("fp%zu@test host", i);
		assert_string_equal(k.comment, name);
		cnt_sshkey_free(&k);
		free(name);
		free(fp);
		free(line);
	}
}

static void
test_add_list_lookup_remove(void **state)
{
	struct cnt_ctx *ctx = *state;
	struct cnt_actor me = make_user(ctx, "mia");
	struct cnt_sshkey added, *keys;
	struct cnt_account acc;
	struct cnt_error err;
	size_t		n;
	char	       *fp, *line = keygen("mia", "ed25519", 0, &fp);
	char	       *b64 = blob_of(line), *withnl;

	withnl = xasprintf("  %s\r\n", line);	/* as pasted or read */
	assert_ok(cnt_sshkey_add(ctx, &me, me.account_id, withnl, &added,
	    &err), &err);
	assert_true(added.id > 0);
	assert_int_equal(added.account_id, me.account_id);
	assert_string_equal(added.type, "ssh-ed25519");
	assert_string_equal(added.fingerprint, fp);
	assert_string_equal(added.comment, "mia@test host");
	assert_true(added.created_at > 0);

	assert_ok(cnt_sshkey_list(ctx, &me, me.account_id, &keys, &n, &err),
	    &err);
	assert_int_equal(n, 1);
	assert_int_equal(keys[0].id, added.id);
	assert_string_equal(keys[0].fingerprint, fp);
	assert_string_equal(keys[0].type, "ssh-ed25519");
	cnt_sshkeys_free(keys, n);

	/* sign-in by key: the right user, in any case; nobody else */
	assert_ok(cnt_sshkey_lookup(ctx, "MIA", "ssh-ed25519", b64, &acc,
	    &err), &err);
	assert_int_equal(acc.id, me.account_id);
	assert_string_equal(acc.username, "mia");
	cnt_account_free(&acc);
	make_user(ctx, "mia-other");
	assert_refused(cnt_sshkey_lookup(ctx, "mia-other", "ssh-ed25519", b64,
	    &acc, &err), &err, CNT_E_NOTFOUND);
	assert_refused(cnt_sshkey_lookup(ctx, "nobody", "ssh-ed25519", b64,
	    &acc, &err), &err, CNT_E_NOTFOUND);
	assert_refused(cnt_sshkey_lookup(ctx, "mia", "ssh-ed25519",
	    "AAAAnotakey", &acc, &err), &err, CNT_E_NOTFOUND);

	/* the same key again, here or on another account: refused */
	assert_refused(cnt_sshkey_add(ctx, &me, me.account_id, line, NULL,
	    &err), &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "already registered");

	/* a locked account is not found by key */
	{
		const struct cnt_actor sys = CNT_ACTOR_SYSTEM;

		assert_ok(cnt_account_set_locked(ctx, &sys, me.account_id,
		    true, &err), &err);
		assert_refused(cnt_sshkey_lookup(ctx, "mia", "ssh-ed25519",
		    b64, &acc, &err), &err, CNT_E_NOTFOUND);
		assert_ok(cnt_account_set_locked(ctx, &sys, me.account_id,
		    false, &err), &err);
	}

	assert_ok(cnt_sshkey_remove(ctx, &me, added.id, &err), &err);
	assert_ok(cnt_sshkey_list(ctx, &me, me.account_id, &keys, &n, &err),
	    &err);
	assert_int_equal(n, 0);
	cnt_sshkeys_free(keys, n);
	assert_refused(cnt_sshkey_lookup(ctx, "mia", "ssh-ed25519", b64, &acc,
	    &err), &err, CNT_E_NOTFOUND);
	assert_refused(cnt_sshkey_remove(ctx, &me, added.id, &err), &err,
	    CNT_E_NOTFOUND);

	cnt_sshkey_free(&added);
	free(withnl);
	free(b64);
	free(line);
	free(fp);
}

static void
test_only_own_keys(void **state)
{
	struct cnt_ctx *ctx = *state;
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	const struct cnt_actor guest = { 0, CNT_ROLE_GUEST };
	struct cnt_actor owner = make_user(ctx, "nina");
	struct cnt_actor other = make_user(ctx, "oscar");
	struct cnt_actor staff = make_user(ctx, "nina-staff");
	struct cnt_sshkey added, *keys;
	struct cnt_error err;
	size_t		n;
	char	       *fp, *line = keygen("nina", "ed25519", 0, &fp);

	assert_ok(cnt_account_set_role(ctx, &sys, staff.account_id,
	    CNT_ROLE_STAFF, &err), &err);
	staff.role = CNT_ROLE_STAFF;

	/* a customer cannot add to, list or remove from another account */
	assert_refused(cnt_sshkey_add(ctx, &other, owner.account_id, line,
	    NULL, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_sshkey_add(ctx, &guest, owner.account_id, line,
	    NULL, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_sshkey_add(ctx, &staff, owner.account_id, line,
	    NULL, &err), &err, CNT_E_FORBIDDEN);
	assert_ok(cnt_sshkey_list(ctx, &sys, owner.account_id, &keys, &n,
	    &err), &err);
	assert_int_equal(n, 0);
	cnt_sshkeys_free(keys, n);

	/* the admin may add to any account; the owner sees it */
	assert_ok(cnt_sshkey_add(ctx, &sys, owner.account_id, line, &added,
	    &err), &err);
	assert_refused(cnt_sshkey_list(ctx, &other, owner.account_id, &keys,
	    &n, &err), &err, CNT_E_FORBIDDEN);
	assert_ok(cnt_sshkey_list(ctx, &owner, owner.account_id, &keys, &n,
	    &err), &err);
	assert_int_equal(n, 1);
	cnt_sshkeys_free(keys, n);
	assert_refused(cnt_sshkey_remove(ctx, &other, added.id, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_refused(cnt_sshkey_remove(ctx, &guest, added.id, &err), &err,
	    CNT_E_FORBIDDEN);

	/* someone else cannot register the same key for themselves */
	assert_refused(cnt_sshkey_add(ctx, &other, other.account_id, line,
	    NULL, &err), &err, CNT_E_CONFLICT);

	/* admin removes any key; adding to a missing account: not found */
	assert_ok(cnt_sshkey_remove(ctx, &sys, added.id, &err), &err);
	assert_refused(cnt_sshkey_add(ctx, &sys, 987654, line, NULL, &err),
	    &err, CNT_E_NOTFOUND);

	cnt_sshkey_free(&added);
	free(line);
	free(fp);
}

/* Expect LINE refused as invalid with a message containing WANT. */
static void
expect_bad_line(struct cnt_ctx *ctx, const struct cnt_actor *me,
    const char *line, const char *want)
{
	struct cnt_error err;

	cnt_error_clear(&err);
	if (cnt_sshkey_add(ctx, me, me->account_id, line, NULL, &err) ==
	    CNT_OK)
		fail_msg("key line \"%.60s\" should have been refused", line);
	if (err.kind != CNT_E_INVALID)
		fail_msg("key line \"%.60s\": expected invalid, got %s: %s",
		    line, cnt_errkind_name(err.kind), err.msg);
	assert_string_equal(err.field, "key");
	assert_contains(err.msg, want);
}

static void
test_malformed_lines(void **state)
{
	struct cnt_ctx *ctx = *state;
	struct cnt_actor me = make_user(ctx, "pete");
	struct cnt_sshkey *keys;
	struct cnt_error err;
	size_t		n;
	char	       *fp, *fp2, *line = keygen("pete", "ed25519", 0, &fp);
	char	       *rsa = keygen("pete-rsa", "rsa", 2048, &fp2);
	char	       *b64 = blob_of(line), *rsab64 = blob_of(rsa);
	char	       *s, *cmd;

	expect_bad_line(ctx, &me, "", "empty");
	expect_bad_line(ctx, &me, "# a comment", "empty");
	expect_bad_line(ctx, &me, "hello world", "not an SSH public key");
	expect_bad_line(ctx, &me, "ssh-ed25519", "missing");
	expect_bad_line(ctx, &me, "ssh-ed25519 !!!notbase64!!!", "not a valid");

	s = xasprintf("from=\"10.0.0.1\",no-pty %s", line);
	expect_bad_line(ctx, &me, s, "Options");
	free(s);
	s = xasprintf("command=\"echo hi there\" %s", line);
	expect_bad_line(ctx, &me, s, "Options");
	free(s);
	s = xasprintf("%s pete", b64);			/* no type */
	expect_bad_line(ctx, &me, s, "type is missing");
	free(s);
	s = xasprintf("ssh-ed25519 %.40s", b64);	/* cut short */
	expect_bad_line(ctx, &me, s, "ssh-ed25519");
	free(s);
	s = xasprintf("ssh-rsa %s pete", b64);		/* wrong type */
	expect_bad_line(ctx, &me, s, "ssh-rsa");
	free(s);
	s = xasprintf("ssh-ed25519 %s pete", rsab64);	/* wrong type */
	expect_bad_line(ctx, &me, s, "ssh-ed25519");
	free(s);
	s = xasprintf("%s\n%s", line, rsa);		/* two lines */
	expect_bad_line(ctx, &me, s, "one key");
	free(s);

	/* a certificate signed by a throwaway CA */
	cmd = xasprintf("ssh-keygen -q -t ed25519 -N '' -f '%s/ca' &&"
	    " ssh-keygen -q -s '%s/ca' -I pete -n pete '%s/pete.pub'",
	    keydir, keydir, keydir);
	run(cmd);
	free(cmd);
	cmd = xasprintf("%s/pete-cert.pub", keydir);
	s = first_line(cmd);
	free(cmd);
	expect_bad_line(ctx, &me, s, "certificates");
	free(s);

	assert_ok(cnt_sshkey_list(ctx, &me, me.account_id, &keys, &n, &err),
	    &err);
	assert_int_equal(n, 0);
	cnt_sshkeys_free(keys, n);

	/* a line without a comment is fine; the RSA key too */
	s = xasprintf("ssh-ed25519 %s", b64);
	assert_ok(cnt_sshkey_add(ctx, &me, me.account_id, s, NULL, &err), &err);
	free(s);
	assert_ok(cnt_sshkey_add(ctx, &me, me.account_id, rsa, NULL, &err),
	    &err);
	assert_ok(cnt_sshkey_list(ctx, &me, me.account_id, &keys, &n, &err),
	    &err);
	assert_int_equal(n, 2);
	assert_string_equal(keys[0].comment, "");
	assert_string_equal(keys[0].fingerprint, fp);
	assert_string_equal(keys[1].type, "ssh-rsa");
	assert_string_equal(keys[1].fingerprint, fp2);
	cnt_sshkeys_free(keys, n);

	free(b64);
	free(rsab64);
	free(line);
	free(rsa);
	free(fp);
	free(fp2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_matches_ssh_keygen),
		cmocka_unit_test(test_add_list_lookup_remove),
		cmocka_unit_test(test_only_own_keys),
		cmocka_unit_test(test_malformed_lines),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
