/* What an operator watches (issue 23): responses by status class, request
 * durations by class of route, sign-ins by outcome, the /metrics text
 * (Prometheus), and the access line with its request id. Counters are
 * atomics, kept by every worker thread. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/core.h"
#include "http/request.h"
#include "http/response.h"
#include "http/watch.h"
#include "lib/util.h"

/* the commit built (Makefile: build/gen/commit.h), else "unknown" */
#if __has_include("commit.h")
#include "commit.h"
#endif
#ifndef ENTENTE_COMMIT
#define ENTENTE_COMMIT "unknown"
#endif

static atomic_ulong counts[6]; /* by status class: 1xx..5xx, [0] unused */
static atomic_ulong signins[3];
static int64_t started_at;
static atomic_ulong request_seq;
static const char *const class_names[WATCH_CLASSES] = { "api_read", "api_write", "page", "other" };
static const double bucket_le[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
#define BUCKETS (sizeof(bucket_le) / sizeof(*bucket_le))
static atomic_ulong duration_bucket[WATCH_CLASSES][BUCKETS + 1]; /* the last: above every bound */
static atomic_ulong duration_us[WATCH_CLASSES];

void watch_start(void) { started_at = (int64_t)time(NULL); }

void watch_status(int status)
{
	int cls = status / 100;
	if (cls >= 1 && cls <= 5)
		atomic_fetch_add(&counts[cls], 1);
}

void watch_signin(enum watch_signin outcome) { atomic_fetch_add(&signins[outcome], 1); }

void watch_request(const struct http_req *q, enum watch_class cls, const char *route, struct http_res *r, const struct timespec *t0,
		   const char *client, int64_t person_id)
{
	struct timespec t1;
	char rid[32];
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
	size_t b = 0;
	while (b < BUCKETS && secs > bucket_le[b])
		b++;
	watch_status(r->status);
	atomic_fetch_add(&duration_bucket[cls][b], 1);
	atomic_fetch_add(&duration_us[cls], (unsigned long)(secs * 1e6));
	snprintf(rid, sizeof(rid), "%llx-%lu", (unsigned long long)started_at, atomic_fetch_add(&request_seq, 1));
	http__res_header(r, "X-Request-Id", rid);
	if (!log_enabled(LV_INFO))
		return;
	char person[32] = "-";
	if (person_id)
		snprintf(person, sizeof(person), "person=%lld", (long long)person_id);
	log_at(LV_INFO, "access: %s %s %s %.200s %d %zu %.1fms id=%s", client, person, q->method, route, r->status, r->len, secs * 1e3,
	       rid);
}

void watch_metrics(struct strbuf *sb, const struct loop_stats *ls, struct store *st)
{
	strbuf_addstr(sb, "# HELP entente_http_responses_total HTTP responses by status class.\n"
			   "# TYPE entente_http_responses_total counter\n");
	for (int i = 1; i <= 5; i++)
		strbuf_addf(sb, "entente_http_responses_total{class=\"%dxx\"} %lu\n", i, atomic_load(&counts[i]));
	strbuf_addf(sb, "# HELP entente_http_connections_open Connections held now.\n"
			 "# TYPE entente_http_connections_open gauge\nentente_http_connections_open %lu\n", ls->open);
	strbuf_addstr(sb, "# HELP entente_http_connections_total Connections by what became of them.\n"
			   "# TYPE entente_http_connections_total counter\n");
	const struct { const char *what; unsigned long n; } rows[] = {
		{ "accepted", ls->accepted }, { "refused_per_address", ls->refused_address }, { "evicted", ls->evicted },
		{ "refused_full", ls->refused_full }, { "head_timeout", ls->head_timeouts }, { "idle_timeout", ls->idle_timeouts },
		{ "peer_closed_mid_request", ls->peer_closed }, { "bad_request", ls->bad_requests },
		{ "evicted_slow", ls->evicted_slow }, { "write_timeout", ls->write_timeouts },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++)
		strbuf_addf(sb, "entente_http_connections_total{outcome=\"%s\"} %lu\n", rows[i].what, rows[i].n);
	strbuf_addf(sb, "# HELP entente_write_batches_total Transactions of the writer (group commit), and the changes they held.\n"
			 "# TYPE entente_write_batches_total counter\nentente_write_batches_total %lu\n"
			 "# TYPE entente_write_batched_total counter\nentente_write_batched_total %lu\n", ls->batches, ls->batched);
	strbuf_addf(sb, "# HELP entente_http_continues_total Interim 100 Continue responses sent.\n"
			 "# TYPE entente_http_continues_total counter\nentente_http_continues_total %lu\n", ls->continues);
	strbuf_addf(sb, "# HELP entente_http_requests_total Requests read whole.\n"
			 "# TYPE entente_http_requests_total counter\nentente_http_requests_total %lu\n", ls->requests);
	unsigned long hits, misses;
	size_t held;
	core_cache_stats(&hits, &misses, &held);
	strbuf_addf(sb, "# HELP entente_pages_total Cacheable replies, served from the cache or built.\n"
			 "# TYPE entente_pages_total counter\nentente_pages_total{outcome=\"kept\"} %lu\n"
			 "entente_pages_total{outcome=\"built\"} %lu\n", hits, misses);
	strbuf_addf(sb, "# HELP entente_pages_bytes Bytes of pages kept.\n"
			 "# TYPE entente_pages_bytes gauge\nentente_pages_bytes %zu\n", held);
	strbuf_addf(sb, "# HELP entente_sql_statements_total SQL statements run.\n"
			 "# TYPE entente_sql_statements_total counter\nentente_sql_statements_total %lu\n",
		    store_statements());
	strbuf_addstr(sb, "# HELP entente_http_request_duration_seconds Time to handle a request, by class of route.\n"
			   "# TYPE entente_http_request_duration_seconds histogram\n");
	for (int c = 0; c < WATCH_CLASSES; c++) {
		unsigned long cum = 0;
		for (size_t b = 0; b <= BUCKETS; b++) {
			cum += atomic_load(&duration_bucket[c][b]);
			if (b < BUCKETS)
				strbuf_addf(sb, "entente_http_request_duration_seconds_bucket{class=\"%s\",le=\"%g\"} %lu\n", class_names[c],
					    bucket_le[b], cum);
			else
				strbuf_addf(sb, "entente_http_request_duration_seconds_bucket{class=\"%s\",le=\"+Inf\"} %lu\n", class_names[c],
					    cum);
		}
		strbuf_addf(sb, "entente_http_request_duration_seconds_sum{class=\"%s\"} %.6f\n"
				 "entente_http_request_duration_seconds_count{class=\"%s\"} %lu\n",
			    class_names[c], (double)atomic_load(&duration_us[c]) / 1e6, class_names[c], cum);
	}
	strbuf_addf(sb, "# HELP entente_signins_total Sign-ins by outcome (throttled: refused before the password was checked).\n"
			 "# TYPE entente_signins_total counter\nentente_signins_total{outcome=\"succeeded\"} %lu\n"
			 "entente_signins_total{outcome=\"failed\"} %lu\nentente_signins_total{outcome=\"throttled\"} %lu\n",
		    atomic_load(&signins[WATCH_SIGNIN_OK]), atomic_load(&signins[WATCH_SIGNIN_FAILED]), atomic_load(&signins[WATCH_SIGNIN_THROTTLED]));
	/* issue 23: what an operator watches besides the traffic */
	struct err e = ERR_INIT;
	unsigned long refused;
	int fault = store_fault(NULL, &refused) != NULL;
	strbuf_addf(sb, "# HELP entente_storage_fault 1 while the database cannot be written (disk full, I/O error, read-only).\n"
			 "# TYPE entente_storage_fault gauge\nentente_storage_fault %d\n"
			 "# HELP entente_storage_refused_writes_total Writes refused for want of storage.\n"
			 "# TYPE entente_storage_refused_writes_total counter\nentente_storage_refused_writes_total %lu\n",
		    fault, refused);
	int64_t db_bytes = 0, wal_bytes = 0;
	if (st && store_size(st, &db_bytes, &wal_bytes, &e))
		db_bytes = wal_bytes = 0; /* the database cannot say now: the fault, if any, is above */
	strbuf_addf(sb, "# HELP entente_database_bytes The database's size: SQLite's file and its WAL; PostgreSQL's database.\n"
			 "# TYPE entente_database_bytes gauge\n"
			 "entente_database_bytes{file=\"database\"} %lld\nentente_database_bytes{file=\"wal\"} %lld\n",
		    (long long)db_bytes, (long long)wal_bytes);
	strbuf_addf(sb, "# HELP entente_periodic_turn 1 while this server does the periodic work (several servers on one database: one of them).\n"
			 "# TYPE entente_periodic_turn gauge\nentente_periodic_turn %d\n",
		    store_periodic_owned(st));
	strbuf_addf(sb, "# HELP entente_build_info The running binary.\n# TYPE entente_build_info gauge\n"
			 "entente_build_info{version=\"%s\",commit=\"%s\",schema=\"%d\"} 1\n"
			 "# HELP entente_uptime_seconds Seconds since the server started.\n# TYPE entente_uptime_seconds gauge\n"
			 "entente_uptime_seconds %lld\n",
		    ENTENTE_VERSION, ENTENTE_COMMIT, st ? store_schema_version(st) : 0, (long long)((int64_t)time(NULL) - started_at));
	/* the signed record: how old its newest checkpoint is, and how many
	 * events came since */
	struct call cc = { .system = 1, .action = "checkpoint.last", .now = (int64_t)time(NULL) };
	struct reply crep = REPLY_INIT;
	if (st && !core_call(st, &cc, &crep, &e) && json_is_string(json_object_get(crep.body, "at"))) {
		int64_t at = time_parse_iso(json_string_value(json_object_get(crep.body, "at")));
		strbuf_addf(sb, "# HELP entente_checkpoint_age_seconds Seconds since the newest signed checkpoint of the audit chain.\n"
				 "# TYPE entente_checkpoint_age_seconds gauge\nentente_checkpoint_age_seconds %lld\n"
				 "# HELP entente_audit_events_unsigned Audit events after the newest checkpoint.\n"
				 "# TYPE entente_audit_events_unsigned gauge\nentente_audit_events_unsigned %lld\n",
			    (long long)((int64_t)time(NULL) - at),
			    (long long)(json_integer_value(json_object_get(crep.body, "tip")) - json_integer_value(json_object_get(crep.body, "last_id"))));
	}
	reply_release(&crep);
	/* the outbox by delivery state (issue 10): a gauge read from the database */
	struct call oc = { .system = 1, .action = "outbox.stats", .now = (int64_t)time(NULL) };
	struct reply orep = REPLY_INIT;
	if (st && !core_call(st, &oc, &orep, &e)) {
		const char *state;
		json_t *n;
		strbuf_addstr(sb, "# HELP entente_mail_messages Messages of the outbox by delivery state.\n"
				   "# TYPE entente_mail_messages gauge\n");
		json_object_foreach(orep.body, state, n)
			strbuf_addf(sb, "entente_mail_messages{state=\"%s\"} %lld\n", state, (long long)json_integer_value(n));
	}
	reply_release(&orep);
}
