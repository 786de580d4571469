/*
 * fuzz-fields.c - libFuzzer target: every form field validator of core.
 *
 * The first byte picks a validator, the rest is split at NUL bytes into
 * its text fields (missing ones are ""). The validators that store
 * something run with a context whose database cannot be reached: input
 * that passes validation ends in CNT_E_UNAVAILABLE, input that does not
 * must be refused as CNT_E_INVALID (or FORBIDDEN) with a message. Nothing
 * may crash, leak or read out of bounds, and what passes must satisfy the
 * documented rules (checked again here, independently).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cinetty.h"
#include "app.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NFIELDS	8

static struct cnt_config cfg;
static struct cnt_ctx *ctx;

/* A context on a database that is not there: every query fails fast. */
static void
setup(void)
{
	struct cnt_error err;

	if (ctx != NULL)
		return;
	cnt_log_init(CNT_LOG_ERROR, fopen("/dev/null", "w"));
	cnt_config_init(&cfg);
	if (cnt_config_set(&cfg, "database",
	    "host=/nonexistent/cinetty-fuzz port=1 dbname=none", "fuzz",
	    &err) != CNT_OK)
		abort();
	if (cnt_config_set(&cfg, "redis", "unix:/nonexistent/cinetty-fuzz",
	    "fuzz", &err) != CNT_OK)
		abort();
	ctx = cnt_ctx_new(&cfg);
}

/* Split DATA at NUL bytes into F[0..NFIELDS) (copies, "" when absent). */
static void
split(const uint8_t *data, size_t size, char *f[NFIELDS])
{
	size_t	i, start = 0, n = 0;

	for (i = 0; i <= size && n < NFIELDS; i++) {
		if (i == size || data[i] == '\0') {
			f[n] = malloc(i - start + 1);
			memcpy(f[n], data + start, i - start);
			f[n][i - start] = '\0';
			n++;
			start = i + 1;
		}
	}
	for (; n < NFIELDS; n++)
		f[n] = calloc(1, 1);
}

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A control character inside S once the edges (space, tab, CR, LF) that
 * auth.c trims are cut. */
static bool
inner_control(const char *s)
{
	const char *e;

	while (*s != '\0' && strchr(" \t\r\n", *s) != NULL)
		s++;
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\n", e[-1]) != NULL)
		e--;
	for (; s < e; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A refusal must say why: a known kind and a message. */
static void
refused(const struct cnt_error *err)
{
	if (err->msg[0] == '\0')
		abort();
	if (err->kind != CNT_E_INVALID && err->kind != CNT_E_FORBIDDEN &&
	    err->kind != CNT_E_UNAVAILABLE && err->kind != CNT_E_NOTFOUND)
		abort();
}

static int
num(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

static void
fuzz_signup(char *f[NFIELDS])
{
	struct cnt_signup in = { f[0], f[1], f[2], f[3] };
	struct cnt_account acc;
	struct cnt_error err;

	if (cnt_signup_validate(&in, &err) == CNT_OK) {
		if (strlen(f[3]) > 1024 || inner_control(f[1]) ||
		    inner_control(f[2]))
			abort();
		/* passes validation: signup must reach the database */
		memset(&acc, 0, sizeof acc);
		if (cnt_account_signup(ctx, &in, &acc, &err) == CNT_OK ||
		    err.kind != CNT_E_UNAVAILABLE)
			abort();
	} else {
		refused(&err);
		if (err.field[0] == '\0')
			abort();	/* a form needs the field */
	}
}

static void
fuzz_card(char *f[NFIELDS])
{
	struct cnt_card card = { f[0], num(f[1]), num(f[2]), f[3] };
	struct cnt_error err;
	size_t	i, digits = 0;

	if (cnt_card_check(&card, &err) == CNT_OK) {
		for (i = 0; f[0][i] != '\0'; i++)
			if (f[0][i] >= '0' && f[0][i] <= '9')
				digits++;
			else if (f[0][i] != ' ' && f[0][i] != '-')
				abort();
		if (digits < 12 || digits > 19 || card.exp_month < 1 ||
		    card.exp_month > 12)
			abort();
	} else
		refused(&err);
}

static void
fuzz_film(char *f[NFIELDS])
{
	const struct cnt_actor admin = { 1, CNT_ROLE_ADMIN };
	const char *genres[3] = { f[5], f[6], f[7] };
	struct cnt_film_input in = { f[0], f[1], num(f[2]), f[3], f[4],
	    genres, (size_t)(f[7][0] != '\0' ? 3 : f[6][0] != '\0' ? 2 :
	    f[5][0] != '\0' ? 1 : 0) };
	struct cnt_error err;
	int64_t id;

	if (cnt_film_create(ctx, &admin, &in, &id, &err) == CNT_OK)
		abort();
	refused(&err);
	if (err.kind == CNT_E_UNAVAILABLE &&
	    (has_control(f[0]) || f[0][0] == '\0' || strlen(f[0]) > 200 ||
	    strlen(f[1]) > 4000 || has_control(f[4])))
		abort();
}

static void
fuzz_theatre(char *f[NFIELDS])
{
	const struct cnt_actor admin = { 1, CNT_ROLE_ADMIN };
	struct cnt_error err;
	int64_t id;

	if (cnt_theatre_create(ctx, &admin, f[0], f[1], &id, &err) == CNT_OK)
		abort();
	refused(&err);
	if (err.kind == CNT_E_UNAVAILABLE &&
	    (f[0][0] == '\0' || strlen(f[0]) > 60))
		abort();
}

static void
fuzz_ticket_type(char *f[NFIELDS])
{
	const struct cnt_actor admin = { 1, CNT_ROLE_ADMIN };
	struct cnt_error err;

	if (cnt_price_set_ticket_type(ctx, &admin, f[0], f[1], num(f[2]),
	    f[3][0] != '\0', &err) == CNT_OK)
		abort();
	refused(&err);
}

static void
fuzz_profile(char *f[NFIELDS])
{
	const struct cnt_actor me = { 7, CNT_ROLE_CUSTOMER };
	struct cnt_error err;

	if (cnt_account_update_profile(ctx, &me, 7, f[0][0] ? f[0] : NULL,
	    f[1][0] ? f[1] : NULL, &err) == CNT_OK) {
		if (f[0][0] != '\0' || f[1][0] != '\0')
			abort();	/* something to store: needs the database */
		return;
	}
	refused(&err);
	if (err.kind == CNT_E_UNAVAILABLE && inner_control(f[1]))
		abort();
}

static void
fuzz_password(char *f[NFIELDS])
{
	const struct cnt_actor me = { 7, CNT_ROLE_CUSTOMER };
	struct cnt_error err;

	if (cnt_account_change_password(ctx, &me, f[0], f[1], &err) == CNT_OK)
		abort();
	refused(&err);
}

static void
fuzz_config(char *f[NFIELDS])
{
	struct cnt_config c;
	struct cnt_error err;
	char	*v;

	cnt_config_init(&c);
	if (cnt_config_set(&c, f[0], f[1], "fuzz", &err) == CNT_OK) {
		if ((v = cnt_config_get(&c, f[0])) == NULL)
			abort();
		free(v);
	} else
		refused(&err);
	cnt_config_free(&c);
}

static void
fuzz_enums(char *f[NFIELDS])
{
	enum cnt_role r;
	enum cnt_seat_type t;
	enum cnt_booking_status b;
	enum cnt_loglevel l;

	if (cnt_role_parse(f[0], &r) == CNT_OK &&
	    strcmp(cnt_role_name(r), f[0]) != 0)
		abort();
	if (cnt_seat_type_parse(f[0], &t) == CNT_OK && t >= CNT_SEAT_NTYPES)
		abort();
	if (cnt_booking_status_parse(f[0], &b) == CNT_OK &&
	    cnt_booking_status_name(b) == NULL)
		abort();
	(void)cnt_log_parse_level(f[0], &l);
	(void)cnt_rating_valid(f[0]);
	(void)cnt_price_apply(num(f[1]), num(f[2]));
}

static void
fuzz_date_field(char *f[NFIELDS])
{
	struct ui_field fl;

	memset(&fl, 0, sizeof fl);
	fl.type = F_DATE;
	ui_field_set(&fl, f[0]);
	if (strlen(fl.value) >= sizeof fl.value)
		abort();
	(void)ui_field_valid(&fl);
	if (fl.msg[sizeof fl.msg - 1] != '\0')
		abort();
}

static void (*const targets[])(char *[NFIELDS]) = {
	fuzz_signup, fuzz_card, fuzz_film, fuzz_theatre, fuzz_ticket_type,
	fuzz_profile, fuzz_password, fuzz_config, fuzz_enums, fuzz_date_field
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*f[NFIELDS];
	size_t	 i;

	if (size == 0)
		return 0;
	setup();
	split(data + 1, size - 1, f);
	targets[data[0] % (sizeof targets / sizeof targets[0])](f);
	for (i = 0; i < NFIELDS; i++)
		free(f[i]);
	return 0;
}
