/* What a process table says of itself: the table as data (process show,
 * the web application's forms), as a Graphviz graph, and its check, which
 * explores every way through it. The generic soundness is the engine's;
 * what a domain must also hold along a way (DSP4003: no Board ballot
 * before every committee approved) it says through its process's
 * marks_after and forbids. */
#ifndef ENTENTE_CORE_ENGINE_CHECK_H
#define ENTENTE_CORE_ENGINE_CHECK_H

#include "core/engine/ctx.h"
#include "core/engine/process.h"

/* A process table as data (NULL when no such process); its handler. */
json_t *engine_process_table(const struct engine *eng, const char *name);
int core__process_show(struct ctx *x, struct err *e);
/* The check of one process (engine_process_check checks every one). */
int core__process_check_one(const struct process *p, char *report, size_t n);
int engine_process_check(const struct engine *eng, char *report, size_t n);
void engine_process_dot(const struct engine *eng, FILE *f, const char *name);

#endif
