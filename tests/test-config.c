/* test-config.c - the supervisor's decoder of the library's configuration
 * fails closed: a valid configuration is read whole, and each record the
 * library would never send (an unknown mode or flag, a value out of
 * range, a record repeated, missing or unknown, bytes after the end) is
 * refused with a message that names it; the supervisor reports that as
 * the setup error of step "config" without building anything. */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sup.h"
#include "testlib.h"

/* The records of a valid configuration, in the library's order. */
enum part {
	P_ARG,
	P_ENV,
	P_HOME,
	P_BIND,
	P_WORKSPACE,
	P_CWD,
	P_LIMITS,
	P_NET,
	P_FLAGS,
	P_STDIO,
	P_SECCOMP,
	P_MASK,
	P_REQUIRE,
	P_END,
	P_MAX
};

struct limit_rec {
	uint32_t kind, pad;
	uint64_t value;
};

static void put_bind(struct sbx_buf *b, uint32_t flags, const char *src,
		     const char *dst)
{
	struct sbx_buf r = { 0 };

	sbx_buf_append(&r, &flags, 4);
	sbx_buf_append(&r, src, strlen(src) + 1);
	sbx_buf_append(&r, dst, strlen(dst) + 1);
	sbx_wire_put(b, SBX_W_BIND, r.data, r.len);
	sbx_buf_free(&r);
}

static void put_part(struct sbx_buf *b, enum part part)
{
	static const struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	char ws[64];
	uint32_t i;

	switch (part) {
	case P_ARG:
		sbx_wire_put_str(b, SBX_W_ARG, "/bin/true");
		sbx_wire_put_str(b, SBX_W_ARG, "--flag");
		break;
	case P_ENV:
		sbx_wire_put_str(b, SBX_W_ENV, "PATH=/usr/bin:/bin");
		sbx_wire_put_str(b, SBX_W_ENV, "PAT=x");
		break;
	case P_HOME:
		sbx_wire_put_str(b, SBX_W_HOME, "/home/sandbox");
		break;
	case P_BIND:
		put_bind(b, SBX_BIND_RW, "/srv/data", "/data");
		break;
	case P_WORKSPACE:
		i = SBX_WORKSPACE_RW;
		memcpy(ws, &i, 4);
		strcpy(ws + 4, "/home/me/project");
		sbx_wire_put(b, SBX_W_WORKSPACE, ws, 4 + strlen(ws + 4) + 1);
		break;
	case P_CWD:
		sbx_wire_put_str(b, SBX_W_CWD, "/workspace");
		break;
	case P_LIMITS:
		for (i = 0; i < SBX_LIMIT_KIND_MAX; i++) {
			struct limit_rec l = { i, 0, 100 + i };

			sbx_wire_put(b, SBX_W_LIMIT, &l, sizeof(l));
		}
		break;
	case P_NET:
		sbx_wire_put_u32(b, SBX_W_NET, SBX_NET_HOST);
		break;
	case P_FLAGS:
		sbx_wire_put_u32(b, SBX_W_FLAGS, 1u << SBX_FLAG_SINGLE_ID);
		break;
	case P_STDIO:
		sbx_wire_put_u32(b, SBX_W_STDIO,
				 SBX_RELAY_STDOUT | SBX_RELAY_STDERR |
					 SBX_RELAY_MERGE_ERR);
		break;
	case P_SECCOMP:
		sbx_wire_put(b, SBX_W_SECCOMP, allow, sizeof(allow));
		break;
	case P_MASK:
		sbx_wire_put_str(b, SBX_W_MASK, "/etc/shadow");
		break;
	case P_REQUIRE:
		sbx_wire_put_str(b, SBX_W_REQUIRE, "netns");
		break;
	case P_END:
		sbx_wire_put(b, SBX_W_END, NULL, 0);
		break;
	case P_MAX:
		break;
	}
}

/* A valid configuration without the part skip, and with extra's records
 * (an sbx_buf of them, may be NULL) before its end. */
static void build(struct sbx_buf *b, int skip, const struct sbx_buf *extra)
{
	int i;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < P_MAX; i++) {
		if (i == P_END && extra)
			sbx_buf_append(b, extra->data, extra->len);
		if (i != skip)
			put_part(b, (enum part)i);
	}
}

/* Decode b; returns what sup_config_parse() did, the message in err. */
static int decode(const struct sbx_buf *b, struct sup_config *c, char *err,
		  size_t errlen)
{
	char *raw = malloc(b->len ? b->len : 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	memcpy(raw, b->data, b->len);
	memset(c, 0, sizeof(*c));
	return sup_config_parse(c, raw, b->len, err, errlen);
}

/* The configuration of b is refused, with a message holding want. */
static void refused(const struct sbx_buf *b, const char *want)
{
	struct sup_config c;
	char err[512];
	int r = decode(b, &c, err, sizeof(err));

	if (r != -EBADMSG || !strstr(err, want))
		fprintf(stderr, "\n  expected \"%s\": rc %d, %s\n", want, r,
			err);
	CU_ASSERT_EQUAL(r, -EBADMSG);
	CU_ASSERT(strstr(err, want) != NULL);
	CU_ASSERT(strstr(err, "reinstall libsandbox") != NULL);
	sup_config_free(&c);
}

/* A valid configuration plus one record of type with data. */
static void refused_with(uint16_t type, const void *data, size_t len,
			 const char *want)
{
	struct sbx_buf extra = { 0 }, b;

	sbx_wire_put(&extra, type, data, len);
	build(&b, -1, &extra);
	refused(&b, want);
	sbx_buf_free(&b);
	sbx_buf_free(&extra);
}

/* A valid configuration whose part skip is replaced by one record. */
static void refused_instead(int skip, uint16_t type, const void *data,
			    size_t len, const char *want)
{
	struct sbx_buf extra = { 0 }, b;

	sbx_wire_put(&extra, type, data, len);
	build(&b, skip, &extra);
	refused(&b, want);
	sbx_buf_free(&b);
	sbx_buf_free(&extra);
}

static void test_valid(void)
{
	struct sup_config c;
	struct sbx_buf b;
	char err[512];
	int i;

	build(&b, -1, NULL);
	CU_ASSERT_EQUAL_FATAL(decode(&b, &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.argc, 2);
	CU_ASSERT_STRING_EQUAL(c.argv[0], "/bin/true");
	CU_ASSERT_PTR_NULL(c.argv[2]);
	CU_ASSERT_EQUAL(c.n_env, 2);
	CU_ASSERT_PTR_NULL(c.envp[2]);
	CU_ASSERT_EQUAL(c.n_binds, 1);
	CU_ASSERT_STRING_EQUAL(c.binds[0].dst, "/data");
	CU_ASSERT_EQUAL(c.binds[0].flags, SBX_BIND_RW);
	CU_ASSERT_STRING_EQUAL(c.workspace, "/home/me/project");
	CU_ASSERT_EQUAL(c.workspace_mode, SBX_WORKSPACE_RW);
	CU_ASSERT_STRING_EQUAL(c.cwd, "/workspace");
	for (i = 0; i < SBX_LIMIT_KIND_MAX; i++)
		CU_ASSERT_EQUAL(c.limits[i], 100u + (unsigned)i);
	CU_ASSERT_EQUAL(c.net, SBX_NET_HOST);
	CU_ASSERT_EQUAL(c.bpf_count, 1);
	CU_ASSERT_EQUAL(c.n_masks, 1);
	CU_ASSERT_EQUAL(c.pol.n_require, 1);
	sup_config_free(&c);
	sbx_buf_free(&b);

	/* no variable at all: an empty list, which execve() can take */
	build(&b, P_ENV, NULL);
	CU_ASSERT_EQUAL_FATAL(decode(&b, &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.n_env, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.envp);
	CU_ASSERT_PTR_NULL(c.envp[0]);
	sup_config_free(&c);
	sbx_buf_free(&b);
}

static void test_unknown_values(void)
{
	struct limit_rec l = { SBX_LIMIT_PIDS, 0, 1ull << 40 };
	uint32_t v, mode;
	char ws[32];

	v = SBX_NET_MODE_MAX;
	refused_instead(P_NET, SBX_W_NET, &v, 4, "unknown network mode 2");
	v = 0xffffffffu;
	refused_instead(P_NET, SBX_W_NET, &v, 4, "unknown network mode");
	v = 1u << SBX_FLAG_MAX;
	refused_instead(P_FLAGS, SBX_W_FLAGS, &v, 4, "unknown flags 0x80");
	v = 1u << 31;
	refused_instead(P_STDIO, SBX_W_STDIO, &v, 4,
			"unknown standard stream bits 0x80000000");
	refused_instead(P_NET, SBX_W_NET, &v, 2, "record of 2 bytes");
	refused_instead(P_LIMITS, SBX_W_LIMIT, &l, sizeof(l),
			"limit 3 is 1099511627776, larger than its maximum");
	l.kind = SBX_LIMIT_KIND_MAX;
	l.value = 1;
	refused_with(SBX_W_LIMIT, &l, sizeof(l), "unknown limit kind 10");
	mode = SBX_WORKSPACE_MODE_MAX;
	memcpy(ws, &mode, 4);
	strcpy(ws + 4, "/w");
	refused_instead(P_WORKSPACE, SBX_W_WORKSPACE, ws, 7,
			"unknown workspace mode 3");
	{
		struct sbx_buf extra = { 0 }, b;

		put_bind(&extra, 4, "/a", "/b");
		build(&b, -1, &extra);
		refused(&b, "bind /a: unknown flags 0x4");
		sbx_buf_free(&b);
		sbx_buf_free(&extra);
	}
	refused_with(SBX_W_REQUIRE, "magic", 6, "not a layer name");
	refused_with(SBX_W_SECCOMP_DEGRADED, "abc", 3, "whole instructions");
}

static void test_records(void)
{
	struct sbx_buf b, extra = { 0 };
	uint32_t v;

	/* every record the library always sends is required */
	build(&b, P_NET, NULL);
	refused(&b, "no network mode record");
	sbx_buf_free(&b);
	build(&b, P_FLAGS, NULL);
	refused(&b, "no flags record");
	sbx_buf_free(&b);
	build(&b, P_STDIO, NULL);
	refused(&b, "no standard streams record");
	sbx_buf_free(&b);
	build(&b, P_SECCOMP, NULL);
	refused(&b, "no seccomp filter record");
	sbx_buf_free(&b);
	build(&b, P_CWD, NULL);
	refused(&b, "no working directory record");
	sbx_buf_free(&b);
	build(&b, P_HOME, NULL);
	refused(&b, "no home record");
	sbx_buf_free(&b);
	build(&b, P_ARG, NULL);
	refused(&b, "no program to run");
	sbx_buf_free(&b);
	build(&b, P_END, NULL);
	refused(&b, "ends without an end record");
	sbx_buf_free(&b);
	{
		/* one limit left out: it would have been no limit */
		struct limit_rec l;
		uint32_t i;

		for (i = 0; i < SBX_LIMIT_KIND_MAX; i++) {
			l = (struct limit_rec){ i, 0, 1 };
			if (i != SBX_LIMIT_MEMORY)
				sbx_wire_put(&extra, SBX_W_LIMIT, &l,
					     sizeof(l));
		}
		build(&b, P_LIMITS, &extra);
		refused(&b, "limit 2 is missing");
		sbx_buf_free(&b);
		sbx_buf_free(&extra);
		l = (struct limit_rec){ SBX_LIMIT_MEMORY, 0, 1 };
		refused_with(SBX_W_LIMIT, &l, sizeof(l),
			     "limit 2 is given twice");
		l.pad = 1;
		refused_with(SBX_W_LIMIT, &l, sizeof(l), "padding");
	}
	/* said twice */
	v = SBX_NET_NONE;
	refused_with(SBX_W_NET, &v, 4, "the network mode is given twice");
	refused_with(SBX_W_CWD, "/tmp", 5, "the working directory is given "
					   "twice");
	refused_with(SBX_W_ENV, "PATH=/evil", 11,
		     "the variable PATH is given twice");
	/* unknown types, small and large */
	refused_with(99, "x", 1, "unknown record type 99");
	refused_with(0x1234, "x", 1, "unknown record type 4660");
	/* strings: one, whole, absolute where a path */
	refused_with(SBX_W_MASK, "/etc\0/x", 8, "masked path is not an "
						"absolute path");
	refused_instead(P_CWD, SBX_W_CWD, "tmp", 4, "not an absolute path");
	refused_with(SBX_W_ENV, "NOEQUALS", 9, "is not NAME=VALUE");
	refused_with(SBX_W_ENV, "=x", 3, "is not NAME=VALUE");
	refused_instead(P_ARG, SBX_W_ARG, "", 1, "empty program name");
	refused_with(SBX_W_BIND, "\0\0\0\0/a\0/b\0/c", 13,
		     "not two paths");
	refused_with(SBX_W_END, "x", 1, "an end record of 1 bytes");
	/* the stream itself */
	build(&b, -1, NULL);
	sbx_buf_append(&b, "\0\0\0\0\0\0\0\0", 8);
	refused(&b, "8 bytes after the end record");
	sbx_buf_free(&b);
	build(&b, -1, NULL);
	b.len -= 4;
	refused(&b, "runs past the end");
	sbx_buf_free(&b);
}

static void test_streams(void)
{
	struct sbx_buf extra = { 0 }, b;
	uint32_t v;

	v = SBX_RELAY_INPUT | SBX_RELAY_STDIN;
	sbx_wire_put(&extra, SBX_W_INPUT, "hi", 2);
	sbx_wire_put_u32(&extra, SBX_W_STDIO, v);
	build(&b, P_STDIO, &extra);
	refused(&b, "both the input and the caller's");
	sbx_buf_free(&b);
	sbx_buf_free(&extra);
	/* the input bit and the input record go together */
	refused_with(SBX_W_INPUT, "hi", 2, "disagree");
	v = SBX_RELAY_INPUT;
	refused_instead(P_STDIO, SBX_W_STDIO, &v, 4, "disagree");
	v = SBX_RELAY_SHARED(1);
	refused_instead(P_STDIO, SBX_W_STDIO, &v, 4,
			"stream 1 is shared but not relayed");
	v = SBX_RELAY_STDOUT | SBX_RELAY_MERGE_ERR;
	refused_instead(P_STDIO, SBX_W_STDIO, &v, 4, "not both relayed");
	v = SBX_RELAY_STDIN | SBX_RELAY_PTY_IN;
	refused_instead(P_STDIO, SBX_W_STDIO, &v, 4, "not there");
	/* a degraded run without its filter */
	v = 1u << SBX_FLAG_ALLOW_DEGRADED;
	refused_instead(P_FLAGS, SBX_W_FLAGS, &v, 4,
			"its seccomp filter is missing");
}

/* The real supervisor, given a configuration with an unknown network
 * mode: it answers with a setup error of step "config" that says so
 * (the mode once meant the host's network). */
static void test_supervisor_refuses(void)
{
	const char *sup = getenv("SBX_SUPERVISOR");
	struct sbx_wire_hdr hdr = { SBX_WIRE_MAGIC, SBX_WIRE_VERSION, 0, 0 };
	struct sbx_wire_result res;
	struct sbx_buf b, extra = { 0 };
	int ctl[2], done[2], st;
	char msg[1024];
	pid_t pid;
	uint32_t v = 7;

	if (!sup || !*sup) {
		tl_skip("SBX_SUPERVISOR is not set (run through make check)");
		return;
	}
	sbx_wire_put_u32(&extra, SBX_W_NET, v);
	build(&b, P_NET, &extra);
	hdr.length = (uint32_t)b.len;
	CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				   ctl) == 0);
	CU_ASSERT_FATAL(pipe2(done, O_CLOEXEC) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		dup2(ctl[1], SBX_SUP_FD_CTL);
		dup2(done[1], SBX_SUP_FD_DONE);
		execl(sup, "sbx-supervisor", (char *)NULL);
		_exit(127);
	}
	close(ctl[1]);
	close(done[1]);
	CU_ASSERT_EQUAL(sbx_write_full(ctl[0], &hdr, sizeof(hdr)), 0);
	CU_ASSERT_EQUAL(sbx_write_full(ctl[0], b.data, b.len), 0);
	CU_ASSERT_EQUAL_FATAL(sbx_read_full(ctl[0], &res, sizeof(res)), 0);
	CU_ASSERT_EQUAL(res.magic, SBX_WIRE_MAGIC);
	CU_ASSERT_EQUAL(res.status, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT_EQUAL(res.setup_step, SBX_STEP_CONFIG);
	CU_ASSERT_EQUAL(res.setup_errno, EBADMSG);
	CU_ASSERT_FATAL(res.msg_len < sizeof(msg));
	CU_ASSERT_EQUAL(sbx_read_full(ctl[0], msg, res.msg_len), 0);
	msg[res.msg_len] = '\0';
	if (!strstr(msg, "unknown network mode 7"))
		fprintf(stderr, "\n  message: %s\n", msg);
	CU_ASSERT(strstr(msg, "unknown network mode 7") != NULL);
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(ctl[0]);
	close(done[0]);
	sbx_buf_free(&b);
	sbx_buf_free(&extra);
}

static CU_TestInfo config_tests[] = {
	{ "a valid configuration", test_valid },
	{ "unknown values and values out of range", test_unknown_values },
	{ "records missing, repeated, unknown or malformed", test_records },
	{ "standard streams that contradict themselves", test_streams },
	{ "the supervisor reports the refusal", test_supervisor_refuses },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "config", NULL, NULL, NULL, NULL, config_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}
