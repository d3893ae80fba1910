/* The route table: method and path to a core action. The permissions are
 * not here but in the action table (core/actions.c). */
#include "http/http.h"

#define WR "/api/v1/work-registers/{id}"
#define SECTION(path, name) \
	{ "GET", WR "/" path, name ".list", RF_NONE }, \
	{ "POST", WR "/" path, name ".add", RF_NONE }, \
	{ "PATCH", WR "/" path "/{sub_id}", name ".update", RF_NONE }, \
	{ "DELETE", WR "/" path "/{sub_id}", name ".delete", RF_NONE }

const struct route http__routes[] = {
	{ "GET", "/healthz", "healthz", RF_RAW },
	{ "GET", "/metrics", "metrics", RF_RAW },
	{ "GET", "/api/v1/openapi.json", "openapi", RF_RAW },
	{ "POST", "/api/v1/session", "session.create", RF_NONE },
	{ "DELETE", "/api/v1/session", "session.delete", RF_NONE },
	{ "GET", "/api/v1/me", "me.get", RF_NONE },
	{ "GET", "/api/v1/organizations", "org.list", RF_NONE },
	{ "POST", "/api/v1/organizations", "org.create", RF_NONE },
	{ "GET", "/api/v1/organizations/{id}", "org.get", RF_NONE },
	{ "PATCH", "/api/v1/organizations/{id}", "org.update", RF_NONE },
	{ "GET", "/api/v1/people", "person.list", RF_NONE },
	{ "POST", "/api/v1/people", "person.create", RF_NONE },
	{ "GET", "/api/v1/people/{id}", "person.get", RF_NONE },
	{ "PATCH", "/api/v1/people/{id}", "person.update", RF_NONE },
	{ "GET", "/api/v1/officers", "officer.list", RF_NONE },
	{ "POST", "/api/v1/officers", "officer.add", RF_NONE },
	{ "PATCH", "/api/v1/officers/{id}", "officer.update", RF_NONE },
	{ "GET", "/api/v1/bodies", "body.list", RF_NONE },
	{ "POST", "/api/v1/bodies", "body.create", RF_NONE },
	{ "GET", "/api/v1/bodies/{id}", "body.get", RF_NONE },
	{ "PATCH", "/api/v1/bodies/{id}", "body.update", RF_NONE },
	{ "GET", "/api/v1/bodies/{id}/members", "member.list", RF_NONE },
	{ "POST", "/api/v1/bodies/{id}/members", "member.add", RF_NONE },
	{ "PATCH", "/api/v1/bodies/{id}/members/{sub_id}", "member.update", RF_NONE },
	{ "GET", "/api/v1/work-registers", "wr.list", RF_NONE },
	{ "POST", "/api/v1/work-registers", "wr.create", RF_NONE },
	{ "GET", WR, "wr.get", RF_NONE },
	{ "PATCH", WR, "wr.update", RF_NONE },
	SECTION("milestones", "milestone"),
	SECTION("contacts", "contact"),
	SECTION("standards", "standard"),
	{ "POST", WR "/standards/{sub_id}/replace", "standard.replace", RF_NONE },
	{ "GET", WR "/versions", "version.list", RF_NONE },
	{ "GET", WR "/versions/{sub_id}", "version.get", RF_NONE },
	{ "GET", WR "/history", "history.list", RF_NONE },
	{ "GET", "/api/v1/standard-types", "standard_type.list", RF_NONE },
	{ "GET", "/api/v1/audit", "audit.list", RF_NONE },
	{ NULL, NULL, NULL, 0 },
};
