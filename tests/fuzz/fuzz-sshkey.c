/*
 * fuzz-sshkey.c - libFuzzer target: the OpenSSH public-key line import
 * (cnt_sshkey_parse, what "add a key" and `cinetty user key` use). Any
 * bytes are either a key with a type libssh knows, a "SHA256:" fingerprint
 * and a comment without control characters of at most 200 bytes, or
 * refused with a message on the "key" field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cinetty.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cnt_sshkey key;
	struct cnt_error err;
	char	*line = malloc(size + 1);
	const char *c;

	memcpy(line, data, size);
	line[size] = '\0';
	if (cnt_sshkey_parse(line, &key, &err) == CNT_OK) {
		if (key.type == NULL || key.fingerprint == NULL ||
		    key.comment == NULL ||
		    strncmp(key.fingerprint, "SHA256:", 7) != 0 ||
		    strlen(key.comment) > 200 ||
		    strstr(key.type, "-cert-") != NULL ||
		    strcmp(key.type, "ssh-dss") == 0)
			abort();
		for (c = key.comment; *c != '\0'; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				abort();
		cnt_sshkey_free(&key);
	} else if (err.msg[0] == '\0' || err.kind != CNT_E_INVALID ||
	    strcmp(err.field, "key") != 0)
		abort();
	free(line);
	return 0;
}
