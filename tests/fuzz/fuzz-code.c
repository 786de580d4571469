/*
 * fuzz-code.c - libFuzzer target: the booking-code parser. Any bytes
 * either normalise to "XXX-XXX" over CNT_CODE_ALPHABET, which normalises
 * to itself again, or are refused; nothing is written past the buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cinetty.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text = malloc(size + 1), *code = malloc(8), again[8];
	int	 i;

	memcpy(text, data, size);
	text[size] = '\0';
	if (cnt_code_normalize(text, code) == 0) {
		if (strlen(code) != 7 || code[3] != '-')
			abort();
		for (i = 0; i < 7; i++)
			if (i != 3 && strchr(CNT_CODE_ALPHABET, code[i]) == NULL)
				abort();
		if (cnt_code_normalize(code, again) != 0 ||
		    strcmp(again, code) != 0)
			abort();
	}
	free(code);
	free(text);
	return 0;
}
