/* entente serve: the server and its workers, started from the options
 * (the configuration file's and the environment's came in as options:
 * cli/config.c), and at SIGHUP the configuration read again and what can
 * change put in force (issue 23). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/config.h"
#include "http/http.h"
#include "http/proxy.h"
#include "lib/sdnotify.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "mail/mail.h"
#include "publish/publish.h"
#include "seal/seal.h"

static const struct option serve_opts[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "web-dir", required_argument, NULL, 'w' },
	{ "ready-file", required_argument, NULL, 'r' },
	{ "body-limit", required_argument, NULL, 'b' },
	{ "threads", required_argument, NULL, 't' },
	{ "max-connections", required_argument, NULL, 'm' },
	{ "per-ip", required_argument, NULL, 'i' },
	{ "timeout", required_argument, NULL, 'o' },
	{ "head-timeout", required_argument, NULL, 'H' },
	{ "min-rate", required_argument, NULL, 'R' },
	{ "rate-grace", required_argument, NULL, 'A' },
	{ "metrics-from", required_argument, NULL, 'M' },
	{ "trusted-proxy", required_argument, NULL, 'P' },
	{ "insecure-cookie", no_argument, NULL, 'k' },
	{ "tick", required_argument, NULL, 'T' },
	{ "test-clock", no_argument, NULL, 'C' },
	{ "no-group-commit", no_argument, NULL, 'G' },
	MAIL_OPTS,
	{ "git-repo", required_argument, NULL, 'g' },
	{ "signing-key", required_argument, NULL, 'K' },
	{ "checkpoint-interval", required_argument, NULL, 'I' },
	{ "migrate", no_argument, NULL, 'U' },
	{ "log-level", required_argument, NULL, 'L' },
	{ "log-file", required_argument, NULL, 'F' },
	{ "stop-timeout", required_argument, NULL, 'S' },
	{ "accept-rollback", no_argument, NULL, 'B' },
	HELP_OPT, { 0 } };

static const char serve_usage[] =
	"usage: entente serve [--db PATH] [--listen HOST:PORT] [options]\n\n"
	"Serves the JSON API under /api/v1 and the web application until SIGTERM or SIGINT. SIGHUP reopens --log-file and reads\n"
	"the configuration file again (entente.conf(5) says which keys take effect then).\n"
	"  --listen HOST:PORT     else $ENTENTE_LISTEN, else 127.0.0.1:8080 (port 0: any free port)\n"
	"  --web-dir DIR          static files (default: web, when it exists)\n"
	"  --ready-file F         write the base URL to F once listening\n"
	"  --body-limit BYTES     else $ENTENTE_BODY_LIMIT, else 1048576; larger bodies get 413\n"
	"  --threads N            worker threads (default 4)\n"
	"  --max-connections N    connections held at once (default 4096); when full, the oldest idle\n"
	"                         or still-arriving one makes room for a newcomer\n"
	"  --per-ip N             connections per client address (default 128)\n"
	"  --head-timeout SECONDS a request's head must arrive whole within this (default 5)\n"
	"  --timeout SECONDS      idle keep-alive connection and body timeout (default 30); a response's\n"
	"                         write deadline, which restarts whenever the client takes bytes\n"
	"  --min-rate BYTES       a body sent, or a response read, slower than this many bytes a second\n"
	"  --rate-grace SECONDS   for longer than this (defaults 1024 and 10) may be evicted when the server\n"
	"                         is full (--max-connections), as idle ones are; --rate-grace 0: never\n"
	"  --metrics-from ADDRS   comma-separated addresses (or networks) that may read /metrics without\n"
	"                         signing in (a scraper); otherwise administrators only\n"
	"  --trusted-proxy CIDR   a reverse proxy (an address or a network; repeatable, else the\n"
	"                         comma-separated $ENTENTE_TRUSTED_PROXY): only from these peers are\n"
	"                         Forwarded, X-Forwarded-For and X-Forwarded-Proto believed; the client\n"
	"                         is the rightmost address that is no trusted proxy, for the sign-in\n"
	"                         throttle, --metrics-from and the per-address limits\n"
	"  --base-url URL         http(s)://HOST[:PORT], where people reach the server (else $ENTENTE_BASE_URL,\n"
	"                         else http:// and the address listened on): the start of every absolute\n"
	"                         link (feeds, mail, the OpenAPI servers), never the Host header; https\n"
	"                         makes the session cookie Secure\n"
	"  --insecure-cookie      leave Secure off the session cookie (plain-HTTP development only;\n"
	"                         ignored when the base URL is https)\n"
	"  --tick SECONDS         scheduler period: ballot deadlines, review reminders (default 60; 0 off)\n"
	"  --no-group-commit      each change commits on its own on the thread that read it, instead of\n"
	"                         batches of changes sharing one commit on the writer thread\n"
	"  --test-clock           honour the X-Entente-Now header (tests only; needs ENTENTE_ALLOW_TEST_CLOCK=1)\n"
	"  --git-repo PATH        commit every published WR version into this bare git repository (R21;\n"
	"                         else $ENTENTE_GIT_REPO), looked at every --mail-interval seconds\n"
	"  --signing-key PATH     the key that signs the audit chain's checkpoints (else $ENTENTE_SIGNING_KEY,\n"
	"                         else the database's path + .signing-key, made by entente init)\n"
	"  --checkpoint-interval SECONDS  a checkpoint at least this often when the chain moved (default 3600),\n"
	"                         and at every published version\n"
	"  --migrate              bring an older schema up to date first, after a backup (as entente migrate);\n"
	"                         without it the server refuses a database of an older schema\n"
	"  --log-level LEVEL      error, warn, info (default: an access line per request) or debug\n"
	"  --log-file PATH        append the log there (0600) instead of standard error; reopened at SIGHUP\n"
	"  --accept-rollback      serve a database whose audit chain stops before the last checkpoint this\n"
	"                         server signed (an older copy put back): recorded in the chain; refused\n"
	"                         otherwise. A command-line flag only, never a configuration key\n"
	"  --stop-timeout SECONDS at SIGTERM: no new connection, idle ones closed, and the requests in flight\n"
	"                         given this long to be answered (default 10; 0: stop at once)\n"
	"Every option but --accept-rollback is also a key of the configuration file (entente.conf(5), entente config).\n"
	"Mail (issue 10):\n";

/* What the options say; a struct of its own because SIGHUP reads them
 * again into a new one, whose strings (in its configuration's text and
 * argument list) must outlive the workers started with it. */
struct serve_settings {
	struct http_config hc;
	struct mail_config mc;
	struct publish_config pc;
	unsigned mail_interval, checkpoint_s;
	const char *signing_key;
	int migrate, accept_rollback, log_level;
	char proxies[2048], base_url[300];
};

/* s from the options: 0; 1 when --help was answered; 2 when one is wrong
 * (said on standard error, which is the log once the server runs). */
static int serve_options(struct cli *c, int argc, char **argv, struct serve_settings *s)
{
	struct proxy_list check = { 0 }, check_metrics = { 0 };
	struct stat sb;
	struct err e = ERR_INIT;
	int ch, r;
	size_t used;
	s->pc = (struct publish_config){ .committer_name = "entente", .committer_email = "entente@localhost" };
	s->mail_interval = 10;
	s->checkpoint_s = 3600;
	s->log_level = LV_INFO;
	s->hc.listen = "127.0.0.1:8080";
	s->hc.body_limit = 1 << 20;
	s->hc.threads = 4;
	s->hc.conn_limit = 4096;
	s->hc.per_ip_limit = 128;
	s->hc.timeout_s = 30;
	s->hc.head_timeout_s = 5;
	s->hc.min_rate = 1024;
	s->hc.rate_grace_s = 10;
	s->hc.cookie_secure = 1;
	s->hc.tick_s = 60;
	s->hc.stop_timeout_s = 10;
	s->hc.web_dir = stat("web", &sb) == 0 && S_ISDIR(sb.st_mode) ? "web" : NULL;
	optind = 0;
	while ((ch = cli_next_opt(argc, argv, serve_opts, serve_usage)) != -1) {
		char *end = NULL;
		unsigned long n = optarg ? strtoul(optarg, &end, 10) : 0;
		int numeric = end && !*end && n > 0;
		switch (ch) {
		case 'l': s->hc.listen = optarg; break;
		case 'w': s->hc.web_dir = optarg; break;
		case 'r': s->hc.ready_file = optarg; break;
		case 'k': s->hc.cookie_secure = 0; break;
		case 'G': s->hc.no_group_commit = 1; break;
		case 'U': s->migrate = 1; break;
		case 'B': s->accept_rollback = 1; break;
		case 'F': s->hc.log_file = optarg; break;
		case 'L':
			if (log_level_named(optarg) < 0) {
				fprintf(stderr, "%s: --log-level: expected error, warn, info or debug\n", c->prog);
				return 2;
			}
			s->log_level = log_level_named(optarg);
			break;
		case 'M': s->hc.metrics_from = optarg; break;
		case 'P':
			used = strlen(s->proxies);
			if (snprintf(s->proxies + used, sizeof(s->proxies) - used, "%s%s", used ? "," : "", optarg) >= (int)(sizeof(s->proxies) - used)) {
				fprintf(stderr, "%s: too many --trusted-proxy\n", c->prog);
				return 2;
			}
			break;
		case 'g': s->pc.repo = optarg; break;
		case 'K': s->signing_key = optarg; break;
		case 'I':
			if (!end || *end || !n) {
				fprintf(stderr, "%s: '%s' is not a positive number of seconds\n", c->prog, optarg);
				return 2;
			}
			s->checkpoint_s = (unsigned)n;
			break;
		case 'T':
			if (!end || *end || !*optarg) { /* 0 is allowed: no scheduler */
				fprintf(stderr, "%s: '%s' is not a number of seconds\n", c->prog, optarg);
				return 2;
			}
			s->hc.tick_s = (unsigned)n;
			break;
		case 'C':
			/* moving time is for tests: refused unless asked for twice */
			if (!getenv("ENTENTE_ALLOW_TEST_CLOCK") || strcmp(getenv("ENTENTE_ALLOW_TEST_CLOCK"), "1")) {
				fprintf(stderr, "%s: --test-clock is refused unless ENTENTE_ALLOW_TEST_CLOCK=1\n", c->prog);
				return 2;
			}
			s->hc.test_clock = 1;
			break;
		case 'A': case 'S':
			if (!end || *end || !*optarg) { /* 0 is allowed: never evict for slowness; stop at once */
				fprintf(stderr, "%s: '%s' is not a number of seconds\n", c->prog, optarg);
				return 2;
			}
			*(ch == 'A' ? &s->hc.rate_grace_s : &s->hc.stop_timeout_s) = (unsigned)n;
			break;
		case 'b': case 't': case 'm': case 'i': case 'o': case 'H': case 'R':
			if (!numeric) {
				fprintf(stderr, "%s: '%s' is not a positive number\n", c->prog, optarg);
				return 2;
			}
			if (ch == 'b') s->hc.body_limit = n;
			if (ch == 't') s->hc.threads = (unsigned)n;
			if (ch == 'm') s->hc.conn_limit = (unsigned)n;
			if (ch == 'i') s->hc.per_ip_limit = (unsigned)n;
			if (ch == 'o') s->hc.timeout_s = (unsigned)n;
			if (ch == 'H') s->hc.head_timeout_s = (unsigned)n;
			if (ch == 'R') s->hc.min_rate = (unsigned)n;
			break;
		case 'h': printf("%s", cli_mail_usage); return 1;
		default:
			if ((r = cli_mail_option(c->prog, ch, optarg, &s->mc, &s->mail_interval)) <= 0)
				return 2;
		}
	}
	/* behind a reverse proxy: the proxies believed, and the one base URL
	 * of every link, the mail's included (--base-url is a mail option too) */
	s->hc.trusted_proxies = s->proxies[0] ? s->proxies : NULL;
	s->hc.base_url = s->mc.base_url;
	if (s->hc.base_url && !*s->hc.base_url)
		s->hc.base_url = NULL;
	if (proxy_list_add(&check_metrics, s->hc.metrics_from, &e))
		snprintf(e.field, sizeof(e.field), "metrics-from");
	if (e.field[0] || proxy_list_add(&check, s->hc.trusted_proxies, &e) ||
	    (s->hc.base_url && proxy_base_url(s->hc.base_url, s->base_url, sizeof(s->base_url), &e))) {
		fprintf(stderr, "%s: --%s: %s\n", c->prog, e.field, e.detail);
		return 2;
	}
	if (s->hc.base_url)
		s->hc.base_url = s->base_url;
	s->mc.base_url = s->hc.base_url; /* until the server knows its address: see serve_listening */
	mail_config_defaults(&s->mc);
	return 0;
}

/* The workers beside the server: the mail deliverer (once the server
 * knows its base URL: the mail's links are the server's), the publisher
 * and the signer. At SIGHUP they start again with the settings read
 * then. */
struct serve {
	struct cli *c;
	struct serve_settings *s;     /* in force: the start's, then a reload's */
	struct cfg *cf;               /* the configuration s came from (main's at start) */
	char **args;                  /* a reload's argument list, which s points into */
	int owned;                    /* s, cf and args are a reload's, freed with the next */
	const char *server_base_url;  /* the server's, once it listens */
	char key_path[1100];          /* the signing key in force */
};

static int mail_start(struct serve *v, struct err *e)
{
	v->s->mc.base_url = v->server_base_url;
	return v->s->mc.smtp_url ? mail_worker_start(v->c->db_path, &v->s->mc, v->s->mail_interval, e) : 0;
}

static int publish_start(struct serve *v, struct err *e)
{
	const struct serve_settings *s = v->s;
	return s->pc.repo && *s->pc.repo ? publish_worker_start(v->c->db_path, &s->pc, s->mail_interval, e) : 0;
}

/* issue 11: signed checkpoints, when there is a key (entente init makes one) */
static int seal_start(struct serve *v, struct err *e)
{
	if (access(v->key_path, R_OK)) {
		log_at(LV_WARN, "%s: no signing key at %s: the audit chain is kept but no checkpoint is signed", v->c->prog, v->key_path);
		return 0;
	}
	return seal_worker_start(v->c->db_path, v->key_path, v->s->checkpoint_s, e);
}

static int serve_listening(const char *base_url, void *arg, struct err *e)
{
	struct serve *v = arg;
	v->server_base_url = base_url;
	if (mail_start(v, e))
		return -1;
	/* systemd's Type=notify: ready once listening with every worker up */
	if (sd_tell("READY=1") < 0)
		fprintf(stderr, "entente serve: cannot tell systemd it is ready (NOTIFY_SOCKET): %s\n", strerror(errno));
	return 0;
}

static void settings_free(struct serve *v)
{
	if (!v->owned)
		return;
	free(v->s);
	free(v->args);
	if (v->cf) /* NULL when a reload ran out of memory */
		cfg_free(v->cf);
	free(v->cf);
}

/* SIGHUP: the file read again, as at start (the command line and the
 * environment over it). Nothing changes unless all of it is good; then
 * the server's part is retuned, the log level set, the mail deliverer and
 * the publisher start again with the new settings (the SMTP password file
 * read again), the signer when its key or interval changed; a key read at
 * start only that changed is logged and waits for a restart. */
static void serve_reload(void *arg)
{
	struct serve *v = arg, next = { .c = v->c, .owned = 1, .server_base_url = v->server_base_url };
	struct cli *c = v->c;
	struct strbuf took = STRBUF_INIT;
	struct err e = ERR_INIT;
	char why[1400];
	int argc, changed[CFG_MAX_KEYS], n, resign = 0;
	next.cf = calloc(1, sizeof(*next.cf));
	next.s = calloc(1, sizeof(*next.s));
	if (!next.cf || !next.s) {
		snprintf(why, sizeof(why), "out of memory");
		goto refused;
	}
	if (cfg_load(next.cf, c->config_given, why, sizeof(why)) ||
	    (c->db_given && cfg_set_command_line(next.cf, cfg_find("database"), c->db_given, why, sizeof(why))))
		goto refused;
	if ((argc = cfg_argv(next.cf, "serve", c->argc_given, c->argv_given, &next.args)) < 0) {
		snprintf(why, sizeof(why), "out of memory");
		goto refused;
	}
	if (serve_options(c, argc, next.args, next.s)) {
		snprintf(why, sizeof(why), "a value is wrong (the line above says which)");
		goto refused;
	}
	if (next.s->mc.smtp_url && mail_config_load(&next.s->mc, &e)) {
		snprintf(why, sizeof(why), "%s", e.detail);
		goto refused;
	}
	seal_key_path(next.s->signing_key, c->db_path, next.key_path, sizeof(next.key_path));
	next.s->hc.db_path = c->db_path;
	if (http_retune(&next.s->hc, &e)) {
		snprintf(why, sizeof(why), "--%s: %s", e.field, e.detail);
		goto refused;
	}
	/* the summary below is written whatever the new level */
	log_set_level(next.s->log_level > LV_INFO ? next.s->log_level : LV_INFO);
	n = cfg_diff(v->cf, next.cf, "serve", c->argc_given, c->argv_given, changed);
	for (int i = 0; i < n; i++) {
		const struct cfg_key *k = &cfg_keys[changed[i]];
		const char *from = next.cf->v[changed[i]].value ? next.cf->v[changed[i]].source : "now the default";
		if (k->flags & CFG_START) {
			log_at(LV_WARN, "entente: SIGHUP: %s changed (%s) but is read at start only: it takes effect at the next start",
			       k->key, from);
			continue;
		}
		strbuf_addf(&took, "%s%s (%s)", took.len ? ", " : "", k->key, from);
		resign |= !strcmp(k->key, "signing_key") || !strcmp(k->key, "checkpoint_interval");
	}
	/* the workers that read the settings' strings start again on the new
	 * ones, so that the old can go */
	mail_worker_stop();
	publish_worker_stop();
	if (resign)
		seal_worker_stop();
	if (mail_start(&next, &e) || publish_start(&next, &e) || (resign && seal_start(&next, &e)))
		log_at(LV_ERROR, "entente: SIGHUP: %s", e.detail);
	log_line("entente: SIGHUP: the configuration is read again%s%s: %s", next.cf->file[0] ? " from " : "", next.cf->file,
		 took.len ? took.buf : "nothing that takes effect now changed");
	strbuf_release(&took);
	log_set_level(next.s->log_level);
	if (!resign)
		memcpy(next.key_path, v->key_path, sizeof(next.key_path));
	settings_free(v);
	*v = next;
	return;
refused:
	log_at(LV_ERROR, "entente: SIGHUP: the configuration is not read again: %s; everything stays as it was", why);
	settings_free(&next);
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	struct serve_settings start = { 0 };
	struct serve v = { .c = c, .s = &start, .cf = c->cfg };
	struct cfg none = { 0 };
	struct err e = ERR_INIT;
	char why[1200];
	int r = serve_options(c, argc, argv, &start);
	if (r)
		return r == 1 ? 0 : 2;
	if (!v.cf)
		v.cf = &none;
	log_set_level(start.log_level);
	/* the log first: what follows is written there */
	if (start.hc.log_file && log_to_file(start.hc.log_file)) {
		fprintf(stderr, "%s: --log-file: cannot open %s: %s\n", c->prog, start.hc.log_file, strerror(errno));
		return 2;
	}
	/* one server per database file, and no migration under it (issue
	 * 23); on a database server, several servers but no migration under
	 * them (issue 26): --migrate holds it alone until the schema is made */
	if (cli_hold_database(c, "serving", !start.migrate) < 0)
		return 1;
	if (cli_open_db(c, start.migrate) < 0)
		return 1;
	if (start.migrate && store_hold_share(why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", c->prog, why);
		return 1;
	}
	/* issue 23: a database put back behind the last signed checkpoint is
	 * not served unless the operator accepts it, in the chain */
	seal_key_path(start.signing_key, c->db_path, v.key_path, sizeof(v.key_path));
	json_t *witness = NULL;
	r = access(v.key_path, R_OK) ? 0 : seal_rollback_check(c->st, v.key_path, why, sizeof(why), &witness);
	if (r < 0 || (r > 0 && !start.accept_rollback)) {
		fprintf(stderr, "%s: %s\n", c->prog, why);
		json_decref(witness);
		return 1;
	}
	if (r > 0) {
		if (seal_rollback_accept(c->st, v.key_path, witness, &e)) {
			fprintf(stderr, "%s: %s\n", c->prog, e.detail);
			json_decref(witness);
			return 1;
		}
		log_at(LV_WARN, "security: rollback accepted (--accept-rollback): %s", why);
	}
	json_decref(witness);
	store_free(c->st); /* each server thread opens its own connection */
	c->st = NULL;
	start.hc.db_path = c->db_path;
	/* mail is delivered when a server is configured; otherwise it waits.
	 * Its deliverer starts once the server listens (serve_listening). */
	if (start.mc.smtp_url && mail_config_load(&start.mc, &e)) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 2;
	}
	start.hc.listening = serve_listening;
	start.hc.listening_arg = &v;
	start.hc.reload = serve_reload;
	start.hc.reload_arg = &v;
	if (publish_start(&v, &e) || seal_start(&v, &e)) {
		publish_worker_stop();
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 2;
	}
	r = http_serve(&start.hc, &e);
	sd_tell("STOPPING=1");
	seal_worker_stop();
	publish_worker_stop();
	mail_worker_stop();
	settings_free(&v);
	if (r) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 1;
	}
	return 0;
}
