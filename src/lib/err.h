/* Error codes of entente: one X-macro maps each code to an HTTP status, a
 * title and, where one applies, the rule of RULES.md it enforces.
 * Functions return 0 on success or a negative number and fill a struct err
 * owned by the caller; library layers never print. */
#ifndef ENTENTE_ERR_H
#define ENTENTE_ERR_H

#include <stdarg.h>
#include <stddef.h>

/*  X(name,              status, title,                                   rule) */
#define ERR_MAP(X) \
  X(OK,                  200, "OK",                                        NULL) \
  X(BAD_JSON,            400, "Malformed JSON",                            NULL) \
  X(BAD_UTF8,            400, "Invalid UTF-8",                             NULL) \
  X(INVALID,             400, "Invalid value",                             NULL) \
  X(UNKNOWN_FIELD,       400, "Unknown field",                             NULL) \
  X(MISSING_FIELD,       400, "Missing field",                             NULL) \
  X(WRONG_TYPE,          400, "Wrong type",                                NULL) \
  X(BAD_CURSOR,          400, "Invalid cursor",                            NULL) \
  X(BAD_REQUEST,         400, "Malformed HTTP request",                    NULL) \
  X(UNAUTHENTICATED,     401, "Authentication required",                   NULL) \
  X(BAD_CREDENTIALS,     401, "Invalid credentials",                       NULL) \
  X(SECOND_FACTOR,       401, "A code from your authenticator is required", NULL) \
  X(TWO_FACTOR_REQUIRED, 403, "Two-factor sign-in is required for your role", NULL) \
  X(CSRF,                403, "Missing or invalid CSRF token",             NULL) \
  X(FORBIDDEN,           403, "Forbidden",                                 NULL) \
  X(FIELD_FORBIDDEN,     403, "This field is not yours to set",            NULL) \
  X(NOT_FOUND,           404, "Not found",                                 NULL) \
  X(METHOD,              405, "Method not allowed",                        NULL) \
  X(CONFLICT,            409, "Conflict",                                  NULL) \
  X(DUPLICATE,           409, "Already exists",                            NULL) \
  X(NOT_EDITABLE,        409, "Work Register is not editable in its state", "R22") \
  X(STALE,               412, "Precondition failed: the resource changed",  "R13") \
  X(TOO_LARGE,           413, "Request body too large",                    NULL) \
  X(URI_TOO_LONG,        414, "Request target too long",                   NULL) \
  X(MEDIA_TYPE,          415, "Unsupported media type",                    NULL) \
  X(EXPECTATION,         417, "Expectation failed",                        NULL) \
  X(IDEMPOTENCY_REUSED,  422, "This Idempotency-Key was sent with another request", NULL) \
  X(PRECONDITION_REQUIRED, 428, "If-Match required",                       "R13") \
  X(LINK_GONE,           410, "This link has expired or was already used", NULL) \
  X(THROTTLED,           429, "Too many attempts",                         NULL) \
  X(HEAD_TOO_LARGE,      431, "Request header fields too large",           NULL) \
  X(R1_OWNER,            409, "Owner must be an active Alliance Committee member", "R1") \
  X(R2_ORIGINATING,      409, "Originating Committee must be a committee", "R2") \
  X(R10_PROPOSER,        403, "Work Registers are proposed by a partner's representatives or by host staff", "R10") \
  X(R10_MEMBER,          409, "Only a Board or Leadership member company proposes a Work Register", "R10") \
  X(R11_ASSIGN,          403, "Only the VP of Alliances assigns an owner to an external proposal", "R11") \
  X(R35_DELEGATION,      409, "Delegated work needs the partner's agreement to the delegation rules in force", "R35") \
  X(R36_TABLE,           400, "Table 1 row is incomplete",                 "R36") \
  X(R37_TYPE,            409, "Standard type is not a DMTF specification type", "R37") \
  X(R38_APID,            409, "AP identifier is already used by this partner", "R38") \
  X(R38_DSP,             409, "A DMTF-owned standard is identified by a DSP number", "R38") \
  X(R39_GROUP,           409, "Only a current group row can be replaced",  "R39") \
  X(R40_ORG,             400, "Organization columns name DMTF or the partner", "R40") \
  X(WRONG_STATE,         409, "Not possible in the record's present state", NULL) \
  X(R4_COMMITTEES,       409, "Every involved committee must approve first", "R4") \
  X(R5_BOARD,            409, "The Board ballots only after every involved committee approved", "R5") \
  X(R7_RESOLUTION,       409, "The Board resolution and date must be recorded", "R7") \
  X(R12_INCOMPLETE,      409, "The draft is not complete", "R12") \
  X(R16_OPEN_COMMENTS,   409, "Comments are still open", "R16") \
  X(R18_PARALLEL,        409, "This committee cannot open a ballot on this draft now", "R18") \
  X(R20_ACCEPTANCE,      409, "Only the partner's acceptance establishes the alliance", "R20") \
  X(R24_CONTACTS,        409, "A contacts-only change may change only the partner's contacts", "R24") \
  X(R29_SCOPE,           409, "The change extends the scope", "R29") \
  X(R31_STAGNATION,      409, "No stagnation: milestones progressed within the review period", "R31") \
  X(R32_DISSOLUTION,     409, "Not every deliverable is complete", "R32") \
  X(NOT_VOTER,           403, "Not an eligible voter of this ballot",       NULL) \
  X(BALLOT_CLOSED,       409, "The ballot is closed",                      NULL) \
  X(INTERNAL,            500, "Internal error",                            NULL) \
  X(NOT_IMPLEMENTED,     501, "Not implemented",                           NULL) \
  X(UNAVAILABLE,         503, "Service unavailable",                       NULL) \
  X(HTTP_VERSION,        505, "HTTP version not supported",                NULL)

enum err_code {
#define ERR_ENUM(name, status, title, rule) E_##name,
	ERR_MAP(ERR_ENUM)
#undef ERR_ENUM
	E__COUNT
};

struct err {
	enum err_code code;
	char field[64];   /* offending field, "" when none */
	char detail[256]; /* human detail, "" when none */
	char rule[8];     /* the rule cited when the code's own does not apply */
};

#define ERR_INIT { E_OK, "", "", "" }

/* The rule an error cites: e->rule, else the code's, else NULL. */
const char *err_rule_of(const struct err *e);

/* Fill e (if not NULL) and return -1. field may be NULL. */
int err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void err_clear(struct err *e);
/* Prefix e->field with "name[index]." (truncated to fit): the field of an
 * item inside an array. */
void err_field_in(struct err *e, const char *name, size_t index);

int err_status(enum err_code code);
const char *err_title(enum err_code code);
const char *err_rule(enum err_code code);   /* NULL when no rule applies */
const char *err_name(enum err_code code);   /* "R1_OWNER": stable type slug */

#endif
