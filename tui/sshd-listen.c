/*
 * sshd-listen.c - the listening sockets of cinettyd.
 *
 * Our own socket code rather than ssh_bind_listen: libssh's listener is
 * IPv4-only and forgets the peer address. An address is "host:port",
 * "[v6addr]:port" or "*:port" (every address, IPv4 and IPv6). A name that
 * resolves to several addresses gets a socket for each.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sshd.h"

/* Split "host:port" / "[v6]:port" / "*:port" into HOST (NULL for any) and
 * PORT, both allocated. */
static int
split_address(const char *s, char **host, char **port, struct cnt_error *err)
{
	const char *colon;

	*host = *port = NULL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':' || close[2] == '\0')
			return cnt_error_set(err, CNT_E_INVALID,
			    "listen \"%s\": expected [address]:port", s);
		*host = xstrndup(s + 1, (size_t)(close - s - 1));
		*port = xstrdup(close + 2);
		return CNT_OK;
	}
	if ((colon = strrchr(s, ':')) == NULL || colon == s ||
	    colon[1] == '\0')
		return cnt_error_set(err, CNT_E_INVALID,
		    "listen \"%s\": expected address:port", s);
	if (memchr(s, ':', (size_t)(colon - s)) != NULL)
		return cnt_error_set(err, CNT_E_INVALID,
		    "listen \"%s\": write IPv6 addresses as [address]:port", s);
	if (colon - s == 1 && s[0] == '*')
		*host = NULL;
	else
		*host = xstrndup(s, (size_t)(colon - s));
	*port = xstrdup(colon + 1);
	return CNT_OK;
}

static int
resolve(const char *s, struct addrinfo **res, struct cnt_error *err)
{
	struct addrinfo	hints;
	char	       *host, *port;
	int		rc;

	if (split_address(s, &host, &port, err) != CNT_OK)
		return CNT_ERR;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, res);
	free(host);
	free(port);
	if (rc != 0)
		return cnt_error_set(err, CNT_E_INVALID, "listen \"%s\": %s", s,
		    gai_strerror(rc));
	return CNT_OK;
}

int
sshd_listen_set_port(struct cnt_config *cfg, const char *port,
    struct cnt_error *err)
{
	char   *end, *host, *p;
	long	n;
	int	i;

	n = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || n < 1 || n > 65535)
		return cnt_error_set(err, CNT_E_INVALID,
		    "-p %s: expected a port number 1-65535", port);
	for (i = 0; i < cfg->nlisten; i++) {
		if (split_address(cfg->listen[i], &host, &p, err) != CNT_OK)
			return CNT_ERR;
		free(cfg->listen[i]);
		if (host == NULL)
			cfg->listen[i] = xasprintf("*:%ld", n);
		else if (strchr(host, ':') != NULL)
			cfg->listen[i] = xasprintf("[%s]:%ld", host, n);
		else
			cfg->listen[i] = xasprintf("%s:%ld", host, n);
		free(host);
		free(p);
	}
	return CNT_OK;
}

int
sshd_listen_check(const struct cnt_config *cfg, struct cnt_error *err)
{
	struct addrinfo *res;
	int		 i;

	if (cfg->nlisten == 0)
		return cnt_error_set(err, CNT_E_INVALID, "no listen address");
	for (i = 0; i < cfg->nlisten; i++) {
		if (resolve(cfg->listen[i], &res, err) != CNT_OK)
			return CNT_ERR;
		freeaddrinfo(res);
	}
	return CNT_OK;
}

/* One socket for AI, bound and listening; -1 with ERR filled in. */
static int
listen_one(const struct addrinfo *ai, const char *name, struct cnt_error *err)
{
	int	fd, on = 1;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1) {
		cnt_error_set(err, CNT_E_UNAVAILABLE, "listen %s: socket: %s",
		    name, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	/* "*:port" gives an IPv4 and an IPv6 socket: keep them apart. */
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, 128) == -1) {
		cnt_error_set(err, CNT_E_UNAVAILABLE, "listen %s: %s", name,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
sshd_listen_open(const struct cnt_config *cfg, struct sshd_listener **out,
    size_t *n, struct cnt_error *err)
{
	struct sshd_listener *l = NULL;
	struct addrinfo	*res, *ai;
	size_t		 nl = 0;
	char		 addr[INET6_ADDRSTRLEN];
	int		 i, fd, port;

	for (i = 0; i < cfg->nlisten; i++) {
		if (resolve(cfg->listen[i], &res, err) != CNT_OK)
			goto fail;
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			sshd_peer_name((struct sockaddr_storage *)ai->ai_addr,
			    addr, sizeof addr, &port);
			if ((fd = listen_one(ai, cfg->listen[i], err)) == -1) {
				freeaddrinfo(res);
				goto fail;
			}
			l = xreallocarray(l, nl + 1, sizeof *l);
			l[nl].fd = fd;
			snprintf(l[nl].name, sizeof l[nl].name,
			    ai->ai_family == AF_INET6 ? "[%s]:%d" : "%s:%d",
			    addr, port);
			nl++;
		}
		freeaddrinfo(res);
	}
	*out = l;
	*n = nl;
	return CNT_OK;
fail:
	sshd_listen_close(l, nl);
	return CNT_ERR;
}

void
sshd_listen_close(struct sshd_listener *l, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		close(l[i].fd);
	free(l);
}

void
sshd_peer_name(const struct sockaddr_storage *ss, char *addr, size_t addrlen,
    int *port)
{
	const struct sockaddr_in  *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

	*port = 0;
	cnt_strlcpy(addr, "unknown", addrlen);
	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, addr, (socklen_t)addrlen);
		*port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		/* An IPv4-mapped address is shown as plain IPv4. */
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], addr,
			    (socklen_t)addrlen);
		else
			inet_ntop(AF_INET6, &sin6->sin6_addr, addr,
			    (socklen_t)addrlen);
		*port = ntohs(sin6->sin6_port);
	}
}
