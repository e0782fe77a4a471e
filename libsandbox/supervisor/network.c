/* network.c - configure the sandbox's empty network namespace over netlink:
 * only lo, up.  Bringing lo up makes the kernel add 127.0.0.1/8 and ::1. */
#include <errno.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <string.h>

#include "sup.h"

int sandbox_loopback_up(char *err, size_t errlen)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct rtnl_link *lo = NULL, *change = NULL;
	int r;

	if (!sk)
		return -ENOMEM;
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0) {
		snprintf(err, errlen, "netlink connect: %s", nl_geterror(r));
		goto out;
	}
	lo = rtnl_link_alloc();
	change = rtnl_link_alloc();
	if (!lo || !change) {
		r = -NLE_NOMEM;
		goto out;
	}
	/* lo is always interface 1 of a new namespace. */
	rtnl_link_set_ifindex(lo, 1);
	rtnl_link_set_name(lo, "lo");
	rtnl_link_set_flags(change, IFF_UP);
	r = rtnl_link_change(sk, lo, change, 0);
	if (r < 0)
		snprintf(err, errlen, "bringing lo up: %s", nl_geterror(r));
out:
	rtnl_link_put(change);
	rtnl_link_put(lo);
	nl_socket_free(sk);
	return r < 0 ? -EIO : 0;
}
