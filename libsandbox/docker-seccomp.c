/* docker-seccomp.c - the handle's seccomp filter as a Docker/OCI seccomp
 * profile (`sbx policy export --format docker-seccomp`), so a devcontainer
 * gets the same rules: `docker run --security-opt seccomp=profile.json`.
 * The rules are the same ones seccomp.c gives libseccomp; runc and crun
 * hand them to libseccomp too. */
#include <errno.h>
#include <json-c/json.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "jsonpos.h"
#include "seccomp_rules.h"

static const char *arch_name(uint32_t arch)
{
	static const struct {
		uint32_t arch;
		const char *name;
	} archs[] = {
		{ SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64" },
		{ SCMP_ARCH_X86, "SCMP_ARCH_X86" },
		{ SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64" },
		{ SCMP_ARCH_ARM, "SCMP_ARCH_ARM" },
		{ SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE" },
		{ SCMP_ARCH_S390X, "SCMP_ARCH_S390X" },
		{ SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64" },
		{ SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64" },
	};
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(archs); i++)
		if (archs[i].arch == arch)
			return archs[i].name;
	return NULL;
}

struct profile {
	json_object *syscalls;
	const char *deny_action; /* SCMP_ACT_ERRNO or SCMP_ACT_KILL_PROCESS */
	json_object *plain;	 /* the names of unconditional denials */
};

static const char *op_name(enum scmp_compare op)
{
	switch (op) {
	case SCMP_CMP_NE:
		return "SCMP_CMP_NE";
	case SCMP_CMP_LT:
		return "SCMP_CMP_LT";
	case SCMP_CMP_LE:
		return "SCMP_CMP_LE";
	case SCMP_CMP_EQ:
		return "SCMP_CMP_EQ";
	case SCMP_CMP_GE:
		return "SCMP_CMP_GE";
	case SCMP_CMP_GT:
		return "SCMP_CMP_GT";
	case SCMP_CMP_MASKED_EQ:
		return "SCMP_CMP_MASKED_EQ";
	default:
		return NULL;
	}
}

/* Docker's "value" is libseccomp's datum_a (the mask of MASKED_EQ),
 * "valueTwo" its datum_b. */
static json_object *arg(const struct scmp_arg_cmp *c)
{
	json_object *a = json_object_new_object();

	json_object_object_add(a, "index", json_object_new_int((int)c->arg));
	json_object_object_add(a, "value", json_object_new_uint64(c->datum_a));
	json_object_object_add(a, "valueTwo",
			       json_object_new_uint64(c->datum_b));
	json_object_object_add(a, "op", json_object_new_string(op_name(c->op)));
	return a;
}

/* One entry: names, action (with errnoRet for SCMP_ACT_ERRNO), args (all
 * of them must hold, as in one libseccomp rule). */
static void entry(struct profile *p, const char *name, const char *action,
		  int err, const struct sbx_rule_cond *c, const char *comment)
{
	json_object *e = json_object_new_object();
	json_object *names = json_object_new_array();
	unsigned i;

	json_object_array_add(names, json_object_new_string(name));
	json_object_object_add(e, "names", names);
	json_object_object_add(e, "action", json_object_new_string(action));
	if (strcmp(action, "SCMP_ACT_ERRNO") == 0)
		json_object_object_add(e, "errnoRet", json_object_new_int(err));
	if (c && c->n) {
		json_object *args = json_object_new_array();

		for (i = 0; i < c->n; i++)
			json_object_array_add(args, arg(&c->cmp[i]));
		json_object_object_add(e, "args", args);
	}
	if (comment)
		json_object_object_add(e, "comment",
				       json_object_new_string(comment));
	json_object_array_add(p->syscalls, e);
}

static int deny_err(const struct profile *p)
{
	return strcmp(p->deny_action, "SCMP_ACT_ERRNO") == 0 ? EPERM : 0;
}

static const char *comment_of(enum sbx_rule_kind kind)
{
	switch (kind) {
	case SBX_RULE_CLONE_NS:
		return "no new namespaces";
	case SBX_RULE_IOCTL_TTY:
		return "no terminal injection or line discipline changes, on "
		       "the low 32 bits of the request";
	case SBX_RULE_SETID_MODE:
		return "no set-uid or set-gid mode";
	case SBX_RULE_SOCKET:
		return "only AF_UNIX, AF_INET, AF_INET6 and netlink's route "
		       "protocol: other families are not here";
	case SBX_RULE_SOCKETPAIR:
		return "only pairs of unix sockets";
	default:
		return NULL;
	}
}

static void builtin_rule(struct profile *p, const struct sbx_syscall_rule *r)
{
	const struct scmp_arg_cmp query = { 0, SCMP_CMP_EQ, 0xffffffffull, 0 };
	const struct scmp_arg_cmp other = { 0, SCMP_CMP_NE, 0, 0 };
	struct sbx_rule_cond c[SBX_MAX_RULE_CONDS];
	int err = sbx_rule_errno(r->kind);
	size_t i, n;

	switch (r->kind) {
	case SBX_RULE_DENY:
		json_object_array_add(p->plain,
				      json_object_new_string(r->name));
		break;
	case SBX_RULE_ENOSYS:
		entry(p, r->name, "SCMP_ACT_ERRNO", ENOSYS, NULL, r->why);
		break;
	case SBX_RULE_PERSONALITY:
		c[0].n = 1;
		c[0].cmp[0] = query;
		entry(p, r->name, "SCMP_ACT_ERRNO", 0, &c[0],
		      "the query answers PER_LINUX");
		c[0].cmp[0] = other;
		entry(p, r->name, p->deny_action, deny_err(p), &c[0],
		      "only the default execution domain");
		break;
	default:
		n = sbx_rule_conds(r, c, SBX_ARRAY_SIZE(c));
		for (i = 0; i < n; i++)
			entry(p, r->name,
			      err ? "SCMP_ACT_ERRNO" : p->deny_action,
			      err ? err : deny_err(p), &c[i],
			      comment_of(r->kind));
		break;
	}
}

static void user_rule(struct profile *p, const struct sbx_syscall_add *a)
{
	if (a->action == SBX_SYSCALL_KILL)
		entry(p, a->name, "SCMP_ACT_KILL_PROCESS", 0, NULL,
		      "policy: kill");
	else if (a->action == SBX_SYSCALL_DENY && a->err)
		entry(p, a->name, "SCMP_ACT_ERRNO", a->err, NULL,
		      "policy: deny");
	else if (a->action == SBX_SYSCALL_DENY)
		entry(p, a->name, p->deny_action, deny_err(p), NULL,
		      "policy: deny");
}

char *sbx_docker_seccomp(sbx_t *sbx)
{
	struct profile p = { 0 };
	json_object *o = json_object_new_object(), *archs, *plain;
	const char *arch = arch_name(seccomp_arch_native());
	char *text;
	size_t i;

	if (!o)
		return NULL;
	if (!arch) {
		json_object_put(o);
		sbx_error(sbx, EINVAL,
			  "this architecture has no name in Docker's seccomp "
			  "profiles");
		return NULL;
	}
	p.syscalls = json_object_new_array();
	p.plain = json_object_new_array();
	p.deny_action = (sbx->flags >> SBX_FLAG_SECCOMP_KILL) & 1
				? "SCMP_ACT_KILL_PROCESS"
				: "SCMP_ACT_ERRNO";
	/* Everything not listed is allowed, as in the library's filter. */
	json_object_object_add(o, "defaultAction",
			       json_object_new_string("SCMP_ACT_ALLOW"));
	/* Only the native architecture: i386 and x32 entry points are not
	 * in the filter, so runc refuses them. */
	archs = json_object_new_array();
	json_object_array_add(archs, json_object_new_string(arch));
	json_object_object_add(o, "architectures", archs);
	plain = json_object_new_object();
	json_object_object_add(plain, "names", p.plain);
	json_object_object_add(plain, "action",
			       json_object_new_string(p.deny_action));
	if (deny_err(&p))
		json_object_object_add(plain, "errnoRet",
				       json_object_new_int(EPERM));
	json_object_object_add(
		plain, "comment",
		json_object_new_string("libsandbox: the built-in deny list"));
	json_object_array_add(p.syscalls, plain);
	for (i = 0; i < sbx_n_syscall_rules; i++)
		if (!sbx_syscall_find(sbx, sbx_syscall_rules[i].name))
			builtin_rule(&p, &sbx_syscall_rules[i]);
	for (i = 0; i < sbx->pol.n_sys; i++)
		user_rule(&p, &sbx->pol.sys[i]);
	json_object_object_add(o, "syscalls", p.syscalls);
	text = sbx_json_text(o);
	if (!text)
		sbx_error(sbx, ENOMEM, "out of memory");
	return text;
}
