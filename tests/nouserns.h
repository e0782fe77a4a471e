/* nouserns.h - run part of a test on a host where user namespaces cannot
 * be created, without touching the host: a forked child enters a user
 * namespace of its own and sets user.max_user_namespaces=0 there (the
 * sysctl is per user namespace), so the sandbox's supervisor meets
 * exactly what it meets on such a host: ENOSPC, and 0 in the sysctl. */
#ifndef SBX_NOUSERNS_H
#define SBX_NOUSERNS_H

#include "testlib.h"

/* Run argv like tl_run_argv(), in such a child.  Returns 0 and fills r,
 * or -1 when the child could not be set up (the reason is printed; the
 * test should skip). */
int nu_run_argv(struct tl_run *r, tl_config_fn cfg, void *arg,
		const char *const *argv);

/* sbx_probe_host() in such a child: its return value and the report
 * (malloc'd) in *ret_json; -1000 when the child could not be set up. */
int nu_probe(char **ret_json);

/* From now on, children made by nu_run_argv() and nu_probe() see a
 * kernel whose Landlock is ABI abi (0: the real one), so that what an
 * older kernel gets can be tried on this one.  Needs -lpthread. */
void nu_fake_landlock_abi(int abi);

/* The absolute path of the test helper tests/sbx-try, and its directory
 * (bound read-only at the same path in the sandboxes). */
const char *nu_helper(void);
const char *nu_helper_dir(void);

#endif
