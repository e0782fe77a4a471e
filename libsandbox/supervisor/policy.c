/* policy.c - the supervisor's part of the policy: the layers a run
 * reports (namespaces, Landlock, seccomp's additions), the check of the
 * layers the caller requires, and the read-only root.  Its configuration
 * records are decoded with the others (config.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "layers.h"
#include "sup.h"

static int ns_layer(const char *tok, size_t len)
{
	static const char *const ns[] = { "userns", "pidns", "mountns", "netns",
					  "ipcns",  "utsns", "cgroupns" };
	size_t i, n;

	for (i = 0; i < SBX_ARRAY_SIZE(ns); i++) {
		n = strlen(ns[i]);
		if (len >= n && strncmp(tok, ns[i], n) == 0 &&
		    (len == n || tok[n] == ':'))
			return 1;
	}
	return 0;
}

static void append(char *out, size_t cap, const char *tok, size_t len)
{
	size_t o = strlen(out);

	if (o + len + 2 > cap)
		return;
	if (o)
		out[o++] = ' ';
	memcpy(out + o, tok, len);
	out[o + len] = '\0';
}

/* What seccomp adds in a run without namespaces (seccomp-policy.c on
 * the library's side builds it). */
static void seccomp_token(const struct sup_config *cfg, char *buf, size_t len)
{
	if (!cfg->pol.degraded) {
		snprintf(buf, len, "seccomp");
		return;
	}
	snprintf(buf, len,
		 "seccomp:%s,no-sysv-ipc,no-metadata-changes,no-file-watching,"
		 "no-other-processes",
		 cfg->net == SBX_NET_NONE ? "no-sockets" : "no-unix-sockets");
}

/*
 * The layers main.c lists describe a namespaced sandbox.  Make the list
 * true: a run without namespaces drops them, Landlock goes before seccomp
 * (the order they are applied in), seccomp says what it adds, and a
 * read-only root says so.  Tokens this file does not know (a cgroup's)
 * stay as they are.
 */
void sup_layers_adjust(char *layers, size_t len, const struct sup_config *cfg)
{
	char out[512] = "", ll[64] = "", sc[128];
	const char *p = layers;
	int done_ll = 0;

	sup_landlock_token(cfg, ll, sizeof(ll));
	seccomp_token(cfg, sc, sizeof(sc));
	while (*p) {
		size_t n = strcspn(p, " ");

		if (n && cfg->pol.degraded && ns_layer(p, n)) {
			/* not there */
		} else if (n == 7 && strncmp(p, "seccomp", 7) == 0) {
			if (ll[0] && !done_ll++)
				append(out, sizeof(out), ll, strlen(ll));
			append(out, sizeof(out), sc, strlen(sc));
		} else if (n) {
			append(out, sizeof(out), p, n);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	if (ll[0] && !done_ll)
		append(out, sizeof(out), ll, strlen(ll));
	if (sup_flag(cfg, SBX_FLAG_READ_ONLY))
		append(out, sizeof(out), "read-only", 9);
	snprintf(layers, len, "%s", out);
}

static const char *why_missing(const struct sup_config *cfg, const char *name)
{
	if (strncmp(name, "landlock", 8) == 0)
		return cfg->pol.landlock_abi
			       ? "this kernel's Landlock ABI is older"
			       : "this kernel has no Landlock (see sbx doctor)";
	if (strncmp(name, "cgroup", 6) == 0 && strcmp(name, "cgroupns") != 0)
		return "no cgroup could be created for the sandbox (see sbx "
		       "doctor)";
	if (strcmp(name, "read-only") == 0)
		return "the policy is not read-only";
	if (cfg->pol.degraded) /* the namespaces */
		return sup_degraded_reason();
	return "see sbx doctor";
}

int sup_layers_check(const struct sup_config *cfg, const char *layers,
		     char *msg, size_t len)
{
	size_t i;

	for (i = 0; i < cfg->pol.n_require; i++) {
		const char *name = cfg->pol.require[i];

		if (sbx_layer_satisfied(layers, name))
			continue;
		snprintf(msg, len,
			 "the policy requires the layer %s, which cannot be "
			 "enforced here: %s (enforced: %s)",
			 name, why_missing(cfg, name), layers);
		return -ENOTSUP;
	}
	return 0;
}

void sandbox_policy_pre_caps(const struct sup_config *cfg, int report)
{
	if (cfg->pol.degraded) {
		sandbox_degraded_drop(cfg, report);
		return;
	}
	/* Nothing writable: /tmp, the home and /dev/shm live on the root
	 * tmpfs, so one read-only remount of it covers them. */
	if (sup_flag(cfg, SBX_FLAG_READ_ONLY) &&
	    mount(NULL, "/", NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
		  NULL) < 0)
		child_fail(report, SBX_STEP_MOUNT, errno,
			   "cannot make the sandbox's root read-only: %s",
			   strerror(errno));
}
