/* readfile.c - small files of /proc, /sys and cgroupfs, read whole. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "readfile.h"

ssize_t sup_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

long sup_read_long(const char *path, long fallback)
{
	char buf[64];

	if (sup_read_file(path, buf, sizeof(buf)) <= 0)
		return fallback;
	return strtol(buf, NULL, 10);
}
