/* Passwords after NIST SP 800-63B 5.1.1.2 (issue 24): at least 12
 * characters, no composition rules, and none of the common passwords of
 * the list shipped with entente (data/common-passwords.txt, built into the
 * binary), nor one of them with digits or symbols added at its end, nor
 * one character repeated, nor words of the context (the person's e-mail
 * name, the service's name). Pure. */
#ifndef ENTENTE_PWPOLICY_H
#define ENTENTE_PWPOLICY_H

#include <stddef.h>

#define PW_MIN_CHARS 12

/* The list's bytes, between the two symbols the .incbin of pwpolicy.c
 * defines; read by pwpolicy.c only. */
extern const char entente_pwlist_start[], entente_pwlist_end[];

/* 0 when pw may be chosen; otherwise 1 and why (a sentence that follows
 * "the password ") into why. context: words it must not contain
 * (NULL-terminated, may be NULL; words shorter than 4 are ignored). */
int pw_weak(const char *pw, const char *const *context, char *why, size_t n);
/* 1 when lower (lower case) is on the list of common passwords. */
int pw_common(const char *lower);
/* How many passwords the list holds (its entries, once loaded). */
size_t pw_list_size(void);

#endif
