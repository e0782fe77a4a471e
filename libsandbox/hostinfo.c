/* hostinfo.c - facts about the host the library computes once per process:
 * the supervisor's path and the files of /etc that must be hidden. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

const char *sbx_supervisor_path(void)
{
	const char *p = secure_getenv("SBX_SUPERVISOR");

	return p && *p ? p : LIBEXECDIR "/sbx-supervisor";
}

/*
 * /etc is bound read-only, but some of it is kept from other users by its
 * mode: /etc/shadow, private TLS keys, VPN and Wi-Fi secrets.  Inside, the
 * caller's own uid (root when the caller is root) still owns what it owns
 * on the host, so mode bits alone would let the sandbox read them.  Every
 * entry that is not readable by others is hidden; below a hidden directory
 * nothing more needs hiding.
 */
#define MAX_MASKS 512
#define MAX_DEPTH 6

static pthread_once_t masks_once = PTHREAD_ONCE_INIT;
static char *masks[MAX_MASKS];
static size_t n_masks;
static int masks_err;

static void scan_dir(int dfd, const char *path, int depth)
{
	DIR *d;
	struct dirent *de;

	if (depth > MAX_DEPTH)
		return;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d)) && !masks_err) {
		struct stat st;
		char *child;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode))
			continue;
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
			continue;
		if (asprintf(&child, "%s/%s", path, de->d_name) < 0) {
			masks_err = -ENOMEM;
			break;
		}
		if (!(st.st_mode & S_IROTH) ||
		    (S_ISDIR(st.st_mode) && !(st.st_mode & S_IXOTH))) {
			if (n_masks >= MAX_MASKS) {
				free(child);
				masks_err = -E2BIG;
				break;
			}
			masks[n_masks++] = child;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						 O_CLOEXEC);
			if (sub >= 0)
				scan_dir(sub, child, depth + 1);
		}
		free(child);
	}
	closedir(d);
}

static void compute_masks(void)
{
	int fd = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		scan_dir(fd, "/etc", 0);
}

int sbx_host_masks(const char *const **ret_paths, size_t *ret_n)
{
	pthread_once(&masks_once, compute_masks);
	if (masks_err < 0)
		return masks_err;
	*ret_paths = (const char *const *)masks;
	*ret_n = n_masks;
	return 0;
}
