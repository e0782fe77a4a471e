/* layers.c - layer names and the matching of required layers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "layers.h"

static const char *const known[] = {
	"userns",   "pidns",	"mountns",   "netns",	  "ipcns",
	"utsns",    "cgroupns", "caps",	     "nnp",	  "seccomp",
	"landlock", "cgroup",	"cgroup-v1", "cgroup-v2", "read-only",
};

void sbx_layer_names(char *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(known) / sizeof(known[0]) && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s, ", known[i]);
	if (n < len)
		snprintf(buf + n, len - n, "landlock-abiN");
}

/* "landlock-abiN": N, else 0. */
static int landlock_abi(const char *s, size_t len)
{
	const char *p = "landlock-abi";
	size_t n = strlen(p);
	int v = 0;

	if (len <= n || strncmp(s, p, n) != 0)
		return 0;
	for (s += n, len -= n; len; s++, len--) {
		if (*s < '0' || *s > '9' || v > 9999)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int sbx_layer_known(const char *name)
{
	size_t i;

	if (!name)
		return 0;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(name, known[i]) == 0)
			return 1;
	return landlock_abi(name, strlen(name)) > 0;
}

/* One enforced layer (len bytes at l) against one required name. */
static int layer_matches(const char *l, size_t len, const char *name)
{
	size_t n = strlen(name);
	size_t base = strcspn(l, ": ");
	int want = landlock_abi(name, n);

	if (base > len)
		base = len;
	if (want)
		return landlock_abi(l, base) >= want;
	if (len < n || strncmp(l, name, n) != 0)
		return 0;
	return len == n || l[n] == ':' || l[n] == '-';
}

int sbx_layer_satisfied(const char *layers, const char *name)
{
	const char *p = layers;

	while (p && *p) {
		size_t len = strcspn(p, " ");

		if (len && layer_matches(p, len, name))
			return 1;
		p += len;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* Landlock covers opening files and listing directories, not finding
 * out about them; /proc is the host's, for the processes (whose memory,
 * environment and descriptors Landlock keeps out) and for the rest. */
const struct sbx_unhidden sbx_degraded_unhidden[] = {
	{ "the host's processes: their command lines (tokens passed as "
	  "arguments included), owners and states, in /proc",
	  0 },
	{ "the host's network state in /proc/net: listening ports, "
	  "connections, interfaces, the paths of unix sockets",
	  0 },
	{ "the host's mounts, kernel command line and kernel settings "
	  "(/proc/self/mountinfo, /proc/cmdline, /proc/sys)",
	  0 },
	{ "whether a file exists, and its size, times, owner and extended "
	  "attributes, for any path your ids can reach (stat, readlink, "
	  "getxattr); not its contents or a directory's listing",
	  0 },
	{ "with the host's network (network \"host\"): the host's TCP and "
	  "UDP, its loopback services included (unix sockets stay denied)",
	  1 },
};
const size_t sbx_n_degraded_unhidden =
	sizeof(sbx_degraded_unhidden) / sizeof(sbx_degraded_unhidden[0]);

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#define SBX_LANDLOCK_CREATE_RULESET_VERSION 1u

int sbx_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   SBX_LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? -errno : (int)abi;
}
