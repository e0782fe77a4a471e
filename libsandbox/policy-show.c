/* policy-show.c - the handle's effective policy as a policy document
 * (`sbx policy show`): complete, so that loading it on a new handle gives
 * the same policy. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "jsonpos.h"

static const char *const mode_names[SBX_WORKSPACE_MODE_MAX] = {
	[SBX_WORKSPACE_RO] = "ro",
	[SBX_WORKSPACE_RW] = "rw",
	[SBX_WORKSPACE_RW_LIVE] = "rw-live",
};

static int flag(const sbx_t *sbx, int f)
{
	return (sbx->flags >> f) & 1;
}

/* Thousandths as a number: whole when they are. */
static json_object *thousandths(uint64_t v)
{
	char text[48];
	size_t n;

	if (v % 1000 == 0)
		return json_object_new_uint64(v / 1000);
	n = (size_t)snprintf(text, sizeof(text), "%llu.%03llu",
			     (unsigned long long)(v / 1000),
			     (unsigned long long)(v % 1000));
	while (text[n - 1] == '0')
		text[--n] = '\0';
	return json_object_new_double_s((double)v / 1000.0, text);
}

/* Bytes as the largest exact unit ("512M"), else a number. */
static json_object *size(uint64_t v)
{
	static const char units[] = "TGMK";
	char text[32];
	int i;

	for (i = 0; v && i < 4; i++) {
		unsigned shift = (unsigned)(40 - 10 * i);

		if (v % (1ull << shift) == 0) {
			snprintf(text, sizeof(text), "%llu%c",
				 (unsigned long long)(v >> shift), units[i]);
			return json_object_new_string(text);
		}
	}
	return json_object_new_uint64(v);
}

static json_object *limits(const sbx_t *sbx)
{
	json_object *o = json_object_new_object();
	int k;

	for (k = 0; o && k < SBX_LIMIT_KIND_MAX; k++) {
		const struct sbx_limit_info *l = &sbx_limit_table[k];
		uint64_t v = sbx->limits[k];
		json_object *x;

		switch (l->unit) {
		case SBX_UNIT_MS:
		case SBX_UNIT_MILLICPU:
			x = thousandths(v);
			break;
		case SBX_UNIT_BYTES:
			x = size(v);
			break;
		default:
			x = json_object_new_uint64(v);
		}
		json_object_object_add(o, l->policy_key, x);
	}
	return o;
}

static json_object *workspace(const sbx_t *sbx)
{
	json_object *o;
	int m = sbx->workspace_mode;

	if (!sbx->workspace)
		return NULL; /* JSON null */
	o = json_object_new_object();
	json_object_object_add(o, "path",
			       json_object_new_string(sbx->workspace));
	json_object_object_add(
		o, "mode",
		json_object_new_string(m >= 0 && m < SBX_WORKSPACE_MODE_MAX &&
						       mode_names[m]
					       ? mode_names[m]
					       : "ro"));
	return o;
}

static json_object *binds(const sbx_t *sbx)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < sbx->n_binds; i++) {
		const struct sbx_bind *b = &sbx->binds[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "src",
				       json_object_new_string(b->src));
		json_object_object_add(o, "dst",
				       json_object_new_string(b->dst));
		json_object_object_add(
			o, "rw",
			json_object_new_boolean(!!(b->flags & SBX_BIND_RW)));
		json_object_object_add(
			o, "optional",
			json_object_new_boolean(!!(b->flags & SBX_BIND_TRY)));
		json_object_array_add(a, o);
	}
	return a;
}

/* A variable passed by name shows as null: its value is the caller's,
 * possibly a secret, and not the policy's. */
static json_object *env(const sbx_t *sbx)
{
	json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; o && i < sbx->n_env; i++) {
		const struct sbx_env *e = &sbx->env[i];

		json_object_object_add(
			o, e->name,
			e->by_name || !e->value
				? NULL
				: json_object_new_string(e->value));
	}
	return o;
}

static json_object *seccomp(const sbx_t *sbx)
{
	json_object *o = json_object_new_object();
	json_object *allow = json_object_new_array();
	json_object *deny = json_object_new_array();
	json_object *kill = json_object_new_array();
	size_t i;

	for (i = 0; i < sbx->pol.n_sys; i++) {
		const struct sbx_syscall_add *a = &sbx->pol.sys[i];
		json_object *x = json_object_new_string(a->name), *d;

		if (a->action == SBX_SYSCALL_ALLOW) {
			json_object_array_add(allow, x);
		} else if (a->action == SBX_SYSCALL_KILL) {
			json_object_array_add(kill, x);
		} else if (!a->err) {
			json_object_array_add(deny, x);
		} else {
			const char *name = sbx_errno_name(a->err);

			d = json_object_new_object();
			json_object_object_add(d, "name", x);
			json_object_object_add(
				d, "errno",
				name ? json_object_new_string(name)
				     : json_object_new_int(a->err));
			json_object_array_add(deny, d);
		}
	}
	json_object_object_add(
		o, "on_deny",
		json_object_new_string(
			flag(sbx, SBX_FLAG_SECCOMP_KILL) ? "kill" : "errno"));
	json_object_object_add(o, "allow", allow);
	json_object_object_add(o, "deny", deny);
	json_object_object_add(o, "kill", kill);
	return o;
}

static json_object *require(const sbx_t *sbx)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < sbx->pol.n_require; i++)
		json_object_array_add(
			a, json_object_new_string(sbx->pol.require[i]));
	return a;
}

char *sbx_policy_show(sbx_t *sbx)
{
	json_object *o = json_object_new_object();
	char *text = NULL;

	if (!o)
		return NULL;
	json_object_object_add(o, "version", json_object_new_int(1));
	json_object_object_add(o, "workspace", workspace(sbx));
	json_object_object_add(
		o, "cwd", sbx->cwd ? json_object_new_string(sbx->cwd) : NULL);
	json_object_object_add(o, "binds", binds(sbx));
	json_object_object_add(o, "env", env(sbx));
	json_object_object_add(o, "network",
			       json_object_new_string(sbx->net == SBX_NET_HOST
							      ? "host"
							      : "none"));
	json_object_object_add(
		o, "read_only",
		json_object_new_boolean(flag(sbx, SBX_FLAG_READ_ONLY)));
	json_object_object_add(
		o, "single_id",
		json_object_new_boolean(flag(sbx, SBX_FLAG_SINGLE_ID)));
	json_object_object_add(
		o, "allow_setid",
		json_object_new_boolean(flag(sbx, SBX_FLAG_ALLOW_SETID)));
	json_object_object_add(
		o, "allow_degraded",
		json_object_new_boolean(flag(sbx, SBX_FLAG_ALLOW_DEGRADED)));
	json_object_object_add(
		o, "allow_trusted_paths",
		json_object_new_boolean(
			flag(sbx, SBX_FLAG_ALLOW_TRUSTED_PATHS)));
	json_object_object_add(o, "require", require(sbx));
	json_object_object_add(o, "limits", limits(sbx));
	json_object_object_add(o, "seccomp", seccomp(sbx));
	text = sbx_json_text(o);
	if (!text)
		sbx_error(sbx, ENOMEM, "out of memory");
	return text;
}
