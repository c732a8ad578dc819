/*
 * util/arena.c - bump allocator owned by one parsed export.
 *
 * Chunks are linked newest first; an allocation larger than a quarter of the
 * chunk size gets its own chunk so big strings do not waste the tail of the
 * current one. With WD_ARENA_DEBUG every allocation is a chunk of its own,
 * so AddressSanitizer catches an overflow from one allocation into the next.
 */
#include <stdlib.h>
#include <string.h>

#include "warden/util.h"

struct wd_arena_chunk {
	wd_arena_chunk *next;
	size_t used;
	size_t size;
	/* 16-byte aligned payload follows */
};

#define CHUNK_HDR ((sizeof(wd_arena_chunk) + 15u) & ~(size_t)15u)

void wd_arena_init(wd_arena *a, size_t chunk_size)
{
	a->head = NULL;
	a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
	a->total = 0;
}

void wd_arena_release(wd_arena *a)
{
	wd_arena_chunk *c = a->head;

	while (c) {
		wd_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

static wd_arena_chunk *new_chunk(size_t size)
{
	wd_arena_chunk *c = malloc(CHUNK_HDR + size);

	if (!c)
		return NULL;
	c->next = NULL;
	c->used = 0;
	c->size = size;
	return c;
}

void *wd_arena_alloc(wd_arena *a, size_t n)
{
	wd_arena_chunk *c;
	size_t need = (n + 15u) & ~(size_t)15u;

	if (need < n)
		return NULL;
	if (need == 0)
		need = 16;
#ifdef WD_ARENA_DEBUG
	c = new_chunk(n ? n : 1);
	if (!c)
		return NULL;
	c->used = c->size;
	c->next = a->head;
	a->head = c;
	a->total += n;
	return (char *)c + CHUNK_HDR;
#else
	c = a->head;
	if (c && c->size - c->used >= need) {
		void *p = (char *)c + CHUNK_HDR + c->used;
		c->used += need;
		a->total += n;
		return p;
	}
	if (need > a->chunk_size / 4) {
		/* own chunk, linked behind the current one to keep its free tail */
		c = new_chunk(need);
		if (!c)
			return NULL;
		c->used = need;
		if (a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			a->head = c;
		}
		a->total += n;
		return (char *)c + CHUNK_HDR;
	}
	c = new_chunk(a->chunk_size);
	if (!c)
		return NULL;
	c->next = a->head;
	a->head = c;
	c->used = need;
	a->total += n;
	return (char *)c + CHUNK_HDR;
#endif
}

void *wd_arena_zalloc(wd_arena *a, size_t n)
{
	void *p = wd_arena_alloc(a, n);

	if (p)
		memset(p, 0, n);
	return p;
}

char *wd_arena_strndup(wd_arena *a, const char *s, size_t n)
{
	char *p;

	if (n + 1 == 0)
		return NULL;
	p = wd_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

wd_str wd_arena_str(wd_arena *a, wd_str s)
{
	char *p = wd_arena_strndup(a, s.ptr ? s.ptr : "", s.len);

	return wd_str_make(p, p ? s.len : 0);
}

void wd_arena_adopt(wd_arena *dst, wd_arena *src)
{
	wd_arena_chunk *last;

	if (!src->head)
		return;
	if (!dst->head) {
		dst->head = src->head;
	} else {
		/* behind dst's current chunk, which keeps its free tail */
		for (last = src->head; last->next; last = last->next)
			;
		last->next = dst->head->next;
		dst->head->next = src->head;
	}
	dst->total += src->total;
	src->head = NULL;
	src->total = 0;
}
