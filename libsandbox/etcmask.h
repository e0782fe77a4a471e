/* etcmask.h - the entries of /etc hidden from a sandbox (etcmask.c). */
#ifndef SBX_ETCMASK_H
#define SBX_ETCMASK_H

#include <stddef.h>
#include <sys/types.h>

#define SBX_MAX_MASKS 512

/* The host ids a sandbox's processes have. */
struct sbx_identity {
	uid_t uid;
	gid_t gid;
	const gid_t *groups; /* supplementary groups it keeps */
	size_t n_groups;
};

struct sbx_masks {
	char **paths; /* absolute host paths below /etc */
	size_t n;
};

/* The entries of /etc that id may read only through its owner or group
 * bits; with watch_fd (an inotify descriptor, else -1) every directory
 * read is watched first.  Returns 0 and fills *ret (free with
 * sbx_masks_free()), or -ENOMEM, -E2BIG (more than SBX_MAX_MASKS), or
 * the error of inotify_add_watch(). */
int sbx_etc_masks(const struct sbx_identity *id, int watch_fd,
		  struct sbx_masks *ret);

/* Is this process the host's root: uid 0 of the initial user namespace,
 * which owns every root-owned file?  Root of a container's user
 * namespace owns only what that namespace maps, like any other user. */
int sbx_is_host_root(void);
void sbx_masks_free(struct sbx_masks *m);

#endif
