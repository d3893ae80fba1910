/* make bench: N voters casting at the same moment on one ballot (issue
 * "Speed": 1,000 voters, all acknowledged within 1 second, the tally
 * exact). Prints figures; asserts nothing.
 *
 *   burst HOST PORT PATH TOKENS_FILE BODY
 *
 * One connection per token (one per line of TOKENS_FILE), 100 from each
 * loopback address 127.0.0.2, 127.0.0.3, ... (the server allows 128 per
 * address). All connect first; then every request is written, one after
 * another, and the clock runs from the first byte written to the last
 * response read. Prints: requests, 2xx, other statuses, failures, the
 * whole burst's milliseconds and the p99 of each request's own time. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_VOTERS 4000

struct voter {
	int fd;
	char token[256];
	char *req;
	size_t len, sent;
	char resp[2048];
	size_t got;
	double t_sent, t_done;
	int status;
};

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int dial(const struct sockaddr_in *to, int src)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in b = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000000u | (unsigned)src) };
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&b, sizeof(b)) || connect(fd, (const struct sockaddr *)to, sizeof(*to))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The response is whole once the head and Content-Length bytes are in. */
static int complete(struct voter *v)
{
	char *end = memmem(v->resp, v->got, "\r\n\r\n", 4), *cl;
	if (!end)
		return 0;
	*end = '\0';
	cl = strcasestr(v->resp, "\r\nContent-Length:");
	size_t want = (size_t)(end + 4 - v->resp) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
	*end = '\r';
	if (v->got < want && v->got < sizeof(v->resp) - 1)
		return 0;
	v->status = atoi(v->resp + 9);
	return 1;
}

int main(int argc, char **argv)
{
	static struct voter vs[MAX_VOTERS];
	static struct pollfd pf[MAX_VOTERS];
	static double lat[MAX_VOTERS];
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct rlimit rl;
	char line[256];
	int n = 0, ok = 0, other = 0, failed = 0, left;
	FILE *f;
	if (argc < 6 || !(f = fopen(argv[4], "r"))) {
		fprintf(stderr, "usage: burst HOST PORT PATH TOKENS_FILE BODY\n");
		return 2;
	}
	inet_pton(AF_INET, argv[1], &to.sin_addr);
	to.sin_port = htons((unsigned short)atoi(argv[2]));
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	while (n < MAX_VOTERS && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		struct voter *v = &vs[n];
		snprintf(v->token, sizeof(v->token), "%s", line);
		if ((v->fd = dial(&to, 2 + n / 100)) < 0) {
			fprintf(stderr, "burst: connection %d: %s\n", n, strerror(errno));
			return 1;
		}
		int len = asprintf(&v->req, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
				   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
				   argv[3], argv[1], v->token, strlen(argv[5]), argv[5]);
		if (len < 0)
			return 1;
		v->len = (size_t)len;
		n++;
	}
	fclose(f);
	double t0 = now_ms();
	for (int i = 0; i < n; i++) { /* the burst: every request written at once */
		struct voter *v = &vs[i];
		v->t_sent = now_ms();
		while (v->sent < v->len) {
			ssize_t w = write(v->fd, v->req + v->sent, v->len - v->sent);
			if (w <= 0)
				break;
			v->sent += (size_t)w;
		}
		pf[i] = (struct pollfd){ .fd = v->fd, .events = POLLIN };
	}
	left = n;
	while (left > 0 && now_ms() - t0 < 10000) {
		if (poll(pf, (nfds_t)n, 100) < 0)
			break;
		for (int i = 0; i < n; i++) {
			struct voter *v = &vs[i];
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r = read(v->fd, v->resp + v->got, sizeof(v->resp) - 1 - v->got);
			if (r > 0)
				v->got += (size_t)r;
			if (r <= 0 || complete(v)) {
				v->t_done = now_ms();
				pf[i].fd = -1;
				left--;
			}
		}
	}
	double t_end = t0;
	int m = 0;
	for (int i = 0; i < n; i++) {
		struct voter *v = &vs[i];
		if (v->status >= 200 && v->status < 300)
			ok++;
		else if (v->status)
			other++;
		else
			failed++;
		if (v->t_done > t_end)
			t_end = v->t_done;
		if (v->t_done > 0)
			lat[m++] = v->t_done - v->t_sent;
		close(v->fd);
		free(v->req);
	}
	qsort(lat, (size_t)m, sizeof(*lat), cmp);
	int k = (m * 99 + 99) / 100 - 1; /* the 99th percentile, nearest rank */
	printf("%d %d %d %d %.1f %.1f\n", n, ok, other, failed, t_end - t0, m ? lat[k] : 0.0);
	return 0;
}
