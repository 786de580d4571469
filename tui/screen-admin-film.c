/*
 * screen-admin-film.c - the form to add or edit a film: title,
 * description, runtime, rating, poster URL and genres (comma-separated).
 * Core checks everything; its refusals land on the field they name.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

enum { FF_TITLE, FF_DESC, FF_RUNTIME, FF_RATING, FF_POSTER, FF_GENRES,
    FF_SAVE, FF_N };

struct filmform {
	int64_t		id;		/* 0: a new film */
	struct ui_field	fields[FF_N];
	struct ui_form	form;
};

static const struct help filmform_help[] = {
	{ "Tab", "next field", true },
	{ "Enter", "next / save", true },
	{ "Esc", "cancel", true },
	{ NULL, NULL, false }
};

static void *
filmform_enter(struct app *a, void *arg)
{
	struct filmform	*ff;
	struct cnt_film	 film;
	struct cnt_error err;
	char		 buf[512], num[16];
	size_t		 i, len = 0;

	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	ff = xcalloc(1, sizeof *ff);
	ff->id = OFFICE_ID(arg);
	ff->fields[FF_TITLE] = (struct ui_field){ .name = "title",
	    .label = "Title", .type = F_TEXT, .max = 200 };
	ff->fields[FF_DESC] = (struct ui_field){ .name = "description",
	    .label = "Description", .type = F_TEXT, .max = 120 };
	ff->fields[FF_RUNTIME] = (struct ui_field){ .name = "runtime",
	    .label = "Runtime (min)", .type = F_NUMBER, .max = 3 };
	ff->fields[FF_RATING] = (struct ui_field){ .name = "rating",
	    .label = "Rating", .type = F_TEXT, .max = 5 };
	ff->fields[FF_POSTER] = (struct ui_field){ .name = "poster_url",
	    .label = "Poster URL", .type = F_TEXT, .max = 120 };
	ff->fields[FF_GENRES] = (struct ui_field){ .name = "genres",
	    .label = "Genres (a, b)", .type = F_TEXT, .max = 120 };
	ff->fields[FF_SAVE] = (struct ui_field){ .name = "save",
	    .label = "Save", .type = F_BUTTON };
	ui_form_init(&ff->form, ff->fields, FF_N);
	if (ff->id == 0) {
		ui_field_set(&ff->fields[FF_RATING], "NR");
		return ff;
	}
	memset(&film, 0, sizeof film);
	if (cnt_film_get(a->ctx, ff->id, &film, &err) != CNT_OK) {
		office_fail(a, &err);
		cnt_film_free(&film);
		free(ff);
		return NULL;
	}
	ui_field_set(&ff->fields[FF_TITLE], film.title);
	ui_field_set(&ff->fields[FF_DESC], film.description);
	snprintf(num, sizeof num, "%d", film.runtime_min);
	ui_field_set(&ff->fields[FF_RUNTIME], num);
	ui_field_set(&ff->fields[FF_RATING], film.rating);
	ui_field_set(&ff->fields[FF_POSTER], film.poster_url);
	buf[0] = '\0';
	for (i = 0; i < film.ngenres && len < sizeof buf - 50; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
		    i > 0 ? ", " : "", film.genres[i]);
	ui_field_set(&ff->fields[FF_GENRES], buf);
	cnt_film_free(&film);
	return ff;
}

static void
filmform_draw(struct app *a, void *p)
{
	struct filmform *ff = p;

	ui_text(a, 1, 2, COLS - 4, R_HEADING, ff->id == 0 ? "New film" :
	    "Edit film");
	ui_textf(a, 2, 2, COLS - 4, R_DIM, "Ratings: G PG PG-13 R NC-17 NR");
	ui_form_draw(a, &ff->form, 4, 2, 16, COLS - 22);
}

/* Save the form through core; pops on success. */
static int
filmform_save(struct app *a, struct filmform *ff)
{
	struct cnt_film_input in;
	struct cnt_error err;
	char		 genres[512], *g[16], *p, *tok, *save = NULL;
	size_t		 ng = 0;
	int64_t		 id;
	int		 rc;

	ui_form_clear_msgs(&ff->form);
	cnt_strlcpy(genres, ff->fields[FF_GENRES].value, sizeof genres);
	for (p = genres; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		while (*tok == ' ')
			tok++;
		if (*tok == '\0')
			continue;
		if (ng == sizeof g / sizeof g[0]) {
			snprintf(ff->fields[FF_GENRES].msg,
			    sizeof ff->fields[FF_GENRES].msg,
			    "at most %zu genres", ng);
			ff->form.focus = FF_GENRES;
			return ACT_REDRAW;
		}
		g[ng++] = tok;
	}
	for (size_t i = 0; i < ng; i++) {
		size_t n = strlen(g[i]);

		while (n > 0 && g[i][n - 1] == ' ')
			g[i][--n] = '\0';
	}
	memset(&in, 0, sizeof in);
	in.title = ff->fields[FF_TITLE].value;
	in.description = ff->fields[FF_DESC].value;
	in.runtime_min = atoi(ff->fields[FF_RUNTIME].value);
	in.rating = ff->fields[FF_RATING].value;
	in.poster_url = ff->fields[FF_POSTER].value;
	in.genres = (const char *const *)g;
	in.ngenres = ng;
	if (ff->id == 0)
		rc = cnt_film_create(a->ctx, &a->actor, &in, &id, &err);
	else
		rc = cnt_film_update(a->ctx, &a->actor, ff->id, &in, &err);
	if (rc != CNT_OK) {
		ui_form_error(&ff->form, &err);
		return ACT_REDRAW;
	}
	app_message(a, "Saved \"%s\".", in.title);
	return ACT_POP;
}

static int
filmform_key(struct app *a, void *p, int key)
{
	struct filmform *ff = p;

	switch (ui_form_key(a, &ff->form, key)) {
	case FORM_SUBMIT:
		return filmform_save(a, ff);
	case FORM_CANCEL:
		return ACT_POP;
	case FORM_USED:
		return ACT_REDRAW;
	}
	return ACT_PASS;
}

static void
filmform_leave(struct app *a, void *p)
{
	(void)a;
	free(p);
}

const struct screen screen_admin_film = {
	"admin-film", "Film", filmform_help, 0,
	filmform_enter, filmform_draw, filmform_key, NULL, filmform_leave
};
