/*
 * util/str.c - helpers over (pointer, length) slices.
 */
#include <string.h>

#include "warden/util.h"

wd_str wd_str_c(const char *cstr)
{
	return wd_str_make(cstr, cstr ? strlen(cstr) : 0);
}

int wd_str_eq(wd_str a, wd_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

long wd_str_find_ci(wd_str hay, const char *needle)
{
	size_t n = strlen(needle), i, j;

	if (n == 0)
		return 0;
	if (hay.len < n)
		return -1;
	for (i = 0; i + n <= hay.len; i++) {
		for (j = 0; j < n; j++)
			if (lower(hay.ptr[i + j]) != lower(needle[j]))
				break;
		if (j == n)
			return (long)i;
	}
	return -1;
}

long wd_str_find(wd_str hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0)
		return 0;
	if (hay.len < n)
		return -1;
	for (i = 0; i + n <= hay.len; i++) {
		const char *p = memchr(hay.ptr + i, needle[0], hay.len - n + 1 - i);
		if (!p)
			return -1;
		i = (size_t)(p - hay.ptr);
		if (memcmp(p, needle, n) == 0)
			return (long)i;
	}
	return -1;
}
