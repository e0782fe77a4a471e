/* trusted.c - which paths of a workspace the host runs or trusts.
 *
 * A program that may write the project must not be able to run code on
 * the host later, outside the sandbox, without the developer running the
 * project: a core.fsmonitor line in .git/config runs at the next
 * `git status` (a shell prompt runs that on every cd), a hook at the next
 * commit, an .envrc at the next cd, a VS Code task when the folder opens.
 * Those paths are withheld.  What the developer runs on purpose (Makefile,
 * package.json scripts, build.rs, setup.py, tests) is the project's own
 * content, which they review as such: it is applied, executable bits too.
 *
 * Depth: every name counts at any depth.  git finds the repository of the
 * current directory, which can be a nested one (vendored checkouts,
 * submodules, test fixtures); direnv loads the .envrc of the current
 * directory or a parent; editors open subfolders as projects; npm and
 * pre-commit read the files of the package or repository they run in; a
 * home directory, or a dotfiles repository linked into one, is a
 * workspace like another.  A false alarm costs a line in the result and
 * an explicit opt-in; a miss costs the host.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "trusted.h"
#include "util.h"

/* Anywhere (folded, see fold()). */
static const char *const anywhere[] = {
	/* git: submodule URLs and paths that `git submodule update` and
	 * recursive clones follow; Mercurial's subrepositories the same */
	".gitmodules", ".hgsub",
	/* direnv runs it on cd (after an `allow` of an earlier content,
	 * which users give once and forget) */
	".envrc",
	/* mise runs the hooks and [env] scripts of its config on cd (in a
	 * path trusted once), and asdf and mise run the tools it names by
	 * version or from any path:; .config/mise* and mise/config.toml are
	 * in scoped[] */
	"mise.toml", ".mise.toml", "mise.local.toml", ".mise.local.toml",
	".mise", ".tool-versions",
	/* editors: tasks that run when the folder opens, interpreters and
	 * tools named by path, in a folder trusted once for all */
	".vscode", ".idea", ".devcontainer", ".devcontainer.json", ".zed",
	/* vim's and neovim's per-directory startup files (exrc: vim reads
	 * .vimrc, _vimrc or .exrc, gvim .gvimrc or _gvimrc, of the current
	 * directory); Emacs's directory variables (eval:, and hooks named by
	 * them) */
	".exrc", ".vimrc", "_vimrc", ".gvimrc", "_gvimrc", ".nvimrc",
	".nvim.lua", ".dir-locals.el", ".dir-locals-2.el",
	/* debuggers' startup commands in the current directory (gdb's
	 * auto-load, lldb's target.load-cwd-lldbinit), often allowed for
	 * every path once */
	".gdbinit", ".lldbinit",
	/* hook managers: what the installed .git/hooks run at each commit */
	".pre-commit-config.yaml", ".husky", ".githooks", "lefthook.yml",
	".lefthook.yml", "lefthook-local.yml", ".lefthook-local.yml",
	/* package managers: registries and where tokens are sent, the shell
	 * that runs scripts; cargo's config (.cargo/config.toml: registries
	 * and their credential helpers, target runners, rustc wrappers,
	 * aliases; ~/.cargo/bin is on PATH) */
	".npmrc", ".yarnrc", ".yarnrc.yml", ".pypirc", ".cargo",
	/* toolchain pins that run another compiler: rustup's (a toolchain
	 * by channel, downloaded, or by path, for every cargo and rustc in
	 * the tree, rust-analyzer's too), bazelisk's (a Bazel from any fork)
	 * and Bazel's flags (--workspace_status_command, --run_under) */
	"rust-toolchain.toml", "rust-toolchain", ".bazelversion", ".bazelrc",
	/* CI: what runs with the repository's secrets and write access on
	 * the next push; all of .github (its workflows, the local actions
	 * they use, CODEOWNERS, dependabot) */
	".github", ".gitlab-ci.yml", ".circleci", ".buildkite", ".travis.yml",
	"azure-pipelines.yml", "bitbucket-pipelines.yml", "jenkinsfile",
	/* a home directory: shells, git, Mercurial and ssh read these */
	".profile", ".bashrc", ".bash_profile", ".bash_login", ".bash_logout",
	".zshrc", ".zshenv", ".zprofile", ".zlogin", ".zlogout", ".kshrc",
	".mkshrc", ".cshrc", ".tcshrc", ".login", ".logout", ".gitconfig",
	".hgrc", ".ssh",
};

/*
 * Not on the list, on purpose: .editorconfig (indentation); .env and its
 * variants, which are data: the project's own code loads them when the
 * developer runs it (an .envrc that loads one with dotenv is the
 * exception, see the README); *.sublime-project, whose build commands run
 * only when asked for.
 */

/* Kinds of directories whose entries have names of their own (ctx bits;
 * SBX_TRUST_GITDIR is trusted.h's). */
#define HGDIR 0x02u   /* Mercurial's .hg */
#define JJDIR 0x04u   /* Jujutsu's .jj */
#define JJREPO 0x08u  /* .jj/repo */
#define JJSTORE 0x10u /* .jj/repo/store */
#define XDGDIR 0x20u  /* a .config directory */
#define MISEDIR 0x40u /* a mise directory */

/*
 * In a git directory.  config names commands (core.fsmonitor, core.pager,
 * core.sshCommand, aliases, filter and diff drivers, credential helpers)
 * and where to look for more (core.hooksPath, include.path,
 * core.worktree); config.worktree the same per worktree; hooks run; info
 * holds attributes and excludes; commondir moves the whole common
 * directory (config and hooks with it) elsewhere; remotes and branches
 * are where fetches and pushes go (the old way); an interrupted rebase's
 * todo list holds exec lines that `git rebase --continue` runs.  The rest
 * (objects, refs, packed-refs, index, HEAD, logs, modules, worktrees) is
 * data; submodules' and worktrees' own git directories below modules/ and
 * worktrees/ hold a HEAD, so their control files are found by the HEAD
 * rule.
 */
static const char *const gitdir_control[] = {
	"config",  "config.worktree", "hooks",	      "info",	     "commondir",
	"remotes", "branches",	      "rebase-merge", "rebase-apply",
};

/* Names that count in one kind of directory only. */
static const struct {
	unsigned in;
	const char *name;
} scoped[] = {
	/* Mercurial: hgrc's [hooks] and [extensions] run at each command;
	 * sharedpath takes the store, and with share-safe its config, from
	 * elsewhere.  The store, dirstate and caches are data. */
	{ HGDIR, "hgrc" },
	{ HGDIR, "hgrc-not-shared" },
	{ HGDIR, "sharedpath" },
	/* Jujutsu: the repository's and the workspace's config (fix tools,
	 * pager, diff and merge tools) and the ids that name one kept
	 * elsewhere; git_target is the git repository it works on.  The
	 * operation log, the index and the working copy's state are data. */
	{ JJDIR, "workspace-config.toml" },
	{ JJDIR, "workspace-config-id" },
	{ JJREPO, "config.toml" },
	{ JJREPO, "config-id" },
	{ JJSTORE, "git_target" },
	/* mise's config in .config/ and in mise/ */
	{ XDGDIR, "mise" },
	{ XDGDIR, "mise.toml" },
	{ XDGDIR, "mise.local.toml" },
	{ MISEDIR, "config.toml" },
	{ MISEDIR, "config.local.toml" },
};

/*
 * Directories whose entries are judged in a context of their own.  A
 * repository's directory (repo) is never withheld or removed as a whole:
 * its data is the program's work; but a file or a symlink in its place
 * sends the tool anywhere (.git's "gitdir:", a Jujutsu workspace's
 * .jj/repo naming its repository), and is withheld.
 */
static const struct {
	unsigned in; /* 0: in any directory */
	const char *name;
	unsigned child;
	int repo;
} scopes[] = {
	{ 0, ".git", SBX_TRUST_GITDIR, 1 },
	{ 0, ".hg", HGDIR, 1 },
	{ 0, ".jj", JJDIR, 1 },
	{ JJDIR, "repo", JJREPO, 1 },
	{ JJREPO, "store", JJSTORE, 0 },
	{ 0, ".config", XDGDIR, 0 },
	{ 0, "mise", MISEDIR, 0 },
};

/*
 * What a case-insensitive file system makes of a character whose folding
 * is ASCII.  ext4's and f2fs's casefold compare names after NFD and
 * Unicode's full case folding (CaseFolding.txt, statuses C and F), so
 * besides ASCII's own letters these fold to ASCII: U+017F (long s) and
 * U+212A (Kelvin sign) to one letter, U+00DF and U+1E9E (sharp s) and
 * the Latin ligatures U+FB00-FB06 to two or three.  Every other mapping
 * to ASCII keeps a combining mark (U+0130 is "i" and a dot above).
 */
static const struct {
	unsigned cp;
	const char *ascii;
} folds[] = {
	{ 0x00df, "ss" }, { 0x017f, "s" },  { 0x1e9e, "ss" },  { 0x212a, "k" },
	{ 0xfb00, "ff" }, { 0xfb01, "fi" }, { 0xfb02, "fl" },  { 0xfb03, "ffi" },
	{ 0xfb04, "ffl" }, { 0xfb05, "st" }, { 0xfb06, "st" },
};

/*
 * Unicode's Default_Ignorable_Code_Point: kernels before 6.14 drop them
 * from casefolded names (".g<U+200B>it" is ".git" there), later ones
 * keep them; a name is judged as the older ones see it.
 */
static const struct {
	unsigned lo, hi;
} ignorable[] = {
	{ 0x00ad, 0x00ad },   { 0x034f, 0x034f },   { 0x061c, 0x061c },
	{ 0x115f, 0x1160 },   { 0x17b4, 0x17b5 },   { 0x180b, 0x180f },
	{ 0x200b, 0x200f },   { 0x202a, 0x202e },   { 0x2060, 0x206f },
	{ 0x3164, 0x3164 },   { 0xfe00, 0xfe0f },   { 0xfeff, 0xfeff },
	{ 0xffa0, 0xffa0 },   { 0xfff0, 0xfff8 },   { 0x1bca0, 0x1bca3 },
	{ 0x1d173, 0x1d17a }, { 0xe0000, 0xe0fff },
};

/* The code point of the UTF-8 sequence at s and its length in *n; a byte
 * that starts no well-formed sequence is itself (n 1) and folds to
 * nothing else, as the kernel compares such names byte for byte. */
static unsigned utf8_at(const unsigned char *s, size_t *n)
{
	unsigned cp;
	size_t len, i;

	if (s[0] < 0xc2 || s[0] > 0xf4) {
		*n = 1;
		return s[0] < 0x80 ? s[0] : 0xfffd;
	}
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*n = 1;
			return 0xfffd;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*n = len;
	return cp;
}

/*
 * Fold a name as a case-insensitive file system would compare it: ASCII
 * letters to lower case, the characters of folds[] to their ASCII,
 * ignorable code points dropped; trailing dots and spaces dropped (vfat,
 * and NTFS as Windows sees it).  Not folded: vfat's 8.3 short names
 * (GIT~1), which can only name an entry that exists already; overlayfs
 * refuses case-insensitive lower layers, so only a vfat mount below the
 * host's workspace directory could see them.
 */
static void fold(const char *in, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, i, n;

	while (*s && o + 1 < len) {
		unsigned cp = utf8_at(s, &n);
		const char *a = NULL;
		int skip = 0;

		for (i = 0; i < SBX_ARRAY_SIZE(folds); i++)
			if (folds[i].cp == cp)
				a = folds[i].ascii;
		for (i = 0; i < SBX_ARRAY_SIZE(ignorable); i++)
			if (cp >= ignorable[i].lo && cp <= ignorable[i].hi)
				skip = 1;
		if (a) {
			while (*a && o + 1 < len)
				out[o++] = *a++;
		} else if (!skip) {
			for (i = 0; i < n && o + 1 < len; i++)
				out[o++] = (char)(s[i] >= 'A' && s[i] <= 'Z'
							  ? s[i] + 32 : s[i]);
		}
		s += n;
	}
	while (o > 0 && (out[o - 1] == '.' || out[o - 1] == ' '))
		o--;
	out[o] = '\0';
}

static int in_list(const char *const *list, size_t n, const char *folded)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], folded) == 0)
			return 1;
	return 0;
}

enum sbx_trust sbx_trust_judge(unsigned ctx, const char *name, int is_dir,
			       unsigned *ret_ctx)
{
	char f[NAME_MAX + 1];
	enum sbx_trust v = SBX_TRUST_CONTENT;
	unsigned child = 0;
	size_t i;

	fold(name, f, sizeof(f));
	if (in_list(anywhere, SBX_ARRAY_SIZE(anywhere), f) ||
	    ((ctx & SBX_TRUST_GITDIR) &&
	     in_list(gitdir_control, SBX_ARRAY_SIZE(gitdir_control), f)))
		v = SBX_TRUST_WITHHELD;
	for (i = 0; v == SBX_TRUST_CONTENT && i < SBX_ARRAY_SIZE(scoped); i++)
		if ((ctx & scoped[i].in) && strcmp(scoped[i].name, f) == 0)
			v = SBX_TRUST_WITHHELD;
	for (i = 0; v == SBX_TRUST_CONTENT && i < SBX_ARRAY_SIZE(scopes); i++) {
		if ((scopes[i].in && !(ctx & scopes[i].in)) ||
		    strcmp(scopes[i].name, f) != 0)
			continue;
		child = scopes[i].child;
		if (scopes[i].repo)
			v = is_dir ? SBX_TRUST_DOTGIT : SBX_TRUST_WITHHELD;
		break;
	}
	if (ret_ctx)
		*ret_ctx = child;
	return v;
}

int sbx_trust_is_git_control(const char *name)
{
	char f[NAME_MAX + 1];

	fold(name, f, sizeof(f));
	return in_list(gitdir_control, SBX_ARRAY_SIZE(gitdir_control), f);
}

int sbx_trust_is_head(const char *name)
{
	char f[NAME_MAX + 1];

	fold(name, f, sizeof(f));
	return strcmp(f, "head") == 0;
}

static int has_head(int dfd)
{
	struct stat st;

	return fstatat(dfd, "HEAD", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

enum sbx_trust sbx_trust_host_path(const char *path, unsigned *ret_ctx)
{
	enum sbx_trust v = SBX_TRUST_CONTENT;
	unsigned ctx = 0, child;
	const char *c = path, *part;
	int dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	size_t n;

	while ((part = sbx_path_next(&c, &n))) {
		char name[NAME_MAX + 1];
		int sub;

		if (n >= sizeof(name))
			continue;
		memcpy(name, part, n);
		name[n] = '\0';
		v = sbx_trust_judge(ctx, name, 1, &child);
		if (v == SBX_TRUST_WITHHELD)
			break;
		ctx = child;
		sub = dfd >= 0 ? openat(dfd, name, O_PATH | O_DIRECTORY |
							   O_CLOEXEC)
			       : -1;
		if (dfd >= 0)
			close(dfd);
		dfd = sub;
		if (dfd >= 0 && has_head(dfd))
			ctx |= SBX_TRUST_GITDIR;
	}
	if (dfd >= 0)
		close(dfd);
	if (v != SBX_TRUST_WITHHELD && path[0] == '/' && !path[1] &&
	    (dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (has_head(dfd))
			ctx |= SBX_TRUST_GITDIR;
		close(dfd);
	}
	if (ret_ctx)
		*ret_ctx = ctx;
	return v;
}

/* ------------------------------------------------------------- hooks */

/* Lexically clean "base/rel" (base and the result relative, no "." or
 * ".."): 0, or -1 when it leaves the root. */
static int clean_join(const char *base, const char *rel, char *out,
		      size_t len)
{
	char tmp[PATH_MAX * 2];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/%s", base, rel) >=
	    sizeof(tmp))
		return -1;
	return sbx_path_clean(tmp, 0, out, len) < 0 ? -1 : 0;
}

/* A path the repository names (absolute, or relative to base inside the
 * root) as one of the hooks directories, when it lies in the root. */
static void add_hooks(struct sbx_trust_hooks *h, const char *root,
		      const char *base, const char *p)
{
	size_t n = strlen(root);

	if (h->n >= SBX_TRUST_MAX_HOOKS || !*p)
		return;
	if (p[0] == '/') {
		while (n > 1 && root[n - 1] == '/')
			n--;
		if (strncmp(p, root, n) != 0 || p[n] != '/')
			return;
		p += n + 1;
		base = "";
	}
	if (clean_join(base, p, h->path[h->n], sizeof(h->path[0])) == 0)
		h->n++;
}

/* Read a small file below dfd (NUL-terminated, malloc'd), or NULL. */
static char *read_small(int dfd, const char *name, size_t max)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;
	/* not blocking on a fifo planted under the name */
	int fd = openat(dfd, name,
			O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	buf = malloc(max + 1);
	while (buf && got < max && (n = read(fd, buf + got, max - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (buf)
		buf[got] = '\0';
	return buf;
}

/*
 * core.hooksPath of a git config file: the last one wins, as in git.
 * Enough of git's syntax for this key: [section] and [section "sub"]
 * headers (a key may follow on the same line), case-insensitive names,
 * quoted values with \" and \\, comments after # or ;.
 */
static int config_hooks_path(const char *text, char *out, size_t len)
{
	const char *p = text;
	int in_core = 0, found = 0;

	while (*p) {
		const char *eol = strchrnul(p, '\n');

		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p < eol && *p == '[') {
			const char *s = ++p;

			while (p < eol && *p != ']' && *p != ' ' && *p != '"' &&
			       *p != '.')
				p++;
			in_core = p - s == 4 && strncasecmp(s, "core", 4) == 0 &&
				  *p == ']';
			while (p < eol && *p != ']')
				p++;
			if (p < eol)
				p++;
			while (p < eol && (*p == ' ' || *p == '\t'))
				p++;
		}
		if (in_core && (size_t)(eol - p) > 9 &&
		    strncasecmp(p, "hookspath", 9) == 0) {
			const char *v = p + 9;
			size_t o = 0;
			int quoted = 0;

			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			if (v < eol && *v == '=') {
				v++;
				while (v < eol && (*v == ' ' || *v == '\t'))
					v++;
				for (; v < eol && o + 1 < len; v++) {
					if (*v == '"') {
						quoted = !quoted;
						continue;
					}
					if (!quoted && (*v == '#' || *v == ';'))
						break;
					if (*v == '\\' && v + 1 < eol)
						v++;
					out[o++] = *v;
				}
				while (o > 0 && (out[o - 1] == ' ' ||
						 out[o - 1] == '\t' ||
						 out[o - 1] == '\r'))
					o--;
				out[o] = '\0';
				found = 1;
			}
		}
		p = *eol ? eol + 1 : eol;
	}
	return found;
}

void sbx_trust_find_hooks(int root_fd, const char *root,
			  struct sbx_trust_hooks *h)
{
	char link[PATH_MAX], value[PATH_MAX];
	const char *configs[] = { ".git/config", ".git/config.worktree" };
	struct stat st;
	size_t i;
	ssize_t n;

	h->n = 0;
	/* A hooks directory linked into the project (the way before
	 * core.hooksPath): the link's target is relative to .git. */
	n = readlinkat(root_fd, ".git/hooks", link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		add_hooks(h, root, ".git", link);
	}
	/* A .git file (a submodule's or worktree's checkout) keeps its
	 * config outside the workspace; its hooksPath can still point in. */
	if (fstatat(root_fd, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISDIR(st.st_mode)) {
		_cleanup_free_ char *text = read_small(root_fd, ".git", 4096);
		char *gitdir = text ? strstr(text, "gitdir:") : NULL;
		int dfd;

		if (!gitdir)
			return;
		gitdir += 7;
		gitdir += strspn(gitdir, " \t");
		gitdir[strcspn(gitdir, "\r\n")] = '\0';
		dfd = openat(root_fd, gitdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return;
		/* a worktree's own config, then the common one */
		for (i = 0; i < 3; i++) {
			_cleanup_free_ char *cfg = NULL;

			if (i < 2) {
				cfg = read_small(dfd, i ? "config" :
							  "config.worktree",
						 1 << 20);
			} else {
				_cleanup_free_ char *common =
					read_small(dfd, "commondir", 4096);
				int cfd;

				if (!common)
					break;
				common[strcspn(common, "\r\n")] = '\0';
				cfd = openat(dfd, common, O_PATH | O_DIRECTORY |
								  O_CLOEXEC);
				if (cfd < 0)
					break;
				cfg = read_small(cfd, "config", 1 << 20);
				close(cfd);
			}
			if (cfg && config_hooks_path(cfg, value, sizeof(value)))
				add_hooks(h, root, "", value);
		}
		close(dfd);
		return;
	}
	for (i = 0; i < SBX_ARRAY_SIZE(configs); i++) {
		_cleanup_free_ char *cfg = read_small(root_fd, configs[i],
						      1 << 20);

		if (cfg && config_hooks_path(cfg, value, sizeof(value)))
			add_hooks(h, root, "", value);
	}
}

int sbx_trust_is_hooks(const struct sbx_trust_hooks *h, const char *rel)
{
	size_t i;

	for (i = 0; h && i < h->n; i++)
		if (strcasecmp(h->path[i], rel) == 0)
			return 1;
	return 0;
}

/* ---------------------------------------------------- live binds */

/*
 * The walk of a live writable directory, for the trusted entries in it
 * at any depth.  It runs before every such run, so it reads names only
 * (d_type; a stat where the file system gives none), never descends
 * below a trusted entry (its read-only bind covers everything there,
 * .git with its objects), and has limits; past one it stops, and the
 * caller refuses the run rather than leave the rest writable.  Nothing
 * is skipped by name: node_modules holds the package managers' trees,
 * but npm reads the .npmrc of the package it runs in, and editors and
 * direnv work in any folder of it.
 */
struct walker {
	int root_fd;
	struct sbx_trust_walk *w;
	unsigned max_found;
	struct sbx_trust_hooks hooks;
	sbx_trust_fn fn;
	void *arg;
	char rel[PATH_MAX]; /* the entry at hand, relative to the top */
	size_t len;
	char *bufs[SBX_TRUST_WALK_DEPTH + 1]; /* getdents64()'s, per level */
};

#define WALK_BUF 16384

static int stop(struct walker *k, const char *limit, unsigned max)
{
	k->w->limit = limit;
	k->w->max = max;
	snprintf(k->w->at, sizeof(k->w->at), "%s", k->len ? k->rel : ".");
	return -E2BIG;
}

/* rel (below dfd) exists and is a directory or a regular file: the
 * things a bind can cover. */
static int coverable(int dfd, const char *rel)
{
	struct stat st;

	return fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
}

/* A trusted entry rel: itself, or what its symlink points to (one hop,
 * when it stays below the top).  0, or -E2BIG past the limit. */
static int cover(struct walker *k, const char *rel)
{
	char link[PATH_MAX], dir[PATH_MAX], target[PATH_MAX];
	const char *slash, *what = rel;
	ssize_t n;

	if (!coverable(k->root_fd, rel)) {
		n = readlinkat(k->root_fd, rel, link, sizeof(link) - 1);
		if (n <= 0 || link[0] == '/')
			return 0;
		link[n] = '\0';
		slash = strrchr(rel, '/');
		snprintf(dir, sizeof(dir), "%.*s",
			 slash ? (int)(slash - rel) : 0, rel);
		if (clean_join(dir, link, target, sizeof(target)) < 0 ||
		    !coverable(k->root_fd, target))
			return 0;
		what = target;
	}
	if (k->w->found >= k->max_found)
		return stop(k, "binds", SBX_TRUST_WALK_BINDS);
	k->w->found++;
	k->fn(k->arg, what);
	return 0;
}

/* k->rel becomes rel/name; returns what to give pop(), or -1 when the
 * path is too long to name. */
static ssize_t push(struct walker *k, const char *name)
{
	size_t old = k->len, n = strlen(name);

	if (old + n + 2 > sizeof(k->rel))
		return -1;
	if (old)
		k->rel[k->len++] = '/';
	memcpy(k->rel + k->len, name, n + 1);
	k->len += n;
	return (ssize_t)old;
}

static void pop(struct walker *k, size_t old)
{
	k->len = old;
	k->rel[old] = '\0';
}

static int walk_dir(struct walker *k, int fd, unsigned ctx, unsigned depth);

/* Descend into name, a directory below dfd (k->rel names it). */
static int descend(struct walker *k, int dfd, const char *name,
		   unsigned ctx, unsigned depth)
{
	int fd;

	if (depth > SBX_TRUST_WALK_DEPTH)
		return stop(k, "levels", SBX_TRUST_WALK_DEPTH);
	fd = openat(dfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		/* one the program could reach, but the walk cannot list */
		if (errno == EACCES &&
		    faccessat(dfd, name, X_OK, AT_EACCESS) == 0)
			return stop(k, "unreadable", 0);
		return 0; /* gone, or closed to the caller, so to the program */
	}
	return walk_dir(k, fd, ctx, depth);
}

/* The entries of fd (which it closes), a directory of context ctx, read
 * with getdents64() into the buffer of its level: opendir() would add a
 * stat and two fcntl()s to each directory. */
static int walk_dir(struct walker *k, int fd, unsigned ctx, unsigned depth)
{
	char *buf = k->bufs[depth];
	int r = 0, head = -1;
	ssize_t n = 0, off = 0;

	if (++k->w->dirs > SBX_TRUST_WALK_DIRS) {
		close(fd);
		return stop(k, "directories", SBX_TRUST_WALK_DIRS);
	}
	if (!buf && !(buf = k->bufs[depth] = malloc(WALK_BUF))) {
		close(fd);
		return -ENOMEM;
	}
	while (!r) {
		struct dirent64 *de;
		const char *name;
		enum sbx_trust v;
		unsigned child;
		struct stat st;
		ssize_t old;
		int is_dir;

		if (off >= n) {
			n = getdents64(fd, buf, WALK_BUF);
			if (n <= 0)
				break;
			off = 0;
		}
		de = (struct dirent64 *)(buf + off);
		off += de->d_reclen;
		name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (++k->w->entries > SBX_TRUST_WALK_ENTRIES) {
			r = stop(k, "entries", SBX_TRUST_WALK_ENTRIES);
			break;
		}
		is_dir = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN) {
			if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			is_dir = S_ISDIR(st.st_mode);
		}
		old = push(k, name);
		if (old < 0) {
			r = stop(k, "path", PATH_MAX);
			break;
		}
		v = sbx_trust_judge(ctx, name, is_dir, &child);
		/* HEAD makes it a git directory: looked for only where it
		 * matters, a stat saved in most directories */
		if (v == SBX_TRUST_CONTENT && !(ctx & SBX_TRUST_GITDIR) &&
		    sbx_trust_is_git_control(name)) {
			if (head < 0)
				head = has_head(fd);
			if (head)
				v = SBX_TRUST_WITHHELD;
		}
		if (sbx_trust_is_hooks(&k->hooks, k->rel))
			; /* covered already */
		else if (v != SBX_TRUST_CONTENT)
			r = cover(k, k->rel);
		else if (is_dir)
			r = descend(k, fd, name, child, depth + 1);
		pop(k, (size_t)old);
	}
	close(fd);
	return r;
}

int sbx_trust_scan(int dfd, const char *root, unsigned ctx,
		   struct sbx_trust_walk *w, sbx_trust_fn fn, void *arg)
{
	_cleanup_free_ struct walker *k = calloc(1, sizeof(*k));
	size_t i;
	int r = 0, fd;

	w->dirs = w->entries = w->found = 0;
	w->limit = NULL;
	w->max = 0;
	w->at[0] = '\0';
	if (!k)
		return -ENOMEM;
	k->root_fd = dfd;
	k->w = w;
	k->max_found = w->max_found;
	k->fn = fn;
	k->arg = arg;
	sbx_trust_find_hooks(dfd, root, &k->hooks);
	for (i = 0; !r && i < k->hooks.n; i++)
		r = cover(k, k->hooks.path[i]);
	if (r)
		return r;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES && faccessat(dfd, ".", X_OK,
						    AT_EACCESS) == 0
			       ? stop(k, "unreadable", 0)
			       : 0;
	r = walk_dir(k, fd, ctx, 0);
	for (i = 0; i < SBX_ARRAY_SIZE(k->bufs); i++)
		free(k->bufs[i]);
	return r < 0 ? r : (int)w->found;
}

/* Where the walk stopped, for a message: its last 60 bytes (a setup
 * failure's report has room for 496 in all, and the ways out must fit),
 * printable ASCII only (the names may be an earlier run's program's). */
static void short_at(const char *at, char *out, size_t len)
{
	size_t n = strlen(at), o = 0;

	if (n > 60) {
		o = (size_t)snprintf(out, len, "...");
		at += n - 60;
	}
	for (; *at && o + 1 < len; at++)
		out[o++] = *at >= 0x20 && *at < 0x7f ? *at : '?';
	out[o] = '\0';
}

void sbx_trust_walk_message(const struct sbx_trust_walk *w, const char *root,
			    char *buf, size_t len)
{
	char why[256], at[72];
	const char *l = w->limit ? w->limit : "";

	short_at(w->at, at, sizeof(at));
	if (!strcmp(l, "levels"))
		snprintf(why, sizeof(why),
			 "it is more than %u directories deep (at %s)", w->max,
			 at);
	else if (!strcmp(l, "directories") || !strcmp(l, "entries"))
		snprintf(why, sizeof(why),
			 "it holds more than %u %s, the most the walk that "
			 "finds them reads (it stopped at %s)",
			 w->max, l, at);
	else if (!strcmp(l, "binds"))
		snprintf(why, sizeof(why),
			 "it holds too many of them to bind each read-only (a "
			 "run has at most %u such binds; the walk stopped at "
			 "%s)",
			 w->max, at);
	else if (!strcmp(l, "unreadable"))
		snprintf(why, sizeof(why),
			 "%s can be searched but not listed, so what is in it "
			 "cannot be found",
			 at);
	else
		snprintf(why, sizeof(why), "a path in it is too long (at %s)",
			 at);
	snprintf(buf, len,
		 "cannot keep what the host runs or trusts (.git, .envrc, "
		 ".vscode, ...) read-only in the writable %s: %s; use a "
		 "copy-on-write workspace (--rw), which withholds them at any "
		 "depth, or a read-only bind, or allow them with "
		 "allow_trusted_paths (--allow-trusted-paths)",
		 root, why);
}
