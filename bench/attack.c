/* make load: what a normal client gets while the server is attacked from
 * loopback (issue "Hardening", part 1). Prints figures; asserts nothing.
 *
 *   attack HOST PORT [baseline|slowloris|burst|all]
 *
 * slowloris: SLOW_CONNS (1000) connections from 16 addresses (127.0.0.2 ..
 * 127.0.0.17) each sending a header byte per second for SLOW_SECONDS (10);
 * burst: BURST_CONNS (2000) connections, a third each sending "G" and
 * closing, sending "G" and half-closing, and sending nothing. Meanwhile
 * (slowloris) or right after (burst), the normal client makes NORMAL (200)
 * requests of GET /healthz, one every 10 ms, each on a new connection
 * from 127.0.0.1 with a 2 s timeout. Loopback only, bounded in count and
 * time. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in target;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);
	return v && atoi(v) > 0 ? atoi(v) : def;
}

/* A non-blocking connection from 127.0.0.<src> (0: any), connected or -1. */
static int dial(int src, int wait_ms)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (src) {
		struct sockaddr_in b = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000000u | (unsigned)src) };
		if (bind(fd, (struct sockaddr *)&b, sizeof(b))) {
			close(fd);
			return -1;
		}
	}
	if (connect(fd, (struct sockaddr *)&target, sizeof(target)) && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int err = 0;
	socklen_t el = sizeof(err);
	if (poll(&p, 1, wait_ms) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) || err) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Has the server closed fd? (a read that says so, without blocking) */
static int closed_by_server(int fd)
{
	char b[512];
	ssize_t r = recv(fd, b, sizeof(b), MSG_DONTWAIT);
	return r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) || r > 0;
}

/* ---- the normal client ---- */

struct normal { int n, ok; double *lat; };

static int one_request(double *ms)
{
	static const char rq[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
	double t0 = now_ms();
	char buf[2048];
	size_t got = 0;
	int fd = dial(1, 2000), ok = 0;
	if (fd < 0)
		return 0;
	if (send(fd, rq, sizeof(rq) - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof(rq) - 1)) {
		for (;;) {
			double left = 2000 - (now_ms() - t0);
			struct pollfd p = { .fd = fd, .events = POLLIN };
			if (left <= 0 || poll(&p, 1, (int)left) != 1)
				break;
			ssize_t r = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
			if (r <= 0)
				break;
			got += (size_t)r;
			if (got == sizeof(buf) - 1)
				break;
		}
		buf[got] = '\0';
		ok = !strncmp(buf, "HTTP/1.1 200", 12) && strstr(buf, "\"status\":\"ok\"");
	}
	close(fd);
	*ms = now_ms() - t0;
	return ok;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void *normal_main(void *arg)
{
	struct normal *nc = arg;
	for (int i = 0; i < nc->n; i++) {
		double ms = 0, t0 = now_ms();
		if (one_request(&ms))
			nc->lat[nc->ok++] = ms;
		double spent = now_ms() - t0;
		if (spent < 10)
			usleep((useconds_t)((10 - spent) * 1000));
	}
	return NULL;
}

static void report(const char *scenario, struct normal *nc)
{
	double p50 = 0, p99 = 0, max = 0;
	if (nc->ok) {
		qsort(nc->lat, (size_t)nc->ok, sizeof(double), cmp);
		p50 = nc->lat[nc->ok / 2];
		p99 = nc->lat[(int)((nc->ok - 1) * 0.99)];
		max = nc->lat[nc->ok - 1];
	}
	printf("%s: normal client %d/%d ok, p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal: all ok, p99 under 100 ms)\n", scenario,
	       nc->ok, nc->n, p50, p99, max);
	printf("RESULT scenario=%s ok=%d total=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", scenario, nc->ok, nc->n, p50, p99, max);
}

static void normal_run(const char *scenario, int n)
{
	struct normal nc = { .n = n, .lat = calloc((size_t)n, sizeof(double)) };
	normal_main(&nc);
	report(scenario, &nc);
	free(nc.lat);
}

/* ---- the attacks ---- */

static void slowloris(int conns, int seconds, int n_normal)
{
	static const char start[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
	int *fd = calloc((size_t)conns, sizeof(int)), opened = 0, cut = 0;
	double t0 = now_ms(), first_cut = 0;
	for (int i = 0; i < conns; i++) {
		fd[i] = dial(2 + i % 16, 1000);
		if (fd[i] >= 0 && send(fd[i], start, sizeof(start) - 1, MSG_NOSIGNAL) > 0)
			opened++;
		else if (fd[i] >= 0) {
			close(fd[i]);
			fd[i] = -1;
		}
	}
	double opening = now_ms() - t0;
	struct normal nc = { .n = n_normal, .lat = calloc((size_t)n_normal, sizeof(double)) };
	pthread_t th;
	pthread_create(&th, NULL, normal_main, &nc);
	t0 = now_ms();
	for (int s = 0; s < seconds; s++) {
		for (int i = 0; i < conns; i++) {
			if (fd[i] < 0)
				continue;
			if (closed_by_server(fd[i]) || send(fd[i], "a", 1, MSG_NOSIGNAL) < 0) {
				close(fd[i]);
				fd[i] = -1;
				if (!cut++)
					first_cut = now_ms() - t0;
			}
		}
		usleep(1000000);
	}
	pthread_join(th, NULL);
	int still = 0;
	for (int i = 0; i < conns; i++)
		if (fd[i] >= 0) {
			still++;
			close(fd[i]);
		}
	report("slowloris", &nc);
	printf("slowloris: attacker %d of %d opened in %.0f ms from 16 addresses; %d closed by the server (first after %.1f s), "
	       "%d still open after %d s\n", opened, conns, opening, cut, first_cut / 1000, still, seconds);
	free(nc.lat);
	free(fd);
}

static void burst(int conns, int n_normal)
{
	int *keep = calloc((size_t)conns, sizeof(int)), nkeep = 0, made = 0;
	double t0 = now_ms();
	for (int i = 0; i < conns; i++) {
		int fd = dial(2 + i % 16, 1000);
		if (fd < 0)
			continue;
		made++;
		switch (i % 3) {
		case 0: /* one byte, then gone */
			send(fd, "G", 1, MSG_NOSIGNAL);
			close(fd);
			break;
		case 1: /* one byte, then half-closed */
			send(fd, "G", 1, MSG_NOSIGNAL);
			shutdown(fd, SHUT_WR);
			keep[nkeep++] = fd;
			break;
		default: /* connected, silent */
			keep[nkeep++] = fd;
		}
	}
	printf("burst: %d of %d connections made in %.0f ms (a third each: byte and close, byte and half-close, silent)\n", made,
	       conns, now_ms() - t0);
	normal_run("burst", n_normal);
	/* the half-closed ones should be gone at once; the silent ones at the
	 * head deadline (serve --head-timeout, 5 s by default) */
	int half = 0, silent = 0;
	for (int wait = 1; wait <= 7; wait += 6) {
		int nhalf = 0;
		usleep(wait == 1 ? 1000000 : 6000000);
		for (int i = 0; i < nkeep; i++) {
			int is_half = (i % 2) == 0; /* kept in the order half, silent, half, ... */
			nhalf += is_half;
			if (keep[i] >= 0 && closed_by_server(keep[i])) {
				half += is_half;
				silent += !is_half;
				close(keep[i]);
				keep[i] = -1;
			}
		}
		printf("burst: %d s after it, the server had closed %d of %d half-closed and %d of %d silent connections\n",
		       wait, half, nhalf, silent, nkeep - nhalf);
	}
	for (int i = 0; i < nkeep; i++)
		if (keep[i] >= 0)
			close(keep[i]);
	free(keep);
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	const char *what = argc > 3 ? argv[3] : "all";
	if (argc < 3) {
		fprintf(stderr, "usage: attack HOST PORT [baseline|slowloris|burst|all]\n");
		return 2;
	}
	target.sin_family = AF_INET;
	target.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &target.sin_addr) != 1 || (ntohl(target.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "attack: loopback addresses only\n");
		return 2;
	}
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	int n = env_int("NORMAL", 200);
	if (!strcmp(what, "baseline") || !strcmp(what, "all"))
		normal_run("baseline", n);
	if (!strcmp(what, "slowloris") || !strcmp(what, "all"))
		slowloris(env_int("SLOW_CONNS", 1000), env_int("SLOW_SECONDS", 10), n);
	if (!strcmp(what, "burst") || !strcmp(what, "all"))
		burst(env_int("BURST_CONNS", 2000), n);
	return 0;
}
