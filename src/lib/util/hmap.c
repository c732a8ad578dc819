/*
 * util/hmap.c - the hash multimap every lookup table in libwarden uses.
 *
 * Linear probing over parallel key/value arrays, kept at most half full, so
 * a probe sequence always ends at an empty slot. Values are indices into the
 * caller's tables; the caller checks each candidate's real key.
 */
#include <stdlib.h>
#include <string.h>

#include "warden/util.h"

#define EMPTY UINT32_MAX

/* Home slots come from a mixed key: callers' keys often differ only in high
 * bits (packed indices) and would otherwise pile into one cluster. */
static inline size_t home(uint64_t key, size_t mask)
{
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebULL;
	key ^= key >> 31;
	return (size_t)key & mask;
}

void wd_hmap_release(wd_hmap *h)
{
	free(h->keys);
	free(h->vals);
	memset(h, 0, sizeof(*h));
}

wd_status wd_hmap_put(wd_hmap *h, uint64_t key, uint32_t val)
{
	size_t i, mask;

	if ((h->n + 1) * 2 > h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 64, k, j, start;
		uint64_t *nk = malloc(ncap * sizeof(*nk));
		uint32_t *nv = malloc(ncap * sizeof(*nv));
		if (!nk || !nv) {
			free(nk);
			free(nv);
			return WD_ENOMEM;
		}
		memset(nv, 0xff, ncap * sizeof(*nv));
		/* Re-insert in probe order: start just after an empty slot, so no
		 * cluster is split across the end of the table and equal keys keep
		 * their insertion order (callers rely on "first added, first found"). */
		for (start = 0; start < h->cap && h->vals[start] != EMPTY; start++)
			;
		for (j = 1; j <= h->cap; j++) {
			k = (start + j) & (h->cap - 1);
			if (h->cap == 0 || h->vals[k] == EMPTY)
				continue;
			for (i = home(h->keys[k], ncap - 1); nv[i] != EMPTY; i = (i + 1) & (ncap - 1))
				;
			nk[i] = h->keys[k];
			nv[i] = h->vals[k];
		}
		free(h->keys);
		free(h->vals);
		h->keys = nk;
		h->vals = nv;
		h->cap = ncap;
	}
	mask = h->cap - 1;
	for (i = home(key, mask); h->vals[i] != EMPTY; i = (i + 1) & mask)
		;
	h->keys[i] = key;
	h->vals[i] = val;
	h->n++;
	return WD_OK;
}

uint32_t wd_hmap_next(const wd_hmap *h, uint64_t key, size_t *slot)
{
	size_t mask = h->cap - 1, i;

	if (h->cap == 0)
		return EMPTY;
	i = *slot == WD_HMAP_START ? home(key, mask) : ((*slot + 1) & mask);
	for (; h->vals[i] != EMPTY; i = (i + 1) & mask) {
		if (h->keys[i] == key) {
			*slot = i;
			return h->vals[i];
		}
	}
	return EMPTY;
}
