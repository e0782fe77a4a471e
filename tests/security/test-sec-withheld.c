/* test-sec-withheld.c - attacks through the project: a program that may
 * write the workspace plants what the host runs later, outside the
 * sandbox (a core.fsmonitor line in .git/config runs at the developer's
 * next `git status`, also when the HEAD that makes a directory a git
 * directory comes a run after its config; hooks at the next commit;
 * .envrc at the next cd; editor tasks when the folder opens; CI workflows
 * at the next push; other tools' configs), leaves symlinks out of the
 * project for host tools to write through, reaches nested trusted
 * entries of a live bind, or has the copy-on-write apply strip set-gid
 * and sticky bits of host directories or open the project to other
 * users' writes.  Judged on the host: the bytes of every trusted file
 * after the run, the modes of its entries, the links on it, and what a
 * real `git status` runs.  Each attack has its control: with
 * SBX_FLAG_ALLOW_TRUSTED_PATHS the same program does change them (the
 * write permission rule has none: it always holds). */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"
#include "nouserns.h"

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

/* dir/rel with its parent directories, holding text. */
static void put(const char *dir, const char *rel, const char *text)
{
	char *p = fmt("%s/%s", dir, rel), *slash;

	for (slash = p + strlen(dir) + 1; (slash = strchr(slash, '/'));
	     slash++) {
		*slash = '\0';
		mkdir(p, 0755);
		*slash = '/';
	}
	CU_ASSERT_EQUAL_FATAL(tl_write_file(p, text), 0);
	free(p);
}

/* The host's dir/rel holds exactly text (NULL: does not exist). */
static int same(const char *dir, const char *rel, const char *text)
{
	char *p = fmt("%s/%s", dir, rel), *got = tl_read_file(p);
	struct stat st;
	int ok;

	if (!text)
		ok = lstat(p, &st) < 0 && errno == ENOENT;
	else
		ok = got && strcmp(got, text) == 0;
	if (!ok)
		fprintf(stderr, "\n  %s: %s, expected %s\n", rel,
			got ? got : "(absent)", text ? text : "(absent)");
	free(got);
	free(p);
	return ok;
}

static int contains(const char *dir, const char *rel, const char *needle)
{
	char *p = fmt("%s/%s", dir, rel), *got = tl_read_file(p);
	int ok = got && strstr(got, needle);

	free(got);
	free(p);
	return ok;
}

/* ---- one run ------------------------------------------------------- */

struct cfg {
	const char *workspace;
	int mode;
	const char *bind;     /* writable, at /data */
	int allow;            /* SBX_FLAG_ALLOW_TRUSTED_PATHS */
	int degraded;         /* SBX_FLAG_ALLOW_DEGRADED */
};

struct res {
	struct tl_run r;
	int64_t withheld;     /* SBX_RESULT_WITHHELD */
	json_object *json;
};

static void configure(sbx_t *sbx, void *arg)
{
	const struct cfg *c = arg;

	live_setup(sbx);
	/* sbx-try prints the errno's name of one operation */
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, nu_helper_dir(), NULL, 0), 0);
	if (c->workspace)
		CU_ASSERT_EQUAL(sbx_set_workspace(sbx, c->workspace, c->mode),
				0);
	if (c->bind)
		CU_ASSERT_EQUAL(sbx_add_bind(sbx, c->bind, "/data",
					     SBX_BIND_RW),
				0);
	CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_ALLOW_TRUSTED_PATHS,
				     c->allow),
			0);
	if (c->degraded)
		CU_ASSERT_EQUAL(sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1),
				0);
}

/* The count is read from the handle (SBX_RESULT_WITHHELD), so the run is
 * made here rather than with tl_run_sh(). */
static void run(struct res *x, struct cfg *c, const char *script)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	sbx_t *sbx = NULL;
	const char *data, *json;
	size_t len;

	memset(x, 0, sizeof(*x));
	CU_ASSERT_EQUAL_FATAL(sbx_create(&sbx), 0);
	sbx_set_stdio(sbx, 0, SBX_STDIO_NULL, -1);
	sbx_set_stdio(sbx, 1, SBX_STDIO_CAPTURE, -1);
	sbx_set_stdio(sbx, 2, SBX_STDIO_CAPTURE, -1);
	configure(sbx, c);
	x->r.rc = sbx_exec(sbx, argv);
	if (x->r.rc == 0)
		x->r.rc = sbx_wait(sbx);
	x->r.message = strdup(sbx_last_error(sbx));
	CU_ASSERT_EQUAL_FATAL(x->r.rc, 0);
	x->r.status = sbx_result(sbx, SBX_RESULT_STATUS);
	x->r.exit_code = sbx_result(sbx, SBX_RESULT_EXIT_CODE);
	x->withheld = sbx_result(sbx, SBX_RESULT_WITHHELD);
	if (sbx_output(sbx, 1, &data, &len) == 0)
		x->r.out = strndup(data, len);
	if (sbx_output(sbx, 2, &data, &len) == 0)
		x->r.err = strndup(data, len);
	json = sbx_result_json(sbx);
	x->r.json = json ? strdup(json) : NULL;
	x->json = json ? json_tokener_parse(json) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->json);
	sbx_destroy(sbx);
}

static void res_free(struct res *x)
{
	json_object_put(x->json);
	tl_run_free(&x->r);
}

static const char *result_message(const struct res *x)
{
	json_object *m;

	return json_object_object_get_ex(x->json, "message", &m)
		       ? json_object_get_string(m)
		       : "";
}

/* rel is in the result's "withheld" list. */
static int listed(const struct res *x, const char *rel)
{
	json_object *a;
	size_t i;

	if (!json_object_object_get_ex(x->json, "withheld", &a))
		return 0;
	for (i = 0; i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(
				   json_object_array_get_idx(a, i)),
			   rel) == 0)
			return 1;
	fprintf(stderr, "\n  %s is not in withheld: %s\n", rel,
		json_object_to_json_string(a));
	return 0;
}

static size_t n_listed(const struct res *x)
{
	json_object *a;

	return json_object_object_get_ex(x->json, "withheld", &a)
		       ? json_object_array_length(a)
		       : (size_t)-1;
}

/* ---- the copy-on-write workspace ------------------------------------ */

#define CONFIG "[core]\n\trepositoryformatversion = 0\n"
#define HOOK "#!/bin/sh\necho the developer's own hook\n"
#define SUB_CONFIG "[core]\n\tbare = false\n"

/* A repository with a nested one, a hook, and ordinary content. */
static char *make_project(void)
{
	char *d = tl_tmpdir();

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	put(d, ".git/HEAD", "ref: refs/heads/main\n");
	put(d, ".git/config", CONFIG);
	put(d, ".git/hooks/existing-hook", HOOK);
	put(d, ".git/objects/info/packs", "\n");
	put(d, "sub/.git/HEAD", "ref: refs/heads/main\n");
	put(d, "sub/.git/config", SUB_CONFIG);
	put(d, "README", "original\n");
	return d;
}

/* What a hostile program writes: every place the host runs, and an
 * ordinary change. */
static const char attack[] =
	"printf '[core]\\n\\tfsmonitor = touch /tmp/pwned #\\n' >> "
	".git/config\n"
	"printf '#!/bin/sh\\necho pwned\\n' > .git/hooks/pre-commit\n"
	"chmod 755 .git/hooks/pre-commit\n"
	"rm .git/hooks/existing-hook\n"
	"echo 'echo pwned' > .envrc\n"
	"mkdir -p .vscode .github/workflows\n"
	"echo '{\"tasks\":[{\"runOptions\":{\"runOn\":\"folderOpen\"}}]}' > "
	".vscode/tasks.json\n"
	"echo 'on: push' > .github/workflows/x.yml\n"
	"printf '[submodule \"x\"]\\n\\turl = ../evil\\n' > .gitmodules\n"
	"printf '[core]\\n\\tfsmonitor = touch /tmp/pwned #\\n' >> "
	"sub/.git/config\n"
	"echo changed > README\n"
	"mkdir -p src && echo 'int main(void);' > src/new.c\n"
	"echo pack > .git/objects/info/packs\n"
	"echo done=1\n";

static const char *const planted[] = {
	".git/config",	   ".git/hooks/pre-commit", ".git/hooks/existing-hook",
	".envrc",	   ".vscode/tasks.json",    ".github/workflows/x.yml",
	".gitmodules",	   "sub/.git/config",
};

static void test_cow_withheld(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d = make_project(), *hook;
	struct stat st;
	struct res x;
	size_t i;

	c.workspace = d;
	run(&x, &c, attack);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	/* the host's bytes are the developer's */
	CU_ASSERT(same(d, ".git/config", CONFIG));
	CU_ASSERT(same(d, ".git/hooks/existing-hook", HOOK));
	CU_ASSERT(same(d, ".git/hooks/pre-commit", NULL));
	CU_ASSERT(same(d, ".envrc", NULL));
	CU_ASSERT(same(d, ".vscode", NULL));
	CU_ASSERT(same(d, ".github/workflows", NULL));
	CU_ASSERT(same(d, ".gitmodules", NULL));
	CU_ASSERT(same(d, "sub/.git/config", SUB_CONFIG));
	/* every one is listed, and counted */
	for (i = 0; i < LIVE_N(planted); i++)
		CU_ASSERT(listed(&x, planted[i]));
	CU_ASSERT_EQUAL(x.withheld, (int64_t)LIVE_N(planted));
	CU_ASSERT_EQUAL(n_listed(&x), LIVE_N(planted));
	/* the message names the count and the way to allow them */
	CU_ASSERT_PTR_NOT_NULL(strstr(result_message(&x), "8 changes"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(result_message(&x), "allow_trusted_paths"));
	/* the program's ordinary work is applied, git's data too */
	CU_ASSERT(same(d, "README", "changed\n"));
	CU_ASSERT(same(d, "src/new.c", "int main(void);\n"));
	CU_ASSERT(same(d, ".git/objects/info/packs", "pack\n"));
	res_free(&x);
	tl_rmrf(d);
	free(d);

	/* The control: allowed, the same program does plant all of it. */
	d = make_project();
	c.workspace = d;
	c.allow = 1;
	run(&x, &c, attack);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT(contains(d, ".git/config", "fsmonitor"));
	CU_ASSERT(contains(d, "sub/.git/config", "fsmonitor"));
	CU_ASSERT(same(d, ".git/hooks/existing-hook", NULL));
	CU_ASSERT(same(d, ".envrc", "echo pwned\n"));
	CU_ASSERT(contains(d, ".vscode/tasks.json", "folderOpen"));
	CU_ASSERT(same(d, ".github/workflows/x.yml", "on: push\n"));
	CU_ASSERT(contains(d, ".gitmodules", "evil"));
	hook = fmt("%s/.git/hooks/pre-commit", d);
	CU_ASSERT(stat(hook, &st) == 0 && (st.st_mode & 0100));
	free(hook);
	CU_ASSERT_EQUAL(x.withheld, 0);
	CU_ASSERT_EQUAL(n_listed(&x), 0);
	CU_ASSERT_PTR_NULL(strstr(result_message(&x), "withheld"));
	res_free(&x);
	tl_rmrf(d);
	free(d);
}

/* Around the names: .git replaced by a file that sends git elsewhere, a
 * symlink named .envrc, a case variant, a bare repository made in the
 * project, a nested repository deleted with its directory, renaming a
 * hook into place. */
static void test_cow_disguises(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d = make_project(), *p;
	struct stat st;
	struct res x;

	put(d, "sub/file", "sub\n");
	put(d, ".git/hooks/pre-commit.sample", HOOK);
	c.workspace = d;
	run(&x, &c,
	    "mv .git/hooks/pre-commit.sample .git/hooks/pre-commit\n"
	    "rm -rf .git && printf 'gitdir: evil\\n' > .git\n"
	    "mkdir -p evil/objects evil/refs && echo 'ref: x' > evil/HEAD\n"
	    "printf '[core]\\n\\tfsmonitor = touch /tmp/pwned #\\n' > "
	    "evil/config\n"
	    "echo 'echo pwned' > rc && ln -s rc .envrc\n"
	    "mkdir .VSCode && echo '{}' > .VSCode/tasks.json\n"
	    "echo x > '.gitmodules.'\n"
	    "rm -rf sub\n"
	    "echo done=1\n");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	/* .git stayed the host's directory, whole */
	p = fmt("%s/.git", d);
	CU_ASSERT(lstat(p, &st) == 0 && S_ISDIR(st.st_mode));
	free(p);
	CU_ASSERT(same(d, ".git/config", CONFIG));
	CU_ASSERT(same(d, ".git/hooks/pre-commit.sample", HOOK));
	CU_ASSERT(same(d, ".git/hooks/pre-commit", NULL));
	CU_ASSERT(listed(&x, ".git"));
	/* evil/ holds a HEAD: a git directory, whose config is withheld */
	CU_ASSERT(same(d, "evil/config", NULL));
	CU_ASSERT(listed(&x, "evil/config"));
	CU_ASSERT(same(d, "evil/HEAD", "ref: x\n"));
	CU_ASSERT(same(d, ".envrc", NULL));
	CU_ASSERT(listed(&x, ".envrc"));
	CU_ASSERT(same(d, "rc", "echo pwned\n"));
	CU_ASSERT(same(d, ".VSCode", NULL));
	CU_ASSERT(listed(&x, ".VSCode/tasks.json"));
	CU_ASSERT(same(d, ".gitmodules.", NULL));
	/* sub/ went, but not its repository */
	CU_ASSERT(same(d, "sub/file", NULL));
	CU_ASSERT(same(d, "sub/.git/config", SUB_CONFIG));
	CU_ASSERT(listed(&x, "sub/.git"));
	res_free(&x);
	tl_rmrf(d);
	free(d);
}

/*
 * Names that ext4's and f2fs's casefold directories read as withheld
 * ones: a sharp s for "ss", a ligature for "fi" or "st", a zero-width
 * space that kernels before 6.14 drop.  Such a directory can hold a
 * project (chattr +F on a casefold file system): the host's git and
 * shell then open these entries by their plain names.
 */
static const char *const casefolded[] = {
	".\xc3\x9fh/config",			/* .ssh, U+00DF */
	".pro\xef\xac\x81le",			/* .profile, U+FB01 */
	"ru\xef\xac\x86-toolchain",		/* rust-toolchain, U+FB06 */
	".g\xe2\x80\x8bitmodules",		/* .gitmodules, U+200B */
	".ENVRC\xe2\x80\x8b",			/* .envrc, U+200B */
};
#define N_CASEFOLDED (sizeof(casefolded) / sizeof(casefolded[0]))

static void test_cow_casefolded(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d = make_project();
	char script[1024] = "";
	struct res x;
	size_t i;

	for (i = 0; i < N_CASEFOLDED; i++) {
		const char *slash = strchr(casefolded[i], '/');

		if (slash)
			snprintf(script + strlen(script),
				 sizeof(script) - strlen(script),
				 "mkdir '%.*s'\n", (int)(slash - casefolded[i]),
				 casefolded[i]);
		snprintf(script + strlen(script), sizeof(script) - strlen(script),
			 "echo x > '%s'\n", casefolded[i]);
	}
	/* the control: U+017F folds to s, and .envsrc is no name of
	 * the list */
	strcat(script, "echo x > '.ENV\xc5\xbfRC'\n"
		       "echo done=1\n");
	c.workspace = d;
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	for (i = 0; i < N_CASEFOLDED; i++) {
		CU_ASSERT(same(d, casefolded[i], NULL));
		CU_ASSERT(listed(&x, casefolded[i]));
	}
	/* the control, applied: the names above were held for theirs */
	CU_ASSERT(same(d, ".ENV\xc5\xbfRC", "x\n"));
	res_free(&x);
	tl_rmrf(d);
	free(d);
}

/* A repository whose config names its hooks inside the project
 * (core.hooksPath, as husky sets it): those files run at each commit. */
static void test_cow_hooks_path(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d = make_project();
	struct res x;

	put(d, ".git/config", CONFIG "\thooksPath = tools/hooks\n");
	put(d, "tools/hooks/pre-commit", HOOK);
	c.workspace = d;
	run(&x, &c,
	    "echo 'echo pwned' >> tools/hooks/pre-commit\n"
	    "echo 'echo pwned' > tools/hooks/post-checkout\n"
	    "echo ok > tools/build.sh\n");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT(same(d, "tools/hooks/pre-commit", HOOK));
	CU_ASSERT(same(d, "tools/hooks/post-checkout", NULL));
	CU_ASSERT(listed(&x, "tools/hooks/pre-commit"));
	CU_ASSERT(listed(&x, "tools/hooks/post-checkout"));
	CU_ASSERT(same(d, "tools/build.sh", "ok\n"));
	res_free(&x);
	tl_rmrf(d);
	free(d);
}

/* What a real `git status` on the host runs after the run: nothing of
 * the program's, unless allowed (then the attack works: the control). */
static int git_status_runs(const char *d, int allow)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW, .allow = allow };
	char *marker = fmt("%s-marker", d), *script;
	char *out = NULL;
	const char *init[] = { "/usr/bin/env", "HOME=/nonexistent",
			       "GIT_CONFIG_NOSYSTEM=1", "git", "init", "-q",
			       d, NULL };
	const char *status[] = { "/usr/bin/env", "HOME=/nonexistent",
				 "GIT_CONFIG_NOSYSTEM=1", "git", "-C", d,
				 "status", "--short", NULL };
	struct res x;
	int ran;

	CU_ASSERT_EQUAL(live_host_run(init, -1, &out), 0);
	free(out);
	/* fsmonitor commands run through the shell; the # drops the
	 * arguments git adds */
	script = fmt("printf '[core]\\n\\tfsmonitor = touch %s #\\n' >> "
		     ".git/config",
		     marker);
	c.workspace = d;
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	res_free(&x);
	unlink(marker);
	out = NULL;
	live_host_run(status, -1, &out);
	free(out);
	ran = access(marker, F_OK) == 0;
	unlink(marker);
	free(marker);
	free(script);
	return ran;
}

static void test_real_git(void)
{
	char *d;

	if (access("/usr/bin/git", X_OK) != 0) {
		tl_skip("no /usr/bin/git: the plain file checks cover it");
		return;
	}
	d = tl_tmpdir();
	CU_ASSERT_FALSE(git_status_runs(d, 0));
	tl_rmrf(d);
	free(d);
	d = tl_tmpdir();
	CU_ASSERT_TRUE(git_status_runs(d, 1)); /* the control */
	tl_rmrf(d);
	free(d);
}

/* ---- HEAD across runs ------------------------------------------------ */

#define FSMONITOR "[core]\n\tfsmonitor = touch /tmp/pwned #\n"
#define PLANT_CONFIG "printf '[core]\\n\\tfsmonitor = touch /tmp/pwned #\\n' > "

/* The host's dir/rel exists (any type, a dangling symlink too). */
static int exists(const char *dir, const char *rel)
{
	char *p = fmt("%s/%s", dir, rel);
	struct stat st;
	int ok = lstat(p, &st) == 0;

	free(p);
	return ok;
}

/*
 * A directory holding HEAD is a git directory, whose config git reads.
 * Split across two runs: its config first (no HEAD: content), HEAD next;
 * and the other way round, in one run, with case variants, a symlink
 * named HEAD, and the directory renamed or replaced in between.  Judged
 * on the host: no directory that holds HEAD holds the program's config.
 */
static void test_cow_head_split(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d = tl_tmpdir();
	struct res x;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	put(d, "README", "original\n");
	c.workspace = d;
	run(&x, &c,
	    "mkdir -p foo/objects foo/refs sym ren rep case up/objects "
	    "up/refs\n"
	    PLANT_CONFIG "foo/config\n"
	    PLANT_CONFIG "sym/config\n"
	    PLANT_CONFIG "ren/config\n"
	    PLANT_CONFIG "rep/config\n"
	    PLANT_CONFIG "case/CONFIG\n"
	    "mkdir -p hk/hooks && echo 'echo pwned' > hk/hooks/pre-commit\n"
	    "echo 'ref: refs/heads/main' > up/HEAD\n"
	    "echo done=1\n");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	/* no HEAD yet: plain content, applied */
	CU_ASSERT(same(d, "foo/config", FSMONITOR));
	CU_ASSERT(same(d, "case/CONFIG", FSMONITOR));
	CU_ASSERT(same(d, "up/HEAD", "ref: refs/heads/main\n"));
	CU_ASSERT_EQUAL(x.withheld, 0);
	res_free(&x);

	run(&x, &c,
	    "echo 'ref: refs/heads/main' > foo/HEAD\n"
	    "ln -s refs/heads/main sym/HEAD\n"
	    "echo 'ref: x' > case/Head\n"
	    "echo 'ref: x' > hk/HEAD\n"
	    /* renamed (a copy and a deletion), then made a git directory */
	    "mv ren ren2 && echo 'ref: x' > ren2/HEAD\n"
	    /* replaced whole: the old config goes with it */
	    "rm -rf rep && mkdir -p rep/objects && echo 'ref: x' > rep/HEAD\n"
	    /* the other order: HEAD on the host, config now */
	    PLANT_CONFIG "up/config\n"
	    /* both at once */
	    "mkdir both && echo 'ref: x' > both/HEAD && "
	    PLANT_CONFIG "both/config\n"
	    "echo done=1\n");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	/* a new HEAD over control files already there is withheld */
	CU_ASSERT_FALSE(exists(d, "foo/HEAD"));
	CU_ASSERT(listed(&x, "foo/HEAD"));
	CU_ASSERT_FALSE(exists(d, "sym/HEAD"));
	CU_ASSERT(listed(&x, "sym/HEAD"));
	CU_ASSERT_FALSE(exists(d, "case/Head"));
	CU_ASSERT(listed(&x, "case/Head"));
	CU_ASSERT_FALSE(exists(d, "hk/HEAD"));
	CU_ASSERT(listed(&x, "hk/HEAD"));
	/* control files in a directory with a HEAD are withheld */
	CU_ASSERT_FALSE(exists(d, "ren2/config"));
	CU_ASSERT(listed(&x, "ren2/config"));
	CU_ASSERT(same(d, "ren2/HEAD", "ref: x\n"));
	CU_ASSERT_FALSE(exists(d, "ren"));
	CU_ASSERT_FALSE(exists(d, "up/config"));
	CU_ASSERT(listed(&x, "up/config"));
	CU_ASSERT_FALSE(exists(d, "both/config"));
	CU_ASSERT(listed(&x, "both/config"));
	CU_ASSERT(same(d, "both/HEAD", "ref: x\n"));
	/* the control: a replaced directory's config went with it, and its
	 * new HEAD is applied */
	CU_ASSERT_FALSE(exists(d, "rep/config"));
	CU_ASSERT(same(d, "rep/HEAD", "ref: x\n"));
	CU_ASSERT_EQUAL(x.withheld, 7);
	res_free(&x);

	/* the control: allowed, the second half lands too */
	c.allow = 1;
	run(&x, &c, "echo 'ref: refs/heads/main' > foo/HEAD");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT(same(d, "foo/HEAD", "ref: refs/heads/main\n"));
	CU_ASSERT_EQUAL(x.withheld, 0);
	res_free(&x);
	tl_rmrf(d);
	free(d);
}

/* The same with a real git: what `git status` of the directory made a
 * git directory in the second run runs on the host. */
static int git_head_split_runs(int allow)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d = tl_tmpdir(), *marker, *script, *gitdir, *out = NULL;
	const char *status[] = { "/usr/bin/env", "HOME=/nonexistent",
				 "GIT_CONFIG_NOSYSTEM=1", "git", NULL, NULL,
				 "status", "--short", NULL };
	struct res x;
	int ran;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	marker = fmt("%s-marker", d);
	gitdir = fmt("--git-dir=%s/foo", d);
	status[4] = gitdir;
	status[5] = fmt("--work-tree=%s", d);
	c.workspace = d;
	script = fmt("mkdir -p foo/objects foo/refs/heads && "
		     "printf '[core]\\n\\tfsmonitor = touch %s #\\n' > "
		     "foo/config",
		     marker);
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	res_free(&x);
	c.allow = allow;
	run(&x, &c, "echo 'ref: refs/heads/main' > foo/HEAD");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	res_free(&x);
	unlink(marker);
	live_host_run(status, -1, &out);
	free(out);
	ran = access(marker, F_OK) == 0;
	unlink(marker);
	free((char *)status[5]);
	free(gitdir);
	free(script);
	free(marker);
	tl_rmrf(d);
	free(d);
	return ran;
}

static void test_real_git_head_split(void)
{
	if (access("/usr/bin/git", X_OK) != 0) {
		tl_skip("no /usr/bin/git: the plain file checks cover it");
		return;
	}
	CU_ASSERT_FALSE(git_head_split_runs(0));
	CU_ASSERT_TRUE(git_head_split_runs(1)); /* the control */
}

/* ---- symlinks out of the workspace ------------------------------------ */

static char *link_of(const char *dir, const char *rel)
{
	char *p = fmt("%s/%s", dir, rel), buf[4096];
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);

	free(p);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

static int link_is(const char *dir, const char *rel, const char *target)
{
	char *got = link_of(dir, rel);
	int ok = got && strcmp(got, target) == 0;

	if (!ok)
		fprintf(stderr, "\n  %s -> %s, expected -> %s\n", rel,
			got ? got : "(none)", target);
	free(got);
	return ok;
}

/*
 * A symlink the program leaves that leads out of the project: a build or
 * an editor on the host that writes through it writes ~/.bashrc or
 * ~/.ssh.  Absolute, relative with too many "..", and through the
 * host's own link that leads out.  Links inside are applied.
 */
static const char escaping[] =
	"ln -s ../../.ssh out\n"
	"ln -s /home/me/.bashrc build\n"
	"mkdir -p a/b && ln -s ../../../x a/b/up\n"
	"ln -s a/b/../../.. dots\n"
	"ln -s away/x through\n"
	"ln -sfn /etc inside\n"
	"ln -s ../README a/in\n"
	"ln -s src/main.c ok\n"
	"ln -s a/b/../../src chain\n"
	"touch -h away\n"
	"echo done=1\n";

static void test_cow_symlinks_out(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	const char *const out[] = { "out", "build", "a/b/up", "dots",
				    "through", "inside" };
	char *d = tl_tmpdir(), *p;
	struct res x;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	put(d, "README", "original\n");
	put(d, "src/main.c", "int main(void);\n");
	/* the developer's own: one leads out, one stays in */
	p = fmt("%s/away", d);
	CU_ASSERT_EQUAL_FATAL(symlink("/tmp", p), 0);
	free(p);
	p = fmt("%s/inside", d);
	CU_ASSERT_EQUAL_FATAL(symlink("src", p), 0);
	free(p);
	c.workspace = d;
	run(&x, &c, escaping);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	for (i = 0; i < LIVE_N(out); i++)
		CU_ASSERT(listed(&x, out[i]));
	CU_ASSERT_FALSE(exists(d, "out"));
	CU_ASSERT_FALSE(exists(d, "build"));
	CU_ASSERT_FALSE(exists(d, "a/b/up"));
	CU_ASSERT_FALSE(exists(d, "dots"));
	CU_ASSERT_FALSE(exists(d, "through"));
	/* replaced: the host's link stays as it was */
	CU_ASSERT(link_is(d, "inside", "src"));
	CU_ASSERT_EQUAL(x.withheld, (int64_t)LIVE_N(out));
	/* the control: links that stay inside are applied, and the host's
	 * own link out, copied up unchanged, is neither changed nor listed */
	CU_ASSERT(link_is(d, "a/in", "../README"));
	CU_ASSERT(link_is(d, "ok", "src/main.c"));
	CU_ASSERT(link_is(d, "chain", "a/b/../../src"));
	CU_ASSERT(link_is(d, "away", "/tmp"));
	res_free(&x);
	tl_rmrf(d);
	free(d);

	/* allowed, the same program does leave them */
	d = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	put(d, "README", "original\n");
	put(d, "src/main.c", "int main(void);\n");
	p = fmt("%s/away", d);
	CU_ASSERT_EQUAL_FATAL(symlink("/tmp", p), 0);
	free(p);
	c.workspace = d;
	c.allow = 1;
	run(&x, &c, escaping);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT(link_is(d, "out", "../../.ssh"));
	CU_ASSERT(link_is(d, "build", "/home/me/.bashrc"));
	CU_ASSERT(link_is(d, "inside", "/etc"));
	CU_ASSERT_EQUAL(x.withheld, 0);
	res_free(&x);
	tl_rmrf(d);
	free(d);
}

/*
 * A link judged through an entry of the program's that never lands: the
 * program replaces .git (or a directory holding a trusted entry, which
 * stays) by a link deeper into the tree, or deletes the host's .vscode
 * that leads out; those are withheld, so the host keeps its own, and a
 * link through them that looked inside leads out on the host.
 */
static const char through_withheld[] =
	"rm -rf .git && ln -s a/b/c .git && ln -s .git/../../../.ssh y\n"
	"rm .vscode && ln -s .vscode/settings.json innocent\n"
	"rm -rf sub && ln -s x/y/z sub && ln -s sub/../../../q z\n"
	"mkdir -p a/b/c && ln -s ../../.. a/b/c/up\n"
	"echo done=1\n";

static void test_cow_symlinks_through_withheld(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	const char *const out[] = { "y", "innocent", "z" };
	int allow;
	size_t i;

	for (allow = 0; allow <= 1; allow++) {
		char *d = tl_tmpdir(), *p;
		struct res x;

		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		put(d, ".git/HEAD", "ref: refs/heads/main\n");
		put(d, ".git/config", CONFIG);
		put(d, "sub/.envrc", "echo the developer's\n");
		p = fmt("%s/.vscode", d);
		CU_ASSERT_EQUAL_FATAL(symlink("/tmp", p), 0);
		free(p);
		c.workspace = d;
		c.allow = allow;
		run(&x, &c, through_withheld);
		TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
		CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
		for (i = 0; i < LIVE_N(out); i++) {
			if (allow) {
				CU_ASSERT(exists(d, out[i]));
				continue;
			}
			CU_ASSERT_FALSE(exists(d, out[i]));
			CU_ASSERT(listed(&x, out[i]));
		}
		if (!allow) {
			CU_ASSERT(same(d, ".git/config", CONFIG));
			CU_ASSERT(link_is(d, ".vscode", "/tmp"));
			CU_ASSERT(same(d, "sub/.envrc",
				       "echo the developer's\n"));
		}
		/* the control: a link that stays inside is applied */
		CU_ASSERT(link_is(d, "a/b/c/up", "../../.."));
		res_free(&x);
		tl_rmrf(d);
		free(d);
	}
}

/*
 * A file system mounted below the workspace is not in the overlay's lower
 * layer: the program sees the empty directory under it.  The apply does
 * not cross into it: `rm -rf data` there emptied the host's dataset
 * mounted on data, which the program never saw, and new names landed on
 * a file system that may compare them otherwise (a case-insensitive
 * one).  Needs a root caller to mount.
 */
static const char below_mount[] =
	"rm -rf data && mkdir data && echo x > data/new\n"
	"rm -rf more\n"
	"echo changed > README\n"
	"echo done=1\n";

static void test_cow_mount_below(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d, *data, *more;
	struct res x;
	int mounted;

	if (geteuid() != 0) {
		tl_skip("needs a root caller to mount below the workspace");
		return;
	}
	d = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	put(d, "README", "original\n");
	put(d, "data/.keep", "");
	put(d, "more/.keep", "");
	data = fmt("%s/data", d);
	more = fmt("%s/more", d);
	mounted = mount("tmpfs", data, "tmpfs", 0, "size=1m") == 0 &&
		  mount("tmpfs", more, "tmpfs", 0, "size=1m") == 0;
	CU_ASSERT_FATAL(mounted);
	put(d, "data/dataset.csv", "precious\n");
	put(d, "more/kept", "precious\n");
	c.workspace = d;
	run(&x, &c, below_mount);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	CU_ASSERT(same(d, "data/dataset.csv", "precious\n"));
	CU_ASSERT(same(d, "more/kept", "precious\n"));
	CU_ASSERT_FALSE(exists(d, "data/new"));
	CU_ASSERT_PTR_NOT_NULL(strstr(result_message(&x), "mount point"));
	/* the control: the rest lands */
	CU_ASSERT(same(d, "README", "changed\n"));
	res_free(&x);
	CU_ASSERT_EQUAL(umount(data), 0);
	CU_ASSERT_EQUAL(umount(more), 0);

	/* unmounted, the same program empties them */
	run(&x, &c, below_mount);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_FALSE(exists(d, "data/.keep"));
	CU_ASSERT_FALSE(exists(d, "more"));
	CU_ASSERT(same(d, "data/new", "x\n"));
	res_free(&x);
	free(data);
	free(more);
	tl_rmrf(d);
	free(d);
}

/* ---- more tools' files ------------------------------------------------ */

/* Files other tools run on their own, or that send them elsewhere. */
static const char *const tools[] = {
	".hg/hgrc",
	".hg/sharedpath",
	".hgsub",
	".jj/repo/config.toml",
	".jj/repo/store/git_target",
	".jj/workspace-config.toml",
	".cargo/config.toml",
	".cargo/config",
	"rust-toolchain.toml",
	"rust-toolchain",
	".bazelrc",
	".bazelversion",
	"mise.toml",
	".mise.toml",
	".mise/config.toml",
	".config/mise/config.toml",
	".config/mise.toml",
	"mise/config.toml",
	".tool-versions",
	".gdbinit",
	".lldbinit",
	".vimrc",
	"sub/_gvimrc",
	".dir-locals.el",
	"sub/.dir-locals-2.el",
	"deep/er/.cargo/config.toml",
	".hgrc",
};

/* Their neighbours, which are data: applied. */
static const char *const data[] = {
	".hg/store/data/x.i",
	".hg/dirstate",
	".jj/repo/op_store/x",
	".jj/working_copy/x",
	".config/nextest.toml",
	"mise/notes.txt",
	".editorconfig",
	".env",
};

static char *write_all(const char *const *rel, size_t n)
{
	char *s = strdup(""), *t;
	size_t i;

	for (i = 0; i < n; i++) {
		t = fmt("%smkdir -p $(dirname %s) && echo pwned >> %s\n", s,
			rel[i], rel[i]);
		free(s);
		s = t;
	}
	return s;
}

static void test_cow_tools(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d = tl_tmpdir(), *w = write_all(tools, LIVE_N(tools));
	char *v = write_all(data, LIVE_N(data)), *script;
	struct res x;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	/* a Mercurial repository of the developer's */
	put(d, ".hg/hgrc", "[paths]\n");
	put(d, ".hg/requires", "store\n");
	script = fmt("%s%secho done=1\n", w, v);
	c.workspace = d;
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	for (i = 0; i < LIVE_N(tools); i++) {
		const char *before =
			strcmp(tools[i], ".hg/hgrc") ? NULL : "[paths]\n";

		CU_ASSERT(same(d, tools[i], before));
		CU_ASSERT(listed(&x, tools[i]));
	}
	CU_ASSERT_EQUAL(x.withheld, (int64_t)LIVE_N(tools));
	/* the control: data next to them is applied */
	for (i = 0; i < LIVE_N(data); i++)
		CU_ASSERT(same(d, data[i], "pwned\n"));
	res_free(&x);

	/* allowed, they land */
	c.allow = 1;
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	for (i = 0; i < LIVE_N(tools); i++)
		CU_ASSERT(contains(d, tools[i], "pwned"));
	CU_ASSERT_EQUAL(x.withheld, 0);
	res_free(&x);
	free(script);
	free(w);
	free(v);
	tl_rmrf(d);
	free(d);
}

/* ---- set-gid and sticky bits (item 2) ------------------------------- */

static mode_t mode_of(const char *d, const char *rel)
{
	char *p = fmt("%s/%s", d, rel);
	struct stat st;
	mode_t m = (mode_t)-1;

	if (lstat(p, &st) == 0)
		m = st.st_mode & 07777;
	free(p);
	return m;
}

static void test_cow_dir_modes(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d = tl_tmpdir(), *p;
	struct res x;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	put(d, "shared/kept", "x\n");
	put(d, "drop/kept", "x\n");
	put(d, "plain/kept", "x\n");
	p = fmt("%s/shared", d);
	CU_ASSERT_EQUAL_FATAL(chmod(p, 03775), 0);
	free(p);
	p = fmt("%s/drop", d);
	CU_ASSERT_EQUAL_FATAL(chmod(p, 01777), 0);
	free(p);
	CU_ASSERT_EQUAL_FATAL(mode_of(d, "shared"), 03775);
	c.workspace = d;
	run(&x, &c,
	    "echo new > shared/f && echo new > drop/f && "
	    "mkdir shared/newdir && echo new > shared/newdir/g && "
	    "chmod 750 plain && echo done=1");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	/* written into, the directories keep the host's bits */
	CU_ASSERT_EQUAL(mode_of(d, "shared"), 03775);
	CU_ASSERT_EQUAL(mode_of(d, "drop"), 01777);
	/* the control: the writes did land, and permission bits the
	 * program set do apply */
	CU_ASSERT(same(d, "shared/f", "new\n"));
	CU_ASSERT(same(d, "drop/f", "new\n"));
	CU_ASSERT(same(d, "shared/newdir/g", "new\n"));
	CU_ASSERT_EQUAL(mode_of(d, "plain"), 0750);
	/* a new directory in a set-gid one inherits it, as on the host;
	 * files never carry set-id bits */
	CU_ASSERT(mode_of(d, "shared/newdir") & S_ISGID);
	CU_ASSERT_EQUAL(mode_of(d, "shared/f") & 07000, 0);
	res_free(&x);
	tl_rmrf(d);
	free(d);
}

/*
 * Group and other write: a program that may write the project must not
 * open it to the machine's other users (a chmod 666 src/main.c, a 0777
 * directory: any local user could then plant code in it).  Not an
 * opt-in: allowed trusted paths change nothing here.
 */
static void test_cow_write_bits(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	int allow;

	for (allow = 0; allow <= 1; allow++) {
		char *d = tl_tmpdir(), *p;
		struct res x;

		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		put(d, "src/main.c", "int main(void);\n");
		put(d, "src/shared.c", "int shared;\n");
		put(d, "src/tool", "#!/bin/sh\n");
		put(d, "plain/kept", "x\n");
		put(d, "team/kept", "x\n");
		p = fmt("%s/src/main.c", d);
		CU_ASSERT_EQUAL_FATAL(chmod(p, 0644), 0);
		free(p);
		p = fmt("%s/src/tool", d);
		CU_ASSERT_EQUAL_FATAL(chmod(p, 0644), 0);
		free(p);
		/* the host's own group write stays */
		p = fmt("%s/src/shared.c", d);
		CU_ASSERT_EQUAL_FATAL(chmod(p, 0664), 0);
		free(p);
		p = fmt("%s/team", d);
		CU_ASSERT_EQUAL_FATAL(chmod(p, 0775), 0);
		free(p);
		p = fmt("%s/plain", d);
		CU_ASSERT_EQUAL_FATAL(chmod(p, 0755), 0);
		free(p);
		c.workspace = d;
		c.allow = allow;
		run(&x, &c,
		    "echo '/* x */' >> src/main.c && chmod 666 src/main.c\n"
		    "echo '/* x */' >> src/shared.c && chmod 666 src/shared.c\n"
		    "echo new > src/new.c && chmod 777 src/new.c\n"
		    "mkdir -m 777 open && echo x > open/f\n"
		    "chmod 777 plain team\n"
		    "chmod 755 src/tool && echo 'echo ok' >> src/tool\n"
		    "echo done=1\n");
		TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
		CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
		CU_ASSERT_EQUAL(mode_of(d, "src/main.c"), 0644);
		CU_ASSERT_EQUAL(mode_of(d, "src/shared.c"), 0664);
		CU_ASSERT_EQUAL(mode_of(d, "src/new.c"), 0755);
		CU_ASSERT_EQUAL(mode_of(d, "open"), 0755);
		CU_ASSERT_EQUAL(mode_of(d, "plain"), 0755);
		CU_ASSERT_EQUAL(mode_of(d, "team"), 0775);
		/* the control: the changes land, executable bits too */
		CU_ASSERT(same(d, "src/main.c", "int main(void);\n/* x */\n"));
		CU_ASSERT(same(d, "src/new.c", "new\n"));
		CU_ASSERT(same(d, "open/f", "x\n"));
		CU_ASSERT_EQUAL(mode_of(d, "src/tool"), 0755);
		res_free(&x);
		tl_rmrf(d);
		free(d);
	}
}

/*
 * A hard link to a file the host keeps open to others: the apply links
 * names of one inode, and src/main.c linked to the host's world-writable
 * shared.txt would be written by anyone.  A second name whose host file
 * had no such bits is copied; links between closed files stay links.
 */
static void test_cow_write_bits_links(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW };
	char *d = tl_tmpdir(), *p;
	struct stat a, b;
	struct res x;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	put(d, "shared.txt", "shared\n");
	put(d, "src/main.c", "int main(void);\n");
	p = fmt("%s/shared.txt", d);
	CU_ASSERT_EQUAL_FATAL(chmod(p, 0666), 0);
	free(p);
	p = fmt("%s/src/main.c", d);
	CU_ASSERT_EQUAL_FATAL(chmod(p, 0644), 0);
	free(p);
	c.workspace = d;
	/* shared.txt, the newer entry of the upper layer's root, is
	 * applied first (tmpfs lists the newest first) */
	run(&x, &c,
	    "rm src/main.c && echo x >> shared.txt && "
	    "ln shared.txt src/main.c\n"
	    "mkdir -p lib && echo y > lib/one && ln lib/one lib/two\n"
	    "echo done=1\n");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_EQUAL(live_int(x.r.out, "done", 0), 1);
	/* one inode, one mode: a link to shared.txt would be 0666 */
	CU_ASSERT_EQUAL(mode_of(d, "src/main.c"), 0644);
	CU_ASSERT_EQUAL(mode_of(d, "shared.txt"), 0666);
	/* the control: the change lands, and closed files stay linked */
	CU_ASSERT(same(d, "src/main.c", "shared\nx\n"));
	p = fmt("%s/lib/one", d);
	CU_ASSERT_EQUAL(lstat(p, &a), 0);
	free(p);
	p = fmt("%s/lib/two", d);
	CU_ASSERT_EQUAL(lstat(p, &b), 0);
	free(p);
	CU_ASSERT_EQUAL(a.st_ino, b.st_ino);
	res_free(&x);
	tl_rmrf(d);
	free(d);
}

/* ---- live writable binds -------------------------------------------- */

static char *try_script(const char *ops)
{
	return fmt("H=%s; %s", nu_helper(), ops);
}

static void test_live_readonly(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW_LIVE };
	char *d = make_project(), *script;
	struct res x;

	put(d, ".envrc", "export A=1\n");
	put(d, ".github/workflows/ci.yml", "on: push\n");
	c.workspace = d;
	script = try_script("echo cfg=$($H reopen-write .git/config); "
			    "echo hook=$($H write .git/hooks/pre-commit); "
			    "echo commondir=$($H write .git/commondir); "
			    "echo envrc=$($H reopen-write .envrc); "
			    "echo wf=$($H write .github/workflows/x.yml); "
			    "echo readme=$($H reopen-write README)");
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "cfg"), "EROFS");
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "hook"), "EROFS");
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "commondir"), "EROFS");
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "envrc"), "EROFS");
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "wf"), "EROFS");
	CU_ASSERT(same(d, ".git/config", CONFIG));
	CU_ASSERT(same(d, ".git/hooks/pre-commit", NULL));
	CU_ASSERT(same(d, ".envrc", "export A=1\n"));
	/* the control: the rest of the bind is writable */
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "readme"), "ok");
	CU_ASSERT(same(d, "README", "yriginal\n"));
	res_free(&x);

	/* allowed, the same writes land */
	c.allow = 1;
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "cfg"), "ok");
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "envrc"), "ok");
	CU_ASSERT(contains(d, ".git/config", "ycore]"));
	res_free(&x);
	free(script);
	tl_rmrf(d);
	free(d);
}

static void test_bind_rw(void)
{
	struct cfg c = { 0 };
	char *d = make_project(), *git, *script;
	struct res x;

	c.bind = d;
	script = try_script("echo cfg=$($H reopen-write /data/.git/config); "
			    "echo readme=$($H reopen-write /data/README)");
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "cfg"), "EROFS");
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "readme"), "ok");
	CU_ASSERT(same(d, ".git/config", CONFIG));
	res_free(&x);

	/* a git directory bound writable is refused, naming the way out */
	git = fmt("%s/.git", d);
	c.bind = git;
	run(&x, &c, "true");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(x.r.message, "git directory"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x.r.message, "allow_trusted_paths"));
	res_free(&x);
	/* the control: allowed, it runs and writes */
	c.allow = 1;
	free(script);
	script = try_script("echo cfg=$($H reopen-write /data/config)");
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(live_value(x.r.out, "cfg"), "ok");
	res_free(&x);
	free(script);
	free(git);
	tl_rmrf(d);
	free(d);
}

/* Trusted entries at any depth of a live tree: a vendored repository,
 * a subfolder's .envrc, a package's editor tasks, a bare repository, a
 * package's .npmrc in node_modules. */
static char *make_nested(void)
{
	char *d = tl_tmpdir();

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	put(d, "README", "original\n");
	put(d, "vendor/lib/.git/HEAD", "ref: refs/heads/main\n");
	put(d, "vendor/lib/.git/config", CONFIG);
	put(d, "sub/.envrc", "export A=1\n");
	put(d, "sub/readme", "sub\n");
	put(d, "pkg/.vscode/tasks.json", "{}\n");
	put(d, "a/b/c/d/.github/workflows/ci.yml", "on: push\n");
	put(d, "mirror.git/HEAD", "ref: refs/heads/main\n");
	put(d, "mirror.git/config", CONFIG);
	put(d, "mirror.git/hooks/post-update", HOOK);
	put(d, "mirror.git/objects/info/packs", "\n");
	put(d, "node_modules/x/.npmrc", "registry=https://example.org/\n");
	return d;
}

static const char nested_script[] =
	"for f in vendor/lib/.git/config sub/.envrc pkg/.vscode/tasks.json "
	"a/b/c/d/.github/workflows/ci.yml mirror.git/config "
	"mirror.git/hooks/post-update node_modules/x/.npmrc; do "
	"echo \"$f=$($H reopen-write $P$f)\"; done; "
	"echo hook=$($H write ${P}mirror.git/hooks/pre-receive); "
	"echo readme=$($H reopen-write ${P}sub/readme); "
	"echo objects=$($H write ${P}mirror.git/objects/o)";

static void check_nested(const struct res *x, const char *d, int ro)
{
	const char *const rel[] = {
		"vendor/lib/.git/config", "sub/.envrc",
		"pkg/.vscode/tasks.json", "a/b/c/d/.github/workflows/ci.yml",
		"mirror.git/config",	  "mirror.git/hooks/post-update",
		"node_modules/x/.npmrc",  "hook",
	};
	size_t i;

	for (i = 0; i < LIVE_N(rel); i++) {
		const char *v = live_value(x->r.out, rel[i]);

		if (strcmp(v, ro ? "EROFS" : "ok") != 0)
			fprintf(stderr, "\n  %s: %s\n", rel[i], v);
		CU_ASSERT_STRING_EQUAL(v, ro ? "EROFS" : "ok");
	}
	if (ro) {
		CU_ASSERT(same(d, "vendor/lib/.git/config", CONFIG));
		CU_ASSERT(same(d, "sub/.envrc", "export A=1\n"));
		CU_ASSERT(same(d, "mirror.git/hooks/pre-receive", NULL));
	} else {
		CU_ASSERT(contains(d, "vendor/lib/.git/config", "ycore]"));
	}
	/* the control: the rest of the tree is writable, a bare
	 * repository's data too */
	CU_ASSERT_STRING_EQUAL(live_value(x->r.out, "readme"), "ok");
	CU_ASSERT_STRING_EQUAL(live_value(x->r.out, "objects"), "ok");
	CU_ASSERT(same(d, "sub/readme", "yub\n"));
}

static void test_live_nested(void)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW_LIVE };
	char *d = make_nested(), *script;
	struct res x;

	c.workspace = d;
	script = fmt("H=%s; P=; %s", nu_helper(), nested_script);
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	check_nested(&x, d, 1);
	res_free(&x);
	free(script);
	tl_rmrf(d);
	free(d);

	/* a writable bind the same */
	d = make_nested();
	c.workspace = NULL;
	c.bind = d;
	script = fmt("H=%s; P=/data/; %s", nu_helper(), nested_script);
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	check_nested(&x, d, 1);
	res_free(&x);
	tl_rmrf(d);
	free(d);

	/* the control: allowed, they are writable */
	d = make_nested();
	c.bind = d;
	c.allow = 1;
	run(&x, &c, script);
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	check_nested(&x, d, 0);
	res_free(&x);
	free(script);
	tl_rmrf(d);
	free(d);
}

/* A tree the walk cannot finish is refused, naming the limit and the
 * ways out; never run with part of it unprotected. */
static void live_refused(const char *d, const char *why)
{
	struct cfg c = { .mode = SBX_WORKSPACE_RW_LIVE, .workspace = d };
	struct res x;

	run(&x, &c, "echo pwned > written");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(x.r.message, why));
	CU_ASSERT_PTR_NOT_NULL(strstr(x.r.message, "--rw"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x.r.message, "allow_trusted_paths"));
	CU_ASSERT(same(d, "written", NULL));
	res_free(&x);

	/* the controls: allowed, or copy-on-write, it runs */
	c.allow = 1;
	run(&x, &c, "echo ok > written");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT(same(d, "written", "ok\n"));
	res_free(&x);
	c.allow = 0;
	c.mode = SBX_WORKSPACE_RW;
	run(&x, &c, "echo again > written");
	TL_ASSERT_STATUS(&x.r, SBX_STATUS_EXITED);
	CU_ASSERT(same(d, "written", "again\n"));
	res_free(&x);
}

static void test_live_limits(void)
{
	char *d = tl_tmpdir(), *p;
	int i;

	/* deeper than the walk goes */
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	p = fmt("%s", d);
	for (i = 0; i < 70; i++) {
		char *q = fmt("%s/d", p);

		free(p);
		p = q;
		CU_ASSERT_EQUAL_FATAL(mkdir(p, 0755), 0);
	}
	free(p);
	live_refused(d, "directories deep");
	tl_rmrf(d);
	free(d);

	/* more trusted entries than it binds */
	d = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (i = 0; i < 1100; i++) {
		p = fmt("%s/p%d", d, i);
		CU_ASSERT_EQUAL_FATAL(mkdir(p, 0755), 0);
		free(p);
		p = fmt("p%d/.envrc", i);
		put(d, p, "export A=1\n");
		free(p);
	}
	live_refused(d, "too many of them");
	tl_rmrf(d);
	free(d);

	/* more directories than it reads */
	d = tl_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (i = 0; i < 25100; i++) {
		p = fmt("%s/%d", d, i);
		CU_ASSERT_EQUAL_FATAL(mkdir(p, 0755), 0);
		free(p);
	}
	live_refused(d, "directories, the most");
	tl_rmrf(d);
	free(d);
}

/* Without namespaces no bind can keep .git read-only: a live workspace
 * with one is refused, unless allowed. */
static void cfg_degraded(sbx_t *sbx, void *arg)
{
	const struct cfg *c = arg;

	sbx_set_flag(sbx, SBX_FLAG_ALLOW_DEGRADED, 1);
	sbx_add_bind(sbx, nu_helper_dir(), NULL, 0);
	sbx_set_workspace(sbx, c->workspace, SBX_WORKSPACE_RW_LIVE);
	sbx_set_flag(sbx, SBX_FLAG_ALLOW_TRUSTED_PATHS, c->allow);
}

static void test_degraded_live(void)
{
	struct cfg c = { 0 };
	char *d = make_project(), *cfgp = fmt("%s/.git/config", d);
	const char *argv[] = { nu_helper(), "reopen-write", cfgp, NULL };
	struct tl_run r;

	/* only the sandbox may say no (a root caller's degraded run is an
	 * id that owns nothing) */
	chmod(d, 0777);
	chmod(cfgp, 0666);
	c.workspace = d;
	if (nu_run_argv(&r, cfg_degraded, &c, argv) < 0) {
		tl_skip("no user namespace to disable");
		tl_run_free(&r);
		goto out;
	}
	if (r.status == SBX_STATUS_SETUP_ERROR &&
	    !strstr(r.message, "trusted")) {
		/* the host cannot run degraded at all (Landlock) */
		tl_skip("no degraded run here: %s", r.message);
		tl_run_free(&r);
		goto out;
	}
	TL_ASSERT_STATUS(&r, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.message, ".git"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.message, "allow_trusted_paths"));
	CU_ASSERT(same(d, ".git/config", CONFIG));
	tl_run_free(&r);
	/* the control: allowed, the program writes it */
	c.allow = 1;
	nu_run_argv(&r, cfg_degraded, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_EXITED);
	CU_ASSERT_STRING_EQUAL(r.out, "ok\n");
	CU_ASSERT(contains(d, ".git/config", "ycore]"));
	tl_run_free(&r);

	/* one deep in the tree is enough */
	tl_rmrf(d);
	CU_ASSERT_EQUAL_FATAL(mkdir(d, 0777), 0);
	put(d, "README", "original\n");
	put(d, "sub/deep/.envrc", "export A=1\n");
	chmod(d, 0777);
	c.allow = 0;
	nu_run_argv(&r, cfg_degraded, &c, argv);
	TL_ASSERT_STATUS(&r, SBX_STATUS_SETUP_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.message, "sub/deep/.envrc"));
	CU_ASSERT(same(d, "sub/deep/.envrc", "export A=1\n"));
	tl_run_free(&r);
out:
	free(cfgp);
	tl_rmrf(d);
	free(d);
}

/* ---- the CLI -------------------------------------------------------- */

static void test_cli(void)
{
	const char *sup = getenv("SBX_SUPERVISOR");
	char *d = make_project(), *json = fmt("%s.json", d), *sbx, *text;
	char *dir, *out = NULL;
	const char *argv[] = { NULL, "run", "--workspace", d, "--rw",
			       "--json-result", json, NULL, "--",
			       "/bin/sh", "-c",
			       "echo '# x' >> .git/config; echo new > README",
			       NULL };
	const char *show[] = { NULL, "policy", "show",
			       "--allow-trusted-paths", NULL };

	if (!sup) {
		tl_skip("SBX_SUPERVISOR is not set: no build tree's sbx");
		goto out;
	}
	dir = strdup(sup);
	sbx = fmt("%s/sbx", dirname(dir));
	free(dir);
	argv[0] = show[0] = sbx;
	argv[7] = "--timeout=60";
	CU_ASSERT_EQUAL(live_host_run(argv, -1, &out), 0);
	free(out);
	text = tl_read_file(json);
	CU_ASSERT_PTR_NOT_NULL(text);
	CU_ASSERT_PTR_NOT_NULL(text && strstr(text, "\"withheld\":[\".git/"
						    "config\"]"));
	CU_ASSERT_PTR_NOT_NULL(text &&
			       strstr(text, "--allow-trusted-paths"));
	CU_ASSERT(same(d, ".git/config", CONFIG));
	CU_ASSERT(same(d, "README", "new\n"));
	free(text);

	/* the control: with the option, the change lands */
	argv[7] = "--allow-trusted-paths";
	out = NULL;
	CU_ASSERT_EQUAL(live_host_run(argv, -1, &out), 0);
	free(out);
	text = tl_read_file(json);
	CU_ASSERT_PTR_NOT_NULL(text && strstr(text, "\"withheld\":[]"));
	CU_ASSERT(contains(d, ".git/config", "# x"));
	free(text);

	out = NULL;
	CU_ASSERT_EQUAL(live_host_run(show, -1, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(out &&
			       strstr(out, "\"allow_trusted_paths\": true"));
	free(out);
	free(sbx);
out:
	unlink(json);
	free(json);
	tl_rmrf(d);
	free(d);
}

static CU_TestInfo tests[] = {
	{ "copy-on-write: trusted paths withheld", test_cow_withheld },
	{ "copy-on-write: .git replaced, symlinks, case", test_cow_disguises },
	{ "copy-on-write: names a casefolding file system reads as withheld", test_cow_casefolded },
	{ "copy-on-write: core.hooksPath", test_cow_hooks_path },
	{ "copy-on-write: a real git status", test_real_git },
	{ "copy-on-write: HEAD after its config", test_cow_head_split },
	{ "copy-on-write: HEAD after its config, real git",
	  test_real_git_head_split },
	{ "copy-on-write: symlinks out of the workspace",
	  test_cow_symlinks_out },
	{ "copy-on-write: symlinks through withheld entries",
	  test_cow_symlinks_through_withheld },
	{ "copy-on-write: not below a mount point", test_cow_mount_below },
	{ "copy-on-write: other tools' files", test_cow_tools },
	{ "copy-on-write: set-gid and sticky dirs", test_cow_dir_modes },
	{ "copy-on-write: no group or other write added",
	  test_cow_write_bits },
	{ "copy-on-write: no group or other write through a hard link",
	  test_cow_write_bits_links },
	{ "rw-live: .git and .envrc read-only", test_live_readonly },
	{ "writable binds", test_bind_rw },
	{ "rw-live and binds: nested trusted entries", test_live_nested },
	{ "rw-live: a tree too big to walk is refused", test_live_limits },
	{ "degraded rw-live refused", test_degraded_live },
	{ "sbx run --allow-trusted-paths", test_cli },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "withheld", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}
