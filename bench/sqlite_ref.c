/* make bench's reference for durable writes: how many single-row
 * INSERT + COMMIT transactions this disk takes, with the settings entente
 * uses (WAL, synchronous=FULL). Usage: sqlite_ref FILE SECONDS */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *ins;
	double secs = argc > 2 ? atof(argv[2]) : 3, t0;
	long n = 0;
	if (argc < 2 || sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			     "CREATE TABLE IF NOT EXISTS v (id INTEGER PRIMARY KEY, ballot INTEGER, voter INTEGER, choice TEXT, at TEXT)",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO v (ballot, voter, choice, at) VALUES (1, ?, 'yes', '2026-01-01T00:00:00Z')", -1, &ins,
			       NULL) != SQLITE_OK)
		return 1;
	t0 = now();
	while (now() - t0 < secs) {
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_int64(ins, 1, n);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return 1;
		sqlite3_reset(ins);
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return 1;
		n++;
	}
	printf("%.0f\n", (double)n / (now() - t0));
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
