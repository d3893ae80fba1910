/* A small load generator for `make bench`: THREADS keep-alive connections
 * send REQUESTS requests in all to one URL on loopback, and it prints the
 * rate and the latency percentiles. Usage:
 *   load URL THREADS REQUESTS [TOKEN] [METHOD] [BODY] */
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *url, *token, *method, *body;
static long total;
static atomic_long next_req, failures;
static double *lat;

static size_t sink(char *p, size_t s, size_t n, void *u)
{
	(void)p;
	(void)u;
	return s * n;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
	(void)arg;
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char auth[256];
	if (token && *token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	if (body)
		h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	for (;;) {
		long i = atomic_fetch_add(&next_req, 1);
		long code = 0;
		if (i >= total)
			break;
		double t0 = now();
		if (curl_easy_perform(c) != CURLE_OK)
			atomic_fetch_add(&failures, 1);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 500 || code == 0)
			atomic_fetch_add(&failures, 1);
		lat[i] = now() - t0;
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: load URL THREADS REQUESTS [TOKEN] [METHOD] [BODY]\n");
		return 2;
	}
	url = argv[1];
	int threads = atoi(argv[2]);
	total = atol(argv[3]);
	token = argc > 4 ? argv[4] : NULL;
	method = argc > 5 ? argv[5] : "GET";
	body = argc > 6 ? argv[6] : NULL;
	if (threads < 1 || threads > 256 || total < 1 || total > 10000000)
		return 2;
	lat = calloc((size_t)total, sizeof(double));
	pthread_t *t = calloc((size_t)threads, sizeof(pthread_t));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	double t0 = now();
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	double secs = now() - t0;
	qsort(lat, (size_t)total, sizeof(double), cmp);
	printf("%.0f %.3f %.3f %ld\n", (double)total / secs, lat[total / 2] * 1000, lat[total * 99 / 100] * 1000, (long)failures);
	curl_global_cleanup();
	free(lat);
	free(t);
	return 0;
}
