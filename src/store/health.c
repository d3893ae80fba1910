/* The store's health (issue 23), shared by the front and the engines:
 * the storage fault, and what a schema not this binary's is told. Calls
 * nothing else of the store. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "lib/util.h"
#include "store/ops.h"

/* The storage fault, process-wide (every connection writes the
 * same files). */
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	const char *cause; /* NULL: writes succeed */
	int64_t since;
	unsigned long refused, total;
} fault;
/* fault.cause != NULL, read without the lock: every commit asks, and
 * almost always there is nothing to clear */
static atomic_int faulted;

static int fault_err(struct err *e, const char *cause)
{
	return err_set(e, E_UNAVAILABLE, "storage", "the change was not made: the database cannot be written (%s); try again later",
		       cause);
}

int store_fault_err(struct err *e)
{
	const char *cause = store_fault(NULL, NULL);
	return cause ? fault_err(e, cause) : 0;
}

int store__fault(struct err *e, const char *cause)
{
	pthread_mutex_lock(&fault_lock);
	int first = !fault.cause;
	if (first) {
		atomic_store(&faulted, 1);
		fault.cause = cause;
		fault.since = (int64_t)time(NULL);
		fault.refused = 0;
	}
	fault.refused++;
	fault.total++;
	pthread_mutex_unlock(&fault_lock);
	if (first)
		log_at(LV_ERROR, "storage: the database cannot be written (%s): changes are refused with 503 until a write succeeds", cause);
	return fault_err(e, cause);
}

void store__fault_clear(void)
{
	const char *was;
	unsigned long refused;
	int64_t since;
	if (!atomic_load(&faulted))
		return;
	pthread_mutex_lock(&fault_lock);
	atomic_store(&faulted, 0);
	was = fault.cause;
	refused = fault.refused;
	since = fault.since;
	fault.cause = NULL;
	pthread_mutex_unlock(&fault_lock);
	if (was)
		log_at(LV_WARN, "storage: writes succeed again, after %lld s of %s (%lu refused)", (long long)((int64_t)time(NULL) - since), was,
			 refused);
}

const char *store_fault(int64_t *since, unsigned long *total)
{
	pthread_mutex_lock(&fault_lock);
	const char *cause = fault.cause;
	if (since)
		*since = fault.since;
	if (total)
		*total = fault.total;
	pthread_mutex_unlock(&fault_lock);
	return cause;
}

/* Statements run by every connection of the process, of either engine
 * (make bench prints them per request). */
static atomic_ulong statements;

void store__statement(void) { atomic_fetch_add_explicit(&statements, 1, memory_order_relaxed); }

unsigned long store_statements(void) { return atomic_load_explicit(&statements, memory_order_relaxed); }

int store_is_url(const char *path)
{
	return path && (!strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11));
}

int store__schema_err(struct err *e, int have, int known)
{
	if (have > known)
		return err_set(e, E_INTERNAL, NULL,
			       "the database's schema is version %d, newer than this entente knows (%d): run the entente that made it, "
			       "or restore a backup made by this one", have, known);
	if (have < known)
		return err_set(e, E_INTERNAL, NULL,
			       "the database's schema is version %d, older than this entente's (%d): run entente migrate "
			       "(it backs the database up first), or serve --migrate", have, known);
	return 0;
}
