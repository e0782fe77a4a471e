/* path.c - paths read as text, never looked up: the sandbox's inside paths
 * (api.c, explain.c) and the workspace's trusted ones (trusted.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "path.h"

const char *sbx_path_next(const char **pathp, size_t *ret_len)
{
	const char *c = *pathp, *e;

	while (*c == '/')
		c++;
	if (!*c)
		return NULL;
	e = strchrnul(c, '/');
	*ret_len = (size_t)(e - c);
	*pathp = e;
	return c;
}

int sbx_path_dots(const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return 1;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return 2;
	return 0;
}

int sbx_path_clean(const char *path, int flags, char *out, size_t len)
{
	int absolute = flags & SBX_PATH_ABSOLUTE;
	const char *name;
	size_t n, o = 0;

	if (absolute && path[0] != '/')
		return -EINVAL;
	out[0] = '\0';
	while ((name = sbx_path_next(&path, &n))) {
		switch (sbx_path_dots(name, n)) {
		case 1:
			break;
		case 2:
			if (o == 0 && !absolute)
				return -EINVAL;
			while (o > 0 && out[--o] != '/')
				;
			out[o] = '\0';
			break;
		default:
			if (o + n + 2 > len)
				return -ENAMETOOLONG;
			if (o || absolute)
				out[o++] = '/';
			memcpy(out + o, name, n);
			o += n;
			out[o] = '\0';
		}
	}
	if (o)
		return 0;
	if (!absolute)
		return -EINVAL;
	snprintf(out, len, "/");
	return 0;
}
