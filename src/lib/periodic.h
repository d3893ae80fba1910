/* A thread that runs a task every so often until stopped: the mail
 * deliverer, the git publisher and the checkpoint signer of entente serve
 * are each one. The task gets its own argument and the stop flag (to end a
 * long run early); done, when given, runs once on the thread at the end
 * (to close what the task opened). */
#ifndef ENTENTE_PERIODIC_H
#define ENTENTE_PERIODIC_H

#include <pthread.h>

struct periodic {
	pthread_t thread;
	int running;
	volatile int stop;
	unsigned interval_ms;
	void (*task)(void *arg, volatile int *stop);
	void (*done)(void *arg);
	void *arg;
};

/* Start p: task(arg, &p->stop) at once, then every interval_ms. 0, or -1
 * when the thread could not start. */
int periodic_start(struct periodic *p, unsigned interval_ms, void (*task)(void *, volatile int *), void (*done)(void *), void *arg);
/* Ask it to stop, and wait for it (a no-op when it never started). */
void periodic_stop(struct periodic *p);

#endif
