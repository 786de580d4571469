/* test-layout.c - the seat layout text parser. */
#include "testlib.h"

static void
test_rows_numbers_types(void **state)
{
	struct cnt_layout lay;
	struct cnt_error err;

	(void)state;
	assert_ok(cnt_layout_parse(
	    "  SSS  SSS\n"
	    "  PPP..PPP\n"
	    "\n"
	    "WC VVVV CW\r\n", &lay, &err), &err);
	assert_int_equal(lay.nseats, 6 + 6 + 8);
	assert_int_equal(lay.height, 4);	/* the blank line keeps its place */
	assert_int_equal(lay.width, 10);
	assert_string_equal(lay.seats[0].row, "A");
	assert_int_equal(lay.seats[0].number, 1);
	assert_int_equal(lay.seats[0].x, 2);
	assert_int_equal(lay.seats[3].number, 4);	/* across the aisle */
	assert_int_equal(lay.seats[3].x, 7);
	assert_string_equal(lay.seats[6].row, "B");
	assert_int_equal(lay.seats[6].type, CNT_SEAT_PREMIUM);
	/* the cross aisle takes no letter: the back row is C */
	assert_string_equal(lay.seats[12].row, "C");
	assert_int_equal(lay.seats[12].y, 3);
	assert_int_equal(lay.seats[12].type, CNT_SEAT_WHEELCHAIR);
	assert_int_equal(lay.seats[13].type, CNT_SEAT_COMPANION);
	assert_int_equal(lay.count[CNT_SEAT_VIP], 4);
	assert_int_equal(lay.count[CNT_SEAT_WHEELCHAIR], 2);
	cnt_layout_free(&lay);
}

static void
test_unknown_letter_line_column(void **state)
{
	struct cnt_layout lay;
	struct cnt_error err;

	(void)state;
	assert_refused(cnt_layout_parse("SSSS\nSSXS\n", &lay, &err), &err,
	    CNT_E_INVALID);
	assert_contains(err.msg, "line 2, column 3: unknown seat letter 'X'");
	assert_refused(cnt_layout_parse("SS\tSS\n", &lay, &err), &err,
	    CNT_E_INVALID);
	assert_contains(err.msg, "line 1, column 3: a tab");
	assert_refused(cnt_layout_parse("SS\x01S\n", &lay, &err), &err,
	    CNT_E_INVALID);
	assert_contains(err.msg, "line 1, column 3: unknown seat byte 0x01");
	assert_refused(cnt_layout_parse("SS\xc3\xa9S\n", &lay, &err), &err,
	    CNT_E_INVALID);
	assert_contains(err.msg, "line 1, column 3");
}

static void
test_empty_and_huge(void **state)
{
	struct cnt_layout lay;
	struct cnt_error err;
	char	big[CNT_LAYOUT_MAX_WIDTH + 10];
	char   *many;
	int	i;

	(void)state;
	assert_refused(cnt_layout_parse("", &lay, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "no seats");
	assert_refused(cnt_layout_parse(" . \n\n  ", &lay, &err), &err,
	    CNT_E_INVALID);

	memset(big, 'S', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_refused(cnt_layout_parse(big, &lay, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "at most 200 columns");

	many = xmalloc(3 * (CNT_LAYOUT_MAX_ROWS + 2) + 1);
	many[0] = '\0';
	for (i = 0; i < CNT_LAYOUT_MAX_ROWS + 1; i++)
		strcat(many, "SS\n");
	assert_refused(cnt_layout_parse(many, &lay, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "more than 52 rows");
	free(many);
}

/* Found by fuzz-layout: blank lines between rows made the map any height. */
static void
test_tall_layout_refused(void **state)
{
	struct cnt_layout lay;
	struct cnt_error err;
	char	       *text = xmalloc(2 * CNT_LAYOUT_MAX_LINES + 8);

	(void)state;
	strcpy(text, "S\n");
	memset(text + 2, '\n', CNT_LAYOUT_MAX_LINES);
	strcpy(text + 2 + CNT_LAYOUT_MAX_LINES, "S\n");
	assert_refused(cnt_layout_parse(text, &lay, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "at most 100 lines tall");
	free(text);
}

static void
test_row_labels_past_z(void **state)
{
	struct cnt_layout lay;
	struct cnt_error err;
	char	text[3 * 30 + 1] = "";
	int	i;

	(void)state;
	for (i = 0; i < 30; i++)
		strcat(text, "SS\n");
	assert_ok(cnt_layout_parse(text, &lay, &err), &err);
	assert_string_equal(lay.seats[2 * 25].row, "Z");
	assert_string_equal(lay.seats[2 * 26].row, "AA");
	assert_string_equal(lay.seats[2 * 29].row, "AD");
	cnt_layout_free(&lay);
}

static void
test_seat_type_names(void **state)
{
	enum cnt_seat_type t;

	(void)state;
	assert_int_equal(cnt_seat_type_parse("vip", &t), CNT_OK);
	assert_int_equal(t, CNT_SEAT_VIP);
	assert_string_equal(cnt_seat_type_name(CNT_SEAT_COMPANION), "companion");
	assert_int_equal(cnt_seat_type_letter(CNT_SEAT_PREMIUM), 'P');
	assert_int_equal(cnt_seat_type_parse("balcony", &t), CNT_ERR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_numbers_types),
		cmocka_unit_test(test_unknown_letter_line_column),
		cmocka_unit_test(test_empty_and_huge),
		cmocka_unit_test(test_tall_layout_refused),
		cmocka_unit_test(test_row_labels_past_z),
		cmocka_unit_test(test_seat_type_names),
	};

	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
