/* The configuration (issue 23): one file of "key = value" lines, the
 * environment (ENTENTE_<KEY>) and the command line, for the options of the
 * long-running and operator commands. Every key is a command-line option
 * of the same name with '-' for '_' (database is the global --db), so the
 * commands keep one parser: the file's and the environment's values
 * become options placed before the command line's own, and an option the
 * command line gives is never placed (the command line wins, then the
 * environment, then the file, then the command's default).
 *
 * The file is --config FILE (before or after the command), else
 * $ENTENTE_CONFIG (empty: none), else ENTENTE_CONFIG_DEFAULT when that
 * file exists. An unknown key, a value of the wrong form, a key given
 * twice, a secret in the file or a file others may write is refused,
 * naming the file and line and what is expected. */
#ifndef ENTENTE_CLI_CONFIG_H
#define ENTENTE_CLI_CONFIG_H

#include <stddef.h>
#include <stdio.h>

/* The database when nothing names one. */
#define ENTENTE_DB_DEFAULT "var/entente.db"

#ifndef ENTENTE_CONFIG_DEFAULT
#define ENTENTE_CONFIG_DEFAULT "/etc/entente/entente.conf"
#endif

enum cfg_type {
	CFG_TEXT,    /* any text on one line */
	CFG_PATH,    /* a file or directory */
	CFG_NUMBER,  /* a whole number above 0 */
	CFG_COUNT,   /* a whole number, 0 allowed */
	CFG_BOOL,    /* true or false (yes/no, on/off, 1/0) */
	CFG_LISTEN,  /* HOST:PORT */
	CFG_URL,     /* http(s)://HOST[:PORT] */
	CFG_SMTP,    /* smtp(s)://HOST[:PORT] */
	CFG_NETS,    /* comma-separated addresses or networks */
	CFG_LEVEL,   /* error, warn, info or debug */
};

#define CFG_SECRET 1u  /* from the environment only; never printed */
#define CFG_START 2u   /* entente serve reads it at start only: a change waits
			* for a restart (the others are read again at SIGHUP) */

struct cfg_key {
	const char *key;      /* "listen" */
	const char *commands; /* "serve,outbox deliver"; NULL: every command (database) */
	enum cfg_type type;
	const char *def;      /* the default, in words, for entente config and entente.conf(5) */
	const char *help;
	unsigned flags;
};

extern const struct cfg_key cfg_keys[];

#define CFG_MAX_KEYS 48

struct cfg {
	char file[1024];               /* the file read, "" for none */
	struct cfg_value {
		const char *value;         /* NULL: the default */
		char source[1100];         /* "command line", "environment ENTENTE_X", "FILE:LINE" */
	} v[CFG_MAX_KEYS];
	char *text;                    /* the file's text, which values point into */
};

/* Read the file (named, else $ENTENTE_CONFIG, else the default when it
 * exists) and the environment into cf. 0, or -1 with the reason in why
 * (FILE:LINE: what is wrong, what is expected). */
int cfg_load(struct cfg *cf, const char *named, char *why, size_t n);
void cfg_free(struct cfg *cf);

/* The index of key in cfg_keys, -1 when unknown. */
int cfg_find(const char *key);

/* Record a value given on the command line (validated: -1 and why on a
 * bad one). */
int cfg_set_command_line(struct cfg *cf, int k, const char *value, char *why, size_t n);

/* The arguments of command with the configured options placed after
 * argv[0] and before the command line's own; *out is allocated (free it
 * alone: the strings are argv's and cf's). */
int cfg_argv(const struct cfg *cf, const char *command, int argc, char **argv, char ***out);

/* The keys of command whose values differ between a and b, those the
 * command line (argc, argv, as given: it wins both times) sets aside:
 * their indexes into out (CFG_MAX_KEYS at most), their number. */
int cfg_diff(const struct cfg *a, const struct cfg *b, const char *command, int argc, char **argv, int *out);

/* The key's option name ("--smtp-url"). */
void cfg_option(const struct cfg_key *k, char *out, size_t n);

/* entente.conf(5), from the key table. */
void cfg_man(FILE *f, const char *version);
/* A commented example file (every key at its default). */
void cfg_example(FILE *f);

#endif
