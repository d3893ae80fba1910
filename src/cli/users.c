/* entente user add|passwd|disable, token create, and the demo data. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/util.h"

#define HELP_OPT { "help", no_argument, NULL, 'h' }

static int64_t id_of(json_t *v) { return json_integer_value(json_object_get(v, "id")); }

/* The password from --password-file, or a generated one printed once. */
static char *password_from(const char *file, int *generated)
{
	char buf[33];
	*generated = !file;
	if (file)
		return cli_read_secret(file);
	random_hex(buf, 12);
	return strdup(buf);
}

static int64_t host_org(struct cli *c)
{
	json_t *params = json_pack("{ss}", "kind", "host"), *out = NULL;
	int64_t id = 0;
	if (!cli_call(c, "org.list", params, NULL, &out))
		id = id_of(json_array_get(json_object_get(out, "items"), 0));
	json_decref(params);
	json_decref(out);
	if (!id)
		fprintf(stderr, "%s: no host organization: run entente init\n", c->prog);
	return id;
}

int cmd_user_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' }, { "name", required_argument, NULL, 'n' },
		{ "org-id", required_argument, NULL, 'o' }, { "password-file", required_argument, NULL, 'p' },
		{ "role", required_argument, NULL, 'r' }, { "dmtf-member", required_argument, NULL, 'm' },
		HELP_OPT, { 0 } };
	const char *usage = "usage: entente user add --email E --name N [--org-id ID] [--password-file F]\n"
			    "                        [--role admin|vp_alliances] [--dmtf-member true|false]\n\n"
			    "Adds a person with an account. The organization defaults to the host (DMTF); the\n"
			    "password is read from the file or generated and printed once.\n";
	const char *email = NULL, *name = NULL, *pwfile = NULL, *role = NULL, *member = NULL;
	long long org = 0;
	int ch, generated, ret = 1;
	char *password = NULL;
	json_t *out = NULL;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'e': email = optarg; break;
		case 'n': name = optarg; break;
		case 'o': org = atoll(optarg); break;
		case 'p': pwfile = optarg; break;
		case 'r': role = optarg; break;
		case 'm': member = optarg; break;
		case 'h': printf("%s", usage); return 0;
		default: return 2;
		}
	}
	if (!email || !name) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	if (!org && !(org = host_org(c)))
		return 1;
	if (!(password = password_from(pwfile, &generated)))
		return 1;
	json_t *body = json_pack("{ss ss sI}", "name", name, "email", email, "org_id", (json_int_t)org);
	if (member)
		json_object_set_new(body, "dmtf_member", json_boolean(!strcmp(member, "true")));
	int bad = cli_call(c, "person.create", NULL, body, &out);
	json_decref(body);
	if (bad || cli_call_take(c, "password.set", json_pack("{ss ss}", "email", email, "password", password)))
		goto done;
	if (role) {
		json_t *ob = json_pack("{sI ss}", "person_id", (json_int_t)id_of(out), "role", role);
		bad = cli_call(c, "officer.add", NULL, ob, NULL);
		json_decref(ob);
		if (bad)
			goto done;
	}
	printf("added %s (person %lld)\n", email, (long long)id_of(out));
	if (generated)
		printf("password: %s   (shown once: keep it)\n", password);
	ret = 0;
done:
	free(password);
	json_decref(out);
	return ret;
}

int cmd_user_passwd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "email", required_argument, NULL, 'e' },
					      { "password-file", required_argument, NULL, 'p' }, HELP_OPT, { 0 } };
	const char *usage = "usage: entente user passwd --email E [--password-file F]\n\n"
			    "Sets a password (at least 10 characters); generated and printed once without a file.\n";
	const char *email = NULL, *pwfile = NULL;
	int ch, generated, ret = 1;
	char *password;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'e')
			email = optarg;
		else if (ch == 'p')
			pwfile = optarg;
		else if (ch == 'h') {
			printf("%s", usage);
			return 0;
		} else
			return 2;
	}
	if (!email) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	if (!(password = password_from(pwfile, &generated)))
		return 1;
	json_t *body = json_pack("{ss ss}", "email", email, "password", password);
	if (!cli_call(c, "password.set", NULL, body, NULL)) {
		printf("password set for %s\n", email);
		if (generated)
			printf("password: %s   (shown once: keep it)\n", password);
		ret = 0;
	}
	json_decref(body);
	free(password);
	return ret;
}

static int64_t person_id(struct cli *c, const char *email)
{
	json_t *params = json_pack("{ss}", "email", email), *out = NULL;
	int64_t id = 0;
	if (!cli_call(c, "person.list", params, NULL, &out))
		id = id_of(json_array_get(json_object_get(out, "items"), 0));
	if (!id && out)
		fprintf(stderr, "%s: no person has the e-mail address %s\n", c->prog, email);
	json_decref(params);
	json_decref(out);
	return id;
}

int cmd_user_disable(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "email", required_argument, NULL, 'e' },
					      { "enable", no_argument, NULL, 'n' }, HELP_OPT, { 0 } };
	const char *usage = "usage: entente user disable --email E [--enable]\n\n"
			    "Disables an account: it can no longer sign in, and its sessions and tokens stop working.\n";
	const char *email = NULL;
	int ch, enable = 0;
	int64_t id;
	char sid[24];
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'e')
			email = optarg;
		else if (ch == 'n')
			enable = 1;
		else if (ch == 'h') {
			printf("%s", usage);
			return 0;
		} else
			return 2;
	}
	if (!email) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	if (!(id = person_id(c, email)))
		return 1;
	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	json_t *params = json_pack("{ss}", "id", sid), *body = json_pack("{sb}", "disabled", !enable);
	int ret = cli_call(c, "person.update", params, body, NULL) ? 1 : 0;
	json_decref(params);
	json_decref(body);
	if (!ret)
		printf("%s %s\n", email, enable ? "enabled" : "disabled");
	return ret;
}

int cmd_token_create(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "email", required_argument, NULL, 'e' },
					      { "name", required_argument, NULL, 'n' }, HELP_OPT, { 0 } };
	const char *usage = "usage: entente token create --email E [--name LABEL]\n\n"
			    "Creates an API token for the person and prints it once on standard output;\n"
			    "only its hash is stored. Use it as Authorization: Bearer <token>.\n";
	const char *email = NULL, *name = NULL;
	int ch;
	json_t *out = NULL, *body;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'e')
			email = optarg;
		else if (ch == 'n')
			name = optarg;
		else if (ch == 'h') {
			printf("%s", usage);
			return 0;
		} else
			return 2;
	}
	if (!email) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	body = json_pack("{ss}", "email", email);
	if (name)
		json_object_set_new(body, "name", json_string(name));
	int ret = cli_call(c, "token.create", NULL, body, &out) ? 1 : 0;
	if (!ret)
		printf("%s\n", json_string_value(json_object_get(out, "token")));
	json_decref(body);
	json_decref(out);
	return ret;
}
