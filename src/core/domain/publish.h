/* What the git publisher (src/publish/) reads and records (R21, issue 10):
 * the published versions of every WR, the same the public site and its
 * feed show (each version from the WR's establishment on), oldest first,
 * and, once committed, each version's commit and tag. */
#ifndef ENTENTE_CORE_DOMAIN_PUBLISH_H
#define ENTENTE_CORE_DOMAIN_PUBLISH_H

#include "core/engine/ctx.h"

/* publish.c: what the git publisher reads and records (R21) */
extern const struct jfield core__publish_record_spec[];
/* R50: a version from the establishment on (1.0.0 and later, not the 0.x
 * drafts): what the public feed and the git repository publish. By label,
 * not by time: a version written in the second of the establishment but
 * before it is a draft. */
int core__version_published(const json_t *v);
int core__publish_versions(struct ctx *x, struct err *e);
int core__publish_record(struct ctx *x, struct err *e);

#endif
