/* policy-state.c - the policy's part of a handle (sbx->pol): its
 * required layers, the compiled filters dropped when the rules change,
 * and all of it freed with the handle. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int sbx_policy_require(sbx_t *sbx, const char *name)
{
	size_t i;
	char *copy;

	if (!name) {
		for (i = 0; i < sbx->pol.n_require; i++)
			free(sbx->pol.require[i]);
		sbx->pol.n_require = 0;
		return 0;
	}
	if (!sbx_layer_known(name)) {
		char names[256];

		sbx_layer_names(names, sizeof(names));
		return sbx_error(sbx, EINVAL, "unknown layer \"%s\" (known: %s)",
				 name, names);
	}
	for (i = 0; i < sbx->pol.n_require; i++)
		if (strcmp(sbx->pol.require[i], name) == 0)
			return 0;
	if (sbx->pol.n_require >= SBX_MAX_REQUIRE)
		return sbx_error(sbx, E2BIG,
				 "too many required layers (at most %d)",
				 SBX_MAX_REQUIRE);
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	sbx->pol.require[sbx->pol.n_require++] = copy;
	return 0;
}

/* At sbx_destroy(), after free_config() freed the handle's filter. */
void sbx_policy_state_free(sbx_t *sbx)
{
	size_t i;

	for (i = 0; i < sbx->pol.n_sys; i++)
		free(sbx->pol.sys[i].name);
	free(sbx->pol.sys);
	sbx_policy_require(sbx, NULL);
	free(sbx->pol.degraded.bpf);
	free(sbx->pol.text);
	free(sbx->pol.probe);
	free(sbx->pol.reason);
	memset(&sbx->pol, 0, sizeof(sbx->pol));
}

/* The rules changed: both filters are built again at the next run. */
void sbx_policy_filter_changed(sbx_t *sbx)
{
	free(sbx->filter.bpf);
	memset(&sbx->filter, 0, sizeof(sbx->filter));
	free(sbx->pol.degraded.bpf);
	memset(&sbx->pol.degraded, 0, sizeof(sbx->pol.degraded));
}
