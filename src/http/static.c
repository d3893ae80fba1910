/* Static files of the web application, from one directory: no "..", no
 * hidden files, no symlinks out of it; a small table of content types. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/internal.h"

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

static int safe_path(const char *url)
{
	if (url[0] != '/' || strstr(url, "/.") || strstr(url, "//") || strchr(url, '\\'))
		return 0;
	return strlen(url) < 512;
}

enum MHD_Result http__static(struct MHD_Connection *c, const char *dir, const char *url, const char *method,
			     void (*count)(int))
{
	char path[1024];
	struct stat sb;
	int fd;
	struct err e = ERR_INIT;
	if (!safe_path(url))
		goto missing;
	snprintf(path, sizeof(path), "%s%s%s", dir, url, url[strlen(url) - 1] == '/' ? "index.html" : "");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		goto missing;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		goto missing;
	}
	struct MHD_Response *r = !strcmp(method, "HEAD") ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)
							 : MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
	if (!strcmp(method, "HEAD"))
		close(fd);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type_of(path));
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	/* HTML is revalidated so a new release shows at once; assets may be kept */
	MHD_add_response_header(r, "Cache-Control", strstr(type_of(path), "html") ? "no-cache" : "public, max-age=3600");
	MHD_add_response_header(r, "Content-Security-Policy", "default-src 'self'; object-src 'none'; frame-ancestors 'none'");
	count(200);
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
missing:
	err_set(&e, E_NOT_FOUND, NULL, "no such page");
	return http__problem(c, &e, url);
}
