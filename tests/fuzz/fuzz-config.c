/* fuzz-config.c - libFuzzer target: cinetty.conf text of any bytes loads or
 * fails with a message naming the file and line; never crashes or leaks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cinetty.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cnt_config cfg;
	struct cnt_error err;
	FILE	       *f;

	if (size == 0)
		return 0;
	if ((f = fmemopen((void *)data, size, "r")) == NULL)
		abort();
	cnt_config_init(&cfg);
	if (cnt_config_load_stream(&cfg, f, "fuzz.conf", &err) != CNT_OK &&
	    strncmp(err.msg, "fuzz.conf:", 10) != 0)
		abort();	/* every error names the file and line */
	fclose(f);
	cnt_config_free(&cfg);
	return 0;
}
