/* config.c - read and check the configuration the library sent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sup.h"

#define MAX_CONFIG (256u << 20)

static int is_cstr(const char *p, uint32_t len)
{
	return len > 0 && p[len - 1] == '\0';
}

static int grow(void *arrp, size_t *n, size_t size)
{
	void **arr = arrp;
	void *p = realloc(*arr, (*n + 2) * size);

	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

static int parse_record(struct sup_config *c, uint16_t type, const char *d,
			uint32_t len)
{
	switch (type) {
	case SBX_W_ARG:
		if (!is_cstr(d, len) || grow(&c->argv, &c->argc, sizeof(char *)))
			return -EBADMSG;
		c->argv[c->argc++] = (char *)d;
		c->argv[c->argc] = NULL;
		return 0;
	case SBX_W_ENV:
		if (!is_cstr(d, len) || !strchr(d, '=') ||
		    grow(&c->envp, &c->n_env, sizeof(char *)))
			return -EBADMSG;
		c->envp[c->n_env++] = (char *)d;
		c->envp[c->n_env] = NULL;
		return 0;
	case SBX_W_BIND: {
		struct sup_bind *b;
		const char *src, *dst;

		if (len < 6 || !is_cstr(d, len))
			return -EBADMSG;
		src = d + 4;
		dst = src + strlen(src) + 1;
		if (dst >= d + len || src[0] != '/' || dst[0] != '/')
			return -EBADMSG;
		if (grow(&c->binds, &c->n_binds, sizeof(*b)))
			return -ENOMEM;
		b = &c->binds[c->n_binds++];
		memcpy(&b->flags, d, 4);
		b->src = src;
		b->dst = dst;
		return 0;
	}
	case SBX_W_WORKSPACE:
		if (len < 6 || !is_cstr(d, len) || d[4] != '/')
			return -EBADMSG;
		memcpy(&c->workspace_mode, d, 4);
		if (c->workspace_mode >= SBX_WORKSPACE_MODE_MAX)
			return -EBADMSG;
		c->workspace = d + 4;
		return 0;
	case SBX_W_CWD:
	case SBX_W_HOME:
		if (!is_cstr(d, len) || d[0] != '/')
			return -EBADMSG;
		*(type == SBX_W_CWD ? &c->cwd : &c->home) = d;
		return 0;
	case SBX_W_LIMIT: {
		uint32_t kind;

		if (len != 16)
			return -EBADMSG;
		memcpy(&kind, d, 4);
		if (kind >= SBX_LIMIT_KIND_MAX)
			return -EBADMSG;
		memcpy(&c->limits[kind], d + 8, 8);
		return 0;
	}
	case SBX_W_NET:
	case SBX_W_FLAGS:
	case SBX_W_STDIO: {
		uint32_t v;

		if (len != 4)
			return -EBADMSG;
		memcpy(&v, d, 4);
		if (type == SBX_W_NET)
			c->net = v;
		else if (type == SBX_W_FLAGS)
			c->flags = v;
		else
			c->relay = v;
		return 0;
	}
	case SBX_W_INPUT:
		c->input = d;
		c->input_len = len;
		return 0;
	case SBX_W_SECCOMP:
		if (len == 0 || len % sizeof(struct sock_filter) ||
		    len / sizeof(struct sock_filter) > BPF_MAXINSNS)
			return -EBADMSG;
		c->bpf = (const struct sock_filter *)d;
		c->bpf_count = (unsigned short)(len / sizeof(struct sock_filter));
		return 0;
	case SBX_W_MASK:
		if (!is_cstr(d, len) || d[0] != '/' ||
		    grow(&c->masks, &c->n_masks, sizeof(char *)))
			return -EBADMSG;
		c->masks[c->n_masks++] = d;
		return 0;
	case SBX_W_END:
		return 1;
	}
	return sup_policy_record(c, type, d, len); /* policy.c */
}

int sup_config_read(int fd, struct sup_config *c, char *err, size_t errlen)
{
	struct sbx_wire_hdr hdr;
	struct sbx_wire_iter it;
	uint16_t type;
	const char *data;
	uint32_t len;
	int r, ended = 0;

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
		snprintf(err, errlen, "configuration too large (%u bytes)",
			 hdr.length);
		return -E2BIG;
	}
	c->raw = malloc(hdr.length ? hdr.length : 1);
	if (!c->raw)
		return -ENOMEM;
	r = sbx_read_full(fd, c->raw, hdr.length);
	if (r < 0) {
		snprintf(err, errlen, "short configuration: %s", strerror(-r));
		return r;
	}
	it.pos = c->raw;
	it.end = c->raw + hdr.length;
	while (!ended && (r = sbx_wire_next(&it, &type, &data, &len)) > 0) {
		r = parse_record(c, type, data, len);
		if (r < 0) {
			snprintf(err, errlen,
				 "malformed configuration record %u", type);
			return r;
		}
		ended = r == 1;
	}
	if (!ended || !c->argc || !c->bpf || !c->cwd || !c->home) {
		snprintf(err, errlen, "incomplete configuration");
		return -EBADMSG;
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
