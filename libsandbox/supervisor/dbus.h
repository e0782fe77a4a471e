/* dbus.h - just enough of a D-Bus client to ask systemd for a scope (see
 * systemd.c for why it is hand-written). */
#ifndef SBX_SUP_DBUS_H
#define SBX_SUP_DBUS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A message body being marshalled (native byte order; alignment is
 * counted from the start of the body, which the header pads to 8). */
struct sup_dbuf {
	unsigned char *p;
	size_t len, cap;
	int failed; /* out of memory: the message is not sent */
};

struct sup_darray {
	size_t len_at, start;
};

void sup_dbuf_free(struct sup_dbuf *b);
void sup_d_u32(struct sup_dbuf *b, uint32_t v); /* u, and b (0 or 1) */
void sup_d_str(struct sup_dbuf *b, const char *s); /* s and o */
void sup_d_sig(struct sup_dbuf *b, const char *s); /* g */
void sup_d_struct(struct sup_dbuf *b); /* the alignment a struct opens */
struct sup_darray sup_d_array_open(struct sup_dbuf *b, size_t elem_align);
void sup_d_array_close(struct sup_dbuf *b, struct sup_darray a);

/* A message read: its header fields and its body, valid until the next
 * sup_bus_read(). */
enum { SUP_DMSG_CALL = 1, SUP_DMSG_RETURN, SUP_DMSG_ERROR, SUP_DMSG_SIGNAL };
struct sup_dmsg {
	int type;
	uint32_t serial, reply_serial;
	const char *path, *iface, *member, *error, *sig;
	const unsigned char *body;
	size_t body_len;
	int swap; /* the sender's byte order is not ours */
};

/* Reads the basic values of a body in order; any misfit sets bad. */
struct sup_dread {
	const unsigned char *p;
	size_t len, pos;
	int swap, bad;
};
void sup_dread_init(struct sup_dread *r, const struct sup_dmsg *m);
uint32_t sup_dr_u32(struct sup_dread *r);
const char *sup_dr_str(struct sup_dread *r); /* s and o; "" when bad */

struct sup_bus {
	int fd;
	int direct; /* a manager's own socket: no bus daemon in between */
	uint32_t serial;
	unsigned char *in;
	size_t in_len, in_cap, in_used;
};

/* Connect to a unix socket ("/path" or "@abstract"), authenticate as our
 * uid, and (on a bus daemon, !direct) say Hello.  Waits at most until
 * deadline_ns (CLOCK_MONOTONIC).  0 or -errno. */
int sup_bus_open(struct sup_bus *bus, const char *address, int direct,
		 int64_t deadline_ns);
void sup_bus_close(struct sup_bus *bus);
/* Queue and send one method call; *ret_serial identifies its reply. */
int sup_bus_call(struct sup_bus *bus, const char *dest, const char *path,
		 const char *iface, const char *member, const char *sig,
		 const struct sup_dbuf *body, uint32_t *ret_serial);
/* The next message, waiting at most until deadline_ns: 0, -ETIMEDOUT,
 * -EBADMSG (nonsense on the wire: stop talking), or another -errno. */
int sup_bus_read(struct sup_bus *bus, struct sup_dmsg *m, int64_t deadline_ns);
/* The first address of a D-Bus address list that we can reach:
 * "unix:path=P" -> "P", "unix:abstract=A" -> "@A".  0 or -EINVAL. */
int sup_bus_parse_address(const char *list, char *out, size_t len);

int64_t sup_bus_now_ns(void);

#endif
