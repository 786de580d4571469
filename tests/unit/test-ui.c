/*
 * test-ui.c - the app's widgets on a headless terminal: hostile text is
 * sanitised before it is drawn, keys decode UTF-8 and flag invalid bytes,
 * form fields bound their input and refuse what does not fit their type,
 * the seat map scrolls a wide theatre and maps clicks to seats, tables
 * sort, and the bar chart scales to the largest value.
 */
#include <curses.h>

#include "testlib.h"
#include "app.h"
#include "seatmap.h"

static struct cnt_config cfg;
static struct tui_opts	 opts;
static struct app	 app;

/* A headless terminal of 100x30 (needs only a script path to exist). */
static int
setup(void **state)
{
	char	*cause = NULL;

	(void)state;
	cnt_config_init(&cfg);
	memset(&opts, 0, sizeof opts);
	opts.cfg = &cfg;
	opts.script = "/dev/null";
	opts.script_cols = 100;
	opts.script_rows = 30;
	memset(&app, 0, sizeof app);
	app.opts = &opts;
	app.cfg = &cfg;
	app.term = term_open(&opts, &cause);
	if (app.term == NULL) {
		fprintf(stderr, "term_open: %s\n", cause);
		free(cause);
		return -1;
	}
	erase();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	term_close(app.term);
	cnt_config_free(&cfg);
	return 0;
}

/* The screen as text after a refresh; the caller frees it. */
static char *
screen(void)
{
	refresh();
	return term_text(app.term);
}

static void
test_text_is_sanitised(void **state)
{
	char	*s;

	(void)state;
	ui_text(&app, 1, 0, 80, R_NORMAL, "evil\x1b[2J\x07name\r\n\xff\xfe" "end");
	s = screen();
	assert_contains(s, "evil?[2J?name????end");
	assert_null(strchr(s, '\x1b'));
	free(s);
	/* Clipped to the width in cells, wide characters counted twice. */
	erase();
	assert_int_equal(ui_text(&app, 2, 0, 5, R_NORMAL, "日本語"), 4);
	assert_int_equal(ui_width(&app, "日本語x"), 7);
}

static void
test_keys_decode_utf8(void **state)
{
	static const int bytes[] = { 0xc3, 0xab, 0xff, 'A', 0xe2, 0x82, 'B',
	    0xe6, 0x97, 0xa5, 0xc0, 0x80, 0xed, 0xa0, 0x80 };
	struct mouse	m;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof bytes / sizeof bytes[0]; i++)
		term_feed(app.term, bytes[i]);
	term_feed(app.term, K_DOWN);
	assert_int_equal(term_key(app.term, &m), 0xeb);		/* ë */
	assert_int_equal(term_key(app.term, &m), K_INVALID);	/* 0xff */
	assert_int_equal(term_key(app.term, &m), 'A');
	assert_int_equal(term_key(app.term, &m), K_INVALID);	/* cut short */
	assert_int_equal(term_key(app.term, &m), 'B');
	assert_int_equal(term_key(app.term, &m), 0x65e5);	/* 日 */
	assert_int_equal(term_key(app.term, &m), K_INVALID);	/* overlong */
	assert_int_equal(term_key(app.term, &m), K_INVALID);	/* surrogate */
	assert_int_equal(term_key(app.term, &m), K_DOWN);
	assert_int_equal(term_key(app.term, &m), -1);
}

static void
test_form_fields_refuse_bad_input(void **state)
{
	struct ui_field	f[3] = {
		{ .name = "name", .label = "Name", .type = F_TEXT, .max = 10 },
		{ .name = "n", .label = "Number", .type = F_NUMBER, .max = 4 },
		{ .name = "d", .label = "Date", .type = F_DATE, .max = 10 },
	};
	struct ui_form	form;
	struct cnt_error err;
	int		i;
	char		*s;

	(void)state;
	ui_form_init(&form, f, 3);
	for (i = 0; i < 2000; i++)
		ui_form_key(&app, &form, 'x');
	assert_string_equal(f[0].value, "xxxxxxxxxx");
	assert_int_equal(f[0].len, 10);
	assert_contains(f[0].msg, "at most 10 characters");
	ui_form_key(&app, &form, K_CTRL('u'));
	ui_form_key(&app, &form, K_CTRL('b'));
	assert_contains(f[0].msg, "control characters");
	ui_form_key(&app, &form, K_INVALID);
	assert_contains(f[0].msg, "invalid UTF-8");
	assert_string_equal(f[0].value, "");
	/* Editing in the middle of multibyte text. */
	ui_form_key(&app, &form, 0xeb);
	ui_form_key(&app, &form, 'z');
	ui_form_key(&app, &form, K_LEFT);
	ui_form_key(&app, &form, K_BACKSPACE);
	assert_string_equal(f[0].value, "z");

	ui_form_key(&app, &form, K_TAB);
	ui_form_key(&app, &form, 'a');
	assert_string_equal(f[1].value, "");
	assert_contains(f[1].msg, "digits only");
	ui_form_key(&app, &form, '4');
	assert_string_equal(f[1].value, "4");

	ui_form_key(&app, &form, K_TAB);
	for (i = 0; "2026-13-01"[i] != '\0'; i++)
		ui_form_key(&app, &form, "2026-13-01"[i]);
	assert_int_equal(ui_form_key(&app, &form, K_ENTER), FORM_USED);
	assert_contains(f[2].msg, "YYYY-MM-DD");

	/* Core's error lands on the field it names and takes the focus. */
	cnt_error_field(&err, CNT_E_INVALID, "name", "name is taken");
	ui_form_error(&form, &err);
	assert_int_equal(form.focus, 0);
	assert_string_equal(f[0].msg, "name is taken");
	erase();
	ui_form_draw(&app, &form, 2, 2, 10, 20);
	s = screen();
	assert_contains(s, "name is taken");
	free(s);
}

/* A theatre 60 seats wide: wider than the terminal allows. */
static void
wide_map(struct cnt_seatmap *m)
{
	int	i;

	memset(m, 0, sizeof *m);
	m->width = 60;
	m->height = 2;
	m->nseats = 120;
	m->seats = xcalloc(m->nseats, sizeof *m->seats);
	for (i = 0; i < 120; i++) {
		m->seats[i].seat_id = i + 1;
		snprintf(m->seats[i].row, sizeof m->seats[i].row, "%c",
		    'A' + i / 60);
		m->seats[i].number = i % 60 + 1;
		m->seats[i].x = i % 60;
		m->seats[i].y = i / 60;
		m->seats[i].state = i == 61 ? CNT_SEAT_SOLD : CNT_SEAT_FREE;
	}
}

static void
test_seatmap_scrolls_and_moves(void **state)
{
	struct cnt_seatmap	m;
	struct seatmap_view	v;
	char			*s;
	int			i, k;

	(void)state;
	wide_map(&m);
	memset(&v, 0, sizeof v);
	v.map = &m;
	v.cursor = 0;
	erase();
	seatmap_draw(&app, &v, 2, 0, 10, 80);
	s = screen();
	assert_contains(s, "SCREEN");
	assert_contains(s, ">>");		/* more to the right */
	assert_null(strstr(s, "<<"));
	free(s);
	for (i = 0; i < 59; i++)
		assert_true(seatmap_move(&v, 1, 0));
	assert_false(seatmap_move(&v, 1, 0));	/* the end of the row */
	assert_int_equal(m.seats[v.cursor].number, 60);
	erase();
	seatmap_draw(&app, &v, 2, 0, 10, 80);
	s = screen();
	assert_contains(s, "<<");		/* scrolled */
	free(s);
	/* Down goes to the nearest seat of the next row with seats. */
	assert_true(seatmap_move(&v, 0, 1));
	assert_string_equal(m.seats[v.cursor].row, "B");
	assert_int_equal(m.seats[v.cursor].number, 60);
	/* A click on the drawn cell of a seat finds it. */
	k = seatmap_hit(&v, v.oy + m.seats[v.cursor].y,
	    v.ox + 2 * m.seats[v.cursor].x);
	assert_int_equal(k, v.cursor);
	assert_int_equal(seatmap_hit(&v, 0, 0), -1);
	free(m.seats);
}

struct rows {
	const char *name[3];
	int	    n[3];
};

static const char *
rows_cell(void *arg, int row, int col, char buf[128])
{
	struct rows *r = arg;

	if (col == 0)
		return r->name[row];
	snprintf(buf, 128, "%d", r->n[row]);
	return buf;
}

static int
rows_cmp(void *arg, int a, int b, int col)
{
	struct rows *r = arg;

	return col == 0 ? strcmp(r->name[a], r->name[b]) : r->n[a] - r->n[b];
}

static void
test_table_sorts(void **state)
{
	static const struct ui_column cols[] = {
		{ "Name", 10, false }, { "Count", 8, true }
	};
	struct rows	r = { { "carol", "alice", "bob" }, { 5, 20, 1 } };
	struct ui_table	t;
	char		*s;

	(void)state;
	memset(&t, 0, sizeof t);
	t.cols = cols;
	t.ncols = 2;
	t.cell = rows_cell;
	t.cmp = rows_cmp;
	t.arg = &r;
	ui_table_set(&t, 3);
	assert_int_equal(ui_table_row(&t), 0);		/* carol kept */
	t.list.sel = 0;
	assert_int_equal(ui_table_row(&t), 1);		/* alice first */
	assert_true(ui_table_key(&app, &t, 10, 's'));	/* by count */
	t.list.sel = 0;
	assert_int_equal(ui_table_row(&t), 2);		/* bob: 1 */
	assert_true(ui_table_key(&app, &t, 10, 'S'));	/* descending */
	t.list.sel = 0;
	assert_int_equal(ui_table_row(&t), 1);		/* alice: 20 */
	erase();
	ui_table_draw(&app, &t, 1, 0, 5);
	s = screen();
	assert_contains(s, "Count v");
	assert_contains(s, "alice            20");
	free(s);
	ui_table_free(&t);
}

static const char *
names_text(void *arg, int row)
{
	return ((const char *const *)arg)[row];
}

static void
test_list_search(void **state)
{
	static const char *const names[] = { "Dune", "Alien", "Amelie" };
	struct ui_list	l;

	(void)state;
	memset(&l, 0, sizeof l);
	l.text = names_text;
	l.arg = (void *)names;
	/* An empty list ignores typing. */
	assert_false(ui_list_key(&app, &l, 5, 'x'));
	l.n = 3;
	assert_true(ui_list_key(&app, &l, 5, 'a'));
	assert_int_equal(l.sel, 1);			/* Alien */
	assert_true(ui_list_key(&app, &l, 5, 'm'));
	assert_int_equal(l.sel, 2);			/* "am": Amelie */
	assert_true(ui_list_key(&app, &l, 5, K_END));
	assert_int_equal(l.sel, 2);
	assert_true(ui_list_key(&app, &l, 5, K_DOWN));
	assert_int_equal(l.sel, 2);			/* stays at the end */
}

static const char *
fmt_int(double v, char buf[32])
{
	snprintf(buf, 32, "%.0f", v);
	return buf;
}

static void
test_barchart_scales(void **state)
{
	const char *const labels[] = { "Hall 1", "Hall 2" };
	const double values[] = { 50, 100 };
	char	*s, *l1, *l2;
	int	 n1 = 0, n2 = 0;

	(void)state;
	erase();
	ui_barchart(&app, 1, 0, 2, 50, labels, values, 2, fmt_int);
	s = screen();
	l1 = strstr(s, "Hall 1");
	l2 = strstr(s, "Hall 2");
	assert_non_null(l1);
	assert_non_null(l2);
	for (; *l1 != '\n'; l1++)
		n1 += strncmp(l1, "\u2588", 3) == 0;
	for (; *l2 != '\n'; l2++)
		n2 += strncmp(l2, "\u2588", 3) == 0;
	assert_true(n2 > 0);
	assert_in_range(n1 * 2, n2 - 1, n2 + 1);	/* half as long */
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_is_sanitised, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_keys_decode_utf8, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_form_fields_refuse_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_seatmap_scrolls_and_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_sorts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_barchart_scales, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_search, setup,
		    teardown),
	};

	setenv("LANG", "C.UTF-8", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
