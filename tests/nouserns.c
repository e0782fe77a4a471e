/* nouserns.c - see nouserns.h. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nouserns.h"

static char helper[4096], helper_dir[4096];
static pid_t stager;
static int fake_abi;

void nu_fake_landlock_abi(int abi)
{
	fake_abi = abi;
}

/* Answer every Landlock ABI query with fake_abi. */
static void *answer_abi(void *p)
{
	int fd = (int)(long)p;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return NULL;
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.val = fake_abi;
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

/* landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) is
 * the kernel's answer to "which Landlock ABI?": in this process and all
 * it starts (the supervisor, the sandbox) a seccomp filter hands it to
 * a thread of ours, which answers fake_abi; other calls go through.  So
 * the supervisor meets an older kernel's Landlock, as it would there. */
static int install_fake_abi(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 444, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[2]) +
				 (__BYTE_ORDER == __BIG_ENDIAN ? 4 : 0)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	pthread_t t;
	long fd;

	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		     SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0 ||
	    pthread_create(&t, NULL, answer_abi, (void *)fd) != 0) {
		fprintf(stderr, "cannot fake the Landlock ABI: %s\n",
			strerror(errno));
		return -1;
	}
	pthread_detach(t);
	return 0;
}

static void remove_staged_helper(void)
{
	/* not from a child that inherited the registration */
	if (helper[0] && getpid() == stager) {
		unlink(helper);
		rmdir(helper_dir);
	}
}

/* A degraded sandbox runs on host paths, and a root caller's program as
 * an id that owns nothing: the helper is staged where any id may run it,
 * whatever directory the build tree is in (a checkout below /root). */
const char *nu_helper(void)
{
	char built[4096], tmpl[] = "/tmp/sbx-helper-XXXXXX";
	char cmd[8400];

	if (helper[0] || !getcwd(built, sizeof(built) - 16))
		return helper;
	strcat(built, "/tests/sbx-try");
	if (!mkdtemp(tmpl) || chmod(tmpl, 0755) < 0)
		return helper;
	snprintf(helper_dir, sizeof(helper_dir), "%s", tmpl);
	snprintf(helper, sizeof(helper), "%s/sbx-try", helper_dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 755 '%s'", built,
		 helper, helper);
	if (system(cmd) != 0) {
		rmdir(helper_dir);
		helper[0] = helper_dir[0] = '\0';
		return helper;
	}
	stager = getpid();
	atexit(remove_staged_helper);
	return helper;
}

const char *nu_helper_dir(void)
{
	nu_helper();
	return helper_dir;
}

static void put_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

struct child {
	tl_child_fn fn;
	void *arg;
};

/* In the child: the fake Landlock ABI first, when one is asked for. */
static void child_main(int out, void *p)
{
	struct child *c = p;

	if (fake_abi && install_fake_abi() < 0)
		_exit(8);
	c->fn(out, c->arg);
}

/* Fork; the child enters its user namespace, disables nested ones and
 * runs fn, which writes its answer to out.  Returns the answer. */
static char *in_child(tl_child_fn fn, void *arg)
{
	struct child c = { fn, arg };
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int in;
	pid_t pid = tl_start_nouserns(NULL, child_main, &c, &in);

	if (pid < 0) {
		fprintf(stderr, "cannot set up the user namespace: %s\n",
			strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb)
				break;
			buf = nb;
		}
		n = read(in, buf + len, 4096);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(in);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (!buf || !len) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

struct run_args {
	tl_config_fn cfg;
	void *arg;
	const char *const *argv;
};

static void run_child(int out, void *p)
{
	struct run_args *a = p;
	json_object *o = json_object_new_object();
	struct tl_run r;
	const char *text;

	tl_run_argv(&r, a->cfg, a->arg, a->argv);
	json_object_object_add(o, "rc", json_object_new_int(r.rc));
	json_object_object_add(o, "status", json_object_new_int64(r.status));
	json_object_object_add(o, "exit_code",
			       json_object_new_int64(r.exit_code));
	json_object_object_add(o, "signal", json_object_new_int64(r.signal));
	json_object_object_add(o, "setup_errno",
			       json_object_new_int64(r.setup_errno));
	put_str(o, "out", r.out);
	put_str(o, "err", r.err);
	put_str(o, "json", r.json);
	put_str(o, "message", r.message);
	text = json_object_to_json_string(o);
	if (write(out, text, strlen(text)) < 0)
		_exit(6);
	json_object_put(o);
	tl_run_free(&r);
}

static char *dup_field(json_object *o, const char *k)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    json_object_is_type(v, json_type_null))
		return strdup("");
	return strdup(json_object_get_string(v));
}

static int64_t int_field(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_int64(v)
						   : -1;
}

int nu_run_argv(struct tl_run *r, tl_config_fn cfg, void *arg,
		const char *const *argv)
{
	struct run_args a = { cfg, arg, argv };
	char *text = in_child(run_child, &a);
	json_object *o = text ? json_tokener_parse(text) : NULL;

	memset(r, 0, sizeof(*r));
	free(text);
	if (!o)
		return -1;
	r->rc = (int)int_field(o, "rc");
	r->status = int_field(o, "status");
	r->exit_code = int_field(o, "exit_code");
	r->signal = int_field(o, "signal");
	r->setup_errno = int_field(o, "setup_errno");
	r->out = dup_field(o, "out");
	r->err = dup_field(o, "err");
	r->json = dup_field(o, "json");
	r->message = dup_field(o, "message");
	r->out_len = strlen(r->out);
	r->err_len = strlen(r->err);
	json_object_put(o);
	return 0;
}

static void probe_child(int out, void *p)
{
	sbx_t *sbx;
	char head[16];
	int r;

	(void)p;
	if (sbx_create(&sbx) < 0)
		_exit(7);
	r = sbx_probe_host(sbx);
	snprintf(head, sizeof(head), "%d\n", r);
	if (write(out, head, strlen(head)) < 0 ||
	    (sbx_probe_report(sbx) && write(out, sbx_probe_report(sbx),
					    strlen(sbx_probe_report(sbx))) < 0))
		_exit(6);
	sbx_destroy(sbx);
}

int nu_probe(char **ret_json)
{
	char *text = in_child(probe_child, NULL), *nl;
	int r;

	if (!text)
		return -1000;
	r = atoi(text);
	nl = strchr(text, '\n');
	*ret_json = strdup(nl ? nl + 1 : "");
	free(text);
	return r;
}
