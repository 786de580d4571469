/*
 * password.c - argon2id password hashes in the encoded form
 * ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), costs from the config.
 */
#include <argon2.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cinetty.h"

#define SALT_LEN	16
#define HASH_LEN	32

char *
cnt_password_hash(const struct cnt_config *cfg, const char *pw,
    struct cnt_error *err)
{
	uint8_t	salt[SALT_LEN];
	size_t	enclen;
	char   *encoded;
	int	rc;

	if (getrandom(salt, sizeof salt, 0) != (ssize_t)sizeof salt) {
		cnt_error_set(err, CNT_E_INTERNAL, "no random bytes for a salt");
		return NULL;
	}
	enclen = argon2_encodedlen((uint32_t)cfg->argon2_t_cost,
	    (uint32_t)cfg->argon2_m_kib, (uint32_t)cfg->argon2_parallelism,
	    SALT_LEN, HASH_LEN, Argon2_id);
	encoded = xmalloc(enclen);
	rc = argon2id_hash_encoded((uint32_t)cfg->argon2_t_cost,
	    (uint32_t)cfg->argon2_m_kib, (uint32_t)cfg->argon2_parallelism,
	    pw, strlen(pw), salt, SALT_LEN, HASH_LEN, encoded, enclen);
	if (rc != ARGON2_OK) {
		free(encoded);
		cnt_error_set(err, CNT_E_INTERNAL, "password hashing failed: %s",
		    argon2_error_message(rc));
		return NULL;
	}
	return encoded;
}

int
cnt_password_verify(const char *encoded, const char *pw)
{
	if (encoded == NULL || strncmp(encoded, "$argon2id$", 10) != 0)
		return 0;
	return argon2id_verify(encoded, pw, strlen(pw)) == ARGON2_OK;
}

bool
cnt_password_needs_rehash(const struct cnt_config *cfg, const char *encoded)
{
	char	want[64];

	snprintf(want, sizeof want, "$argon2id$v=19$m=%d,t=%d,p=%d$",
	    cfg->argon2_m_kib, cfg->argon2_t_cost, cfg->argon2_parallelism);
	return strncmp(encoded, want, strlen(want)) != 0;
}
