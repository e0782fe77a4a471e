/* config.c - read and check the configuration the library sent.
 *
 * The library and the supervisor come from one build, so a record the
 * library would never send (an unknown network mode or flag, a limit out
 * of range, a repeated or missing record, bytes after the end) means a
 * mismatched install or a forged stream.  Either way nothing is guessed:
 * the run is refused with what was wrong.  A network mode the supervisor
 * did not know once meant the host's network, since only SBX_NET_NONE
 * asked for a namespace of its own. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "layers.h"
#include "sup.h"

#define MAX_CONFIG (256u << 20)

/* What the library sends in every configuration, once. */
#define ONCE(t) (1u << (t))
#define REQUIRED                                                          \
	(ONCE(SBX_W_CWD) | ONCE(SBX_W_HOME) | ONCE(SBX_W_NET) |           \
	 ONCE(SBX_W_FLAGS) | ONCE(SBX_W_STDIO) | ONCE(SBX_W_SECCOMP) |    \
	 ONCE(SBX_W_END))
#define SINGLE                                                            \
	(REQUIRED | ONCE(SBX_W_WORKSPACE) | ONCE(SBX_W_INPUT) |           \
	 ONCE(SBX_W_SECCOMP_DEGRADED))

#define KNOWN_FLAGS ((1u << SBX_FLAG_MAX) - 1)
#define KNOWN_BINDS ((uint32_t)(SBX_BIND_RW | SBX_BIND_TRY))
#define KNOWN_RELAY ((uint32_t)SBX_RELAY_MERGE_ERR * 2 - 1)

static const char *const type_names[SBX_W_TYPE_MAX] = {
	[SBX_W_END] = "end",
	[SBX_W_ARG] = "argument",
	[SBX_W_ENV] = "environment variable",
	[SBX_W_BIND] = "bind",
	[SBX_W_WORKSPACE] = "workspace",
	[SBX_W_CWD] = "working directory",
	[SBX_W_LIMIT] = "limit",
	[SBX_W_NET] = "network mode",
	[SBX_W_FLAGS] = "flags",
	[SBX_W_STDIO] = "standard streams",
	[SBX_W_INPUT] = "input",
	[SBX_W_SECCOMP] = "seccomp filter",
	[SBX_W_MASK] = "masked path",
	[SBX_W_HOME] = "home",
	[SBX_W_REQUIRE] = "required layer",
	[SBX_W_SECCOMP_DEGRADED] = "seccomp filter without namespaces",
};

struct parse {
	struct sup_config *c;
	uint32_t seen;        /* ONCE() of the types met */
	uint32_t limits_seen; /* 1 << kind */
	char *err;
	size_t errlen;
};

/* Every refusal: what was wrong, and what to do. */
static int bad(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(struct parse *p, const char *fmt, ...)
{
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen,
		 "bad configuration from libsandbox: %s; the supervisor and "
		 "the library must come from one build (reinstall libsandbox)",
		 what);
	return -EBADMSG;
}

static const char *type_name(uint16_t type)
{
	return type < SBX_W_TYPE_MAX && type_names[type] ? type_names[type]
							 : "unknown";
}

/* One string: NUL-terminated, no NUL before the end. */
static int one_str(const char *d, uint32_t len)
{
	return len > 0 && d[len - 1] == '\0' && strlen(d) + 1 == len;
}

/* One absolute path. */
static int one_path(const char *d, uint32_t len)
{
	return one_str(d, len) && d[0] == '/';
}

static int grow(void *arrp, size_t n, size_t size)
{
	void **arr = arrp;
	void *p = realloc(*arr, (n + 2) * size);

	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

static int seccomp_filter(struct parse *p, uint16_t type, const char *d,
			  uint32_t len, const struct sock_filter **ret,
			  unsigned short *ret_count)
{
	if (len == 0 || len % sizeof(struct sock_filter) ||
	    len / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return bad(p, "the %s has %u bytes (whole instructions, 1 to "
			      "%u of them)",
			   type_name(type), len, BPF_MAXINSNS);
	*ret = (const struct sock_filter *)d;
	*ret_count = (unsigned short)(len / sizeof(struct sock_filter));
	return 0;
}

static int parse_bind(struct parse *p, const char *d, uint32_t len)
{
	struct sup_config *c = p->c;
	const char *src, *dst;
	struct sup_bind *b;
	uint32_t flags;

	if (len < 4 + 2 + 2 || d[len - 1] != '\0')
		return bad(p, "a bind record of %u bytes", len);
	memcpy(&flags, d, 4);
	src = d + 4;
	dst = src + strlen(src) + 1;
	if (dst >= d + len || dst + strlen(dst) + 1 != d + len)
		return bad(p, "a bind record is not two paths");
	if (src[0] != '/' || dst[0] != '/')
		return bad(p, "bind %s at %s: not absolute paths", src, dst);
	if (flags & ~KNOWN_BINDS)
		return bad(p, "bind %s: unknown flags 0x%x", src,
			   flags & ~KNOWN_BINDS);
	if (grow(&c->binds, c->n_binds, sizeof(*b)))
		return -ENOMEM;
	b = &c->binds[c->n_binds++];
	b->flags = flags;
	b->src = src;
	b->dst = dst;
	return 0;
}

static int parse_limit(struct parse *p, const char *d, uint32_t len)
{
	uint32_t kind, pad;
	uint64_t value;

	if (len != 16)
		return bad(p, "a limit record of %u bytes (16)", len);
	memcpy(&kind, d, 4);
	memcpy(&pad, d + 4, 4);
	memcpy(&value, d + 8, 8);
	if (kind >= SBX_LIMIT_KIND_MAX)
		return bad(p, "unknown limit kind %u", kind);
	if (pad)
		return bad(p, "limit %u has padding 0x%x (0)", kind, pad);
	if (p->limits_seen & (1u << kind))
		return bad(p, "limit %u is given twice", kind);
	if (value > sbx_limit_max(kind))
		return bad(p, "limit %u is %llu, larger than its maximum %llu",
			   kind, (unsigned long long)value,
			   (unsigned long long)sbx_limit_max(kind));
	p->limits_seen |= 1u << kind;
	p->c->limits[kind] = value;
	return 0;
}

static int parse_u32(struct parse *p, uint16_t type, const char *d,
		     uint32_t len)
{
	struct sup_config *c = p->c;
	uint32_t v;

	if (len != 4)
		return bad(p, "a %s record of %u bytes (4)", type_name(type),
			   len);
	memcpy(&v, d, 4);
	switch (type) {
	case SBX_W_NET:
		if (v >= SBX_NET_MODE_MAX)
			return bad(p, "unknown network mode %u", v);
		c->net = v;
		return 0;
	case SBX_W_FLAGS:
		if (v & ~KNOWN_FLAGS)
			return bad(p, "unknown flags 0x%x", v & ~KNOWN_FLAGS);
		c->flags = v;
		return 0;
	default: /* SBX_W_STDIO */
		if (v & ~KNOWN_RELAY)
			return bad(p, "unknown standard stream bits 0x%x",
				   v & ~KNOWN_RELAY);
		c->relay = v;
		return 0;
	}
}

/* One record; 1 at the end record. */
static int parse_record(struct parse *p, uint16_t type, const char *d,
			uint32_t len)
{
	struct sup_config *c = p->c;

	if (type < 32 && (SINGLE & ONCE(type))) {
		if (p->seen & ONCE(type))
			return bad(p, "the %s is given twice", type_name(type));
		p->seen |= ONCE(type);
	}
	switch (type) {
	case SBX_W_ARG:
		if (!one_str(d, len) || (!c->argc && !d[0]))
			return bad(p, "argument %zu is not a string, or an "
				      "empty program name",
				   c->argc);
		if (grow(&c->argv, c->argc, sizeof(char *)))
			return -ENOMEM;
		c->argv[c->argc++] = (char *)d;
		c->argv[c->argc] = NULL;
		return 0;
	case SBX_W_ENV:
		if (!one_str(d, len) || d[0] == '=' || !strchr(d, '='))
			return bad(p, "environment entry %zu is not "
				      "NAME=VALUE",
				   c->n_env);
		if (grow(&c->envp, c->n_env, sizeof(char *)))
			return -ENOMEM;
		c->envp[c->n_env++] = (char *)d;
		c->envp[c->n_env] = NULL;
		return 0;
	case SBX_W_BIND:
		return parse_bind(p, d, len);
	case SBX_W_WORKSPACE:
		if (len < 6 || !one_path(d + 4, len - 4))
			return bad(p, "the workspace is not a mode and an "
				      "absolute path");
		memcpy(&c->workspace_mode, d, 4);
		if (c->workspace_mode >= SBX_WORKSPACE_MODE_MAX)
			return bad(p, "unknown workspace mode %u",
				   c->workspace_mode);
		c->workspace = d + 4;
		return 0;
	case SBX_W_CWD:
	case SBX_W_HOME:
	case SBX_W_MASK:
		if (!one_path(d, len))
			return bad(p, "the %s is not an absolute path",
				   type_name(type));
		if (type == SBX_W_CWD) {
			c->cwd = d;
		} else if (type == SBX_W_HOME) {
			c->home = d;
		} else {
			if (grow(&c->masks, c->n_masks, sizeof(char *)))
				return -ENOMEM;
			c->masks[c->n_masks++] = d;
		}
		return 0;
	case SBX_W_LIMIT:
		return parse_limit(p, d, len);
	case SBX_W_NET:
	case SBX_W_FLAGS:
	case SBX_W_STDIO:
		return parse_u32(p, type, d, len);
	case SBX_W_INPUT:
		c->input = d;
		c->input_len = len;
		return 0;
	case SBX_W_SECCOMP:
		return seccomp_filter(p, type, d, len, &c->bpf, &c->bpf_count);
	case SBX_W_SECCOMP_DEGRADED:
		return seccomp_filter(p, type, d, len, &c->pol.bpf_degraded,
				      &c->pol.bpf_degraded_count);
	case SBX_W_REQUIRE: {
		const char **n;

		if (!one_str(d, len) || !sbx_layer_known(d))
			return bad(p, "a required layer is not a layer name");
		if (c->pol.n_require >= SBX_MAX_REQUIRE)
			return bad(p, "more than %d required layers",
				   SBX_MAX_REQUIRE);
		n = realloc(c->pol.require,
			    (c->pol.n_require + 1) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		c->pol.require = n;
		n[c->pol.n_require++] = d;
		return 0;
	}
	case SBX_W_END:
		return len ? bad(p, "an end record of %u bytes", len) : 1;
	}
	return bad(p, "unknown record type %u", type);
}

static int env_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t nx = strcspn(x, "="), ny = strcspn(y, "=");
	int r = memcmp(x, y, nx < ny ? nx : ny);

	return r ? r : (nx > ny) - (nx < ny);
}

/* What the records say together. */
static int check_whole(struct parse *p)
{
	static const uint32_t stream_bit[3] = { SBX_RELAY_STDIN,
						SBX_RELAY_STDOUT,
						SBX_RELAY_STDERR };
	struct sup_config *c = p->c;
	uint32_t missing = REQUIRED & ~p->seen, relay = c->relay;
	_cleanup_free_ char **sorted = NULL;
	size_t i;
	int t;

	for (t = 0; missing && t < 32; t++)
		if (missing & ONCE(t))
			return bad(p, "no %s record", type_name((uint16_t)t));
	if (!c->argc)
		return bad(p, "no program to run");
	for (i = 0; i < SBX_LIMIT_KIND_MAX; i++)
		if (!(p->limits_seen & (1u << i)))
			return bad(p, "limit %zu is missing", i);
	if ((relay & SBX_RELAY_INPUT) && (relay & SBX_RELAY_STDIN))
		return bad(p, "stdin is both the input and the caller's");
	if (!(relay & SBX_RELAY_INPUT) != !(p->seen & ONCE(SBX_W_INPUT)))
		return bad(p, "the input record and the input bit disagree");
	for (i = 0; i < 3; i++)
		if ((relay & SBX_RELAY_SHARED(i)) && !(relay & stream_bit[i]))
			return bad(p, "stream %zu is shared but not relayed",
				   i);
	if ((relay & SBX_RELAY_MERGE_ERR) &&
	    (relay & (SBX_RELAY_STDOUT | SBX_RELAY_STDERR)) !=
		    (SBX_RELAY_STDOUT | SBX_RELAY_STDERR))
		return bad(p, "stderr merged into stdout, but not both "
			      "relayed");
	if ((relay & SBX_RELAY_PTY_IN) &&
	    (!(relay & SBX_RELAY_STDIN) || !sup_flag(c, SBX_FLAG_PTY)))
		return bad(p, "stdin from a terminal that is not there");
	if (sup_flag(c, SBX_FLAG_ALLOW_DEGRADED) && !c->pol.bpf_degraded)
		return bad(p, "a run without namespaces is allowed, but its "
			      "seccomp filter is missing");
	/* Two values of one variable: which one the program sees would be
	 * up to its libc. */
	if (c->n_env > 1) {
		sorted = malloc(c->n_env * sizeof(*sorted));
		if (!sorted)
			return -ENOMEM;
		memcpy(sorted, c->envp, c->n_env * sizeof(*sorted));
		qsort(sorted, c->n_env, sizeof(*sorted), env_cmp);
		for (i = 1; i < c->n_env; i++)
			if (env_cmp(&sorted[i - 1], &sorted[i]) == 0)
				return bad(p, "the variable %.*s is given "
					      "twice",
					   (int)strcspn(sorted[i], "="),
					   sorted[i]);
	}
	/* No variable passed at all (every default passed by name from a
	 * caller who has none) is an empty environment, not none: execve()
	 * and the search of PATH read a list. */
	if (!c->envp) {
		c->envp = calloc(1, sizeof(*c->envp));
		if (!c->envp)
			return -ENOMEM;
	}
	return 0;
}

int sup_config_parse(struct sup_config *c, char *raw, size_t len, char *err,
		     size_t errlen)
{
	struct parse p = { .c = c, .err = err, .errlen = errlen };
	struct sbx_wire_iter it = { raw, raw + len };
	const char *data;
	uint16_t type;
	uint32_t rlen;
	int r;

	c->raw = raw;
	err[0] = '\0';
	for (;;) {
		r = sbx_wire_next(&it, &type, &data, &rlen);
		if (r == 0)
			return bad(&p, "it ends without an end record");
		if (r < 0)
			return bad(&p, "a record at byte %zu runs past the end",
				   (size_t)(it.pos - raw));
		r = parse_record(&p, type, data, rlen);
		if (r < 0) {
			if (r == -ENOMEM && !err[0])
				snprintf(err, errlen,
					 "the supervisor is out of memory");
			return r;
		}
		if (r == 1)
			break;
	}
	if (it.pos != it.end)
		return bad(&p, "%zu bytes after the end record",
			   (size_t)(it.end - it.pos));
	r = check_whole(&p);
	if (r == -ENOMEM && !err[0])
		snprintf(err, errlen, "the supervisor is out of memory");
	return r;
}

void sup_config_free(struct sup_config *c)
{
	free(c->argv);
	free(c->envp);
	free(c->binds);
	free(c->masks);
	free(c->pol.require);
	free(c->raw);
	memset(c, 0, sizeof(*c));
}

/* The caller's hard limit of resource (ours: we inherit them), or 0 when
 * there is none. */
static uint64_t caller_hard(int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) < 0 || rl.rlim_max == RLIM_INFINITY)
		return 0;
	return rl.rlim_max;
}

/*
 * A limit above the caller's own hard rlimit cannot hold (only a
 * privileged caller could raise it; set_rlimit() clamps it): the lower
 * one is the limit, stricter, and what the result and its messages name.
 * The CPU time limit stays a second under the caller's hard RLIMIT_CPU,
 * so that the watchdog, which sees the whole sandbox, ends the run as
 * "cpu_limit" before the kernel's SIGKILL of one process says nothing.
 */
static void caller_caps(struct sup_config *cfg)
{
	uint64_t *lim = cfg->limits, hard, cap;

	hard = caller_hard(RLIMIT_NOFILE);
	if (hard && lim[SBX_LIMIT_NOFILE] > hard)
		lim[SBX_LIMIT_NOFILE] = hard;
	hard = caller_hard(RLIMIT_FSIZE);
	if (hard && lim[SBX_LIMIT_FSIZE] > hard)
		lim[SBX_LIMIT_FSIZE] = hard;
	hard = caller_hard(RLIMIT_CPU);
	cap = hard > 1 ? (hard - 1) * 1000 : 500;
	if (hard && lim[SBX_LIMIT_CPU_MS] > cap)
		lim[SBX_LIMIT_CPU_MS] = cap;
}

int sup_config_read(int fd, struct sup_config *c, char *err, size_t errlen)
{
	struct sbx_wire_hdr hdr;
	char *raw;
	int r;

	r = sbx_read_full(fd, &hdr, sizeof(hdr));
	if (r < 0) {
		snprintf(err, errlen, "no configuration from the library: %s",
			 strerror(-r));
		return r;
	}
	if (hdr.magic != SBX_WIRE_MAGIC || hdr.version != SBX_WIRE_VERSION) {
		snprintf(err, errlen,
			 "the supervisor and libsandbox come from different "
			 "builds (protocol %u, expected %u); reinstall "
			 "libsandbox",
			 hdr.version, SBX_WIRE_VERSION);
		return -EPROTO;
	}
	if (hdr.length > MAX_CONFIG) {
		snprintf(err, errlen,
			 "configuration too large (%u bytes, at most %u)",
			 hdr.length, MAX_CONFIG);
		return -E2BIG;
	}
	raw = malloc(hdr.length ? hdr.length : 1);
	if (!raw) {
		snprintf(err, errlen, "the supervisor is out of memory");
		return -ENOMEM;
	}
	r = sbx_read_full(fd, raw, hdr.length);
	if (r < 0) {
		free(raw);
		snprintf(err, errlen, "short configuration: %s", strerror(-r));
		return r;
	}
	r = sup_config_parse(c, raw, hdr.length, err, errlen);
	if (r == 0)
		caller_caps(c);
	return r;
}
