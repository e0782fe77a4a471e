/* wire.c - encoding of the library <-> supervisor protocol. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"

int sbx_buf_reserve(struct sbx_buf *b, size_t extra)
{
	size_t want, cap;
	char *p;

	if (extra > SIZE_MAX / 2 - b->len)
		return -ENOMEM;
	want = b->len + extra;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int sbx_buf_append(struct sbx_buf *b, const void *data, size_t len)
{
	int r = sbx_buf_reserve(b, len);

	if (r < 0)
		return r;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

void sbx_buf_free(struct sbx_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int sbx_wire_put(struct sbx_buf *b, uint16_t type, const void *data,
		 size_t len)
{
	struct sbx_wire_rec rec = { .type = type, .length = (uint32_t)len };
	size_t padded = (len + 7) & ~(size_t)7;
	int r;

	if (len > UINT32_MAX - 8)
		return -E2BIG;
	r = sbx_buf_reserve(b, sizeof(rec) + padded);
	if (r < 0)
		return r;
	memcpy(b->data + b->len, &rec, sizeof(rec));
	b->len += sizeof(rec);
	if (len)
		memcpy(b->data + b->len, data, len);
	memset(b->data + b->len + len, 0, padded - len);
	b->len += padded;
	return 0;
}

int sbx_wire_put_str(struct sbx_buf *b, uint16_t type, const char *s)
{
	return sbx_wire_put(b, type, s, strlen(s) + 1);
}

int sbx_wire_put_u32(struct sbx_buf *b, uint16_t type, uint32_t v)
{
	return sbx_wire_put(b, type, &v, sizeof(v));
}

int sbx_wire_next(struct sbx_wire_iter *it, uint16_t *ret_type,
		  const char **ret_data, uint32_t *ret_len)
{
	struct sbx_wire_rec rec;
	size_t padded;

	if (it->pos == it->end)
		return 0;
	if ((size_t)(it->end - it->pos) < sizeof(rec))
		return -EBADMSG;
	memcpy(&rec, it->pos, sizeof(rec));
	padded = ((size_t)rec.length + 7) & ~(size_t)7;
	if ((size_t)(it->end - it->pos) - sizeof(rec) < padded)
		return -EBADMSG;
	*ret_type = rec.type;
	*ret_data = it->pos + sizeof(rec);
	*ret_len = rec.length;
	it->pos += sizeof(rec) + padded;
	return 1;
}

const char *sbx_step_name(uint32_t step)
{
	static const char *const names[SBX_STEP_MAX] = {
		[SBX_STEP_NONE] = "none",
		[SBX_STEP_CONFIG] = "config",
		[SBX_STEP_CGROUP] = "cgroup",
		[SBX_STEP_CLONE] = "namespaces",
		[SBX_STEP_IDMAP] = "id-map",
		[SBX_STEP_NETWORK] = "network",
		[SBX_STEP_MOUNT] = "mount",
		[SBX_STEP_WORKSPACE] = "workspace",
		[SBX_STEP_BIND] = "bind",
		[SBX_STEP_PROC] = "proc",
		[SBX_STEP_DEV] = "dev",
		[SBX_STEP_PIVOT] = "pivot-root",
		[SBX_STEP_HOSTNAME] = "hostname",
		[SBX_STEP_RLIMIT] = "rlimit",
		[SBX_STEP_FDS] = "close-fds",
		[SBX_STEP_CAPS] = "capabilities",
		[SBX_STEP_SECCOMP] = "seccomp",
		[SBX_STEP_CWD] = "cwd",
		[SBX_STEP_FORK] = "fork",
		[SBX_STEP_EXEC] = "exec",
		[SBX_STEP_LANDLOCK] = "landlock",
		[SBX_STEP_REQUIRE] = "require",
		[SBX_STEP_DEGRADED] = "degraded",
	};

	return step < SBX_STEP_MAX && names[step] ? names[step] : "unknown";
}

const char *sbx_mech_name(uint32_t mech)
{
	static const char *const names[SBX_MECH_MAX] = {
		[SBX_MECH_NONE] = "none",
		[SBX_MECH_CGROUP2] = "cgroup-v2",
		[SBX_MECH_CGROUP1] = "cgroup-v1",
		[SBX_MECH_RLIMIT] = "rlimit",
		[SBX_MECH_TMPFS] = "tmpfs",
		[SBX_MECH_SUPERVISOR] = "supervisor",
		[SBX_MECH_DEVPTS] = "devpts",
	};

	return mech < SBX_MECH_MAX && names[mech] ? names[mech] : "unknown";
}

int sbx_read_full(int fd, void *data, size_t len)
{
	char *p = data;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* All of data, through write() or, on a socket, send(MSG_NOSIGNAL). */
static int put_full(int fd, const void *data, size_t len, int sock)
{
	const char *p = data;

	while (len) {
		ssize_t n = sock ? send(fd, p, len, MSG_NOSIGNAL)
				 : write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int sbx_write_full(int fd, const void *data, size_t len)
{
	return put_full(fd, data, len, 0);
}

/* Never write() to a socket from the library: when the peer is gone,
 * write raises SIGPIPE, which kills a caller that left it at SIG_DFL
 * (most C programs).  send(MSG_NOSIGNAL) says EPIPE instead. */
int sbx_send_full(int fd, const void *data, size_t len)
{
	return put_full(fd, data, len, 1);
}
