/* See periodic.h. The wait is cut in slices of 100 ms so that a stop is
 * noticed soon. */
#include <unistd.h>

#include "lib/periodic.h"

static void *run(void *arg)
{
	struct periodic *p = arg;
	while (!p->stop) {
		p->task(p->arg, &p->stop);
		for (unsigned waited = 0; waited < p->interval_ms && !p->stop; waited += 100)
			usleep(100000);
	}
	if (p->done)
		p->done(p->arg);
	return NULL;
}

int periodic_start(struct periodic *p, unsigned interval_ms, void (*task)(void *, volatile int *), void (*done)(void *), void *arg)
{
	p->stop = 0;
	p->interval_ms = interval_ms;
	p->task = task;
	p->done = done;
	p->arg = arg;
	p->running = !pthread_create(&p->thread, NULL, run, p);
	return p->running ? 0 : -1;
}

void periodic_stop(struct periodic *p)
{
	if (!p->running)
		return;
	p->stop = 1;
	pthread_join(p->thread, NULL);
	p->running = 0;
}
