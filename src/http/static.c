/* Static files of the web application, from one directory. The path is
 * walked one component at a time from the directory's descriptor, each
 * opened with O_NOFOLLOW: no symbolic link is followed anywhere on the
 * way (a link to /etc inside web/ serves nothing), no ".." or hidden
 * name is accepted, so nothing outside the directory can be reached
 * (what openat2's RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS would give,
 * without depending on the kernel having it). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/response.h"
#include "http/static.h"

#define MAX_FILE (16u << 20)

static const struct { const char *ext, *type; } types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".json", "application/json" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".woff2", "font/woff2" },
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(*types); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* Open path below dirfd, refusing links, dot names and empty components.
 * The file descriptor, or -1. */
static int open_beneath(int dirfd, const char *path, char *name, size_t n)
{
	char buf[512], *save = NULL, *comp, *next;
	int fd = dirfd;
	size_t len = strlen(path);
	if (path[0] != '/' || len >= sizeof(buf) - sizeof("index.html"))
		return -1;
	snprintf(buf, sizeof(buf), "%s%s", path + 1, path[len - 1] == '/' ? "index.html" : "");
	for (comp = strtok_r(buf, "/", &save); comp; comp = next) {
		next = strtok_r(NULL, "/", &save);
		if (comp[0] == '.' || strchr(comp, '\\')) { /* "..", ".", hidden files */
			if (fd != dirfd)
				close(fd);
			return -1;
		}
		int nfd = openat(fd, comp, (next ? O_DIRECTORY : 0) | O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd != dirfd)
			close(fd);
		if ((fd = nfd) < 0)
			return -1;
		snprintf(name, n, "%s", comp);
	}
	return fd == dirfd ? -1 : fd;
}

void http__static(struct http_res *r, int dirfd, const char *path, const char *instance)
{
	char name[256] = "";
	struct stat sb;
	struct err e = ERR_INIT;
	char *body = NULL;
	int fd = open_beneath(dirfd, path, name, sizeof(name));
	if (fd < 0)
		goto missing;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > MAX_FILE)
		goto missing;
	body = malloc((size_t)sb.st_size + 1);
	if (!body)
		goto missing;
	for (size_t got = 0; got < (size_t)sb.st_size;) {
		ssize_t k = read(fd, body + got, (size_t)sb.st_size - got);
		if (k == 0 || (k < 0 && errno != EINTR))
			goto missing; /* it shrank, or cannot be read */
		if (k > 0)
			got += (size_t)k;
	}
	close(fd);
	const char *type = type_of(name);
	/* static files may be cached, unlike the API: HTML is revalidated so a
	 * new release shows at once, assets may be kept */
	http__res_body(r, 200, type, strstr(type, "html") ? "no-cache" : "public, max-age=3600", body, (size_t)sb.st_size);
	http__res_header(r, "Content-Security-Policy", "default-src 'self'; object-src 'none'; frame-ancestors 'none'");
	return;
missing:
	free(body);
	if (fd >= 0)
		close(fd);
	err_set(&e, E_NOT_FOUND, NULL, "no such page");
	http__problem(r, &e, instance);
}
