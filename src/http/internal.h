/* Private to src/http/. */
#ifndef ENTENTE_HTTP_INTERNAL_H
#define ENTENTE_HTTP_INTERNAL_H

#include <microhttpd.h>

#include "lib/err.h"

/* Queue an RFC 9457 problem for e. */
enum MHD_Result http__problem(struct MHD_Connection *c, const struct err *e, const char *instance);
/* The same with one more response header. */
enum MHD_Result http__problem_with(struct MHD_Connection *c, const struct err *e, const char *instance,
				   const char *header, const char *value);

/* Serve a file below dir for url (GET or HEAD); 404 problem when absent.
 * count(status) is told the status sent. */
enum MHD_Result http__static(struct MHD_Connection *c, const char *dir, const char *url, const char *method,
			     void (*count)(int));

#endif
