/*
 * sshd-hostkey.c - the daemon's host keys and the bind that carries them.
 *
 * A missing key file is generated once (ed25519) and written by us with
 * O_EXCL and mode 0600 then renamed into place: ssh_pki_export_privkey_file
 * uses fopen and would leave it 0644.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sshd.h"

/* Make the folder holding PATH (one level, mode 0700) if it is missing. */
static void
make_parent_dir(const char *path)
{
	char   *copy = xstrdup(path), *dir = dirname(copy);

	if (access(dir, F_OK) != 0)
		(void)mkdir(dir, 0700);
	free(copy);
}

/* Generate an ed25519 key and write it to PATH with mode 0600. */
static int
hostkey_generate(const char *path, struct cnt_error *err)
{
	ssh_key		 key = NULL;
	char		*b64 = NULL, *tmp;
	size_t		 len, off = 0;
	ssize_t		 w;
	int		 fd, rc = CNT_ERR;

	if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK)
		return cnt_error_set(err, CNT_E_INTERNAL,
		    "host key %s: generating an ed25519 key failed", path);
	if (ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &b64) !=
	    SSH_OK) {
		ssh_key_free(key);
		return cnt_error_set(err, CNT_E_INTERNAL,
		    "host key %s: exporting the new key failed", path);
	}
	ssh_key_free(key);
	make_parent_dir(path);
	tmp = xasprintf("%s.new.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		cnt_error_set(err, CNT_E_UNAVAILABLE, "host key %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	len = strlen(b64);
	while (off < len) {
		if ((w = write(fd, b64 + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)w;
	}
	if (off != len || fsync(fd) == -1 || close(fd) == -1) {
		cnt_error_set(err, CNT_E_UNAVAILABLE, "host key %s: write: %s",
		    tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) == -1) {
		cnt_error_set(err, CNT_E_UNAVAILABLE, "host key %s: %s", path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	log_info("event=hostkey_created path=%s", path);
	rc = CNT_OK;
out:
	free(tmp);
	free(b64);
	return rc;
}

/* "SHA256:..." of KEY, allocated; NULL on failure. */
static char *
hostkey_fingerprint(ssh_key key)
{
	unsigned char	*hash = NULL;
	size_t		 hlen = 0;
	char		*fp, *out;

	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != 0)
		return NULL;
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	ssh_clean_pubkey_hash(&hash);
	if (fp == NULL)
		return NULL;
	out = xstrdup(fp);
	ssh_string_free_char(fp);
	return out;
}

ssh_bind
sshd_bind_new(const struct cnt_config *cfg, bool check_only,
    struct cnt_error *err)
{
	ssh_bind	 bind;
	ssh_key		 key;
	struct stat	 st;
	char		*fp;
	bool		 off = false;
	int		 i, verbosity = SSH_LOG_NOLOG;

	if (cfg->nhost_key == 0) {
		cnt_error_set(err, CNT_E_INVALID, "no host_key configured");
		return NULL;
	}
	if ((bind = ssh_bind_new()) == NULL) {
		cnt_error_set(err, CNT_E_INTERNAL, "ssh_bind_new failed");
		return NULL;
	}
	/* Do not let every child parse /etc/ssh/libssh_server_config. */
	ssh_bind_options_set(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &off);
	if (strcmp(cfg->log_level, "debug") == 0)
		verbosity = SSH_LOG_WARN;
	ssh_bind_options_set(bind, SSH_BIND_OPTIONS_LOG_VERBOSITY, &verbosity);
	ssh_bind_options_set(bind, SSH_BIND_OPTIONS_BANNER, "cinettyd");

	for (i = 0; i < cfg->nhost_key; i++) {
		const char *path = cfg->host_key[i];

		if (stat(path, &st) == -1) {
			if (errno != ENOENT) {
				cnt_error_set(err, CNT_E_UNAVAILABLE,
				    "host key %s: %s", path, strerror(errno));
				goto fail;
			}
			if (check_only) {
				log_info("event=hostkey_missing path=%s "
				    "note=\"created at start\"", path);
				continue;
			}
			if (hostkey_generate(path, err) != CNT_OK)
				goto fail;
		} else if ((st.st_mode & 077) != 0)
			log_warn("event=hostkey_mode path=%s mode=%03o "
			    "note=\"readable by others; chmod 600\"", path,
			    (unsigned)(st.st_mode & 0777));
		if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) !=
		    SSH_OK) {
			cnt_error_set(err, CNT_E_INVALID,
			    "host key %s: not a readable private key", path);
			goto fail;
		}
		fp = hostkey_fingerprint(key);
		log_info("event=hostkey path=%s type=%s fingerprint=%s", path,
		    ssh_key_type_to_char(ssh_key_type(key)),
		    fp != NULL ? fp : "?");
		free(fp);
		/* The bind owns the key from here on. */
		if (ssh_bind_options_set(bind, SSH_BIND_OPTIONS_IMPORT_KEY,
		    key) != SSH_OK) {
			cnt_error_set(err, CNT_E_INVALID, "host key %s: %s",
			    path, ssh_get_error(bind));
			ssh_key_free(key);
			goto fail;
		}
	}
	return bind;
fail:
	ssh_bind_free(bind);
	return NULL;
}
