/* report.c - records between the sandbox's init and the supervisor, on
 * their socket pair, with descriptors attached (SCM_RIGHTS): the root
 * tmpfs, the terminal's master, the memory watch's, the idmapped binds. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "sup.h"

int sup_send_record(int sock, const struct sup_report *rep, const int *fds,
		    int n)
{
	char cbuf[CMSG_SPACE(SUP_RECORD_FDS * sizeof(int))];
	struct iovec iov = { (void *)rep, sizeof(*rep) };
	struct msghdr mh = { 0 };
	struct cmsghdr *c;

	if (n < 0 || n > SUP_RECORD_FDS)
		return -EINVAL;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (n) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

ssize_t sup_recv_record(int sock, struct sup_report *rep, int *fds,
			int *ret_n)
{
	char cbuf[CMSG_SPACE(SUP_RECORD_FDS * sizeof(int))];
	struct iovec iov = { rep, sizeof(*rep) };
	struct msghdr mh = { 0 };
	struct cmsghdr *c;
	ssize_t r;
	int i, n = 0;

	for (i = 0; i < SUP_RECORD_FDS; i++)
		fds[i] = -1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	/* A peer that closed with records of ours unread (the sandbox
	 * failed before it took the idmapped binds) makes the first read
	 * ECONNRESET, ahead of the records it sent before: read on. */
	if (r < 0 && errno == ECONNRESET) {
		mh.msg_controllen = sizeof(cbuf);
		r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	}
	if (r < 0)
		return -errno;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (k > (size_t)(SUP_RECORD_FDS - n))
			k = (size_t)(SUP_RECORD_FDS - n);
		memcpy(fds + n, CMSG_DATA(c), k * sizeof(int));
		n += (int)k;
	}
	*ret_n = n;
	return r;
}
