/* The configuration file, the environment and the command line: see
 * config.h. The key table is the one description of every key: the
 * loader validates by it, entente config prints by it, and entente.conf(5)
 * and the example file are written from it. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/config.h"
#include "http/proxy.h"
#include "lib/util.h"

#define SERVE "serve"
#define MAIL "serve,outbox deliver"

const struct cfg_key cfg_keys[] = {
	{ "database", NULL, CFG_PATH, ENTENTE_DB_DEFAULT, "the database: a SQLite file, or postgresql://USER@HOST:PORT/NAME (the option --db, $ENTENTE_DB)", CFG_START },
	{ "listen", SERVE, CFG_LISTEN, "127.0.0.1:8080", "the address the server listens on", CFG_START },
	{ "base_url", MAIL, CFG_URL, "http:// and the address listened on",
	  "where people reach the server: the start of every absolute link (feeds, mail, the OpenAPI servers); https makes the session cookie Secure", CFG_START },
	{ "trusted_proxy", SERVE, CFG_NETS, "none",
	  "reverse proxies (addresses or networks, comma-separated) whose Forwarded and X-Forwarded-* headers are believed", 0 },
	{ "metrics_from", SERVE, CFG_NETS, "none", "addresses or networks that may read /metrics without signing in", 0 },
	{ "web_dir", SERVE, CFG_PATH, "web, when it exists", "the web application's static files", CFG_START },
	{ "ready_file", SERVE, CFG_PATH, "none", "a file the base URL is written to once the server listens", CFG_START },
	{ "threads", SERVE, CFG_NUMBER, "4", "worker threads", CFG_START },
	{ "body_limit", SERVE, CFG_NUMBER, "1048576", "the largest request body, in bytes (larger: 413)", 0 },
	{ "max_connections", SERVE, CFG_NUMBER, "4096", "connections held at once", 0 },
	{ "per_ip", SERVE, CFG_NUMBER, "128", "connections per client address", 0 },
	{ "head_timeout", SERVE, CFG_NUMBER, "5", "seconds within which a request's head must arrive", 0 },
	{ "timeout", SERVE, CFG_NUMBER, "30", "seconds an idle connection, a body or a response write may wait", 0 },
	{ "min_rate", SERVE, CFG_NUMBER, "1024", "bytes a second below which a slow transfer may be evicted when the server is full", 0 },
	{ "rate_grace", SERVE, CFG_COUNT, "10", "seconds of slowness allowed before that (0: never evicted for slowness)", 0 },
	{ "insecure_cookie", SERVE, CFG_BOOL, "false", "leave Secure off the session cookie (plain-HTTP development only)", CFG_START },
	{ "tick", SERVE, CFG_COUNT, "60", "seconds between scheduler runs: ballot deadlines, reminders (0: off)", CFG_START },
	{ "no_group_commit", SERVE, CFG_BOOL, "false", "commit each change on its own instead of in shared batches", CFG_START },
	{ "stop_timeout", SERVE, CFG_COUNT, "10",
	  "seconds the requests in flight have to finish at SIGTERM (no new connection meanwhile; 0: stop at once)", 0 },
	{ "log_level", SERVE, CFG_LEVEL, "info",
	  "the least a log line must be to be written: error, warn (the security log's refusals), info (every request's access "
	  "line, sign-ins, administrative changes), debug", 0 },
	{ "log_file", SERVE, CFG_PATH, "none: standard error (the journal)", "a file the log is appended to (0600), reopened at SIGHUP", 0 },
	{ "migrate", SERVE, CFG_BOOL, "false", "bring an older schema up to date at start, after a backup (as entente migrate)", CFG_START },
	{ "test_clock", SERVE, CFG_BOOL, "false", "honour X-Entente-Now (tests only; needs ENTENTE_ALLOW_TEST_CLOCK=1)", CFG_START },
	{ "git_repo", "serve,publish,backup", CFG_PATH, "none", "the bare git repository every published WR version is committed to (R21)", 0 },
	{ "signing_key", "serve,init,audit checkpoint,backup,keys rotate", CFG_PATH, "the database's path + .signing-key",
	  "the key that signs the audit chain's checkpoints", 0 },
	{ "checkpoint_interval", SERVE, CFG_NUMBER, "3600", "seconds: a signed checkpoint at least this often when the chain moved", 0 },
	{ "smtp_url", MAIL, CFG_SMTP, "none: mail waits in the outbox", "the mail server, smtp://HOST:PORT or smtps://HOST:PORT", 0 },
	{ "smtp_starttls", MAIL, CFG_BOOL, "false",
	  "require STARTTLS on smtp:// to a mail server on this machine too (to another machine it always is)", 0 },
	{ "smtp_user", MAIL, CFG_TEXT, "none", "the SMTP AUTH user", 0 },
	{ "smtp_password_file", MAIL, CFG_PATH, "none", "a file whose first line is the SMTP AUTH password", 0 },
	{ "smtp_password", MAIL, CFG_TEXT, "none",
	  "the SMTP AUTH password, from the environment only (ENTENTE_SMTP_PASSWORD); never printed", CFG_SECRET },
	{ "smtp_ca_file", MAIL, CFG_PATH, "the system's", "the certificate authorities the mail server's certificate is checked against", 0 },
	{ "smtp_insecure", MAIL, CFG_BOOL, "false", "allow mail and SMTP AUTH without TLS to a mail server on another machine", 0 },
	{ "mail_from", MAIL, CFG_TEXT, "entente <entente@localhost>", "the sender of notification mail", 0 },
	{ "mail_interval", MAIL, CFG_NUMBER, "10", "seconds between looks at the outbox (and at what to publish)", 0 },
	{ "mail_lease", MAIL, CFG_NUMBER, "120", "seconds a deliverer holds the messages it claimed", 0 },
	{ "mail_retry_base", MAIL, CFG_NUMBER, "60", "seconds before the first retry; doubled each time", 0 },
	{ "mail_attempts", MAIL, CFG_NUMBER, "8", "attempts before a message is a dead letter", 0 },
	{ NULL, NULL, 0, NULL, NULL, 0 },
};

static const char *const expected[] = {
	[CFG_TEXT] = "text on one line",
	[CFG_PATH] = "a path",
	[CFG_NUMBER] = "a whole number above 0",
	[CFG_COUNT] = "a whole number (0 or more)",
	[CFG_BOOL] = "true or false",
	[CFG_LISTEN] = "HOST:PORT, as 127.0.0.1:8080",
	[CFG_URL] = "http(s)://HOST[:PORT], as https://entente.example.org",
	[CFG_SMTP] = "smtp://HOST:PORT or smtps://HOST:PORT",
	[CFG_NETS] = "addresses or networks, comma-separated, as 10.0.0.0/8, ::1",
	[CFG_LEVEL] = "error, warn, info or debug",
};

int cfg_find(const char *key)
{
	for (int i = 0; cfg_keys[i].key; i++)
		if (!strcmp(cfg_keys[i].key, key))
			return i;
	return -1;
}

void cfg_option(const struct cfg_key *k, char *out, size_t n)
{
	snprintf(out, n, "--%s", !strcmp(k->key, "database") ? "db" : k->key);
	for (char *p = out + 2; *p; p++)
		if (*p == '_')
			*p = '-';
}

static void env_name(const struct cfg_key *k, char *out, size_t n)
{
	snprintf(out, n, "ENTENTE_%s", !strcmp(k->key, "database") ? "DB" : k->key);
	for (char *p = out; *p; p++)
		*p = (char)toupper((unsigned char)*p);
}

/* 1 true, 0 false, -1 neither */
static int boolean(const char *v)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL }, *const no[] = { "false", "no", "off", "0", NULL };
	for (int i = 0; yes[i]; i++) {
		if (!strcasecmp(v, yes[i]))
			return 1;
		if (!strcasecmp(v, no[i]))
			return 0;
	}
	return -1;
}

static int whole(const char *v, int zero_ok)
{
	char *end;
	if (!isdigit((unsigned char)*v))
		return 0;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	return !*end && !errno && n <= 0xffffffffULL && (zero_ok || n > 0);
}

/* Whether v has the form the key's type asks for. */
static int well_formed(const struct cfg_key *k, const char *v)
{
	struct err e = ERR_INIT;
	char url[300];
	if (!*v)
		return 0;
	switch (k->type) {
	case CFG_NUMBER: return whole(v, 0);
	case CFG_COUNT: return whole(v, 1);
	case CFG_BOOL: return boolean(v) >= 0;
	case CFG_LISTEN: {
		const char *colon = strrchr(v, ':');
		return colon && colon > v && whole(colon + 1, 1) && atol(colon + 1) <= 65535;
	}
	case CFG_URL: return proxy_base_url(v, url, sizeof(url), &e) == 0;
	case CFG_SMTP: return !strncmp(v, "smtp://", 7) || !strncmp(v, "smtps://", 8);
	case CFG_NETS: {
		struct proxy_list *l = calloc(1, sizeof(*l));
		int ok = l && proxy_list_add(l, v, &e) == 0;
		free(l);
		return ok;
	}
	case CFG_LEVEL: return log_level_named(v) >= 0;
	case CFG_TEXT:
	case CFG_PATH: return !strpbrk(v, "\r\n");
	}
	return 0;
}

static int bad_value(const struct cfg_key *k, const char *where, const char *v, char *why, size_t n)
{
	snprintf(why, n, "%s: %s: '%.80s' is not %s", where, k->key, v, expected[k->type]);
	return -1;
}

int cfg_set_command_line(struct cfg *cf, int k, const char *value, char *why, size_t n)
{
	if (!well_formed(&cfg_keys[k], value))
		return bad_value(&cfg_keys[k], "the command line", value, why, n);
	cf->v[k].value = value;
	snprintf(cf->v[k].source, sizeof(cf->v[k].source), "command line");
	return 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* The file's lines into cf; file names it in messages. */
static int parse(struct cfg *cf, const char *file, char *why, size_t n)
{
	int line_of[CFG_MAX_KEYS] = { 0 }, line = 0;
	for (char *p = cf->text, *next; p && *p; p = next) {
		line++;
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		char *s = trim(p);
		if (!*s || *s == '#' || *s == ';')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(why, n, "%s:%d: expected key = value", file, line);
			return -1;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		size_t vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		}
		int k = cfg_find(key);
		if (k < 0) {
			snprintf(why, n, "%s:%d: unknown key '%.60s' (entente.conf(5) lists the keys; entente config shows them)", file, line,
				 key);
			return -1;
		}
		if (cfg_keys[k].flags & CFG_SECRET) {
			snprintf(why, n, "%s:%d: %s is a secret and is not taken from the file: use %s_file, or ENTENTE_SMTP_PASSWORD",
				 file, line, key, key);
			return -1;
		}
		if (line_of[k]) {
			snprintf(why, n, "%s:%d: %s is given again (first on line %d)", file, line, key, line_of[k]);
			return -1;
		}
		char where[1100];
		snprintf(where, sizeof(where), "%s:%d", file, line);
		if (!well_formed(&cfg_keys[k], value))
			return bad_value(&cfg_keys[k], where, value, why, n);
		line_of[k] = line;
		cf->v[k].value = value;
		snprintf(cf->v[k].source, sizeof(cf->v[k].source), "%s", where);
	}
	return 0;
}

static int read_file(struct cfg *cf, const char *path, char *why, size_t n)
{
	struct stat sb;
	FILE *f = fopen(path, "r");
	if (!f || fstat(fileno(f), &sb)) {
		snprintf(why, n, "%s: cannot read the configuration: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > (1 << 20) || (sb.st_mode & S_IWOTH)) {
		snprintf(why, n, "%s: %s", path,
			 !S_ISREG(sb.st_mode) ? "the configuration is not a file"
			 : (sb.st_mode & S_IWOTH) ? "the configuration may be written by anyone: chmod o-w it"
						  : "the configuration is larger than 1 MiB");
		fclose(f);
		return -1;
	}
	cf->text = calloc(1, (size_t)sb.st_size + 1);
	size_t got = cf->text ? fread(cf->text, 1, (size_t)sb.st_size, f) : 0;
	fclose(f);
	if (!cf->text || got != (size_t)sb.st_size || memchr(cf->text, '\0', got)) {
		snprintf(why, n, "%s: cannot read the configuration (or it holds a NUL byte)", path);
		return -1;
	}
	snprintf(cf->file, sizeof(cf->file), "%s", path);
	return parse(cf, path, why, n);
}

int cfg_load(struct cfg *cf, const char *named, char *why, size_t n)
{
	const char *env = getenv("ENTENTE_CONFIG");
	struct stat sb;
	memset(cf, 0, sizeof(*cf));
	if (named && !*named) {
		snprintf(why, n, "--config: expected a file");
		return -1;
	}
	if (named || (env && *env)) {
		if (read_file(cf, named ? named : env, why, n))
			return -1;
	} else if (!env && !stat(ENTENTE_CONFIG_DEFAULT, &sb)) {
		if (read_file(cf, ENTENTE_CONFIG_DEFAULT, why, n))
			return -1;
	}
	/* the environment over the file */
	for (int k = 0; cfg_keys[k].key; k++) {
		char name[64];
		env_name(&cfg_keys[k], name, sizeof(name));
		const char *v = getenv(name);
		if (!v || !*v)
			continue;
		char where[80];
		snprintf(where, sizeof(where), "environment %s", name);
		if (!well_formed(&cfg_keys[k], v))
			return bad_value(&cfg_keys[k], where, (cfg_keys[k].flags & CFG_SECRET) ? "(hidden)" : v, why, n);
		cf->v[k].value = v;
		snprintf(cf->v[k].source, sizeof(cf->v[k].source), "%s", where);
	}
	return 0;
}

void cfg_free(struct cfg *cf)
{
	free(cf->text);
	cf->text = NULL;
}

static int applies(const struct cfg_key *k, const char *command)
{
	if (!k->commands)
		return 0; /* the database is the global option, read by main */
	size_t len = strlen(command);
	for (const char *p = k->commands; p;) {
		const char *end = strchr(p, ',');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (l == len && !strncmp(p, command, len))
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

static int given(int argc, char **argv, const char *opt)
{
	size_t len = strlen(opt);
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], opt, len) && (argv[i][len] == '\0' || argv[i][len] == '='))
			return 1;
	return 0;
}

int cfg_diff(const struct cfg *a, const struct cfg *b, const char *command, int argc, char **argv, int *out)
{
	int n = 0;
	for (int k = 0; cfg_keys[k].key; k++) {
		const char *x = a->v[k].value, *y = b->v[k].value;
		char opt[40];
		cfg_option(&cfg_keys[k], opt, sizeof(opt));
		if ((x || y) && (!x || !y || strcmp(x, y)) && (applies(&cfg_keys[k], command) || !cfg_keys[k].commands) &&
		    !given(argc, argv, opt))
			out[n++] = k;
	}
	return n;
}

int cfg_argv(const struct cfg *cf, const char *command, int argc, char **argv, char ***out)
{
	char **a = calloc((size_t)argc + 2 * CFG_MAX_KEYS + 1, sizeof(*a));
	static char options[CFG_MAX_KEYS][40];
	int n = 0;
	if (!a)
		return -1;
	a[n++] = argv[0];
	for (int k = 0; cfg_keys[k].key; k++) {
		const struct cfg_key *key = &cfg_keys[k];
		if (!cf->v[k].value || !applies(key, command) || (key->flags & CFG_SECRET))
			continue;
		cfg_option(key, options[k], sizeof(options[k]));
		if (given(argc, argv, options[k]))
			continue;
		if (key->type == CFG_BOOL) {
			if (boolean(cf->v[k].value) == 1)
				a[n++] = options[k];
			continue;
		}
		a[n++] = options[k];
		a[n++] = (char *)cf->v[k].value;
	}
	for (int i = 1; i < argc; i++)
		a[n++] = argv[i];
	a[n] = NULL;
	*out = a;
	return n;
}

void cfg_man(FILE *f, const char *version)
{
	fprintf(f, ".TH ENTENTE.CONF 5 \"\" \"entente %s\" \"File Formats\"\n.SH NAME\nentente.conf \\- the configuration of entente\n"
		   ".SH SYNOPSIS\n" ENTENTE_CONFIG_DEFAULT "\n.SH DESCRIPTION\n"
		   "One setting per line, \\fIkey\\fR \\fB=\\fR \\fIvalue\\fR; blank lines and lines that begin with # are\n"
		   "ignored; a value may be quoted with double quotes. The file is \\fB\\-\\-config\\fR \\fIFILE\\fR (before\n"
		   "or after the command), else \\fBENTENTE_CONFIG\\fR (empty: no file), else " ENTENTE_CONFIG_DEFAULT "\n"
		   "when it exists.\n.PP\nEvery key is also a command\\-line option of the same name, with \\- for _\n"
		   "(\\fBdatabase\\fR is \\fB\\-\\-db\\fR), and an environment variable ENTENTE_\\fIKEY\\fR in capitals\n"
		   "(\\fBdatabase\\fR is \\fBENTENTE_DB\\fR). The command line wins, then the environment, then the file,\n"
		   "then the default. \\fBentente config\\fR prints the values in force and where each came from.\n"
		   ".PP\nAn unknown key, a value of the wrong form, a key given twice, a secret in the file or a file\n"
		   "that others may write is refused with its file and line, and no command runs.\n"
		   "Secrets are never in this file: the SMTP password is in \\fBsmtp_password_file\\fR or the\n"
		   "environment, and is never printed or logged.\n"
		   ".PP\nAt SIGHUP (\\fBsystemctl reload entente\\fR) the server reopens its log file and reads the\n"
		   "file again (the command line and the environment still win over it): the keys marked \\(lqAgain at SIGHUP\\(rq take their new values\n"
		   "(the mail deliverer and the publisher start again with theirs, the SMTP password file is read\n"
		   "again); a change of a key marked \\(lqAt start only\\(rq is logged and waits for a restart. A file\n"
		   "that is wrong is logged with its line, and everything stays as it was.\n.SH KEYS\n",
		version);
	for (const struct cfg_key *k = cfg_keys; k->key; k++) {
		fprintf(f, ".TP\n.BR %s \" = \" \"%s\"\n", k->key, expected[k->type]);
		roff_text(f, k->help);
		fputs(". Default: ", f);
		roff_text(f, k->def);
		fputs(k->commands ? ". Read by: " : ".", f);
		if (k->commands)
			roff_text(f, k->commands);
		fputs(k->commands ? "." : "", f);
		if (applies(k, "serve") || !k->commands)
			fputs((k->flags & CFG_START) ? " At start only." : " Again at SIGHUP.", f);
		fputs("\n", f);
	}
	fprintf(f, ".SH EXAMPLE\n.nf\ndatabase = /var/lib/entente/entente.db\nlisten = 127.0.0.1:8080\nbase_url = https://entente.example.org\n"
		   "trusted_proxy = 127.0.0.1\nsmtp_url = smtp://127.0.0.1:25\nmail_from = entente <entente@example.org>\n.fi\n"
		   ".SH SEE ALSO\n\\fBentente\\fR(1)\n");
}

void cfg_example(FILE *f)
{
	fprintf(f, "# entente's configuration: entente.conf(5). One \"key = value\" a line; a key\n"
		   "# left out (or commented out) takes its default, shown here. The command line\n"
		   "# and the environment (ENTENTE_<KEY>) override this file; `entente config`\n"
		   "# shows what is in force and where it came from.\n\n"
		   "database = /var/lib/entente/entente.db\n"
		   "git_repo = /var/lib/entente/published.git\n"
		   "web_dir = /usr/share/entente/web\n\n");
	for (const struct cfg_key *k = cfg_keys; k->key; k++) {
		if (!strcmp(k->key, "database") || !strcmp(k->key, "git_repo") || !strcmp(k->key, "web_dir") || (k->flags & CFG_SECRET) ||
		    !strcmp(k->key, "test_clock") || !strcmp(k->key, "ready_file"))
			continue;
		if (well_formed(k, k->def))
			fprintf(f, "# %s\n# %s = %s\n", k->help, k->key, k->def);
		else
			fprintf(f, "# %s (default: %s)\n# %s =\n", k->help, k->def, k->key);
	}
}

/* entente config: what is in force, and where each value came from. */
int cmd_config(struct cli *c, int argc, char **argv)
{
	struct cfg *cf = c->cfg;
	char why[1400];
	int check = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: entente [--config FILE] config [--check | --example | --man] [--KEY VALUE ...]\n\n"
			       "Prints every configuration key with the value in force and where it came from: the command\n"
			       "line (--KEY VALUE here, as any command takes it), the environment (ENTENTE_KEY), the file\n"
			       "(FILE:LINE) or the default. Secrets are masked. The file is --config FILE, else\n"
			       "$ENTENTE_CONFIG, else " ENTENTE_CONFIG_DEFAULT " when it exists; entente.conf(5)\n"
			       "describes it.\n"
			       "  --check    print only whether the configuration is good (exit status 0), else why (2)\n"
			       "  --example  print a commented example file, every key at its default\n"
			       "  --man      print entente.conf(5)\n");
			return 0;
		}
		if (!strcmp(a, "--check")) {
			check = 1;
			continue;
		}
		if (!strcmp(a, "--example") || !strcmp(a, "--man")) {
			if (a[2] == 'e')
				cfg_example(stdout);
			else
				cfg_man(stdout, ENTENTE_VERSION);
			return 0;
		}
		int k = -1;
		for (int j = 0; cfg_keys[j].key && k < 0; j++) {
			char opt[48];
			cfg_option(&cfg_keys[j], opt, sizeof(opt));
			if (!strcmp(a, opt))
				k = j;
		}
		if (k < 0 || i + 1 >= argc || (cfg_keys[k].type == CFG_BOOL && i + 1 < argc && !strncmp(argv[i + 1], "--", 2))) {
			if (k >= 0 && cfg_keys[k].type == CFG_BOOL) {
				cf->v[k].value = "true";
				snprintf(cf->v[k].source, sizeof(cf->v[k].source), "command line");
				continue;
			}
			fprintf(stderr, "%s: unknown option %s (see --help)\n", c->prog, a);
			return 2;
		}
		if (cfg_set_command_line(cf, k, argv[++i], why, sizeof(why))) {
			fprintf(stderr, "%s: %s\n", c->prog, why);
			return 2;
		}
	}
	if (check) {
		printf("configuration good%s%s\n", cf->file[0] ? ": " : " (no file)", cf->file);
		return 0;
	}
	printf("# configuration file: %s\n", cf->file[0] ? cf->file : "none");
	for (int k = 0; cfg_keys[k].key; k++) {
		const struct cfg_key *key = &cfg_keys[k];
		const char *v = cf->v[k].value;
		if (v && (key->flags & CFG_SECRET))
			v = "********";
		if (!v)
			v = strcmp(key->key, "database") ? key->def : c->db_path;
		printf("%-20s = %-36s # %s\n", key->key, v, cf->v[k].value ? cf->v[k].source : "default");
	}
	return 0;
}
