/* hostinfo.c - facts about the host the library keeps per process: the
 * supervisor's path and the files of /etc that must be hidden. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "etcmask.h"
#include "internal.h"

const char *sbx_supervisor_path(void)
{
	const char *p = secure_getenv("SBX_SUPERVISOR");

	return p && *p ? p : LIBEXECDIR "/sbx-supervisor";
}

/*
 * The entries of /etc hidden from a sandbox whose ids are the caller's
 * (etcmask.c says which and why).  Scanning /etc costs milliseconds, so
 * the answer is kept per process, for the caller's identity, and kept
 * true by an inotify watch on every directory scanned: any entry added,
 * removed, renamed or changed in mode or owner makes the next run scan
 * again.  A process's first run scans without a watch (a one-shot
 * caller such as the CLI needs none); the second sets it up.  Where no
 * watch can be had (no inotify instance left), every run scans.
 */
static pthread_mutex_t masks_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sbx_masks masks;
static int masks_valid;
static int masks_watch = -1;
static uid_t masks_uid;
static gid_t masks_gid;
static gid_t *masks_groups;
static size_t masks_n_groups;
static int masks_scans;

/* Did anything change since the scan?  Drains the events. */
static int masks_changed(void)
{
	char buf[4096];
	int changed = 0;
	ssize_t n;

	if (masks_watch < 0)
		return 1;
	while ((n = read(masks_watch, buf, sizeof(buf))) > 0)
		changed = 1;
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		changed = 1;
	return changed;
}

/* The caller's identity now; 1 when it differs from the kept one. */
static int identity_changed(struct sbx_identity *id, gid_t **ret_groups)
{
	int n = getgroups(0, NULL);
	gid_t *g = NULL;

	if (n > 0) {
		g = calloc((size_t)n, sizeof(*g));
		if (!g || (n = getgroups(n, g)) < 0) {
			free(g);
			g = NULL;
			n = 0;
		}
	}
	id->uid = geteuid();
	id->gid = getegid();
	id->groups = g;
	id->n_groups = n > 0 ? (size_t)n : 0;
	*ret_groups = g;
	return !masks_valid || id->uid != masks_uid || id->gid != masks_gid ||
	       id->n_groups != masks_n_groups ||
	       (id->n_groups &&
		memcmp(g, masks_groups, id->n_groups * sizeof(*g)) != 0);
}

static int rescan(const struct sbx_identity *id, gid_t *groups)
{
	struct sbx_masks m = { 0 };
	int r;

	if (masks_watch >= 0)
		close(masks_watch);
	masks_watch = masks_scans++ ? inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
				    : -1;
	masks_valid = 0;
	r = sbx_etc_masks(id, masks_watch, &m);
	if (r < 0 && masks_watch >= 0) {
		/* no watch to be had: scan without, and again next run */
		close(masks_watch);
		masks_watch = -1;
		r = sbx_etc_masks(id, -1, &m);
	}
	if (r < 0) {
		free(groups);
		return r;
	}
	sbx_masks_free(&masks);
	masks = m;
	free(masks_groups);
	masks_groups = groups;
	masks_uid = id->uid;
	masks_gid = id->gid;
	masks_n_groups = id->n_groups;
	masks_valid = masks_watch >= 0;
	return 0;
}

int sbx_host_masks_each(int (*fn)(void *arg, const char *path), void *arg)
{
	struct sbx_identity id;
	gid_t *groups;
	size_t i;
	int r = 0;

	pthread_mutex_lock(&masks_lock);
	if (identity_changed(&id, &groups) | masks_changed())
		r = rescan(&id, groups);
	else
		free(groups);
	for (i = 0; i < masks.n && r >= 0; i++)
		r = fn(arg, masks.paths[i]);
	pthread_mutex_unlock(&masks_lock);
	return r < 0 ? r : 0;
}
