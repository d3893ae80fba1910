/* The web application's files (static.c). */
#ifndef ENTENTE_HTTP_STATIC_H
#define ENTENTE_HTTP_STATIC_H

#include "http/request.h"

/* Serve a file below the directory dirfd for the decoded path (GET or
 * HEAD) without following any symbolic link; 404 problem when absent. */
void http__static(struct http_res *r, int dirfd, const char *path, const char *instance);

#endif
