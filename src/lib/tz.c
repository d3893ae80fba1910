#include "lib/tz.h"

#include <libical/ical.h>

int tz_known(const char *name)
{
	return name && *name && icaltimezone_get_builtin_timezone(name) != NULL;
}
