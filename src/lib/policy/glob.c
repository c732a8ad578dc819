/*
 * policy/glob.c - the one glob matcher of the policy library.
 *
 * Syntax (include/warden/policy.h): '*' any run of characters except '/',
 * '**' any run including '/', '?' exactly one character (a UTF-8 code point);
 * every other character stands for itself. A run of two or more stars
 * followed by '/' ("**" + "/") also matches nothing at all, so "**" + "/x.json"
 * matches "x.json" and "a/" + "**" + "/b" matches "a/b", as in .gitignore.
 *
 * Patterns come from policy files and texts from exports, both untrusted, so
 * the matcher is a Thompson NFA simulation rather than backtracking: the set
 * of pattern positions alive after each text character is kept in a byte
 * array, which costs O(len(text) x len(pattern)) time and O(len(pattern))
 * memory for every input, "*a*a*a*a*b" against "aaaa...a" included. Patterns
 * without wildcards take a plain comparison.
 */
#include <stdlib.h>
#include <string.h>

#include "warden/policy.h"

enum { T_LIT, T_ANY, T_STAR, T_DSTAR, T_DSTAR_SLASH };

typedef struct tok {
	uint8_t type;
	uint8_t len;      /* T_LIT: bytes of the code point */
	uint32_t off;     /* T_LIT: offset in the pattern */
} tok;

#define STACK_TOKENS 64

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Bytes of the UTF-8 code point starting at s[0] (1 for invalid bytes). */
static size_t cp_len(const unsigned char *s, size_t n)
{
	size_t want, i;

	if (s[0] < 0xC0 || s[0] >= 0xF8)
		return 1;
	want = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (want > n)
		return 1;
	for (i = 1; i < want; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 1;
	return want;
}

static int bytes_eq(const unsigned char *a, const unsigned char *b, size_t n, int ci)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i] && !(ci && lower(a[i]) == lower(b[i])))
			return 0;
	return 1;
}

/* Tokenise; returns the number of tokens (writes at most cap, counts all). */
static size_t tokenise(const unsigned char *p, size_t plen, tok *out, size_t cap)
{
	size_t i = 0, n = 0;

	while (i < plen) {
		tok t;
		if (p[i] == '*') {
			size_t j = i;
			while (j < plen && p[j] == '*')
				j++;
			if (j - i == 1) {
				t.type = T_STAR;
			} else if (j < plen && p[j] == '/') {
				t.type = T_DSTAR_SLASH;
				j++;
			} else {
				t.type = T_DSTAR;
			}
			t.len = 0;
			t.off = 0;
			i = j;
		} else if (p[i] == '?') {
			t.type = T_ANY;
			t.len = 0;
			t.off = 0;
			i++;
		} else {
			size_t l = cp_len(p + i, plen - i);
			t.type = T_LIT;
			t.len = (uint8_t)l;
			t.off = (uint32_t)i;
			i += l;
		}
		if (n < cap)
			out[n] = t;
		n++;
	}
	return n;
}

/* Follow the empty moves: a star (of any kind) may match nothing. */
static void closure(const tok *t, size_t n, unsigned char *at)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (at[i] && t[i].type != T_LIT && t[i].type != T_ANY)
			at[i + 1] = 1;
}

/* Does text contain needle (ASCII case folded when ci)? */
static int contains(const unsigned char *text, size_t len, const unsigned char *needle, size_t n,
                    int ci)
{
	size_t i;

	if (n > len)
		return 0;
	for (i = 0; i + n <= len; i++)
		if ((text[i] == needle[0] || (ci && lower(text[i]) == lower(needle[0]))) &&
		    bytes_eq(text + i, needle, n, ci))
			return 1;
	return 0;
}

/*
 * A quick reject: every literal run of the pattern must occur in the text.
 * The longest run is looked for (the '/' of a "**" + "/" token is not
 * literal: that token may match nothing).
 */
static int literal_missing(const unsigned char *p, size_t plen, const unsigned char *x,
                           size_t len, int ci)
{
	size_t i = 0, best = 0, best_off = 0;

	while (i < plen) {
		size_t start, j;
		if (p[i] == '*') {
			j = i;
			while (j < plen && p[j] == '*')
				j++;
			if (j - i > 1 && j < plen && p[j] == '/')
				j++;
			i = j;
			continue;
		}
		if (p[i] == '?') {
			i++;
			continue;
		}
		start = i;
		while (i < plen && p[i] != '*' && p[i] != '?')
			i++;
		if (i - start > best) {
			best = i - start;
			best_off = start;
		}
	}
	return best >= 2 && !contains(x, len, p + best_off, best, ci);
}

int wd_glob_match(const char *pattern, const char *s, size_t len, int ci)
{
	const unsigned char *p = (const unsigned char *)pattern;
	const unsigned char *x = (const unsigned char *)s;
	size_t plen, ntok, i, pos;
	tok stack_toks[STACK_TOKENS];
	unsigned char stack_state[4 * (STACK_TOKENS + 1)];
	tok *toks = stack_toks;
	unsigned char *mem = stack_state, *at, *in, *nat, *nin;
	int result = 0, alive;

	if (!pattern || (!s && len))
		return 0;
	plen = strlen(pattern);
	if (!memchr(p, '*', plen) && !memchr(p, '?', plen))
		return plen == len && bytes_eq(p, x, len, ci);

	if (literal_missing(p, plen, x, len, ci))
		return 0;
	ntok = tokenise(p, plen, stack_toks, STACK_TOKENS);
	if (ntok > STACK_TOKENS) {
		toks = malloc(ntok * sizeof(*toks));
		mem = malloc(4 * (ntok + 1));
		if (!toks || !mem)
			goto out;
		tokenise(p, plen, toks, ntok);
	}
	/* at[i]: the next character is matched against token i (i == ntok:
	 * the end); in[i]: inside the directory part of a T_DSTAR_SLASH token,
	 * which ends only after a '/' */
	at = mem;
	in = mem + (ntok + 1);
	nat = mem + 2 * (ntok + 1);
	nin = mem + 3 * (ntok + 1);
	memset(mem, 0, 4 * (ntok + 1));
	at[0] = 1;
	closure(toks, ntok, at);

	for (pos = 0; pos < len;) {
		size_t cl = cp_len(x + pos, len - pos);
		int slash = cl == 1 && x[pos] == '/';
		unsigned char *tmp;

		memset(nat, 0, ntok + 1);
		memset(nin, 0, ntok + 1);
		alive = 0;
		for (i = 0; i < ntok; i++) {
			const tok *t = &toks[i];
			if (at[i]) {
				switch (t->type) {
				case T_LIT:
					if (t->len == cl && bytes_eq(p + t->off, x + pos, cl, ci))
						nat[i + 1] = 1;
					break;
				case T_ANY:
					nat[i + 1] = 1;
					break;
				case T_STAR:
					if (!slash)
						nat[i] = 1;
					break;
				case T_DSTAR:
					nat[i] = 1;
					break;
				default: /* T_DSTAR_SLASH */
					break;
				}
			}
			if (t->type == T_DSTAR_SLASH && (at[i] || in[i])) {
				nin[i] = 1;
				if (slash)
					nat[i + 1] = 1;
			}
		}
		closure(toks, ntok, nat);
		for (i = 0; i <= ntok; i++)
			alive |= nat[i] | nin[i];
		tmp = at;
		at = nat;
		nat = tmp;
		tmp = in;
		in = nin;
		nin = tmp;
		pos += cl;
		if (!alive)
			goto out;
	}
	result = at[ntok];
out:
	if (toks != stack_toks)
		free(toks);
	if (mem != stack_state)
		free(mem);
	return result;
}
