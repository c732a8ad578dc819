/*
 * util/limits.c - the documented defaults of every input limit.
 *
 * Keep in sync with docs/internals/limits.md.
 */
#include "warden/util.h"

wd_limits wd_limits_default(void)
{
	wd_limits l;

	l.max_file_size = (uint64_t)128 << 20;
	l.max_depth = 512;
	l.max_string_len = (uint64_t)16 << 20;
	l.max_elements = (uint64_t)16 << 20;
	l.max_components = 200000;
	l.max_dir_depth = 64;
	l.max_files = 10000000;
	l.max_archive_entries = 10000;
	l.max_archive_total = (uint64_t)512 << 20;
	l.max_archive_ratio = 200;
	l.max_archive_depth = 2;
	l.max_nesting = 256;
	return l;
}

void wd_limits_resolve(wd_limits *lim)
{
	wd_limits d = wd_limits_default();

	if (!lim->max_file_size)
		lim->max_file_size = d.max_file_size;
	if (!lim->max_depth)
		lim->max_depth = d.max_depth;
	if (!lim->max_string_len)
		lim->max_string_len = d.max_string_len;
	if (!lim->max_elements)
		lim->max_elements = d.max_elements;
	if (!lim->max_components)
		lim->max_components = d.max_components;
	if (!lim->max_dir_depth)
		lim->max_dir_depth = d.max_dir_depth;
	if (!lim->max_files)
		lim->max_files = d.max_files;
	if (!lim->max_archive_entries)
		lim->max_archive_entries = d.max_archive_entries;
	if (!lim->max_archive_total)
		lim->max_archive_total = d.max_archive_total;
	if (!lim->max_archive_ratio)
		lim->max_archive_ratio = d.max_archive_ratio;
	if (!lim->max_archive_depth)
		lim->max_archive_depth = d.max_archive_depth;
	if (!lim->max_nesting)
		lim->max_nesting = d.max_nesting;
}
