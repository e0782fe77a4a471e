/* error.c - messages kept on the handle or written into the caller's
 * buffer, and the return-code filter. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int sbx_error(sbx_t *sbx, int err, const char *fmt, ...)
{
	va_list ap;

	if (sbx) {
		va_start(ap, fmt);
		vsnprintf(sbx->errmsg, sizeof(sbx->errmsg), fmt, ap);
		va_end(ap);
		sbx->errnum = -sbx_rc(err > 0 ? -err : err);
	}
	return err > 0 ? -err : err;
}

int sbx_fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -e;
}

void sbx_clear_error(sbx_t *sbx)
{
	sbx->errmsg[0] = '\0';
	sbx->errnum = 0;
}

/* Every errno the API documents; anything else becomes -EIO so callers can
 * rely on the documented set. */
int sbx_rc(int r)
{
	switch (-r) {
	case 0:
	case EINVAL:
	case ENOMEM:
	case ENOENT:
	case ENOTDIR:
	case EACCES:
	case EBUSY:
	case E2BIG:
	case EBADF:
	case ECHILD:
	case EAGAIN:
	case EPROTO:
	case ENODATA:
	case ERANGE:
	case EMFILE:
	case ENFILE:
	case EPERM:
		return r;
	default:
		return r > 0 ? r : -EIO;
	}
}
