/* Feedback on a draft, tracked to closure so that no partner or committee
 * comment is lost (R6, R15, R16). A working group speaks through its chair
 * (R6); a comment from a body other than the Originating Committee is routed
 * to its chair and to the VP of Alliances (R16). */
#ifndef ENTENTE_CORE_DOMAIN_COMMENT_H
#define ENTENTE_CORE_DOMAIN_COMMENT_H

#include "core/engine/ctx.h"

extern const struct jfield core__comment_spec[];
extern const struct jfield core__resolve_spec[];
/* Handlers. */
int core__comment_list(struct ctx *x, struct err *e);
int core__comment_add(struct ctx *x, struct err *e);
int core__scope_comment(struct ctx *x, struct err *e);
int core__comment_resolve(struct ctx *x, struct err *e);
/* An open comment on the WR in scope at its revision (a ballot's and a
 * body's, when not 0); every "no" of a failed ballot made one (R17, R19). */
int core__comment_insert(struct ctx *x, const char *text, int64_t ballot_id, int64_t body_id, const char *author, int64_t author_id, struct err *e);
int core__comments_from_no_votes(struct ctx *x, json_t *ballot, json_t *votes, struct err *e);

#endif
