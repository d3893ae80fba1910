/* Work Registers and the sections of the template (R12): milestones,
 * partner contacts and the standards-development table (Table 1, R34-R41).
 * Every change writes a new revision with a full snapshot (R50); the
 * revision is the ETag every editor must present (R13). */
#ifndef ENTENTE_CORE_DOMAIN_WR_H
#define ENTENTE_CORE_DOMAIN_WR_H

#include "core/engine/ctx.h"

/* R50: what a version is, which decides its label (core__version_label). */
enum vkind {
	V_EDIT,     /* the text edited: a letter on the last number (1.0.1 -> 1.0.1a -> 1.0.1b) */
	V_STEP,     /* a step of the process: the next update number (1.0.1b -> 1.0.2) */
	V_AMEND,    /* an approved amendment applied: the next minor number (1.0.2 -> 1.1.0) */
	V_RELEASE,  /* established (R20): the next major number (0.1.4 -> 1.0.0) */
};

extern const char *const core__wr_states[];
/* Their words and tones (issue 25; process.h). */
extern const char *const core__wr_state_labels[], *const core__wr_state_tones[];
extern const struct jfield core__wr_spec[];
json_t *core__rows_of(struct ctx *x, const char *table, int64_t id);
json_t *core__required_committees(struct ctx *x, json_t *wr);
/* R12: the template's completeness; fills e with the first gap. */
int core__wr_complete(struct ctx *x, struct err *e);
/* A WR as one document: its rows, sections and Table 1 (a new reference). */
json_t *core__wr_document(struct ctx *x, json_t *wr);
/* The label after prev (NULL: the first version, 0.1.0); -1 when prev is
 * not a label (M.m.u with lower-case letters). */
int core__version_label(const char *prev, enum vkind kind, char *out, size_t n);
int core__wr_version(struct ctx *x, int64_t id, const char *summary, enum vkind kind, struct err *e);
/* R1 at the assignment of an owner. */
int core__owner_r1(struct ctx *x, json_t *owner, struct err *e);
/* The field a request gives the version its summary by (R50). */
#define CORE_SUMMARY_FIELD { .name = "summary", .type = JT_STR, .max = 500, .rule = "R50" }
/* Drafts are edited in place (proposed, drafting), else E_NOT_EDITABLE (R22). */
int core__wr_editable(struct ctx *x, struct err *e);
/* The version summary the request gives, else fallback; the request body
 * as a row without it. */
const char *core__wr_summary(struct ctx *x, const char *fallback);
json_t *core__wr_body_row(struct ctx *x, int creating);
/* A new revision of WR id with its snapshot (R50); *doc (may be NULL): the
 * document written. */
int core__wr_touch(struct ctx *x, int64_t id, const char *summary, enum vkind kind, json_t **doc, struct err *e);
/* Handlers. */
int core__wr_list(struct ctx *x, struct err *e);
int core__wr_get(struct ctx *x, struct err *e);
int core__wr_create(struct ctx *x, struct err *e);
int core__wr_update(struct ctx *x, struct err *e);
int core__version_list(struct ctx *x, struct err *e);
int core__version_get(struct ctx *x, struct err *e);
int core__history_list(struct ctx *x, struct err *e);
int core__audit_list(struct ctx *x, struct err *e);
extern const struct jfield core__markdown_spec[];
int core__markdown_render(struct ctx *x, struct err *e);
int core__wr_reload(struct ctx *x, struct err *e);

#endif
