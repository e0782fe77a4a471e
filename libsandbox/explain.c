/* explain.c - `sbx policy explain PATH|SYSCALL`: what the policy lets the
 * program do with a path inside the sandbox or a system call, and which
 * rule decides.  It describes the sandbox as mounts.c and seccomp.c build
 * it; file modes still apply on top and are not judged here. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "etcmask.h"
#include "internal.h"
#include "jsonpos.h"
#include "layout.h"
#include "path.h"
#include "seccomp_rules.h"
#include "trusted.h"

/* layout.c's places (a few dozen), the binds, and the /etc masks */
#define MAX_VIEW (64 + SBX_MAX_BINDS + 600)

/* One place of the sandbox's tree: what is mounted or made there. */
struct place {
	char *path; /* inside */
	char *host; /* the host path it shows, or NULL */
	char *link; /* a symlink's target (merged /usr), or NULL */
	int read, write, exec;
	char rule[512];
};

struct view {
	struct place p[MAX_VIEW];
	size_t n;
	int landlock;
};

static struct place *add(struct view *v, const char *path, const char *host,
			 int r, int w, int x, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
static struct place *add(struct view *v, const char *path, const char *host,
			 int r, int w, int x, const char *fmt, ...)
{
	struct place *p;
	va_list ap;

	if (v->n >= MAX_VIEW)
		return NULL;
	p = &v->p[v->n];
	memset(p, 0, sizeof(*p));
	p->path = strdup(path);
	p->host = host ? strdup(host) : NULL;
	if (!p->path || (host && !p->host)) {
		free(p->path);
		free(p->host);
		return NULL;
	}
	p->read = r;
	p->write = w;
	p->exec = x;
	va_start(ap, fmt);
	vsnprintf(p->rule, sizeof(p->rule), fmt, ap);
	va_end(ap);
	v->n++;
	return p;
}

static void free_view(struct view *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->p[i].path);
		free(v->p[i].host);
		free(v->p[i].link);
	}
	free(v);
}

static int add_mask(void *arg, const char *path)
{
	return add(arg, path, NULL, 0, 0, 0,
		   "hidden: other users cannot read it on the host, and the "
		   "sandbox's ids are yours, whose owner or group bits "
		   "could")
		       ? 0
		       : -ENOMEM;
}

/* The sandbox's /dev, from layout.c as mounts.c makes it. */
static int add_dev(struct view *v, int tmp_w)
{
	char what[256] = "", inside[64], host[64];
	struct place *pl;
	size_t i;

	for (i = 0; i < sbx_n_dev_nodes + sbx_n_dev_dirs; i++)
		snprintf(what + strlen(what), sizeof(what) - strlen(what),
			 "%s%s", i ? ", " : "",
			 i < sbx_n_dev_nodes
				 ? sbx_dev_nodes[i]
				 : sbx_dev_dirs[i - sbx_n_dev_nodes].name);
	if (!add(v, "/dev", NULL, 1, 0, 0, "the sandbox's minimal /dev: %s",
		 what))
		return 0;
	for (i = 0; i < sbx_n_dev_dirs; i++) {
		const struct sbx_dev_dir *d = &sbx_dev_dirs[i];
		int w = d->read_only_flag ? tmp_w : 1;

		snprintf(inside, sizeof(inside), "/dev/%s", d->name);
		if (!add(v, inside, NULL, 1, w, 0, "%s%s", d->what,
			 w ? "" : " (read-only: read_only is set)"))
			return 0;
	}
	for (i = 0; i < sbx_n_dev_nodes; i++) {
		snprintf(inside, sizeof(inside), "/dev/%s", sbx_dev_nodes[i]);
		snprintf(host, sizeof(host), "/dev/%s", sbx_dev_nodes[i]);
		if (!add(v, inside, host, 1, 1, 0,
			 "the host's device %s, bound read-only: reads and "
			 "writes work, its mode and times cannot change",
			 host))
			return 0;
	}
	for (i = 0; i < sbx_n_dev_links; i++) {
		const char *t = sbx_dev_links[i].target;

		snprintf(inside, sizeof(inside), "/dev/%s",
			 sbx_dev_links[i].name);
		pl = add(v, inside, NULL, 1, 0, 0, "a symlink to %s", t);
		/* explain_path() reads a relative target from / */
		if (!pl || asprintf(&pl->link, "%s%s", t[0] == '/' ? "" : "dev/",
				    t) < 0) {
			if (pl)
				pl->link = NULL;
			return 0;
		}
	}
	return 1;
}

/* In the order mounts.c makes them: later places cover earlier ones. */
static int build_view(const sbx_t *sbx, struct view *v)
{
	int ro = (sbx->flags >> SBX_FLAG_READ_ONLY) & 1;
	int tmp_w = !ro;
	char link[PATH_MAX];
	size_t i;
	struct stat st;

	if (!add(v, "/", NULL, 1, !ro && v->landlock <= 0, 0,
		 "the sandbox's own root: a tmpfs with the system "
		 "directories, /tmp, the home, /proc, /dev, the workspace "
		 "and the binds"))
		return -ENOMEM;
	if (!add(v, "/tmp", NULL, 1, tmp_w, 1, "/tmp on the sandbox's tmpfs%s",
		 ro ? " (read-only: read_only is set)"
		    : ", counted against the disk limit") ||
	    !add(v, SBX_HOME_INSIDE, NULL, 1, tmp_w, 1,
		 "the sandbox's home, on its tmpfs%s",
		 ro ? " (read-only: read_only is set)"
		    : ", counted against the disk limit"))
		return -ENOMEM;
	for (i = 0; i < sbx_n_system_paths; i++) {
		const char *p = sbx_system_paths[i];
		struct place *pl;
		ssize_t n;

		if (lstat(p, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (!add(v, p, p, 1, 0, 1,
				 "a system directory, bound read-only "
				 "(nosuid, nodev) from the host's %s",
				 p))
				return -ENOMEM;
		} else if (S_ISLNK(st.st_mode) &&
			   (n = readlink(p, link, sizeof(link) - 1)) > 0) {
			link[n] = '\0';
			pl = add(v, p, NULL, 1, 0, 1,
				 "a symlink to %s, as on the host", link);
			if (!pl || !(pl->link = strdup(link)))
				return -ENOMEM;
		}
	}
	if (sbx->workspace &&
	    !add(v, SBX_WORKSPACE_INSIDE, sbx->workspace, 1,
		 sbx->workspace_mode != SBX_WORKSPACE_RO, 1, "%s%s%s",
		 sbx->workspace_mode == SBX_WORKSPACE_RW
			 ? "the workspace, copy-on-write over the host's "
			 : sbx->workspace_mode == SBX_WORKSPACE_RW_LIVE
				 ? "the workspace, a live writable bind of the "
				   "host's "
				 : "the workspace, bound read-only from the "
				   "host's ",
		 sbx->workspace,
		 sbx->workspace_mode == SBX_WORKSPACE_RW
			 ? ": changes go to the sandbox's tmpfs, counted "
			   "against the disk limit, and are applied to the "
			   "host after the run"
			 : sbx->workspace_mode == SBX_WORKSPACE_RW_LIVE
				 ? ": changes land on the host at once, not "
				   "counted against the disk limit"
				 : ""))
		return -ENOMEM;
	for (i = 0; i < sbx->n_binds; i++) {
		const struct sbx_bind *b = &sbx->binds[i];
		int rw = !!(b->flags & SBX_BIND_RW);

		if (!add(v, b->dst, b->src, 1, rw, 1,
			 "bound %s (nosuid, nodev) from the host's %s",
			 rw ? "writable" : "read-only", b->src))
			return -ENOMEM;
	}
	if (!add(v, "/proc", NULL, 1, 0, 0,
		 "the sandbox's own /proc (its PID namespace), read-only") ||
	    !add_dev(v, tmp_w))
		return -ENOMEM;
	/* What hostinfo.c hides when the sandbox's ids are the caller's. */
	if (!sbx_is_host_root()) {
		int r = sbx_host_masks_each(add_mask, v);

		if (r == -ENOMEM)
			return r;
	}
	return 0;
}

/* path is place or below it: the length of place's part, else 0. */
static size_t under(const char *path, const char *place)
{
	size_t n = strlen(place);

	if (strcmp(place, "/") == 0)
		return 1;
	if (strncmp(path, place, n) == 0 && (path[n] == '\0' || path[n] == '/'))
		return n;
	return 0;
}

static const struct place *deepest(const struct view *v, const char *path)
{
	const struct place *best = NULL;
	size_t best_n = 0, i;

	for (i = 0; i < v->n; i++) {
		size_t n = under(path, v->p[i].path);

		if (n && n >= best_n) {
			best = &v->p[i];
			best_n = n;
		}
	}
	return best;
}

/* Some place lies below path: then path is a directory made for it. */
static const struct place *below(const struct view *v, const char *path)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->p[i].path, path) != 0 &&
		    under(v->p[i].path, path))
			return &v->p[i];
	return NULL;
}

static void add_bool(json_object *o, const char *k, int v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

/* File modes are not judged, but a host file kept from other users is
 * worth a word: "host_mode". */
static void add_host_mode(json_object *o, const char *host)
{
	struct stat st;
	char mode[8];

	if (!host || stat(host, &st) < 0)
		return;
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(st.st_mode & 07777));
	json_object_object_add(o, "host_mode", json_object_new_string(mode));
}

struct covered {
	const char *rel; /* the path asked about, relative to the bind */
	int hit;
};

static void cover_check(void *arg, const char *rel)
{
	struct covered *c = arg;
	size_t n = strlen(rel);

	if (strncmp(c->rel, rel, n) == 0 &&
	    (c->rel[n] == '\0' || c->rel[n] == '/'))
		c->hit = 1;
}

/* A path the host runs or trusts (trusted.h) in a writable workspace or
 * bind: withheld from the apply, or read-only in a live bind. */
static void add_trusted(const sbx_t *sbx, json_object *o,
			const struct place *pl, const char *path,
			const char *host)
{
	struct covered c = { path + strlen(pl->path), 0 };
	struct sbx_trust_walk w = { .max_found = SBX_TRUST_WALK_BINDS };
	struct sbx_trust_hooks hooks;
	const char *note;
	unsigned ctx;
	int cow, fd, trusted, walked = 0;
	size_t i;

	if (!host || !pl->host || !pl->write ||
	    ((sbx->flags >> SBX_FLAG_ALLOW_TRUSTED_PATHS) & 1))
		return;
	while (*c.rel == '/')
		c.rel++;
	cow = sbx->workspace &&
	      strcmp(pl->path, SBX_WORKSPACE_INSIDE) == 0 &&
	      sbx->workspace_mode == SBX_WORKSPACE_RW;
	if (sbx_trust_host_path(pl->host, &ctx) != SBX_TRUST_CONTENT ||
	    (ctx & SBX_TRUST_GITDIR)) {
		if (!cow) {
			json_object_object_add(o, "write",
					       json_object_new_boolean(0));
			json_object_object_add(
				o, "trusted",
				json_object_new_string(
					"the run is refused: the writable "
					"bind is itself a place the host runs "
					"or trusts (a git directory, .ssh, "
					".vscode, ...); allow_trusted_paths "
					"allows it"));
			return;
		}
	}
	fd = open(pl->host, O_PATH | O_DIRECTORY | O_CLOEXEC);
	hooks.n = 0;
	if (fd >= 0) {
		sbx_trust_find_hooks(fd, pl->host, &hooks);
		if (!cow)
			walked = sbx_trust_scan(fd, pl->host, ctx, &w,
						cover_check, &c);
		close(fd);
	}
	if (walked == -E2BIG) {
		char msg[PATH_MAX * 2 + 512];

		sbx_trust_walk_message(&w, pl->host, msg, sizeof(msg));
		json_object_object_add(o, "write", json_object_new_boolean(0));
		json_object_object_add(o, "trusted",
				       json_object_new_string_len(
					       msg, (int)strlen(msg)));
		return;
	}
	/* .git itself: its data is applied */
	trusted = sbx_trust_host_path(host, NULL) == SBX_TRUST_WITHHELD;
	for (i = 0; i < hooks.n; i++) {
		size_t n = strlen(hooks.path[i]);

		if (strncasecmp(c.rel, hooks.path[i], n) == 0 &&
		    (c.rel[n] == '\0' || c.rel[n] == '/'))
			trusted = 1;
	}
	if (!trusted && !c.hit)
		return;
	if (cow)
		note = "withheld: the host runs or trusts this path (git's "
		       "config and hooks, direnv, editors, CI, shell rc "
		       "files); the program may write it, but the apply "
		       "leaves the host's as it is and lists it in the "
		       "result's \"withheld\" (allow_trusted_paths applies "
		       "it)";
	else if (c.hit)
		note = "read-only: the host runs or trusts this path, and it "
		       "exists in the writable bind, which keeps it read-only "
		       "(allow_trusted_paths makes it writable)";
	else
		note = "writable: the host runs or trusts this path, but a "
		       "live bind keeps only what exists when the run starts "
		       "read-only, not a new one; a copy-on-write workspace "
		       "(rw) withholds it";
	if (c.hit)
		json_object_object_add(o, "write", json_object_new_boolean(0));
	json_object_object_add(o, "trusted", json_object_new_string(note));
}

static char *explain_path(sbx_t *sbx, const char *what)
{
	_cleanup_free_ char *path = malloc(PATH_MAX);
	_cleanup_free_ char *host = NULL;
	struct view *v = calloc(1, sizeof(*v));
	const struct place *pl = NULL, *made;
	json_object *o = NULL;
	char *text = NULL, ll[96];
	int hops, exists = 1, r;

	if (!v || !path) {
		free(v);
		sbx_error(sbx, ENOMEM, "out of memory");
		return NULL;
	}
	v->landlock = sbx_landlock_abi();
	if (v->landlock > SBX_LANDLOCK_ABI_KNOWN)
		v->landlock = SBX_LANDLOCK_ABI_KNOWN;
	r = build_view(sbx, v);
	if (!r)
		r = sbx_path_clean(what, SBX_PATH_ABSOLUTE, path, PATH_MAX);
	/* Follow the symlinks the sandbox recreates (merged /usr). */
	for (hops = 0; !r && hops < 8; hops++) {
		char next[PATH_MAX];
		size_t n;

		pl = deepest(v, path);
		if (!pl || !pl->link || strcmp(pl->path, path) == 0)
			break;
		n = strlen(pl->path);
		snprintf(next, sizeof(next), "%s%s%s",
			 pl->link[0] == '/' ? "" : "/", pl->link, path + n);
		r = sbx_path_clean(next, SBX_PATH_ABSOLUTE, path,
				   PATH_MAX);
	}
	if (r < 0) {
		sbx_error(sbx, r == -ENOMEM ? ENOMEM : EINVAL,
			  r == -ENOMEM ? "out of memory"
				       : "%s: not a path inside the sandbox",
			  what);
		free_view(v);
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "what", json_object_new_string(what));
	json_object_object_add(o, "kind", json_object_new_string("path"));
	json_object_object_add(o, "path", json_object_new_string(path));
	if (pl && pl->host) {
		size_t n = strlen(pl->path);

		if (asprintf(&host, "%s%s", pl->host, path + n) < 0)
			host = NULL;
		exists = host && access(host, F_OK) == 0;
	}
	made = pl && strcmp(pl->path, "/") == 0 && strcmp(path, "/") != 0
		       ? below(v, path)
		       : NULL;
	if (pl && strcmp(pl->path, "/") == 0 && strcmp(path, "/") != 0 &&
	    !made) {
		exists = 0;
		add_bool(o, "exists", 0);
		add_bool(o, "read", 0);
		add_bool(o, "write", 0);
		add_bool(o, "exec", 0);
		json_object_object_add(
			o, "rule",
			json_object_new_string(
				"not in the sandbox: its root holds only the "
				"system directories, /tmp, the home, /proc, "
				"/dev, the workspace and the binds"));
	} else if (made) {
		char rule[PATH_MAX + 64];

		snprintf(rule, sizeof(rule),
			 "a directory on the sandbox's root, made for %s",
			 made->path);
		add_bool(o, "exists", 1);
		add_bool(o, "read", 1);
		add_bool(o, "write", 0);
		add_bool(o, "exec", 0);
		json_object_object_add(o, "rule", json_object_new_string(rule));
	} else {
		/* Below a place the sandbox makes at run time (/tmp, /proc):
		 * whether it exists is for the run to say. */
		if (!pl->host && strcmp(pl->path, path) != 0)
			json_object_object_add(o, "exists", NULL);
		else
			add_bool(o, "exists", exists);
		add_bool(o, "read", pl->read);
		add_bool(o, "write", pl->write);
		add_bool(o, "exec", pl->exec);
		json_object_object_add(o, "rule",
				       json_object_new_string(pl->rule));
	}
	if (pl && !made)
		add_trusted(sbx, o, pl, path, host);
	json_object_object_add(o, "host_path",
			       host ? json_object_new_string(host) : NULL);
	add_host_mode(o, host);
	if (v->landlock > 0)
		snprintf(ll, sizeof(ll), "ABI %d enforces the same rule",
			 v->landlock);
	else
		snprintf(ll, sizeof(ll),
			 "not available on this kernel: the mounts alone "
			 "decide");
	json_object_object_add(o, "landlock", json_object_new_string(ll));
	text = sbx_json_text(o);
	free_view(v);
	if (!text)
		sbx_error(sbx, ENOMEM, "out of memory");
	return text;
}

/* ------------------------------------------------------------ syscalls */

/* What a built-in rule does, from the tables the filter is built from. */
static void builtin_text(const struct sbx_syscall_rule *r, char *buf,
			 size_t len)
{
	size_t i, o = 0;

#define PUT(...)                                                          \
	do {                                                              \
		if (o < len)                                              \
			o += (size_t)snprintf(buf + o, len - o, __VA_ARGS__); \
	} while (0)
	switch (r->kind) {
	case SBX_RULE_DENY:
		PUT("the built-in deny list (docs/design.md, \"The seccomp "
		    "filter\")");
		break;
	case SBX_RULE_ENOSYS:
		PUT("built in: %s", r->why);
		break;
	case SBX_RULE_CLONE_NS:
		PUT("built in: denied with any namespace flag (CLONE_NEWNS, "
		    "CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, "
		    "CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET); allowed "
		    "otherwise");
		break;
	case SBX_RULE_PERSONALITY:
		PUT("built in: only the default execution domain "
		    "(PER_LINUX); the query answers it");
		break;
	case SBX_RULE_IOCTL_TTY:
		PUT("built in: ");
		for (i = 0; i < sbx_n_tty_ioctls; i++)
			PUT("%s%s",
			    i == 0			  ? ""
			    : i + 1 == sbx_n_tty_ioctls ? " and "
							  : ", ",
			    sbx_tty_ioctls[i].name);
		PUT(" are denied (on the low 32 bits of the request); other "
		    "requests are allowed");
		break;
	case SBX_RULE_SETID_MODE:
		PUT("built in: denied when the mode (argument %u) sets "
		    "S_ISUID or S_ISGID: a set-id file written through a "
		    "writable bind would be live on the host; other modes "
		    "are allowed",
		    r->arg + 1);
		break;
	case SBX_RULE_SOCKET:
		PUT("built in: only ");
		for (i = 0; i < sbx_n_socket_families; i++) {
			const struct sbx_socket_family *f =
				&sbx_socket_families[i];

			PUT("%s%s", i == 0 ? "" : ", ", f->name);
			if (f->protocol >= 0)
				PUT(" (protocol %s only)", f->protocol_name);
		}
		PUT("; any other family (AF_VSOCK, AF_PACKET, ...) fails with "
		    "EAFNOSUPPORT, whatever the network");
		break;
	case SBX_RULE_SOCKETPAIR:
		PUT("built in: only AF_UNIX; any other family fails with "
		    "EAFNOSUPPORT");
		break;
	}
#undef PUT
}

static void set_action(json_object *o, const char *action, int err)
{
	const char *name = err ? sbx_errno_name(err) : NULL;

	json_object_object_add(o, "action", json_object_new_string(action));
	json_object_object_add(o, "errno",
			       name ? json_object_new_string(name) : NULL);
}

static void explain_rule(const sbx_t *sbx, json_object *o, const char *name)
{
	const struct sbx_syscall_add *a = sbx_syscall_find(sbx, name);
	int kill = (sbx->flags >> SBX_FLAG_SECCOMP_KILL) & 1;
	const char *deny = kill ? "kill" : "deny";
	size_t i;

	if (a) {
		if (a->action == SBX_SYSCALL_ALLOW)
			set_action(o, "allow", 0);
		else if (a->action == SBX_SYSCALL_KILL)
			set_action(o, "kill", 0);
		else if (a->err)
			set_action(o, "deny", a->err);
		else
			set_action(o, deny, kill ? 0 : EPERM);
		json_object_object_add(
			o, "rule",
			json_object_new_string(
				a->action == SBX_SYSCALL_ALLOW
					? "the policy: seccomp.allow"
				: a->action == SBX_SYSCALL_KILL
					? "the policy: seccomp.kill"
					: "the policy: seccomp.deny"));
		return;
	}
	for (i = 0; i < sbx_n_syscall_rules; i++) {
		const struct sbx_syscall_rule *b = &sbx_syscall_rules[i];
		int err = sbx_rule_errno(b->kind);
		char text[512];

		if (strcmp(b->name, name) != 0)
			continue;
		if (b->kind == SBX_RULE_DENY)
			set_action(o, deny, kill ? 0 : EPERM);
		else if (b->kind == SBX_RULE_ENOSYS)
			set_action(o, "deny", err);
		else
			set_action(o, "conditional",
				   err ? err : kill ? 0 : EPERM);
		builtin_text(b, text, sizeof(text));
		json_object_object_add(o, "rule",
				       json_object_new_string(text));
		return;
	}
	set_action(o, "allow", 0);
	json_object_object_add(o, "rule",
			       json_object_new_string(
				       "in no list: the filter allows what it "
				       "does not deny"));
}

/* What a run without namespaces (allow_degraded) adds. */
static void explain_degraded(const sbx_t *sbx, json_object *o, const char *name)
{
	int kill = (sbx->flags >> SBX_FLAG_SECCOMP_KILL) & 1;
	json_object *d;
	size_t i;

	if (sbx_syscall_find(sbx, name))
		return;
	for (i = 0; i < sbx_n_degraded_rules; i++) {
		if (strcmp(sbx_degraded_rules[i].name, name) != 0)
			continue;
		d = json_object_new_object();
		if ((strcmp(name, "socket") == 0 && sbx->net == SBX_NET_HOST) ||
		    sbx_degraded_rules[i].n_conds)
			set_action(d, "conditional", kill ? 0 : EPERM);
		else
			set_action(d, kill ? "kill" : "deny", kill ? 0 : EPERM);
		json_object_object_add(
			d, "rule",
			json_object_new_string(sbx_degraded_rules[i].why));
		json_object_object_add(o, "degraded", d);
		return;
	}
}

static char *explain_syscall(sbx_t *sbx, const char *name)
{
	json_object *o;
	char *text;
	int nr = sbx_syscall_resolve(name);

	if (nr == __NR_SCMP_ERROR) {
		sbx_error(sbx, EINVAL,
			  "\"%s\" is neither a path (it would start with /) "
			  "nor a system call known to libseccomp",
			  name);
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "what", json_object_new_string(name));
	json_object_object_add(o, "kind", json_object_new_string("syscall"));
	json_object_object_add(o, "number",
			       nr >= 0 ? json_object_new_int(nr) : NULL);
	if (nr < 0) {
		set_action(o, "absent", 0);
		json_object_object_add(o, "rule",
				       json_object_new_string(
					       "not a system call of this "
					       "architecture"));
	} else {
		explain_rule(sbx, o, name);
		explain_degraded(sbx, o, name);
	}
	text = sbx_json_text(o);
	if (!text)
		sbx_error(sbx, ENOMEM, "out of memory");
	return text;
}

char *sbx_explain(sbx_t *sbx, const char *what)
{
	if (!what || !*what) {
		sbx_error(sbx, EINVAL,
			  "nothing to explain: give a path inside the sandbox "
			  "or a system call name");
		return NULL;
	}
	if (what[0] == '/')
		return explain_path(sbx, what);
	if (strchr(what, '/') || what[0] == '.' || what[0] == '~') {
		sbx_error(sbx, EINVAL,
			  "%s: give an absolute path inside the sandbox (like "
			  "/workspace/x)",
			  what);
		return NULL;
	}
	return explain_syscall(sbx, what);
}
