/* dbus.c - just enough of a D-Bus client to ask systemd for a scope: a
 * unix socket, EXTERNAL authentication, method calls out, replies and
 * signals in (the wire format of the D-Bus specification, "Message
 * Protocol").  Everything read is checked against its own lengths: the
 * peer is a service of the caller's own choosing, but a broken one must
 * cost a failed scope, never the supervisor. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dbus.h"

/* The largest message we accept: systemd's answers are a few hundred
 * bytes; a bus daemon's limit is far larger, and nothing we wait for
 * comes near it. */
#define MAX_MESSAGE (1u << 20)

enum {
	FIELD_PATH = 1,
	FIELD_INTERFACE,
	FIELD_MEMBER,
	FIELD_ERROR_NAME,
	FIELD_REPLY_SERIAL,
	FIELD_DESTINATION,
	FIELD_SENDER,
	FIELD_SIGNATURE,
};

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_ENDIAN 'l'
#else
#define NATIVE_ENDIAN 'B'
#endif

int64_t sup_bus_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ------------------------------------------------------------ marshalling */

static void put(struct sup_dbuf *b, const void *data, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		unsigned char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void pad(struct sup_dbuf *b, size_t align)
{
	static const unsigned char zero[8];

	if (b->len % align)
		put(b, zero, align - b->len % align);
}

void sup_dbuf_free(struct sup_dbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void sup_d_u32(struct sup_dbuf *b, uint32_t v)
{
	pad(b, 4);
	put(b, &v, 4);
}

void sup_d_str(struct sup_dbuf *b, const char *s)
{
	sup_d_u32(b, (uint32_t)strlen(s));
	put(b, s, strlen(s) + 1);
}

void sup_d_sig(struct sup_dbuf *b, const char *s)
{
	unsigned char n = (unsigned char)strlen(s);

	put(b, &n, 1);
	put(b, s, (size_t)n + 1);
}

void sup_d_struct(struct sup_dbuf *b)
{
	pad(b, 8);
}

/* An array's length counts from its first element, after the padding to
 * the elements' alignment (which is there even when it is empty). */
struct sup_darray sup_d_array_open(struct sup_dbuf *b, size_t elem_align)
{
	struct sup_darray a;

	sup_d_u32(b, 0);
	a.len_at = b->len - 4;
	pad(b, elem_align);
	a.start = b->len;
	return a;
}

void sup_d_array_close(struct sup_dbuf *b, struct sup_darray a)
{
	uint32_t n = (uint32_t)(b->len - a.start);

	if (!b->failed)
		memcpy(b->p + a.len_at, &n, 4);
}

static void header_field(struct sup_dbuf *h, int code, const char *sig,
			 const char *value)
{
	unsigned char c = (unsigned char)code;

	sup_d_struct(h);
	put(h, &c, 1);
	sup_d_sig(h, sig);
	if (sig[0] == 'g')
		sup_d_sig(h, value);
	else
		sup_d_str(h, value);
}

/* -------------------------------------------------------------- reading */

static uint32_t swap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) |
	       (v << 24);
}

static int r_align(struct sup_dread *r, size_t align)
{
	size_t pos = (r->pos + align - 1) / align * align;

	if (pos > r->len) {
		r->bad = 1;
		return -1;
	}
	r->pos = pos;
	return 0;
}

static uint8_t r_byte(struct sup_dread *r)
{
	if (r->bad || r->pos + 1 > r->len) {
		r->bad = 1;
		return 0;
	}
	return r->p[r->pos++];
}

uint32_t sup_dr_u32(struct sup_dread *r)
{
	uint32_t v;

	if (r->bad || r_align(r, 4) < 0 || r->pos + 4 > r->len) {
		r->bad = 1;
		return 0;
	}
	memcpy(&v, r->p + r->pos, 4);
	r->pos += 4;
	return r->swap ? swap32(v) : v;
}

static const char *r_text(struct sup_dread *r, uint32_t n)
{
	const char *s;

	if (r->bad || n > r->len - r->pos || r->pos + n >= r->len ||
	    r->p[r->pos + n] != '\0' || memchr(r->p + r->pos, '\0', n)) {
		r->bad = 1;
		return "";
	}
	s = (const char *)r->p + r->pos;
	r->pos += (size_t)n + 1;
	return s;
}

const char *sup_dr_str(struct sup_dread *r)
{
	uint32_t n = sup_dr_u32(r);

	return r->bad ? "" : r_text(r, n);
}

static const char *r_sig(struct sup_dread *r)
{
	uint8_t n = r_byte(r);

	return r->bad ? "" : r_text(r, n);
}

void sup_dread_init(struct sup_dread *r, const struct sup_dmsg *m)
{
	r->p = m->body;
	r->len = m->body_len;
	r->pos = 0;
	r->swap = m->swap;
	r->bad = 0;
}

/* Past one complete type in a signature. */
static int sig_skip(const char **s, int depth)
{
	char t = **s;

	if (!t || depth > 64)
		return -1;
	(*s)++;
	if (t == 'a')
		return sig_skip(s, depth + 1);
	if (t == '(' || t == '{') {
		char close = t == '(' ? ')' : '}';

		while (**s && **s != close)
			if (sig_skip(s, depth + 1) < 0)
				return -1;
		if (**s != close)
			return -1;
		(*s)++;
	}
	return 0;
}

/* Skip one complete type of sig (at *s) in r: the header fields we do not
 * use.  Bounded nesting, as the specification bounds it. */
static void r_skip(struct sup_dread *r, const char **s, int depth)
{
	char t = **s;

	if (r->bad || depth > 64) {
		r->bad = 1;
		return;
	}
	(*s)++;
	switch (t) {
	case 'y':
		r_byte(r);
		break;
	case 'n':
	case 'q':
		if (r_align(r, 2) == 0 && r->pos + 2 <= r->len)
			r->pos += 2;
		else
			r->bad = 1;
		break;
	case 'b':
	case 'i':
	case 'u':
	case 'h':
		sup_dr_u32(r);
		break;
	case 'x':
	case 't':
	case 'd':
		if (r_align(r, 8) == 0 && r->pos + 8 <= r->len)
			r->pos += 8;
		else
			r->bad = 1;
		break;
	case 's':
	case 'o':
		sup_dr_str(r);
		break;
	case 'g':
		r_sig(r);
		break;
	case 'v': {
		const char *vs = r_sig(r);

		r_skip(r, &vs, depth + 1);
		break;
	}
	case 'a': {
		uint32_t n = sup_dr_u32(r);
		size_t end;
		const char *elem = *s;
		char c = **s;

		/* element alignment: 8 for structs, dict entries and 8-byte
		 * types, 4 for arrays and 4-byte types, 2, else 1 */
		r_align(r, c == '(' || c == '{' || c == 'x' || c == 't' ||
					   c == 'd'
				   ? 8
			   : c == 'n' || c == 'q' ? 2
			   : c == 'y' || c == 'g' || c == 'v' ? 1
							      : 4);
		if (r->bad || n > r->len - r->pos) {
			r->bad = 1;
			return;
		}
		end = r->pos + n;
		/* past the element type, even when the array is empty */
		if (sig_skip(s, depth + 1) < 0) {
			r->bad = 1;
			return;
		}
		/* every element takes a byte at least; one that takes none
		 * (an empty struct, which no valid signature has) would
		 * never reach the end */
		while (!r->bad && r->pos < end) {
			const char *e = elem;
			size_t before = r->pos;

			r_skip(r, &e, depth + 1);
			if (r->pos == before)
				r->bad = 1;
		}
		if (r->pos != end)
			r->bad = 1;
		break;
	}
	case '(':
	case '{':
		r_align(r, 8);
		while (!r->bad && **s && **s != ')' && **s != '}')
			r_skip(r, s, depth + 1);
		if (**s)
			(*s)++;
		else
			r->bad = 1;
		break;
	default:
		r->bad = 1;
	}
}

/* ------------------------------------------------------------ the socket */

static int wait_fd(int fd, short events, int64_t deadline_ns)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left = deadline_ns - sup_bus_now_ns();
	int r;

	if (left <= 0)
		return -ETIMEDOUT;
	r = poll(&p, 1, (int)((left + 999999) / 1000000));
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

static int send_all(int fd, const void *data, size_t n, int64_t deadline_ns)
{
	const unsigned char *p = data;

	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			int r = wait_fd(fd, POLLOUT, deadline_ns);

			if (r < 0)
				return r;
			continue;
		}
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* More bytes in, at most until deadline_ns.  -ECONNRESET at EOF. */
static int fill(struct sup_bus *bus, int64_t deadline_ns)
{
	ssize_t n;

	if (bus->in_used) {
		memmove(bus->in, bus->in + bus->in_used,
			bus->in_len - bus->in_used);
		bus->in_len -= bus->in_used;
		bus->in_used = 0;
	}
	if (bus->in_cap - bus->in_len < 4096) {
		size_t cap = bus->in_cap ? bus->in_cap * 2 : 8192;
		unsigned char *p;

		if (cap > MAX_MESSAGE + 8192)
			return -EMSGSIZE;
		p = realloc(bus->in, cap);
		if (!p)
			return -ENOMEM;
		bus->in = p;
		bus->in_cap = cap;
	}
	for (;;) {
		int r;

		n = recv(bus->fd, bus->in + bus->in_len,
			 bus->in_cap - bus->in_len, MSG_DONTWAIT);
		if (n > 0) {
			bus->in_len += (size_t)n;
			return 0;
		}
		if (n == 0)
			return -ECONNRESET;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		r = wait_fd(bus->fd, POLLIN, deadline_ns);
		if (r < 0)
			return r;
	}
}

int sup_bus_parse_address(const char *list, char *out, size_t len)
{
	const char *p = list;

	while (p && *p) {
		size_t n = strcspn(p, ";");
		const char *kv = NULL, *end = p + n;
		int abstract = 0;

		if (strncmp(p, "unix:", 5) == 0) {
			const char *q = p + 5;

			while (q < end) {
				size_t m = strcspn(q, ",;");

				if (strncmp(q, "path=", 5) == 0 && !kv)
					kv = q + 5;
				else if (strncmp(q, "abstract=", 9) == 0 && !kv) {
					kv = q + 9;
					abstract = 1;
				}
				q += m + (q[m] == ',');
			}
		}
		if (kv) {
			size_t o = 0;

			if (abstract && o + 1 < len)
				out[o++] = '@';
			/* values are %-escaped */
			while (*kv && *kv != ',' && *kv != ';' && o + 1 < len) {
				unsigned v;

				if (kv[0] == '%' && sscanf(kv + 1, "%2x", &v) == 1) {
					out[o++] = (char)v;
					kv += 3;
				} else {
					out[o++] = *kv++;
				}
			}
			out[o] = '\0';
			return o > (size_t)abstract ? 0 : -EINVAL;
		}
		p = *end ? end + 1 : end;
	}
	return -EINVAL;
}

/* "OK <guid>\r\n", or the server's refusal. */
static int auth(struct sup_bus *bus, int64_t deadline_ns)
{
	char msg[128], *nl;
	unsigned long uid = (unsigned long)getuid();
	char dec[24];
	size_t i, n;
	int r;

	snprintf(dec, sizeof(dec), "%lu", uid);
	n = (size_t)snprintf(msg, sizeof(msg), "%cAUTH EXTERNAL ", '\0');
	for (i = 0; dec[i]; i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%02x",
				      (unsigned char)dec[i]);
	n += (size_t)snprintf(msg + n, sizeof(msg) - n, "\r\n");
	r = send_all(bus->fd, msg, n, deadline_ns);
	if (r < 0)
		return r;
	for (;;) {
		r = fill(bus, deadline_ns);
		if (r < 0)
			return r;
		nl = memchr(bus->in, '\n', bus->in_len);
		if (nl)
			break;
		if (bus->in_len > 4096)
			return -EBADMSG;
	}
	if (bus->in_len < 3 || memcmp(bus->in, "OK ", 3) != 0)
		return -EACCES; /* REJECTED, or an unknown dialogue */
	/* the server says nothing more until BEGIN */
	bus->in_used = (size_t)((unsigned char *)nl - bus->in) + 1;
	return send_all(bus->fd, "BEGIN\r\n", 7, deadline_ns);
}

int sup_bus_open(struct sup_bus *bus, const char *address, int direct,
		 int64_t deadline_ns)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t sl;
	size_t n = strlen(address);
	int r;

	memset(bus, 0, sizeof(*bus));
	bus->fd = -1;
	bus->direct = direct;
	if (n == 0 || n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, address, n);
	if (address[0] == '@')
		sa.sun_path[0] = '\0'; /* abstract: no NUL at its end */
	sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
			 (address[0] == '@' ? 0 : 1));
	bus->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (bus->fd < 0)
		return -errno;
	/* a listening socket answers connect() at once, or refuses */
	if (connect(bus->fd, (struct sockaddr *)&sa, sl) < 0) {
		r = -errno;
		sup_bus_close(bus);
		return r;
	}
	r = auth(bus, deadline_ns);
	if (r == 0 && !direct) {
		struct sup_dbuf none = { 0 };
		uint32_t serial;

		/* the reply is read, and skipped, with the others */
		r = sup_bus_call(bus, "org.freedesktop.DBus",
				 "/org/freedesktop/DBus", "org.freedesktop.DBus",
				 "Hello", "", &none, &serial);
	}
	if (r < 0)
		sup_bus_close(bus);
	return r;
}

void sup_bus_close(struct sup_bus *bus)
{
	if (bus->fd >= 0)
		close(bus->fd);
	free(bus->in);
	memset(bus, 0, sizeof(*bus));
	bus->fd = -1;
}

int sup_bus_call(struct sup_bus *bus, const char *dest, const char *path,
		 const char *iface, const char *member, const char *sig,
		 const struct sup_dbuf *body, uint32_t *ret_serial)
{
	struct sup_dbuf h = { 0 };
	unsigned char fixed[4] = { NATIVE_ENDIAN, SUP_DMSG_CALL, 0, 1 };
	struct sup_darray fields;
	int r;

	if (body->failed)
		return -ENOMEM;
	if (++bus->serial == 0)
		bus->serial = 1;
	put(&h, fixed, 4);
	sup_d_u32(&h, (uint32_t)body->len);
	sup_d_u32(&h, bus->serial);
	fields = sup_d_array_open(&h, 8);
	header_field(&h, FIELD_PATH, "o", path);
	header_field(&h, FIELD_INTERFACE, "s", iface);
	header_field(&h, FIELD_MEMBER, "s", member);
	/* a manager's own socket has no names to route by */
	if (dest && !bus->direct)
		header_field(&h, FIELD_DESTINATION, "s", dest);
	if (sig[0])
		header_field(&h, FIELD_SIGNATURE, "g", sig);
	sup_d_array_close(&h, fields);
	pad(&h, 8);
	put(&h, body->p ? body->p : (const unsigned char *)"", body->len);
	r = h.failed ? -ENOMEM
		     : send_all(bus->fd, h.p, h.len,
				sup_bus_now_ns() + 5000000000LL);
	sup_dbuf_free(&h);
	if (r == 0)
		*ret_serial = bus->serial;
	return r;
}

/* Parse the message at the start of the unread input, whose total size is
 * known to be in. */
static int parse(struct sup_bus *bus, struct sup_dmsg *m, size_t total,
		 size_t fields_len, uint32_t body_len)
{
	struct sup_dread r = { bus->in + bus->in_used, total, 12, 0, 0 };
	size_t fields_end;

	memset(m, 0, sizeof(*m));
	m->swap = bus->in[bus->in_used] != NATIVE_ENDIAN;
	r.swap = m->swap;
	m->type = bus->in[bus->in_used + 1];
	r.pos = 8;
	m->serial = sup_dr_u32(&r);
	sup_dr_u32(&r); /* the fields' length, known */
	fields_end = 16 + fields_len;
	while (!r.bad && r.pos < fields_end) {
		uint8_t code;
		const char *vs;

		r_align(&r, 8);
		if (r.pos >= fields_end)
			break;
		code = r_byte(&r);
		vs = r_sig(&r);
		if (r.bad)
			break;
		if (strcmp(vs, "u") == 0 && code == FIELD_REPLY_SERIAL) {
			m->reply_serial = sup_dr_u32(&r);
		} else if ((strcmp(vs, "s") == 0 || strcmp(vs, "o") == 0) &&
			   code != FIELD_SIGNATURE) {
			const char *s = sup_dr_str(&r);

			if (code == FIELD_PATH)
				m->path = s;
			else if (code == FIELD_INTERFACE)
				m->iface = s;
			else if (code == FIELD_MEMBER)
				m->member = s;
			else if (code == FIELD_ERROR_NAME)
				m->error = s;
		} else if (strcmp(vs, "g") == 0 && code == FIELD_SIGNATURE) {
			m->sig = r_sig(&r);
		} else {
			r_skip(&r, &vs, 0);
		}
	}
	if (r.bad || r.pos != fields_end)
		return -EBADMSG;
	m->body = bus->in + bus->in_used + total - body_len;
	m->body_len = body_len;
	if (!m->sig)
		m->sig = "";
	return 0;
}

int sup_bus_read(struct sup_bus *bus, struct sup_dmsg *m, int64_t deadline_ns)
{
	for (;;) {
		size_t avail = bus->in_len - bus->in_used;
		const unsigned char *p = bus->in + bus->in_used;

		if (avail >= 16) {
			uint32_t body_len, fields_len;
			size_t total;
			int swap = p[0] != NATIVE_ENDIAN;

			if ((p[0] != 'l' && p[0] != 'B') || p[3] != 1)
				return -EBADMSG;
			memcpy(&body_len, p + 4, 4);
			memcpy(&fields_len, p + 12, 4);
			if (swap) {
				body_len = swap32(body_len);
				fields_len = swap32(fields_len);
			}
			if (body_len > MAX_MESSAGE || fields_len > MAX_MESSAGE)
				return -EBADMSG;
			total = (16 + (size_t)fields_len + 7) / 8 * 8 + body_len;
			if (avail >= total) {
				int r = parse(bus, m, total, fields_len,
					      body_len);

				bus->in_used += total;
				return r;
			}
		}
		{
			int r = fill(bus, deadline_ns);

			if (r < 0)
				return r;
		}
	}
}
