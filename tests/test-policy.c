/* test-policy.c - policy documents: every key round-trips through the
 * effective policy (`sbx policy show`), each kind of bad input gives its
 * error naming the key and the line and leaves the handle unchanged, the
 * presets are what they say, explanations are right, and the Docker
 * seccomp profile is valid and denies what the library denies. */
#include <errno.h>
#include <json-c/json.h>
#include <locale.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static char *tmp;

static int setup(void)
{
	tmp = tl_tmpdir();
	return tmp ? 0 : 1;
}

static int teardown(void)
{
	tl_rmrf(tmp);
	free(tmp);
	return 0;
}

static char *show(sbx_t *sbx)
{
	const char *t = sbx_policy_export(sbx, SBX_POLICY_JSON);

	CU_ASSERT_PTR_NOT_NULL(t);
	return t ? strdup(t) : strdup("");
}

static json_object *get(json_object *o, const char *path)
{
	char *copy = strdup(path), *tok, *save = NULL;
	json_object *v = o;

	for (tok = strtok_r(copy, ".", &save); tok && v;
	     tok = strtok_r(NULL, ".", &save)) {
		json_object *next = NULL;

		if (json_object_is_type(v, json_type_array))
			next = json_object_array_get_idx(v, (size_t)atoi(tok));
		else if (!json_object_object_get_ex(v, tok, &next))
			next = NULL;
		v = next;
	}
	free(copy);
	return v;
}

static const char *gets(json_object *o, const char *path)
{
	json_object *v = get(o, path);

	return v ? json_object_get_string(v) : "(missing)";
}

/* Load text on a new handle; show; load the show on another; the two
 * shows are the same document. */
static json_object *round_trip(const char *text)
{
	sbx_t *a, *b;
	char *s1, *s2;
	json_object *o;

	CU_ASSERT_FATAL(sbx_create(&a) == 0 && sbx_create(&b) == 0);
	if (sbx_policy_load_string(a, text) < 0)
		fprintf(stderr, "\n  %s\n", sbx_last_error(a));
	s1 = show(a);
	CU_ASSERT_EQUAL(sbx_policy_load_string(b, s1), 0);
	s2 = show(b);
	CU_ASSERT_STRING_EQUAL(s1, s2);
	o = json_tokener_parse(s1);
	CU_ASSERT_PTR_NOT_NULL(o);
	free(s1);
	free(s2);
	sbx_destroy(a);
	sbx_destroy(b);
	return o;
}

static void test_defaults(void)
{
	sbx_t *sbx;
	json_object *o;
	char *s;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	s = show(sbx);
	o = json_tokener_parse(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(gets(o, "network"), "none");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.memory"), "1G");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.pids"), "512");
	CU_ASSERT_STRING_EQUAL(gets(o, "seccomp.on_deny"), "errno");
	CU_ASSERT(json_object_is_type(get(o, "workspace"), json_type_null));
	CU_ASSERT_FALSE(json_object_get_boolean(get(o, "allow_setid")));
	CU_ASSERT_FALSE(json_object_get_boolean(get(o, "allow_degraded")));
	json_object_put(o);
	/* the default preset is what sbx_create() gives */
	CU_ASSERT_EQUAL(sbx_policy_load_string(sbx, "{\"network\": \"host\"}"),
			0);
	CU_ASSERT_EQUAL(sbx_policy_preset(sbx, "default"), 0);
	{
		char *again = show(sbx);

		CU_ASSERT_STRING_EQUAL(s, again);
		free(again);
	}
	free(s);
	sbx_destroy(sbx);
}

/* Every key, with values that differ from the defaults. */
static void test_every_key_round_trips(void)
{
	char doc[4096], bindsrc[512];
	json_object *o;

	snprintf(bindsrc, sizeof(bindsrc), "%s/bindme", tmp);
	mkdir(bindsrc, 0755);
	setenv("SBX_TEST_PASSED", "secret-value", 1);
	snprintf(
		doc, sizeof(doc),
		"{\n"
		"  \"$schema\": \"https://example.invalid/policy\",\n"
		"  \"$comment\": \"every key\",\n"
		"  \"version\": 1,\n"
		"  \"workspace\": {\"path\": \"%s\", \"mode\": \"rw\"},\n"
		"  \"cwd\": \"/workspace/sub\",\n"
		"  \"binds\": [\"%s\", {\"src\": \"%s\", \"dst\": \"/opt/b\",\n"
		"             \"rw\": true, \"optional\": true}],\n"
		"  \"env\": {\"A\": \"1\", \"SBX_TEST_PASSED\": null},\n"
		"  \"network\": \"host\",\n"
		"  \"read_only\": true,\n"
		"  \"single_id\": true,\n"
		"  \"allow_setid\": true,\n"
		"  \"allow_degraded\": true,\n"
		"  \"require\": [\"seccomp\", \"landlock-abi1\"],\n"
		"  \"limits\": {\"wall\": \"1.5s\", \"cpu\": 2, \"memory\": "
		"\"256M\",\n"
		"    \"pids\": 64, \"fsize\": 1000, \"nofile\": 100, \"disk\": "
		"\"1G\",\n"
		"    \"output\": \"1K\", \"cpus\": 1.5},\n"
		"  \"seccomp\": {\"on_deny\": \"kill\", \"allow\": [\"ptrace\"],\n"
		"    \"deny\": [\"mknod\", {\"name\": \"socket\", \"errno\": "
		"\"EACCES\"}],\n"
		"    \"kill\": [\"acct\"]}\n"
		"}\n",
		tmp, bindsrc, bindsrc);
	o = round_trip(doc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(gets(o, "workspace.path"), tmp);
	CU_ASSERT_STRING_EQUAL(gets(o, "workspace.mode"), "rw");
	CU_ASSERT_STRING_EQUAL(gets(o, "cwd"), "/workspace/sub");
	CU_ASSERT_STRING_EQUAL(gets(o, "binds.0.src"), bindsrc);
	CU_ASSERT_STRING_EQUAL(gets(o, "binds.0.dst"), bindsrc);
	CU_ASSERT_STRING_EQUAL(gets(o, "binds.1.dst"), "/opt/b");
	CU_ASSERT(json_object_get_boolean(get(o, "binds.1.rw")));
	CU_ASSERT(json_object_get_boolean(get(o, "binds.1.optional")));
	CU_ASSERT_STRING_EQUAL(gets(o, "env.A"), "1");
	/* passed by name: its value is the caller's, never shown */
	CU_ASSERT(json_object_is_type(get(o, "env.SBX_TEST_PASSED"),
				      json_type_null));
	CU_ASSERT_STRING_EQUAL(gets(o, "network"), "host");
	CU_ASSERT(json_object_get_boolean(get(o, "read_only")));
	CU_ASSERT(json_object_get_boolean(get(o, "single_id")));
	CU_ASSERT(json_object_get_boolean(get(o, "allow_setid")));
	CU_ASSERT(json_object_get_boolean(get(o, "allow_degraded")));
	CU_ASSERT_STRING_EQUAL(gets(o, "require.1"), "landlock-abi1");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.wall"), "1.5");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.cpu"), "2");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.memory"), "256M");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.pids"), "64");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.fsize"), "1000");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.nofile"), "100");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.disk"), "1G");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.output"), "1K");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.cpus"), "1.5");
	CU_ASSERT_STRING_EQUAL(gets(o, "seccomp.on_deny"), "kill");
	CU_ASSERT_STRING_EQUAL(gets(o, "seccomp.allow.0"), "ptrace");
	CU_ASSERT_STRING_EQUAL(gets(o, "seccomp.deny.0"), "mknod");
	CU_ASSERT_STRING_EQUAL(gets(o, "seccomp.deny.1.name"), "socket");
	CU_ASSERT_STRING_EQUAL(gets(o, "seccomp.deny.1.errno"), "EACCES");
	CU_ASSERT_STRING_EQUAL(gets(o, "seccomp.kill.0"), "acct");
	json_object_put(o);
	/* aliases and other spellings land on the same values */
	o = round_trip("{\"limits\": {\"timeout\": \"2m\", \"memory\": 1024,"
		       " \"cpu\": \"250ms\"}, \"workspace\": null,"
		       " \"cwd\": null, \"seccomp\": {\"deny\": [{\"name\":"
		       " \"mknod\", \"errno\": 13}]}}");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.wall"), "120");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.memory"), "1K");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.cpu"), "0.25");
	CU_ASSERT_STRING_EQUAL(gets(o, "seccomp.deny.0.errno"), "EACCES");
	json_object_put(o);
}

/* A bad document: its error names the place, and nothing changed. */
static void bad(const char *doc, int err, const char *where, const char *what)
{
	sbx_t *sbx;
	char *before, *after;
	int r;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	sbx_set_env(sbx, "KEEP", "me");
	before = show(sbx);
	r = sbx_policy_load_string(sbx, doc);
	if (r != -err || !strstr(sbx_last_error(sbx), where) ||
	    !strstr(sbx_last_error(sbx), what))
		fprintf(stderr, "\n  document: %s\n  rc %d, message: %s\n", doc,
			r, sbx_last_error(sbx));
	CU_ASSERT_EQUAL(r, -err);
	CU_ASSERT(strstr(sbx_last_error(sbx), where) != NULL);
	CU_ASSERT(strstr(sbx_last_error(sbx), what) != NULL);
	after = show(sbx);
	CU_ASSERT_STRING_EQUAL(before, after);
	free(before);
	free(after);
	sbx_destroy(sbx);
}

static void test_bad_input(void)
{
	char doc[1024];

	/* syntax: line and column */
	bad("{\n  \"network\": \"none\",\n}\n", EINVAL,
	    "policy:3:", "not valid JSON");
	bad("{\n  \"network\": \"none\"\n", EINVAL,
	    "policy:", "ends too early");
	bad("", EINVAL, "policy:", "ends too early");
	bad("[1, 2]", EINVAL, "policy", "a policy is a JSON object");
	bad("{} {}", EINVAL, "policy:1:", "not valid JSON");
	/* unknown keys, with a suggestion */
	bad("{\n\n  \"netwrok\": \"none\"\n}", EINVAL,
	    "policy:3: netwrok:", "did you mean \"network\"");
	bad("{\"limits\": {\n \"memroy\": \"1G\"}}", EINVAL,
	    "policy:2: limits.memroy:", "did you mean \"memory\"");
	bad("{\"binds\": [{\"src\": \"/tmp\", \"mode\": \"rw\"}]}", EINVAL,
	    "binds[0].mode", "unknown key");
	/* repeated keys: json-c would keep the last one silently */
	bad("{\n \"network\": \"none\",\n \"network\": \"host\"\n}", EINVAL,
	    "policy:3: network:", "repeated");
	/* wrong types */
	bad("{\"network\": 5}", EINVAL, "policy:1: network:", "got a number");
	bad("{\"read_only\": \"yes\"}", EINVAL, "read_only", "true or false");
	bad("{\"allow_setid\": 1}", EINVAL, "allow_setid", "true or false");
	bad("{\"allow_setd\": true}", EINVAL, "allow_setd",
	    "did you mean \"allow_setid\"");
	bad("{\n\"env\": {\"A\": 1}}", EINVAL, "policy:2: env.A:", "a string");
	bad("{\"binds\": {}}", EINVAL, "binds", "an array");
	bad("{\"limits\": []}", EINVAL, "limits", "an object");
	bad("{\"require\": [\"netns\", 3]}", EINVAL, "require[1]",
	    "a layer name");
	bad("{\"env\": {\"A\": \"a\\u0000b\"}}", EINVAL, "env.A", "NUL");
	/* bad values */
	bad("{\"network\": \"internet\"}", EINVAL, "network",
	    "not a network mode");
	bad("{\"version\": 2}", EINVAL, "version", "not supported");
	bad("{\"preset\": \"lax\"}", EINVAL, "preset", "unknown preset");
	bad("{\"workspace\": {\"path\": \"/tmp\", \"mode\": \"rwx\"}}", EINVAL,
	    "workspace.mode", "not a workspace mode");
	bad("{\"workspace\": {\"mode\": \"rw\"}}", EINVAL, "workspace.mode",
	    "needs a workspace");
	bad("{\"workspace\": \"/nonexistent/sbx\"}", ENOENT, "workspace",
	    "does not exist");
	bad("{\"binds\": [\"/tmp\", \"/nonexistent/sbx\"]}", ENOENT, "binds[1]",
	    "does not exist");
	bad("{\"binds\": [{\"src\": \"/tmp\", \"dst\": \"/proc/x\"}]}", EINVAL,
	    "binds[0]", "reserved");
	bad("{\"cwd\": \"relative\"}", EINVAL, "cwd", "absolute");
	bad("{\"env\": {\"A=B\": \"x\"}}", EINVAL, "env.A=B", "contains '='");
	bad("{\"limits\": {\"memory\": \"12Q\"}}", EINVAL, "limits.memory",
	    "not a size");
	bad("{\"limits\": {\"memory\": -1}}", EINVAL, "limits.memory",
	    "negative");
	bad("{\"limits\": {\"memory\": 99999999999999999999999}}", EINVAL,
	    "limits.memory", "larger than the maximum");
	bad("{\"limits\": {\"pids\": 1.5}}", EINVAL, "limits.pids",
	    "whole number");
	bad("{\"limits\": {\"pids\": 99999999}}", EINVAL, "limits.pids",
	    "larger than the maximum");
	bad("{\"limits\": {\"wall\": \"ten\"}}", EINVAL, "limits.wall",
	    "not a duration");
	bad("{\"limits\": {\"wall\": NaN}}", EINVAL, "limits.wall", "finite");
	/* what strtod() would have taken */
	bad("{\"limits\": {\"wall\": \"\\t5s\"}}", EINVAL, "limits.wall",
	    "not a duration");
	bad("{\"limits\": {\"wall\": \" 5s\"}}", EINVAL, "limits.wall",
	    "not a duration");
	bad("{\"limits\": {\"cpu\": \"5 s\"}}", EINVAL, "limits.cpu",
	    "not a duration");
	bad("{\"limits\": {\"cpu\": \"1e3s\"}}", EINVAL, "limits.cpu",
	    "not a duration");
	bad("{\"limits\": {\"cpu\": \"0x10\"}}", EINVAL, "limits.cpu",
	    "not a duration");
	bad("{\"limits\": {\"cpu\": \"+5s\"}}", EINVAL, "limits.cpu",
	    "not a duration");
	bad("{\"limits\": {\"cpu\": \"inf\"}}", EINVAL, "limits.cpu",
	    "not a duration");
	bad("{\"limits\": {\"cpu\": \"99999999999999999999h\"}}", EINVAL,
	    "limits.cpu", "too long");
	bad("{\"limits\": {\"memory\": \" 5M\"}}", EINVAL, "limits.memory",
	    "not a size");
	bad("{\"limits\": {\"memory\": \"5 M\"}}", EINVAL, "limits.memory",
	    "not a size");
	/* refused before the conversion, which would be undefined */
	bad("{\"limits\": {\"cpus\": 1e40}}", EINVAL, "limits.cpus",
	    "larger than the maximum, 1024 CPUs");
	bad("{\"limits\": {\"cpus\": 1024.001}}", EINVAL, "limits.cpus",
	    "larger than the maximum");
	bad("{\"limits\": {\"cpus\": \"2\"}}", EINVAL, "limits.cpus",
	    "a number");
	bad("{\"limits\": {\"wall\": 1e300}}", EINVAL, "limits.wall",
	    "too long");
	bad("{\"limits\": {\"wall\": 31536000.001}}", EINVAL, "limits.wall",
	    "at most 365 days");
	/* a positive number that would round to 0, no limit */
	bad("{\"limits\": {\"wall\": 0.0001}}", EINVAL, "limits.wall",
	    "shorter than a millisecond");
	bad("{\"limits\": {\"cpu\": 1e-13}}", EINVAL, "limits.cpu",
	    "shorter than a millisecond");
	bad("{\"limits\": {\"cpus\": 0.0004}}", EINVAL, "limits.cpus",
	    "less than a thousandth of a CPU");
	bad("{\"limits\": {\"timeout\": \"0.00001\"}}", EINVAL,
	    "limits.timeout", "shorter than a millisecond");
	bad("{\"limits\": {\"wall\": 1, \"timeout\": 2}}", EINVAL,
	    "limits.timeout", "give one of them");
	bad("{\"require\": [\"magic\"]}", EINVAL, "require[0]",
	    "unknown layer");
	bad("{\"seccomp\": {\"deny\": [\"no_such_call\"]}}", EINVAL,
	    "seccomp.deny[0]", "unknown system call");
	bad("{\"seccomp\": {\"allow\": [\"clone3\"]}}", EINVAL,
	    "seccomp.allow[0]", "cannot be allowed");
	bad("{\"seccomp\": {\"allow\": [\"io_uring_setup\"]}}", EINVAL,
	    "seccomp.allow[0]", "cannot be allowed");
	bad("{\"seccomp\": {\"allow\": [\"socket\"]}}", EINVAL,
	    "seccomp.allow[0]", "cannot be allowed");
	bad("{\"seccomp\": {\"allow\": [\"fchmodat2\"]}}", EINVAL,
	    "seccomp.allow[0]", "cannot be allowed");
	bad("{\"seccomp\": {\"allow\": [\"openat2\"]}}", EINVAL,
	    "seccomp.allow[0]", "cannot be allowed");
	bad("{\"seccomp\": {\"deny\": [{\"name\": \"mknod\", \"errno\": "
	    "\"EFOO\"}]}}",
	    EINVAL, "seccomp.deny[0].errno", "not an errno name");
	bad("{\"seccomp\": {\"deny\": [{\"name\": \"mknod\", \"errno\": 0}]}}",
	    EINVAL, "seccomp.deny[0].errno", "success");
	bad("{\"seccomp\": {\"allow\": [\"ptrace\"], \"kill\": [\"ptrace\"]}}",
	    EINVAL, "seccomp.kill[0]", "already listed in \"allow\"");
	bad("{\"seccomp\": {\"on_deny\": \"log\"}}", EINVAL, "seccomp.on_deny",
	    "not an action");
	/* the first keys were good: still nothing is applied */
	snprintf(doc, sizeof(doc),
		 "{\"workspace\": \"%s\", \"network\": \"host\", \"limits\": "
		 "{\"pids\": \"many\"}}",
		 tmp);
	bad(doc, EINVAL, "limits.pids", "a number");
}

/* A document that fails half-way, where each key alone would fit, leaves
 * the handle as it was: near the handle's 4096 variables, the keys
 * before the env block (network) and the variables that fitted were once
 * applied before the one that did not fit failed. */
static void test_atomic(void)
{
	char doc[4096], name[32];
	char *before, *after;
	sbx_t *sbx;
	int i;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	for (i = 0; i < 4090; i++) {
		snprintf(name, sizeof(name), "V%d", i);
		CU_ASSERT_EQUAL_FATAL(sbx_set_env(sbx, name, "x"), 0);
	}
	before = show(sbx);
	strcpy(doc, "{\"network\": \"host\", \"read_only\": true, "
		    "\"env\": {");
	for (i = 0; i < 10; i++)
		snprintf(doc + strlen(doc), sizeof(doc) - strlen(doc),
			 "%s\"N%d\": \"y\"", i ? ", " : "", i);
	strcat(doc, "}}");
	CU_ASSERT_EQUAL(sbx_policy_load_string(sbx, doc), -E2BIG);
	CU_ASSERT(strstr(sbx_last_error(sbx), "env.N6") != NULL);
	after = show(sbx);
	CU_ASSERT_STRING_EQUAL(before, after);
	free(after);
	/* six fit: applied whole, on top of the handle's own */
	strcpy(doc, "{\"network\": \"host\", \"env\": {\"N0\": \"y\", "
		    "\"N1\": \"y\", \"N2\": \"y\", \"N3\": \"y\", \"N4\": "
		    "\"y\", \"N5\": \"y\"}}");
	CU_ASSERT_EQUAL(sbx_policy_load_string(sbx, doc), 0);
	after = show(sbx);
	CU_ASSERT(strstr(after, "\"V4089\"") && strstr(after, "\"N5\"") &&
		  strstr(after, "\"network\": \"host\""));
	free(after);
	free(before);
	sbx_destroy(sbx);

	/* binds: the handle's and the document's together */
	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	for (i = 0; i < 250; i++)
		CU_ASSERT_EQUAL_FATAL(sbx_add_bind(sbx, tmp, NULL, 0), 0);
	before = show(sbx);
	strcpy(doc, "{\"limits\": {\"pids\": 7}, \"binds\": [");
	for (i = 0; i < 10; i++)
		snprintf(doc + strlen(doc), sizeof(doc) - strlen(doc),
			 "%s\"%s\"", i ? ", " : "", tmp);
	strcat(doc, "]}");
	CU_ASSERT_EQUAL(sbx_policy_load_string(sbx, doc), -E2BIG);
	CU_ASSERT(strstr(sbx_last_error(sbx), "binds[6]") != NULL);
	after = show(sbx);
	CU_ASSERT_STRING_EQUAL(before, after);
	free(after);
	/* a preset starts the copy over, never the handle */
	CU_ASSERT_EQUAL(sbx_policy_load_string(
				sbx, "{\"preset\": \"strict\", \"limits\": "
				     "{\"pids\": \"many\"}}"),
			-EINVAL);
	after = show(sbx);
	CU_ASSERT_STRING_EQUAL(before, after);
	free(after);
	free(before);
	sbx_destroy(sbx);
}

/* In a child with LC_NUMERIC set to de_DE: 0 when policies read as in
 * the C locale, 77 when the locale cannot be set, else the number of the
 * check that failed. */
static int locale_child(const char *dir)
{
	const char *s;
	sbx_t *sbx;
	int bad = 0;

	setenv("LOCPATH", dir, 1);
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8"))
		return 77;
	/* the locale is on: strtod() takes the comma */
	if (strtod("1,5", NULL) != 1.5)
		return 1;
	if (sbx_create(&sbx) < 0)
		return 2;
	if (sbx_policy_load_string(
		    sbx, "{\"limits\": {\"wall\": \"1.5s\", \"cpu\": 2.5, "
			 "\"memory\": \"1.5G\", \"cpus\": 0.5}}") != 0)
		return 3;
	/* read as text: json-c is what the library must get right here */
	s = sbx_policy_export(sbx, SBX_POLICY_JSON);
	if (!s)
		bad = 4;
	else if (!strstr(s, "\"wall\": 1.5,"))
		bad = 5;
	else if (!strstr(s, "\"cpu\": 2.5,"))
		bad = 6;
	else if (!strstr(s, "\"memory\": \"1536M\","))
		bad = 7;
	else if (!strstr(s, "\"cpus\": 0.5,"))
		bad = 8;
	else if (sbx_policy_load_string(
			 sbx, "{\"limits\": {\"wall\": \"1,5s\"}}") != -EINVAL)
		bad = 9;
	else if (sbx_policy_load_string(
			 sbx, "{\"limits\": {\"memory\": \"1,5G\"}}") !=
		 -EINVAL)
		bad = 10;
	sbx_destroy(sbx);
	return bad;
}

/* A caller whose LC_NUMERIC has a decimal comma (de_DE) reads policies
 * as everyone does: "1.5s" is a second and a half, "1,5s" nothing.  The
 * locale is built in the test's directory (LOCPATH): the host's list of
 * locales is not changed.  In a child: the locale stays out of the other
 * tests.  Under valgrind (tests/valgrind-api.sh) and LeakSanitizer the
 * child also shows that parsing leaks nothing in that locale (json-c's
 * own C locale, derived from the thread's, leaked at every parse). */
static void test_locale(void)
{
	char dir[512], cmd[1024];
	pid_t pid;
	int st;

	snprintf(dir, sizeof(dir), "%s/locale", tmp);
	mkdir(dir, 0755);
	snprintf(cmd, sizeof(cmd),
		 "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1",
		 dir);
	if (system(cmd) != 0) {
		tl_skip("localedef cannot build de_DE.UTF-8 here (Debian: "
			"apt-get install locales)");
		return;
	}
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		_exit(locale_child(dir));
	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT_FATAL(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77) {
		tl_skip("setlocale(LC_NUMERIC, \"de_DE.UTF-8\") failed");
		return;
	}
	if (WEXITSTATUS(st))
		fprintf(stderr, "\n  check %d failed in the de_DE locale\n",
			WEXITSTATUS(st));
	CU_ASSERT_EQUAL(WEXITSTATUS(st), 0);
}

static void test_files(void)
{
	char path[512], dir[512], text[1024];
	sbx_t *sbx;
	json_object *o;
	int i;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	/* relative paths are the file's directory's */
	snprintf(dir, sizeof(dir), "%s/project", tmp);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/policy.json", tmp);
	tl_write_file(path, "{\n  \"workspace\": {\"path\": \"project\"}\n}\n");
	CU_ASSERT_EQUAL(sbx_policy_load_file(sbx, path), 0);
	o = json_tokener_parse(sbx_policy_export(sbx, SBX_POLICY_JSON));
	CU_ASSERT_STRING_EQUAL(gets(o, "workspace.path"), dir);
	json_object_put(o);
	/* errors name the file */
	tl_write_file(path, "{\n  \"workspace\": {\"path\": \"missing\"}\n}\n");
	CU_ASSERT_EQUAL(sbx_policy_load_file(sbx, path), -ENOENT);
	snprintf(text, sizeof(text), "%s:2: workspace.path:", path);
	CU_ASSERT(strstr(sbx_last_error(sbx), text) != NULL);
	/* a NUL byte once ended the document: the rest went unread */
	{
		static const char doc[] = "{\"network\": \"none\"}\n\0"
					  "{\"network\": \"host\"}";
		FILE *f = fopen(path, "w");

		fwrite(doc, 1, sizeof(doc) - 1, f);
		fclose(f);
		CU_ASSERT_EQUAL(sbx_policy_load_file(sbx, path), -EINVAL);
		snprintf(text, sizeof(text), "%s:2:1: a NUL byte (offset 20)",
			 path);
		if (!strstr(sbx_last_error(sbx), text))
			fprintf(stderr, "\n  %s\n", sbx_last_error(sbx));
		CU_ASSERT(strstr(sbx_last_error(sbx), text) != NULL);
		f = fopen(path, "w");
		fwrite("{\"network\": \"ho\0st\"}", 1, 21, f);
		fclose(f);
		CU_ASSERT_EQUAL(sbx_policy_load_file(sbx, path), -EINVAL);
		CU_ASSERT(strstr(sbx_last_error(sbx), "offset 15") != NULL);
	}
	CU_ASSERT_EQUAL(sbx_policy_load_file(sbx, "/nonexistent/p.json"),
			-ENOENT);
	CU_ASSERT(strstr(sbx_last_error(sbx), "/nonexistent/p.json") != NULL);
	CU_ASSERT_EQUAL(sbx_policy_load_file(sbx, tmp), -EINVAL);
	CU_ASSERT(strstr(sbx_last_error(sbx), "directory") != NULL);
	CU_ASSERT_EQUAL(sbx_policy_load_file(sbx, NULL), -EINVAL);
	CU_ASSERT_EQUAL(sbx_policy_load_file(NULL, path), -EINVAL);
	CU_ASSERT_EQUAL(sbx_policy_load_string(sbx, NULL), -EINVAL);
	/* a huge file is refused whole */
	{
		FILE *f = fopen(path, "w");

		fputs("{\"$comment\": \"", f);
		for (i = 0; i < (1 << 20) / 8; i++)
			fputs("xxxxxxxx", f);
		fputs("\"}", f);
		fclose(f);
	}
	CU_ASSERT_EQUAL(sbx_policy_load_file(sbx, path), -E2BIG);
	sbx_destroy(sbx);
}

static int in_array(json_object *a, const char *s)
{
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);

		if (json_object_is_type(e, json_type_object))
			json_object_object_get_ex(e, "name", &e);
		if (strcmp(json_object_get_string(e), s) == 0)
			return 1;
	}
	return 0;
}

static void test_presets(void)
{
	sbx_t *sbx;
	json_object *o;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	CU_ASSERT_EQUAL(sbx_policy_preset(sbx, "strict"), 0);
	o = json_tokener_parse(sbx_policy_export(sbx, SBX_POLICY_JSON));
	CU_ASSERT(json_object_get_boolean(get(o, "read_only")));
	CU_ASSERT_STRING_EQUAL(gets(o, "network"), "none");
	CU_ASSERT(in_array(get(o, "seccomp.deny"), "socket"));
	CU_ASSERT(in_array(get(o, "seccomp.deny"), "socketpair"));
	CU_ASSERT(in_array(get(o, "seccomp.deny"), "shmget"));
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.memory"), "512M");
	json_object_put(o);
	CU_ASSERT_EQUAL(sbx_policy_preset(sbx, "build"), 0);
	o = json_tokener_parse(sbx_policy_export(sbx, SBX_POLICY_JSON));
	CU_ASSERT_FALSE(json_object_get_boolean(get(o, "read_only")));
	CU_ASSERT_EQUAL(json_object_array_length(get(o, "seccomp.deny")), 0);
	CU_ASSERT_STRING_EQUAL(gets(o, "env.PIP_NO_INDEX"), "1");
	CU_ASSERT_STRING_EQUAL(gets(o, "env.npm_config_offline"), "true");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.memory"), "4G");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.wall"), "1800");
	CU_ASSERT_STRING_EQUAL(gets(o, "limits.cpu"), "7200");
	json_object_put(o);
	/* a preset key starts over; later keys add to it */
	CU_ASSERT_EQUAL(sbx_policy_load_string(
				sbx, "{\"network\": \"host\", \"preset\": "
				     "\"strict\", \"seccomp\": {\"deny\": "
				     "[\"ptrace\"]}}"),
			0);
	o = json_tokener_parse(sbx_policy_export(sbx, SBX_POLICY_JSON));
	CU_ASSERT_STRING_EQUAL(gets(o, "network"), "host");
	CU_ASSERT(in_array(get(o, "seccomp.deny"), "socket"));
	CU_ASSERT(in_array(get(o, "seccomp.deny"), "ptrace"));
	CU_ASSERT(json_object_object_length(get(o, "env")) == 0);
	json_object_put(o);
	CU_ASSERT_EQUAL(sbx_policy_preset(sbx, "lax"), -EINVAL);
	CU_ASSERT(strstr(sbx_last_error(sbx), "default, strict, build") !=
		  NULL);
	CU_ASSERT_EQUAL(sbx_policy_preset(sbx, NULL), -EINVAL);
	sbx_destroy(sbx);
}

static void test_api_checks(void)
{
	sbx_t *sbx;
	int i;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	CU_ASSERT_EQUAL(sbx_require_layer(NULL, "netns"), -EINVAL);
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, "netns"), 0);
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, "netns"), 0); /* once */
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, "landlock-abi6"), 0);
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, "landlock-abi"), -EINVAL);
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, "netnss"), -EINVAL);
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, ""), -EINVAL);
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, NULL), 0);
	CU_ASSERT_EQUAL(sbx_set_syscall(NULL, "ptrace", 0, 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "ptrace", SBX_SYSCALL_ALLOW, 0),
			0);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "nope", SBX_SYSCALL_DENY, 0),
			-EINVAL);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "mknod", 7, 0), -EINVAL);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "mknod", SBX_SYSCALL_DENY, 4096),
			-EINVAL);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "mknod", SBX_SYSCALL_KILL, 13),
			-EINVAL);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, "ioctl", SBX_SYSCALL_ALLOW, 0),
			-EINVAL);
	CU_ASSERT_EQUAL(sbx_set_syscall(sbx, NULL, 0, 0), 0);
	CU_ASSERT_EQUAL(sbx_policy_export(sbx, 99), NULL);
	CU_ASSERT(strstr(sbx_last_error(sbx), "unknown policy format") != NULL);
	CU_ASSERT_EQUAL(sbx_last_errno(sbx), EINVAL);
	/* a success clears both */
	CU_ASSERT_PTR_NOT_NULL(sbx_policy_export(sbx, SBX_POLICY_JSON));
	CU_ASSERT_STRING_EQUAL(sbx_last_error(sbx), "");
	CU_ASSERT_EQUAL(sbx_last_errno(sbx), 0);
	CU_ASSERT_EQUAL(sbx_last_errno(NULL), EINVAL);
	CU_ASSERT_PTR_NULL(sbx_policy_export(NULL, SBX_POLICY_JSON));
	CU_ASSERT_PTR_NULL(sbx_policy_explain(NULL, "/"));
	CU_ASSERT_PTR_NULL(sbx_probe_report(sbx));
	CU_ASSERT_EQUAL(sbx_probe_host(NULL), -EINVAL);
	for (i = 0; i < 32; i++) {
		char n[32];

		snprintf(n, sizeof(n), "landlock-abi%d", i + 1);
		CU_ASSERT_EQUAL(sbx_require_layer(sbx, n), 0);
	}
	CU_ASSERT_EQUAL(sbx_require_layer(sbx, "netns"), -E2BIG);
	sbx_destroy(sbx);
}

/* ------------------------------------------------------------ explain */

static json_object *explain(sbx_t *sbx, const char *what)
{
	const char *t = sbx_policy_explain(sbx, what);

	if (!t)
		fprintf(stderr, "\n  explain %s: %s\n", what,
			sbx_last_error(sbx));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	return json_tokener_parse(t);
}

static int yes(json_object *o, const char *k)
{
	return json_object_get_boolean(get(o, k));
}

static void test_explain_paths(void)
{
	char ws[512];
	json_object *o;
	sbx_t *sbx;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	snprintf(ws, sizeof(ws), "%s/ws", tmp);
	mkdir(ws, 0755);
	tl_write_file("/tmp/sbx-explain-probe", "x");
	o = explain(sbx, "/etc/passwd");
	CU_ASSERT(yes(o, "read") && !yes(o, "write"));
	CU_ASSERT(strstr(gets(o, "rule"), "/etc") != NULL);
	CU_ASSERT_STRING_EQUAL(gets(o, "host_path"), "/etc/passwd");
	json_object_put(o);
	/* the host's home and its secrets are not there at all */
	o = explain(sbx, "/root/.ssh/id_rsa");
	CU_ASSERT(!yes(o, "read") && !yes(o, "write") && !yes(o, "exists"));
	json_object_put(o);
	o = explain(sbx, "/home/sandbox/../../tmp/sbx-explain-probe");
	CU_ASSERT_STRING_EQUAL(gets(o, "path"), "/tmp/sbx-explain-probe");
	CU_ASSERT(yes(o, "write"));
	CU_ASSERT(json_object_is_type(get(o, "host_path"), json_type_null));
	json_object_put(o);
	o = explain(sbx, "/home");
	CU_ASSERT(yes(o, "read") && !yes(o, "write"));
	json_object_put(o);
	/* the workspace, read-only then writable */
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, ws, SBX_WORKSPACE_RO), 0);
	o = explain(sbx, "/workspace/main.c");
	CU_ASSERT(yes(o, "read") && !yes(o, "write") && !yes(o, "exists"));
	CU_ASSERT(strstr(gets(o, "host_path"), "/ws/main.c") != NULL);
	json_object_put(o);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, ws, SBX_WORKSPACE_RW), 0);
	o = explain(sbx, "/workspace");
	CU_ASSERT(yes(o, "write") && yes(o, "exists"));
	/* copy-on-write, applied after the run; rw-live: a live bind */
	CU_ASSERT(strstr(gets(o, "rule"), "copy-on-write") != NULL);
	CU_ASSERT(strstr(gets(o, "rule"), "after the run") != NULL);
	json_object_put(o);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, ws, SBX_WORKSPACE_RW_LIVE), 0);
	o = explain(sbx, "/workspace/x");
	CU_ASSERT(yes(o, "write"));
	CU_ASSERT(strstr(gets(o, "rule"), "live writable bind") != NULL);
	CU_ASSERT(strstr(gets(o, "rule"), "not counted against the disk") !=
		  NULL);
	json_object_put(o);
	CU_ASSERT_EQUAL(sbx_set_workspace(sbx, ws, SBX_WORKSPACE_RW), 0);
	/* a bind covers what is below it */
	CU_ASSERT_EQUAL(sbx_add_bind(sbx, ws, "/usr/local/x", SBX_BIND_RW), 0);
	o = explain(sbx, "/usr/local/x/f");
	CU_ASSERT(yes(o, "write"));
	json_object_put(o);
	o = explain(sbx, "/usr/local/y");
	CU_ASSERT(!yes(o, "write"));
	json_object_put(o);
	/* read-only: nothing writable */
	sbx_set_flag(sbx, SBX_FLAG_READ_ONLY, 1);
	o = explain(sbx, "/tmp/x");
	CU_ASSERT(!yes(o, "write"));
	json_object_put(o);
	o = explain(sbx, "/proc/1/environ");
	CU_ASSERT(yes(o, "read") && !yes(o, "write") && !yes(o, "exec"));
	json_object_put(o);
	CU_ASSERT_PTR_NULL(sbx_policy_explain(sbx, "relative/path"));
	CU_ASSERT(strstr(sbx_last_error(sbx), "absolute") != NULL);
	CU_ASSERT_EQUAL(sbx_last_errno(sbx), EINVAL);
	CU_ASSERT_PTR_NULL(sbx_policy_explain(sbx, ""));
	CU_ASSERT_EQUAL(sbx_last_errno(sbx), EINVAL);
	unlink("/tmp/sbx-explain-probe");
	sbx_destroy(sbx);
}

static void test_explain_syscalls(void)
{
	json_object *o;
	sbx_t *sbx;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	o = explain(sbx, "ptrace");
	CU_ASSERT_STRING_EQUAL(gets(o, "action"), "deny");
	CU_ASSERT_STRING_EQUAL(gets(o, "errno"), "EPERM");
	CU_ASSERT(strstr(gets(o, "rule"), "built-in") != NULL);
	json_object_put(o);
	o = explain(sbx, "clone");
	CU_ASSERT_STRING_EQUAL(gets(o, "action"), "conditional");
	CU_ASSERT(strstr(gets(o, "rule"), "CLONE_NEWUSER") != NULL);
	json_object_put(o);
	o = explain(sbx, "clone3");
	CU_ASSERT_STRING_EQUAL(gets(o, "errno"), "ENOSYS");
	json_object_put(o);
	o = explain(sbx, "read");
	CU_ASSERT_STRING_EQUAL(gets(o, "action"), "allow");
	CU_ASSERT_PTR_NULL(get(o, "degraded"));
	json_object_put(o);
	/* some families with namespaces, none without them */
	o = explain(sbx, "socket");
	CU_ASSERT_STRING_EQUAL(gets(o, "action"), "conditional");
	CU_ASSERT_STRING_EQUAL(gets(o, "errno"), "EAFNOSUPPORT");
	CU_ASSERT(strstr(gets(o, "rule"), "AF_INET6") != NULL);
	CU_ASSERT(strstr(gets(o, "rule"), "NETLINK_ROUTE") != NULL);
	CU_ASSERT_STRING_EQUAL(gets(o, "degraded.action"), "deny");
	json_object_put(o);
	/* set-id modes always, metadata changes at all without namespaces */
	o = explain(sbx, "fchmodat");
	CU_ASSERT_STRING_EQUAL(gets(o, "action"), "conditional");
	CU_ASSERT_STRING_EQUAL(gets(o, "errno"), "EPERM");
	CU_ASSERT(strstr(gets(o, "rule"), "S_ISUID") != NULL);
	CU_ASSERT_STRING_EQUAL(gets(o, "degraded.action"), "deny");
	json_object_put(o);
	o = explain(sbx, "ioctl");
	CU_ASSERT(strstr(gets(o, "rule"), "TIOCSETD") != NULL);
	json_object_put(o);
	o = explain(sbx, "openat2");
	CU_ASSERT_STRING_EQUAL(gets(o, "errno"), "ENOSYS");
	json_object_put(o);
	o = explain(sbx, "inotify_init1");
	CU_ASSERT_STRING_EQUAL(gets(o, "action"), "allow");
	CU_ASSERT_STRING_EQUAL(gets(o, "degraded.action"), "deny");
	CU_ASSERT(strstr(gets(o, "degraded.rule"), "names") != NULL);
	json_object_put(o);
	/* by number where libseccomp may not know the name */
	o = explain(sbx, "removexattrat");
	CU_ASSERT_PTR_NOT_NULL(get(o, "number"));
	CU_ASSERT_STRING_EQUAL(gets(o, "degraded.action"), "deny");
	json_object_put(o);
	/* the policy's own rules decide first */
	sbx_set_syscall(sbx, "ptrace", SBX_SYSCALL_ALLOW, 0);
	sbx_set_syscall(sbx, "socket", SBX_SYSCALL_DENY, EACCES);
	sbx_set_syscall(sbx, "getppid", SBX_SYSCALL_KILL, 0);
	o = explain(sbx, "ptrace");
	CU_ASSERT_STRING_EQUAL(gets(o, "action"), "allow");
	CU_ASSERT(strstr(gets(o, "rule"), "seccomp.allow") != NULL);
	json_object_put(o);
	o = explain(sbx, "socket");
	CU_ASSERT_STRING_EQUAL(gets(o, "errno"), "EACCES");
	CU_ASSERT_PTR_NULL(get(o, "degraded"));
	json_object_put(o);
	o = explain(sbx, "getppid");
	CU_ASSERT_STRING_EQUAL(gets(o, "action"), "kill");
	json_object_put(o);
	sbx_set_flag(sbx, SBX_FLAG_SECCOMP_KILL, 1);
	o = explain(sbx, "bpf");
	CU_ASSERT_STRING_EQUAL(gets(o, "action"), "kill");
	json_object_put(o);
	CU_ASSERT_PTR_NULL(sbx_policy_explain(sbx, "no_such_call"));
	CU_ASSERT(strstr(sbx_last_error(sbx), "no_such_call") != NULL);
	CU_ASSERT_EQUAL(sbx_last_errno(sbx), EINVAL);
	sbx_destroy(sbx);
}

/* ------------------------------------------------------- Docker profile */

static const char *const docker_actions[] = {
	"SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
	"SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",	   "SCMP_ACT_TRACE",
	"SCMP_ACT_ALLOW", "SCMP_ACT_LOG",	   "SCMP_ACT_NOTIFY",
};
static const char *const docker_ops[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",	    "SCMP_CMP_EQ",
	"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};

static int one_of(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

static uint32_t action(const char *name, json_object *entry)
{
	json_object *e;

	if (!strcmp(name, "SCMP_ACT_KILL_PROCESS"))
		return SCMP_ACT_KILL_PROCESS;
	if (!strcmp(name, "SCMP_ACT_ALLOW"))
		return SCMP_ACT_ALLOW;
	if (json_object_object_get_ex(entry, "errnoRet", &e))
		return SCMP_ACT_ERRNO((uint32_t)json_object_get_int(e));
	return SCMP_ACT_ERRNO(1);
}

/* Check one profile against Docker's schema (moby's types.Seccomp), and
 * build it with libseccomp the way runc does.  Returns the names denied
 * without conditions and those denied with some. */
/* The number the library gives a name this libseccomp may not know
 * (a call newer than it), or __NR_SCMP_ERROR. */
static int library_nr(sbx_t *sbx, const char *name)
{
	const char *text = sbx_policy_explain(sbx, name);
	json_object *o = text ? json_tokener_parse(text) : NULL;
	json_object *nr = o ? get(o, "number") : NULL;
	int v = nr ? json_object_get_int(nr) : __NR_SCMP_ERROR;

	json_object_put(o);
	return v;
}

static enum scmp_compare op_of(const char *name)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(name, ops[i].name) == 0)
			return ops[i].op;
	return _SCMP_CMP_MIN;
}

static void check_profile(sbx_t *sbx, const char *text, json_object *plain,
			  json_object *cond)
{
	static const char *const top[] = {
		"defaultAction", "defaultErrnoRet", "architectures",
		"archMap",	 "syscalls",	    "flags",
		"listenerPath",	 "listenerMetadata"
	};
	static const char *const sc[] = { "names",   "action",	"errnoRet",
					  "args",    "comment", "includes",
					  "excludes" };
	static const char *const ar[] = { "index", "value", "valueTwo", "op" };
	json_object *o = json_tokener_parse(text), *calls;
	int kill_process = seccomp_api_get() >= 3;
	scmp_filter_ctx ctx;
	size_t i, j, k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	json_object_object_foreach(o, key, val) {
		(void)val;
		CU_ASSERT(one_of(key, top, sizeof(top) / sizeof(top[0])));
	}
	CU_ASSERT_STRING_EQUAL(gets(o, "defaultAction"), "SCMP_ACT_ALLOW");
	CU_ASSERT_EQUAL(json_object_array_length(get(o, "architectures")), 1);
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
	calls = get(o, "syscalls");
	CU_ASSERT_FATAL(json_object_is_type(calls, json_type_array));
	for (i = 0; i < json_object_array_length(calls); i++) {
		json_object *e = json_object_array_get_idx(calls, i);
		json_object *names = get(e, "names"), *args = get(e, "args");
		struct scmp_arg_cmp cmp[6];
		unsigned n_cmp = 0;
		const char *act = gets(e, "action");

		json_object_object_foreach(e, key2, val2) {
			(void)val2;
			CU_ASSERT(one_of(key2, sc, sizeof(sc) / sizeof(sc[0])));
		}
		CU_ASSERT(one_of(act, docker_actions,
				 sizeof(docker_actions) /
					 sizeof(docker_actions[0])));
		CU_ASSERT(json_object_is_type(names, json_type_array));
		for (k = 0; args && k < json_object_array_length(args); k++) {
			json_object *a = json_object_array_get_idx(args, k);

			json_object_object_foreach(a, key3, val3) {
				(void)val3;
				CU_ASSERT(one_of(key3, ar, 4));
			}
			CU_ASSERT(one_of(gets(a, "op"), docker_ops, 7));
			cmp[n_cmp].arg =
				(unsigned)json_object_get_int(get(a, "index"));
			cmp[n_cmp].op = op_of(gets(a, "op"));
			cmp[n_cmp].datum_a =
				json_object_get_uint64(get(a, "value"));
			cmp[n_cmp].datum_b =
				json_object_get_uint64(get(a, "valueTwo"));
			n_cmp++;
		}
		for (j = 0; j < json_object_array_length(names); j++) {
			const char *n = json_object_get_string(
				json_object_array_get_idx(names, j));
			int nr = seccomp_syscall_resolve_name(n);

			/* runc skips a name its libseccomp does not know;
			 * the library filters it by number */
			if (nr == __NR_SCMP_ERROR)
				nr = library_nr(sbx, n);
			CU_ASSERT(nr != __NR_SCMP_ERROR);
			if (nr < 0)
				continue;
			if (strcmp(act, "SCMP_ACT_ALLOW") == 0)
				continue;
			/* what runc does with each entry (where libseccomp
			 * has SCMP_ACT_KILL_PROCESS: not under valgrind,
			 * which answers ENOSYS to seccomp(2), as a kernel
			 * before 4.14 would) */
			if (kill_process)
				CU_ASSERT_EQUAL(seccomp_rule_add_array(
							ctx, action(act, e), nr,
							n_cmp, cmp),
						0);
			json_object_object_add(n_cmp ? cond : plain, n,
					       json_object_new_string(act));
		}
	}
	seccomp_release(ctx);
	json_object_put(o);
}

/* Every system call of this architecture: the profile and the library's
 * explanation agree on what is denied, always or under conditions. */
static void compare(sbx_t *sbx)
{
	json_object *plain = json_object_new_object();
	json_object *cond = json_object_new_object();
	const char *text = sbx_policy_export(sbx, SBX_POLICY_DOCKER_SECCOMP);
	int nr, checked = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	check_profile(sbx, text, plain, cond);
	for (nr = 0; nr < 1024; nr++) {
		char *name =
			seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		json_object *o, *x;
		const char *act;

		if (!name)
			continue;
		o = json_tokener_parse(sbx_policy_explain(sbx, name));
		act = gets(o, "action");
		if (!strcmp(act, "deny") || !strcmp(act, "kill")) {
			CU_ASSERT(json_object_object_get_ex(plain, name, &x));
		} else if (!strcmp(act, "conditional")) {
			CU_ASSERT(json_object_object_get_ex(cond, name, &x));
		} else {
			CU_ASSERT(!json_object_object_get_ex(plain, name, &x) &&
				  !json_object_object_get_ex(cond, name, &x));
		}
		if (!strcmp(act, "kill"))
			CU_ASSERT_STRING_EQUAL(
				json_object_get_string(get(plain, name)),
				"SCMP_ACT_KILL_PROCESS");
		checked++;
		json_object_put(o);
		free(name);
	}
	CU_ASSERT(checked > 300);
	json_object_put(plain);
	json_object_put(cond);
}

static void test_docker_profile(void)
{
	sbx_t *sbx;

	CU_ASSERT_FATAL(sbx_create(&sbx) == 0);
	compare(sbx);
	/* with the policy's own rules, and killing instead of EPERM */
	CU_ASSERT_EQUAL(sbx_policy_load_string(
				sbx, "{\"seccomp\": {\"on_deny\": \"kill\", "
				     "\"allow\": [\"ptrace\"], \"deny\": "
				     "[{\"name\": \"mknod\", \"errno\": "
				     "\"EACCES\"}], \"kill\": [\"getppid\"]}}"),
			0);
	compare(sbx);
	CU_ASSERT_EQUAL(sbx_policy_preset(sbx, "strict"), 0);
	compare(sbx);
	sbx_destroy(sbx);
}

static CU_TestInfo policy_tests[] = {
	{ "the default policy", test_defaults },
	{ "every key round-trips through show", test_every_key_round_trips },
	{ "each bad input names its key and line", test_bad_input },
	{ "a failing document changes nothing", test_atomic },
	{ "numbers read the same in every locale", test_locale },
	{ "policy files", test_files },
	{ "presets", test_presets },
	{ "argument checks", test_api_checks },
	{ "explain paths", test_explain_paths },
	{ "explain system calls", test_explain_syscalls },
	{ "the Docker seccomp profile", test_docker_profile },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "policy", setup, teardown, NULL, NULL, policy_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tl_main(suites);
}
