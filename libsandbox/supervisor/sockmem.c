/* sockmem.c - the memory held in socket buffers of the sandbox's network
 * namespace, for the memory watch (memwatch.c).
 *
 * A unix socket's buffers hold up to twice net.core.wmem_max (8 MiB by
 * default) of kernel memory, which no process's RSS shows, and a program
 * can make as many sockets as its descriptors allow (more, by passing
 * them over a socket and closing its own copies).  net.core.wmem_max and
 * rmem_max are one value for the whole machine on this kernel, not the
 * network namespace's, so they cannot be lowered for the sandbox alone.
 * Instead the sandbox's init opens a sock_diag socket in its own network
 * namespace and hands it to the supervisor, which asks it at every sample
 * for the buffers of every unix, TCP and UDP socket of that namespace
 * (the memory lines ss -m shows) and counts them with the rest.  With the
 * host's network (--net host) the namespace is the host's: nothing is
 * counted there.
 */
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "sup.h"

int sandbox_sockmem_open(void)
{
	/* an answer never takes long: a second bounds a sample */
	struct timeval t = { 1, 0 };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			NETLINK_SOCK_DIAG);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof(t));
	return fd;
}

/* The bytes one socket's memory line says it holds: what waits to be
 * read, what was written and is not freed yet, options and backlog. */
static uint64_t meminfo_bytes(const struct rtattr *a)
{
	const uint32_t *v = RTA_DATA(a);
	size_t n = RTA_PAYLOAD(a) / sizeof(uint32_t);
	uint64_t sum = 0;

	if (n > SK_MEMINFO_RMEM_ALLOC)
		sum += v[SK_MEMINFO_RMEM_ALLOC];
	if (n > SK_MEMINFO_WMEM_ALLOC)
		sum += v[SK_MEMINFO_WMEM_ALLOC];
	if (n > SK_MEMINFO_WMEM_QUEUED)
		sum += v[SK_MEMINFO_WMEM_QUEUED];
	if (n > SK_MEMINFO_OPTMEM)
		sum += v[SK_MEMINFO_OPTMEM];
	if (n > SK_MEMINFO_BACKLOG)
		sum += v[SK_MEMINFO_BACKLOG];
	return sum;
}

/* One dump: req (after the netlink header) asks for every socket of a
 * family with its memory line, attribute attr after a message of
 * msg_len bytes.  Adds to *sum; 0, or -errno (nothing is half-trusted:
 * what came is counted). */
static int dump(int fd, const void *req, size_t req_len, size_t msg_len,
		unsigned short attr, uint64_t *sum)
{
	struct {
		struct nlmsghdr h;
		char req[64];
	} q;
	static char buf[32768];
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(req_len);
	q.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	memcpy(q.req, req, req_len);
	/* what an earlier dump left unread (it stopped at an error) */
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	if (sendto(fd, &q, q.h.nlmsg_len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		size_t left;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPROTO;
		left = (size_t)n;
		for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			struct rtattr *a;
			size_t alen;

			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -ENOENT; /* e.g. no udp_diag */
			if (h->nlmsg_len < NLMSG_LENGTH(NLMSG_ALIGN(msg_len)))
				continue;
			a = (struct rtattr *)((char *)NLMSG_DATA(h) +
					      NLMSG_ALIGN(msg_len));
			alen = h->nlmsg_len -
			       NLMSG_LENGTH(NLMSG_ALIGN(msg_len));
			for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen))
				if (a->rta_type == attr)
					*sum += meminfo_bytes(a);
		}
	}
}

uint64_t sup_sockmem_used(int fd)
{
	static const struct {
		uint8_t family, protocol;
	} inet[] = { { AF_INET, IPPROTO_TCP },
		     { AF_INET6, IPPROTO_TCP },
		     { AF_INET, IPPROTO_UDP },
		     { AF_INET6, IPPROTO_UDP } };
	struct unix_diag_req ureq = {
		.sdiag_family = AF_UNIX,
		.udiag_states = ~0u,
		.udiag_show = UDIAG_SHOW_MEMINFO,
	};
	uint64_t sum = 0;
	size_t i;

	if (fd < 0)
		return 0;
	dump(fd, &ureq, sizeof(ureq), sizeof(struct unix_diag_msg),
	     UNIX_DIAG_MEMINFO, &sum);
	for (i = 0; i < SBX_ARRAY_SIZE(inet); i++) {
		struct inet_diag_req_v2 ireq = {
			.sdiag_family = inet[i].family,
			.sdiag_protocol = inet[i].protocol,
			.idiag_ext = 1 << (INET_DIAG_SKMEMINFO - 1),
			.idiag_states = ~0u,
		};

		dump(fd, &ireq, sizeof(ireq), sizeof(struct inet_diag_msg),
		     INET_DIAG_SKMEMINFO, &sum);
	}
	return sum;
}
