/* error.c - struct cnt_error: a kind plus a message fit to show a person. */
#include <string.h>

#include "cinetty.h"

void
cnt_error_clear(struct cnt_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof *err);
}

static void
error_vset(struct cnt_error *err, enum cnt_errkind kind, const char *field,
    const char *fmt, va_list ap)
{
	if (err == NULL)
		return;
	err->kind = kind;
	cnt_strlcpy(err->field, field != NULL ? field : "", sizeof err->field);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

/* Fill ERR and return CNT_ERR, so callers can "return cnt_error_set(...)". */
int
cnt_error_set(struct cnt_error *err, enum cnt_errkind kind, const char *fmt,
    ...)
{
	va_list	ap;

	va_start(ap, fmt);
	error_vset(err, kind, NULL, fmt, ap);
	va_end(ap);
	return CNT_ERR;
}

/* As cnt_error_set, naming the form FIELD the message is about. */
int
cnt_error_field(struct cnt_error *err, enum cnt_errkind kind,
    const char *field, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	error_vset(err, kind, field, fmt, ap);
	va_end(ap);
	return CNT_ERR;
}

const char *
cnt_errkind_name(enum cnt_errkind kind)
{
	switch (kind) {
	case CNT_E_NONE:	return "ok";
	case CNT_E_INVALID:	return "invalid";
	case CNT_E_NOTFOUND:	return "not found";
	case CNT_E_CONFLICT:	return "conflict";
	case CNT_E_FORBIDDEN:	return "forbidden";
	case CNT_E_UNAVAILABLE:	return "unavailable";
	case CNT_E_INTERNAL:	return "internal";
	}
	return "unknown";
}

const char *
cnt_role_name(enum cnt_role role)
{
	switch (role) {
	case CNT_ROLE_GUEST:	return "guest";
	case CNT_ROLE_CUSTOMER:	return "customer";
	case CNT_ROLE_STAFF:	return "staff";
	case CNT_ROLE_ADMIN:	return "admin";
	}
	return "unknown";
}

int
cnt_role_parse(const char *s, enum cnt_role *role)
{
	static const enum cnt_role all[] = {
		CNT_ROLE_GUEST, CNT_ROLE_CUSTOMER, CNT_ROLE_STAFF, CNT_ROLE_ADMIN
	};
	size_t	i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (strcmp(s, cnt_role_name(all[i])) == 0) {
			*role = all[i];
			return CNT_OK;
		}
	}
	return CNT_ERR;
}
