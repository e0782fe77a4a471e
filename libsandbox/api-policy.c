/* api-policy.c - the exported functions of policies, required layers and
 * the host probe: argument checks, then the internals (policy.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int sbx_policy_keep_text(sbx_t *sbx, char *text)
{
	if (!text)
		return -ENOMEM;
	free(sbx->pol.text);
	sbx->pol.text = text;
	return 0;
}

SBX_EXPORT int sbx_require_layer(sbx_t *sbx, const char *layer)
{
	if (!sbx)
		return -EINVAL;
	CHECK_IDLE(sbx);
	return sbx_rc(sbx_policy_require(sbx, layer));
}

SBX_EXPORT int sbx_set_syscall(sbx_t *sbx, const char *name, int action,
			       int err)
{
	if (!sbx)
		return -EINVAL;
	CHECK_IDLE(sbx);
	if (!name) {
		sbx_syscall_clear(sbx);
		return 0;
	}
	return sbx_rc(sbx_syscall_set(sbx, name, action, err));
}

/* Read a policy file whole (at most SBX_POLICY_MAX_BYTES). */
static int read_policy_file(sbx_t *sbx, const char *path, char **ret,
			    size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	struct stat st;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno == ENOENT || errno == EACCES ? errno : EINVAL;

		return sbx_error(sbx, e, "cannot read the policy %s: %s", path,
				 strerror(errno));
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		return sbx_error(sbx, EINVAL,
				 "the policy %s is a directory, not a file",
				 path);
	buf = malloc(SBX_POLICY_MAX_BYTES + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n = read(fd, buf + len, SBX_POLICY_MAX_BYTES + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sbx_error(sbx, EINVAL,
					 "cannot read the policy %s: %s", path,
					 strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > SBX_POLICY_MAX_BYTES)
			return sbx_error(sbx, E2BIG,
					 "the policy %s is larger than %u "
					 "bytes",
					 path, SBX_POLICY_MAX_BYTES);
	}
	buf[len] = '\0';
	*ret = steal_pointer(&buf);
	*ret_len = len;
	return 0;
}

SBX_EXPORT int sbx_policy_load_file(sbx_t *sbx, const char *path)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_free_ char *copy = NULL;
	_cleanup_free_ char *dir = NULL;
	size_t len = 0;
	int r;

	if (!sbx)
		return -EINVAL;
	CHECK_IDLE(sbx);
	if (!path || !*path)
		return sbx_error(sbx, EINVAL, "no policy file given");
	r = read_policy_file(sbx, path, &text, &len);
	if (r < 0)
		return sbx_rc(r);
	/* Relative paths in a policy are relative to its directory. */
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	dir = realpath(dirname(copy), NULL);
	if (!dir)
		return sbx_error(sbx, EINVAL,
				 "cannot resolve the directory of %s: %s", path,
				 strerror(errno));
	return sbx_rc(sbx_policy_load(sbx, text, len, path, dir));
}

SBX_EXPORT int sbx_policy_load_string(sbx_t *sbx, const char *json)
{
	size_t len;

	if (!sbx)
		return -EINVAL;
	CHECK_IDLE(sbx);
	if (!json)
		return sbx_error(sbx, EINVAL, "no policy given (NULL)");
	len = strlen(json);
	if (len > SBX_POLICY_MAX_BYTES)
		return sbx_error(sbx, E2BIG,
				 "the policy is larger than %u bytes",
				 SBX_POLICY_MAX_BYTES);
	return sbx_rc(sbx_policy_load(sbx, json, len, "policy", NULL));
}

SBX_EXPORT int sbx_policy_preset(sbx_t *sbx, const char *name)
{
	char doc[128];

	if (!sbx)
		return -EINVAL;
	CHECK_IDLE(sbx);
	if (!name || !sbx_preset_text(name))
		return sbx_error(sbx, EINVAL,
				 "unknown preset \"%s\" (presets: %s)",
				 name ? name : "(null)", sbx_preset_names());
	/* A document with only the key: checked and applied like a file. */
	snprintf(doc, sizeof(doc), "{\"preset\": \"%s\"}", name);
	return sbx_rc(sbx_policy_load(sbx, doc, strlen(doc), "preset", NULL));
}

SBX_EXPORT const char *sbx_policy_export(sbx_t *sbx, int format)
{
	char *text;

	if (!sbx)
		return NULL;
	sbx_clear_error(sbx);
	switch (format) {
	case SBX_POLICY_JSON:
		text = sbx_policy_show(sbx);
		break;
	case SBX_POLICY_DOCKER_SECCOMP:
		text = sbx_docker_seccomp(sbx);
		break;
	default:
		sbx_error(sbx, EINVAL,
			  "unknown policy format %d (SBX_POLICY_JSON or "
			  "SBX_POLICY_DOCKER_SECCOMP)",
			  format);
		return NULL;
	}
	if (sbx_policy_keep_text(sbx, text) < 0) {
		if (!sbx->errmsg[0])
			sbx_error(sbx, ENOMEM, "out of memory");
		return NULL;
	}
	return sbx->pol.text;
}

SBX_EXPORT const char *sbx_policy_explain(sbx_t *sbx, const char *what)
{
	char *text;

	if (!sbx)
		return NULL;
	sbx_clear_error(sbx);
	text = sbx_explain(sbx, what);
	if (sbx_policy_keep_text(sbx, text) < 0) {
		if (!sbx->errmsg[0])
			sbx_error(sbx, ENOMEM, "out of memory");
		return NULL;
	}
	return sbx->pol.text;
}

SBX_EXPORT int sbx_probe_host(sbx_t *sbx)
{
	if (!sbx)
		return -EINVAL;
	return sbx_rc(sbx_probe(sbx));
}

SBX_EXPORT const char *sbx_probe_report(const sbx_t *sbx)
{
	return sbx ? sbx->pol.probe : NULL;
}
