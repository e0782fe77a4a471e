/* layers.h - names of the protection layers a result lists, and how a
 * required layer is matched against them (library and supervisor). */
#ifndef SBX_LAYERS_H
#define SBX_LAYERS_H

#include <stddef.h>

#define SBX_MAX_REQUIRE 32

/* 1 when name may be required (sbx_require_layer()). */
int sbx_layer_known(const char *name);

/* The names sbx_layer_known() accepts, comma-separated, for messages. */
void sbx_layer_names(char *buf, size_t len);

/* 1 when the space-separated list of enforced layers satisfies the
 * required name: the same name, a detail of it ("userns:single-id",
 * "cgroup-v2:memory"), or for "landlock-abiN" Landlock ABI N or later. */
int sbx_layer_satisfied(const char *layers, const char *name);

/* The kernel's Landlock ABI version (1...), or -ENOSYS (not built in),
 * -EOPNOTSUPP (disabled at boot), -EPERM (a seccomp profile forbids it). */
int sbx_landlock_abi(void);

/* The newest Landlock ABI whose rights this code knows and applies. */
#define SBX_LANDLOCK_ABI_KNOWN 7

/* A run without namespaces needs Landlock's scoping of signals and
 * abstract unix sockets (ABI 6, Linux 6.12): without a PID namespace the
 * program could signal the caller's processes, and without a network
 * namespace reach their abstract sockets.  Older kernels refuse. */
#define SBX_DEGRADED_LANDLOCK_ABI 6
#define SBX_DEGRADED_LANDLOCK_KERNEL "6.12"

/* What a run without namespaces does not hide from the program, said in
 * the result ("degraded_not_hidden"), by `sbx doctor` and by the CLI
 * after a degraded run; net_host: only with the host's network. */
struct sbx_unhidden {
	const char *what;
	int net_host;
};
extern const struct sbx_unhidden sbx_degraded_unhidden[];
extern const size_t sbx_n_degraded_unhidden;

#endif
