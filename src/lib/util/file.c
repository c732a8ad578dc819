/*
 * util/file.c - read a whole input file under a size limit.
 *
 * Only regular files are read: a FIFO or device named on the command line
 * would otherwise block or never end. The size is checked before reading and
 * again while reading, since the file may grow in between.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warden/util.h"

wd_status wd_read_file(const char *path, uint64_t max_size, char **out, size_t *out_len,
                       wd_error *err)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0, cap;
	int fd;
	wd_status rc = WD_OK;

	*out = NULL;
	*out_len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return wd_error_set(err, WD_EIO, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = wd_error_set(err, WD_EIO, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = wd_error_set(err, WD_EIO, "not a regular file");
		goto out;
	}
	if ((uint64_t)st.st_size > max_size) {
		rc = wd_error_set(err, WD_ELIMIT, "file is %llu bytes, over the limit of %llu",
		                  (unsigned long long)st.st_size, (unsigned long long)max_size);
		goto out;
	}
	cap = (size_t)st.st_size + 1;
	data = malloc(cap);
	if (!data) {
		rc = wd_error_set(err, WD_ENOMEM, "out of memory reading %llu bytes",
		                  (unsigned long long)st.st_size);
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (len + 1 == cap) {
			char *p;
			if (cap - 1 >= max_size) {
				/* full at the limit: only more data (not EOF) is over it */
				char extra;
				ssize_t more;
				do
					more = read(fd, &extra, 1);
				while (more < 0 && errno == EINTR);
				if (more == 0)
					break;
				if (more < 0) {
					rc = wd_error_set(err, WD_EIO, "read failed: %s", strerror(errno));
					goto out;
				}
				rc = wd_error_set(err, WD_ELIMIT, "file grew over the limit of %llu bytes",
				                  (unsigned long long)max_size);
				goto out;
			}
			p = realloc(data, cap * 2 > max_size + 1 ? max_size + 1 : cap * 2);
			if (!p) {
				rc = wd_error_set(err, WD_ENOMEM, "out of memory");
				goto out;
			}
			cap = cap * 2 > max_size + 1 ? max_size + 1 : cap * 2;
			data = p;
		}
		n = read(fd, data + len, cap - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = wd_error_set(err, WD_EIO, "read failed: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	data[len] = '\0';
	*out = data;
	*out_len = len;
	data = NULL;
out:
	free(data);
	close(fd);
	return rc;
}
