/* The mail options shared by entente serve and entente outbox deliver,
 * and the one-off delivery run (issue 10). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mail/mail.h"

const char cli_mail_usage[] =
	"  --smtp-url URL         the mail server: smtp://host:port or smtps://host:port; else $ENTENTE_SMTP_URL.\n"
	"                         Without one, messages wait in the outbox (the administrators' mail preview\n"
	"                         shows them). smtp:// to another machine sends only after STARTTLS; to this\n"
	"                         machine, over STARTTLS whenever the server offers it\n"
	"  --smtp-starttls        require STARTTLS, a mail server on this machine too\n"
	"  --smtp-ca-file F       CA certificates to check the server's certificate with (else the\n"
	"                         system's; $ENTENTE_SMTP_CA_FILE)\n"
	"  --smtp-user NAME       SMTP AUTH user (else $ENTENTE_SMTP_USER)\n"
	"  --smtp-password-file F its password, the file's first line (else $ENTENTE_SMTP_PASSWORD_FILE); AUTH goes\n"
	"                         over TLS only (smtps://, or --smtp-starttls) unless --smtp-insecure\n"
	"  --smtp-insecure        allow mail and SMTP AUTH without TLS to a mail server on another machine\n"
	"  --mail-from ADDRESS    From: of every message (else $ENTENTE_MAIL_FROM, else entente <entente@localhost>)\n"
	"  --base-url URL         the web application's address in links (else $ENTENTE_BASE_URL)\n"
	"  --mail-interval SECONDS how often the outbox is looked at (default 10)\n"
	"  --mail-lease SECONDS   how long a claim on a message holds (default 120)\n"
	"  --mail-retry-base SECONDS first retry delay after a temporary failure, doubled each time (default 60)\n"
	"  --mail-attempts N      attempts before a message is dead (default 8)\n";

/* 1 when ch was one of the mail options (stored), -1 when its value is
 * wrong (printed), 0 when it is not a mail option. */
int cli_mail_option(const char *prog, int ch, const char *arg, struct mail_config *mc, unsigned *interval)
{
	char *end = NULL;
	unsigned long n = arg ? strtoul(arg, &end, 10) : 0;
	switch (ch) {
	case MAIL_OPT_URL: mc->smtp_url = arg; return 1;
	case MAIL_OPT_STARTTLS: mc->starttls = 1; return 1;
	case MAIL_OPT_INSECURE: mc->insecure = 1; return 1;
	case MAIL_OPT_USER: mc->user = arg; return 1;
	case MAIL_OPT_PASSWORD: mc->password_file = arg; return 1;
	case MAIL_OPT_CA: mc->ca_file = arg; return 1;
	case MAIL_OPT_FROM: mc->from = arg; return 1;
	case MAIL_OPT_BASE: mc->base_url = arg; return 1;
	case MAIL_OPT_INTERVAL: case MAIL_OPT_LEASE: case MAIL_OPT_RETRY: case MAIL_OPT_ATTEMPTS:
		if (!end || *end || !n || n > 86400) {
			fprintf(stderr, "%s: '%s' is not a positive number (at most 86400)\n", prog, arg);
			return -1;
		}
		if (ch == MAIL_OPT_INTERVAL) *interval = (unsigned)n;
		if (ch == MAIL_OPT_LEASE) mc->lease_s = (unsigned)n;
		if (ch == MAIL_OPT_RETRY) mc->retry_base_s = (unsigned)n;
		if (ch == MAIL_OPT_ATTEMPTS) mc->attempts = (unsigned)n;
		return 1;
	default:
		return 0;
	}
}

int cmd_outbox_deliver(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { MAIL_OPTS, { "help", no_argument, NULL, 'h' }, { 0 } };
	struct mail_config mc = { 0 };
	struct mail_run run = { 0 };
	struct err e = ERR_INIT;
	unsigned interval = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'h') {
			printf("usage: entente outbox deliver [--smtp-url URL] [options]\n\n"
			       "Sends the messages due now, once, and says what became of them.\n%s", cli_mail_usage);
			return 0;
		}
		int r = cli_mail_option(c->prog, ch, optarg, &mc, &interval);
		if (r <= 0)
			return 2;
	}
	if (mail_config_load(&mc, &e)) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 2;
	}
	if (mail_deliver(c->st, &mc, NULL, &run, &e)) {
		fprintf(stderr, "%s: %s\n", c->prog, e.detail);
		return 1;
	}
	printf("%u sent, %u to retry, %u dead\n", run.sent, run.retrying, run.dead);
	return run.dead || run.retrying ? 3 : 0;
}
