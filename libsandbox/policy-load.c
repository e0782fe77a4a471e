/* policy-load.c - apply a JSON policy document to a handle.  json-c parses
 * and validates it; jsonpos.c finds the lines for messages.  Every key is
 * applied through the function of sandbox.h that does the same, on a
 * scratch copy of the handle's configuration that replaces it only when
 * the whole document applied (so a bad document leaves the handle
 * unchanged). */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "jsonpos.h"
#include "size.h"

struct pctx {
	sbx_t *sbx;	    /* where the keys are applied */
	sbx_t *report;	    /* where the messages go */
	const char *origin; /* the file's name, "policy" or "preset NAME" */
	const char *text;
	struct sbx_jpos pos;
	const char *base; /* for relative paths; NULL: the current dir */
};

typedef int (*apply_fn)(struct pctx *c, const char *ptr, json_object *v);

struct key_spec {
	const char *name;
	apply_fn apply;
};

static int perr(struct pctx *c, const char *ptr, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int perr(struct pctx *c, const char *ptr, int err, const char *fmt, ...)
{
	_cleanup_free_ char *where = sbx_jpos_display(ptr);
	char msg[SBX_ERRMSG_MAX];
	int line = sbx_jpos_line(&c->pos, ptr);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		return sbx_error(c->report, err, "%s:%d: %s: %s", c->origin,
				 line, where ? where : ptr, msg);
	return sbx_error(c->report, err, "%s: %s: %s", c->origin,
			 where ? where : ptr, msg);
}

/* A setter refused the value: its message, placed at the key. */
static int setter_err(struct pctx *c, const char *ptr, int r)
{
	char msg[SBX_ERRMSG_MAX];

	if (r == -ENOMEM)
		return perr(c, ptr, ENOMEM, "out of memory");
	snprintf(msg, sizeof(msg), "%s", sbx_last_error(c->sbx));
	return perr(c, ptr, -r, "%s", msg[0] ? msg : strerror(-r));
}

static const char *type_name(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_int:
	case json_type_double:
		return "a number";
	case json_type_string:
		return "a string";
	case json_type_array:
		return "an array";
	case json_type_object:
		return "an object";
	}
	return "something else";
}

static int type_err(struct pctx *c, const char *ptr, json_object *v,
		    const char *want)
{
	return perr(c, ptr, EINVAL, "expected %s, got %s", want, type_name(v));
}

static int get_str(struct pctx *c, const char *ptr, json_object *v,
		   const char *want, const char **ret)
{
	const char *s;

	if (!json_object_is_type(v, json_type_string))
		return type_err(c, ptr, v, want);
	s = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(s))
		return perr(c, ptr, EINVAL, "contains a NUL character");
	*ret = s;
	return 0;
}

static int get_bool(struct pctx *c, const char *ptr, json_object *v, int *ret)
{
	if (!json_object_is_type(v, json_type_boolean))
		return type_err(c, ptr, v, "true or false");
	*ret = json_object_get_boolean(v);
	return 0;
}

/* The raw text of the value at ptr, to see what json-c saturated. */
static int raw_equals(struct pctx *c, const char *ptr, const char *want)
{
	const struct sbx_jpos_entry *e = sbx_jpos_find(&c->pos, ptr);
	size_t n;

	if (!e)
		return 1; /* no index: trust json-c */
	n = e->end - e->start;
	return n == strlen(want) && memcmp(c->text + e->start, want, n) == 0;
}

static int get_u64(struct pctx *c, const char *ptr, json_object *v,
		   uint64_t max, uint64_t *ret)
{
	char text[32];
	uint64_t u;

	if (json_object_is_type(v, json_type_double))
		return perr(c, ptr, EINVAL, "expected a whole number");
	if (!json_object_is_type(v, json_type_int))
		return type_err(c, ptr, v, "a number");
	if (json_object_get_int64(v) < 0)
		return perr(c, ptr, EINVAL, "must not be negative");
	u = json_object_get_uint64(v);
	snprintf(text, sizeof(text), "%llu", (unsigned long long)u);
	if (!raw_equals(c, ptr, text) || u > max)
		return perr(c, ptr, EINVAL, "is larger than the maximum %llu",
			    (unsigned long long)max);
	*ret = u;
	return 0;
}

/* A non-negative finite number, whole or not. */
static int get_real(struct pctx *c, const char *ptr, json_object *v,
		    double *ret)
{
	double d;

	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return type_err(c, ptr, v, "a number");
	d = json_object_get_double(v);
	if (!isfinite(d))
		return perr(c, ptr, EINVAL, "must be a finite number");
	if (d < 0)
		return perr(c, ptr, EINVAL, "must not be negative");
	*ret = d;
	return 0;
}

/* Closest known name, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, d[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = d[j];
			d[j] = prev + (a[i - 1] != b[j - 1]);
			if (d[j] > d[j - 1] + 1)
				d[j] = d[j - 1] + 1;
			if (d[j] > cur + 1)
				d[j] = cur + 1;
			prev = cur;
		}
	}
	return d[lb];
}

/* json-c keeps the last of repeated keys; a policy that says a thing
 * twice is more likely a mistake than a wish. */
static int check_duplicates(struct pctx *c, const char *ptr, json_object *obj)
{
	const struct sbx_jpos_entry *e = sbx_jpos_find(&c->pos, ptr);
	const struct sbx_jpos_entry *d;
	_cleanup_free_ char *where = NULL;

	if (!e || e->n_keys == (size_t)json_object_object_length(obj))
		return 0;
	d = sbx_jpos_duplicate(&c->pos, ptr);
	if (!d)
		return 0;
	where = sbx_jpos_display(d->ptr);
	return sbx_error(c->report, EINVAL,
			 "%s:%d: %s: the key is repeated (say each thing "
			 "once)",
			 c->origin, d->line, where ? where : d->ptr);
}

/* Every key of obj is known and none is repeated. */
static int check_keys(struct pctx *c, const char *ptr, json_object *obj,
		      const char *const *known, size_t n_known)
{
	char list[512];
	size_t i, len = 0;
	int r = check_duplicates(c, ptr, obj);

	if (r < 0)
		return r;
	list[0] = '\0';
	for (i = 0; i < n_known; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					i ? ", " : "", known[i]);
	json_object_object_foreach(obj, key, val) {
		_cleanup_free_ char *kptr = sbx_jpos_child(ptr, key);
		const char *best = NULL;
		size_t best_d = 3;

		(void)val;
		if (!kptr)
			return -ENOMEM;
		for (i = 0; i < n_known; i++) {
			size_t d = distance(key, known[i]);

			if (d == 0)
				break;
			if (d < best_d) {
				best_d = d;
				best = known[i];
			}
		}
		if (i < n_known || strcmp(key, "$comment") == 0)
			continue;
		if (best)
			return perr(c, kptr, EINVAL,
				    "unknown key; did you mean \"%s\"? "
				    "(known: %s)",
				    best, list);
		return perr(c, kptr, EINVAL, "unknown key (known: %s)", list);
	}
	return 0;
}

static int want_object(struct pctx *c, const char *ptr, json_object *v)
{
	return json_object_is_type(v, json_type_object)
		       ? 0
		       : type_err(c, ptr, v, "an object");
}

static int want_array(struct pctx *c, const char *ptr, json_object *v)
{
	return json_object_is_type(v, json_type_array)
		       ? 0
		       : type_err(c, ptr, v, "an array");
}

/* "~/x" is the caller's home, a relative path the policy's directory. */
static int expand_path(struct pctx *c, const char *ptr, const char *p,
		       char **ret)
{
	const char *home;
	char cwd[4096], pwbuf[4096];
	int n;

	if (!*p)
		return perr(c, ptr, EINVAL, "empty path");
	if (p[0] == '~' && (p[1] == '/' || !p[1])) {
		struct passwd pwd, *pw = NULL;

		home = secure_getenv("HOME");
		if (!home || home[0] != '/') {
			/* getpwuid_r: the caller may be threaded */
			if (getpwuid_r(getuid(), &pwd, pwbuf, sizeof(pwbuf),
				       &pw) != 0)
				pw = NULL;
			home = pw ? pw->pw_dir : NULL;
		}
		if (!home)
			return perr(c, ptr, EINVAL,
				    "%s: the caller has no home directory", p);
		n = asprintf(ret, "%s%s", home, p + 1);
	} else if (p[0] == '/') {
		*ret = strdup(p);
		n = *ret ? 0 : -1;
	} else {
		if (!c->base && !getcwd(cwd, sizeof(cwd)))
			return perr(c, ptr, EINVAL,
				    "%s: relative, and the current directory "
				    "is unknown",
				    p);
		n = asprintf(ret, "%s/%s", c->base ? c->base : cwd, p);
	}
	return n < 0 ? -ENOMEM : 0;
}

/* ---------------------------------------------------------------- keys */

static int apply_version(struct pctx *c, const char *ptr, json_object *v)
{
	uint64_t n;
	int r = get_u64(c, ptr, v, 1000, &n);

	if (r < 0)
		return r;
	if (n != 1)
		return perr(c, ptr, EINVAL,
			    "version %llu is not supported (this libsandbox "
			    "reads version 1)",
			    (unsigned long long)n);
	return 0;
}

static const struct {
	const char *name;
	int mode;
} workspace_modes[] = {
	{ "ro", SBX_WORKSPACE_RO },
	{ "rw", SBX_WORKSPACE_RW },
	{ "rw-live", SBX_WORKSPACE_RW_LIVE },
};

static int workspace_mode(struct pctx *c, const char *ptr, json_object *v,
			  int *ret)
{
	const char *s;
	size_t i;
	int r = get_str(c, ptr, v, "\"ro\", \"rw\" or \"rw-live\"", &s);

	if (r < 0)
		return r;
	for (i = 0; i < SBX_ARRAY_SIZE(workspace_modes); i++)
		if (strcmp(s, workspace_modes[i].name) == 0) {
			*ret = workspace_modes[i].mode;
			return 0;
		}
	return perr(c, ptr, EINVAL,
		    "\"%s\" is not a workspace mode (\"ro\", \"rw\" or "
		    "\"rw-live\")",
		    s);
}

static int set_workspace(struct pctx *c, const char *ptr, const char *path,
			 int mode)
{
	_cleanup_free_ char *full = NULL;
	int r = expand_path(c, ptr, path, &full);

	if (r < 0)
		return r;
	r = sbx_set_workspace(c->sbx, full, mode);
	return r < 0 ? setter_err(c, ptr, r) : 0;
}

static int apply_workspace(struct pctx *c, const char *ptr, json_object *v)
{
	static const char *const keys[] = { "path", "mode" };
	_cleanup_free_ char *pptr = sbx_jpos_child(ptr, "path");
	_cleanup_free_ char *mptr = sbx_jpos_child(ptr, "mode");
	json_object *path = NULL, *mode = NULL;
	const char *s;
	int m = SBX_WORKSPACE_RO, r;

	if (!pptr || !mptr)
		return -ENOMEM;
	if (json_object_is_type(v, json_type_null))
		return sbx_set_workspace(c->sbx, NULL, SBX_WORKSPACE_RO);
	if (json_object_is_type(v, json_type_string)) {
		r = get_str(c, ptr, v, "a path", &s);
		return r < 0 ? r : set_workspace(c, ptr, s, m);
	}
	if (!json_object_is_type(v, json_type_object))
		return type_err(c, ptr, v,
				"an object {\"path\": ..., \"mode\": ...}, a "
				"path or null");
	r = check_keys(c, ptr, v, keys, SBX_ARRAY_SIZE(keys));
	if (r < 0)
		return r;
	json_object_object_get_ex(v, "path", &path);
	if (json_object_object_get_ex(v, "mode", &mode)) {
		r = workspace_mode(c, mptr, mode, &m);
		if (r < 0)
			return r;
	}
	if (path && json_object_is_type(path, json_type_null))
		return sbx_set_workspace(c->sbx, NULL, SBX_WORKSPACE_RO);
	if (path) {
		r = get_str(c, pptr, path, "a path or null", &s);
		return r < 0 ? r : set_workspace(c, pptr, s, m);
	}
	r = sbx_set_workspace_mode(c->sbx, m);
	return r < 0 ? setter_err(c, mptr, r) : 0;
}

static int apply_cwd(struct pctx *c, const char *ptr, json_object *v)
{
	const char *s = NULL;
	int r = 0;

	if (!json_object_is_type(v, json_type_null))
		r = get_str(c, ptr, v, "a path inside the sandbox, or null",
			    &s);
	if (r < 0)
		return r;
	r = sbx_set_cwd(c->sbx, s);
	return r < 0 ? setter_err(c, ptr, r) : 0;
}

static int apply_bind(struct pctx *c, const char *ptr, json_object *v)
{
	static const char *const keys[] = { "src", "dst", "rw", "optional" };
	_cleanup_free_ char *full = NULL;
	json_object *x;
	const char *src = NULL, *dst = NULL;
	uint32_t flags = 0;
	int b = 0, r;

	if (json_object_is_type(v, json_type_string)) {
		r = get_str(c, ptr, v, "a path", &src);
	} else if (json_object_is_type(v, json_type_object)) {
		_cleanup_free_ char *sp = sbx_jpos_child(ptr, "src");
		_cleanup_free_ char *dp = sbx_jpos_child(ptr, "dst");
		_cleanup_free_ char *rp = sbx_jpos_child(ptr, "rw");
		_cleanup_free_ char *op = sbx_jpos_child(ptr, "optional");

		if (!sp || !dp || !rp || !op)
			return -ENOMEM;
		r = check_keys(c, ptr, v, keys, SBX_ARRAY_SIZE(keys));
		if (r < 0)
			return r;
		if (!json_object_object_get_ex(v, "src", &x))
			return perr(c, ptr, EINVAL,
				    "a bind needs \"src\", the host path");
		r = get_str(c, sp, x, "a host path", &src);
		if (!r && json_object_object_get_ex(v, "dst", &x))
			r = get_str(c, dp, x, "a path inside the sandbox",
				    &dst);
		if (!r && json_object_object_get_ex(v, "rw", &x) &&
		    !(r = get_bool(c, rp, x, &b)) && b)
			flags |= SBX_BIND_RW;
		if (!r && json_object_object_get_ex(v, "optional", &x) &&
		    !(r = get_bool(c, op, x, &b)) && b)
			flags |= SBX_BIND_TRY;
	} else {
		return type_err(c, ptr, v,
				"a path or an object {\"src\", \"dst\", "
				"\"rw\", \"optional\"}");
	}
	if (r < 0)
		return r;
	r = expand_path(c, ptr, src, &full);
	if (r < 0)
		return r;
	r = sbx_add_bind(c->sbx, full, dst, flags);
	return r < 0 ? setter_err(c, ptr, r) : 0;
}

static int apply_binds(struct pctx *c, const char *ptr, json_object *v)
{
	size_t i;
	int r = want_array(c, ptr, v);

	for (i = 0; !r && i < json_object_array_length(v); i++) {
		_cleanup_free_ char *ip = sbx_jpos_index_child(ptr, i);

		r = ip ? apply_bind(c, ip, json_object_array_get_idx(v, i))
		       : -ENOMEM;
	}
	return r;
}

static int apply_env(struct pctx *c, const char *ptr, json_object *v)
{
	int r = want_object(c, ptr, v);

	if (!r)
		r = check_duplicates(c, ptr, v);
	if (r < 0)
		return r;
	json_object_object_foreach(v, name, val) {
		_cleanup_free_ char *np = sbx_jpos_child(ptr, name);
		const char *s = NULL;

		if (!np)
			return -ENOMEM;
		if (!json_object_is_type(val, json_type_null)) {
			r = get_str(c, np, val,
				    "a string, or null for the caller's value",
				    &s);
			if (r < 0)
				return r;
		}
		r = sbx_set_env(c->sbx, name, s);
		if (r < 0)
			return setter_err(c, np, r);
	}
	return 0;
}

static int apply_network(struct pctx *c, const char *ptr, json_object *v)
{
	const char *s;
	int r = get_str(c, ptr, v, "\"none\" or \"host\"", &s);

	if (r < 0)
		return r;
	if (strcmp(s, "none") == 0)
		return sbx_set_network(c->sbx, SBX_NET_NONE);
	if (strcmp(s, "host") == 0)
		return sbx_set_network(c->sbx, SBX_NET_HOST);
	return perr(c, ptr, EINVAL,
		    "\"%s\" is not a network mode (\"none\" or \"host\")", s);
}

static int apply_flag(struct pctx *c, const char *ptr, json_object *v, int flag)
{
	int b = 0, r = get_bool(c, ptr, v, &b);

	return r < 0 ? r : sbx_set_flag(c->sbx, flag, b);
}

static int apply_read_only(struct pctx *c, const char *ptr, json_object *v)
{
	return apply_flag(c, ptr, v, SBX_FLAG_READ_ONLY);
}

static int apply_single_id(struct pctx *c, const char *ptr, json_object *v)
{
	return apply_flag(c, ptr, v, SBX_FLAG_SINGLE_ID);
}

static int apply_setid(struct pctx *c, const char *ptr, json_object *v)
{
	return apply_flag(c, ptr, v, SBX_FLAG_ALLOW_SETID);
}

static int apply_degraded(struct pctx *c, const char *ptr, json_object *v)
{
	return apply_flag(c, ptr, v, SBX_FLAG_ALLOW_DEGRADED);
}

static int apply_trusted(struct pctx *c, const char *ptr, json_object *v)
{
	return apply_flag(c, ptr, v, SBX_FLAG_ALLOW_TRUSTED_PATHS);
}

static int apply_require(struct pctx *c, const char *ptr, json_object *v)
{
	size_t i;
	int r = want_array(c, ptr, v);

	for (i = 0; !r && i < json_object_array_length(v); i++) {
		_cleanup_free_ char *ip = sbx_jpos_index_child(ptr, i);
		const char *s;

		if (!ip)
			return -ENOMEM;
		r = get_str(c, ip, json_object_array_get_idx(v, i),
			    "a layer name", &s);
		if (!r && (r = sbx_policy_require(c->sbx, s)) < 0)
			r = setter_err(c, ip, r);
	}
	return r;
}

/* ------------------------------------------------------------- limits */

/* A duration or CPUs, as a number or (a duration) a string of seconds or
 * with a unit: "500ms", "90s", "2m", "1h".  Both go through
 * sbx_parse_limit(), the check of every front end, which reads them the
 * same in any locale, rounds them alike (to the thousandth, halves up),
 * and refuses a positive value that would round to 0 (no limit). */
static int get_decimal(struct pctx *c, const char *ptr, json_object *v,
		       int kind, uint64_t *ret)
{
	char err[256], text[64];
	uint64_t whole, frac;
	const char *s;
	double d = 0;
	int r;

	if (json_object_is_type(v, json_type_string) &&
	    sbx_limit_table[kind].unit == SBX_UNIT_MS) {
		r = get_str(c, ptr, v, "", &s);
		if (r < 0)
			return r;
	} else {
		r = get_real(c, ptr, v, &d);
		if (r < 0)
			return r;
		/* in range before the conversion: 1e13 is far past either
		 * maximum, and the text stays short */
		if (d >= 1e13 && sbx_limit_table[kind].unit == SBX_UNIT_MS)
			return perr(c, ptr, EINVAL,
				    "is too long: at most 365 days");
		if (d >= 1e13)
			return perr(c, ptr, EINVAL,
				    "is larger than the maximum, %llu CPUs",
				    (unsigned long long)sbx_limit_table[kind]
						    .max /
					    1000);
		/* decimal digits, more than sbx_parse_duration()'s twelve,
		 * never an exponent, nor a locale's decimal comma */
		whole = (uint64_t)d;
		frac = (uint64_t)((d - (double)whole) * 1e15 + 0.5);
		if (frac >= 1000000000000000ull) {
			whole++;
			frac -= 1000000000000000ull;
		}
		snprintf(text, sizeof(text), "%llu.%015llu",
			 (unsigned long long)whole, (unsigned long long)frac);
		s = text;
	}
	r = sbx_parse_limit(kind, s, ret, err, sizeof(err));
	return r < 0 ? perr(c, ptr, EINVAL, "%s", err) : 0;
}

static int get_size(struct pctx *c, const char *ptr, json_object *v,
		    uint64_t *ret)
{
	const char *s;
	int r;

	if (!json_object_is_type(v, json_type_string))
		return get_u64(c, ptr, v, UINT64_MAX, ret);
	r = get_str(c, ptr, v, "", &s);
	if (r < 0)
		return r;
	r = sbx_size_parse(s, ret);
	if (r == -ERANGE)
		return perr(c, ptr, EINVAL, "\"%s\" does not fit in 64 bits",
			    s);
	if (r < 0)
		return perr(c, ptr, EINVAL,
			    "\"%s\" is not a size (a number of bytes, or a "
			    "string like \"512M\" or \"1.5G\")",
			    s);
	return 0;
}

static int apply_limit(struct pctx *c, const char *ptr, json_object *v,
		       int kind)
{
	const struct sbx_limit_info *l = &sbx_limit_table[kind];
	uint64_t value = 0;
	int r;

	switch (l->unit) {
	case SBX_UNIT_MS:
	case SBX_UNIT_MILLICPU:
		r = get_decimal(c, ptr, v, kind, &value);
		break;
	case SBX_UNIT_BYTES:
		r = get_size(c, ptr, v, &value);
		break;
	case SBX_UNIT_COUNT:
		r = get_u64(c, ptr, v, UINT64_MAX, &value);
		break;
	default:
		r = -EINVAL;
	}
	if (r < 0)
		return r;
	r = sbx_limit(c->sbx, kind, value);
	return r < 0 ? setter_err(c, ptr, r) : 0;
}

static int apply_limits(struct pctx *c, const char *ptr, json_object *v)
{
	const char *names[2 * SBX_LIMIT_KIND_MAX];
	size_t n = 0;
	int k, a, r = want_object(c, ptr, v);

	for (k = 0; k < SBX_LIMIT_KIND_MAX; k++) {
		names[n++] = sbx_limit_table[k].policy_key;
		if (sbx_limit_table[k].policy_alias)
			names[n++] = sbx_limit_table[k].policy_alias;
	}
	if (!r)
		r = check_keys(c, ptr, v, names, n);
	for (k = 0; !r && k < SBX_LIMIT_KIND_MAX; k++) {
		const struct sbx_limit_info *l = &sbx_limit_table[k];
		const char *key = NULL;
		json_object *x = NULL;

		for (a = 0; a < 2; a++) {
			const char *name = a ? l->policy_alias : l->policy_key;
			_cleanup_free_ char *ap = NULL;

			if (!name || !json_object_object_get_ex(v, name, NULL))
				continue;
			if (key) {
				ap = sbx_jpos_child(ptr, name);
				return perr(c, ap ? ap : ptr, EINVAL,
					    "\"%s\" is another name of \"%s\": "
					    "give one of them",
					    name, key);
			}
			key = name;
		}
		if (key) {
			_cleanup_free_ char *lp = sbx_jpos_child(ptr, key);

			if (!lp)
				return -ENOMEM;
			json_object_object_get_ex(v, key, &x);
			r = apply_limit(c, lp, x, k);
		}
	}
	return r;
}

/* ------------------------------------------------------------ seccomp */

static int get_errno(struct pctx *c, const char *ptr, json_object *v, int *ret)
{
	uint64_t n;
	const char *s;
	int r, e;

	if (json_object_is_type(v, json_type_string)) {
		r = get_str(c, ptr, v, "", &s);
		if (r < 0)
			return r;
		e = sbx_errno_parse(s);
		if (e < 0)
			return perr(c, ptr, EINVAL,
				    "\"%s\" is not an errno name (like "
				    "\"EPERM\" or \"EACCES\")",
				    s);
		*ret = e;
		return 0;
	}
	r = get_u64(c, ptr, v, 4095, &n);
	if (r < 0)
		return r;
	if (n == 0)
		return perr(c, ptr, EINVAL, "errno 0 would be a success");
	*ret = (int)n;
	return 0;
}

/* One entry of "allow", "deny" or "kill". */
static int apply_rule(struct pctx *c, const char *ptr, json_object *v,
		      int action)
{
	static const char *const keys[] = { "name", "errno" };
	const char *name;
	json_object *x;
	int err = 0, r;

	if (action == SBX_SYSCALL_DENY &&
	    json_object_is_type(v, json_type_object)) {
		_cleanup_free_ char *np = sbx_jpos_child(ptr, "name");
		_cleanup_free_ char *ep = sbx_jpos_child(ptr, "errno");

		if (!np || !ep)
			return -ENOMEM;
		r = check_keys(c, ptr, v, keys, SBX_ARRAY_SIZE(keys));
		if (r < 0)
			return r;
		if (!json_object_object_get_ex(v, "name", &x))
			return perr(c, ptr, EINVAL,
				    "needs \"name\", a system call");
		r = get_str(c, np, x, "a system call name", &name);
		if (!r && json_object_object_get_ex(v, "errno", &x))
			r = get_errno(c, ep, x, &err);
	} else {
		r = get_str(c, ptr, v,
			    action == SBX_SYSCALL_DENY
				    ? "a system call name or {\"name\", "
				      "\"errno\"}"
				    : "a system call name",
			    &name);
	}
	if (r < 0)
		return r;
	r = sbx_syscall_set(c->sbx, name, action, err);
	return r < 0 ? setter_err(c, ptr, r) : 0;
}

static int apply_rules(struct pctx *c, const char *ptr, json_object *v,
		       int action, json_object *seen)
{
	size_t i;
	int r = want_array(c, ptr, v);

	for (i = 0; !r && i < json_object_array_length(v); i++) {
		_cleanup_free_ char *ip = sbx_jpos_index_child(ptr, i);
		json_object *e = json_object_array_get_idx(v, i), *n = e;
		json_object *prev;

		if (!ip)
			return -ENOMEM;
		if (json_object_is_type(e, json_type_object))
			json_object_object_get_ex(e, "name", &n);
		if (n && json_object_is_type(n, json_type_string) &&
		    json_object_object_get_ex(seen, json_object_get_string(n),
					      &prev))
			return perr(c, ip, EINVAL,
				    "%s is already listed in \"%s\"",
				    json_object_get_string(n),
				    json_object_get_string(prev));
		r = apply_rule(c, ip, e, action);
		if (!r && n && json_object_is_type(n, json_type_string))
			json_object_object_add(
				seen, json_object_get_string(n),
				json_object_new_string(strrchr(ptr, '/') + 1));
	}
	return r;
}

static int apply_seccomp(struct pctx *c, const char *ptr, json_object *v)
{
	static const char *const keys[] = { "on_deny", "allow", "deny",
					    "kill" };
	static const struct {
		const char *key;
		int action;
	} lists[] = { { "allow", SBX_SYSCALL_ALLOW },
		      { "deny", SBX_SYSCALL_DENY },
		      { "kill", SBX_SYSCALL_KILL } };
	json_object *x, *seen;
	const char *s;
	size_t i;
	int r = want_object(c, ptr, v);

	if (!r)
		r = check_keys(c, ptr, v, keys, SBX_ARRAY_SIZE(keys));
	if (!r && json_object_object_get_ex(v, "on_deny", &x)) {
		_cleanup_free_ char *op = sbx_jpos_child(ptr, "on_deny");

		if (!op)
			return -ENOMEM;
		r = get_str(c, op, x, "\"errno\" or \"kill\"", &s);
		if (!r && strcmp(s, "errno") && strcmp(s, "kill"))
			r = perr(c, op, EINVAL,
				 "\"%s\" is not an action (\"errno\": the "
				 "call fails with EPERM, or \"kill\")",
				 s);
		if (!r)
			sbx_set_flag(c->sbx, SBX_FLAG_SECCOMP_KILL,
				     strcmp(s, "kill") == 0);
	}
	seen = json_object_new_object();
	if (!seen)
		return -ENOMEM;
	for (i = 0; !r && i < SBX_ARRAY_SIZE(lists); i++) {
		_cleanup_free_ char *lp = sbx_jpos_child(ptr, lists[i].key);

		if (!lp)
			r = -ENOMEM;
		else if (json_object_object_get_ex(v, lists[i].key, &x))
			r = apply_rules(c, lp, x, lists[i].action, seen);
	}
	json_object_put(seen);
	return r;
}

/* ------------------------------------------------------------ presets */

static int apply_doc(struct pctx *c, json_object *root, int nested);

int sbx_policy_reset(sbx_t *sbx)
{
	/* A terminal is a matter of standard streams, not of policy. */
	uint32_t pty = sbx->flags & (1u << SBX_FLAG_PTY);
	size_t i;

	sbx_set_workspace(sbx, NULL, SBX_WORKSPACE_RO);
	sbx_set_cwd(sbx, NULL);
	for (i = 0; i < sbx->n_binds; i++) {
		free(sbx->binds[i].src);
		free(sbx->binds[i].dst);
	}
	free(sbx->binds);
	sbx->binds = NULL;
	sbx->n_binds = 0;
	sbx_clear_env(sbx);
	sbx_config_defaults(sbx);
	sbx->flags |= pty;
	sbx_syscall_clear(sbx);
	sbx_policy_require(sbx, NULL);
	return 0;
}

static int parse(struct pctx *c, const char *text, size_t len,
		 json_object **ret);

static int apply_preset(struct pctx *c, const char *ptr, json_object *v)
{
	struct pctx p = { .sbx = c->sbx, .report = c->report };
	json_object *root = NULL;
	const char *name, *text;
	char origin[64];
	int r = get_str(c, ptr, v, "a preset name", &name);

	if (r < 0)
		return r;
	text = sbx_preset_text(name);
	if (!text)
		return perr(c, ptr, EINVAL,
			    "unknown preset \"%s\" (presets: %s)", name,
			    sbx_preset_names());
	r = sbx_policy_reset(c->sbx);
	if (r < 0)
		return r;
	snprintf(origin, sizeof(origin), "preset %s", name);
	p.origin = origin;
	p.text = text;
	r = parse(&p, text, strlen(text), &root);
	if (!r)
		r = apply_doc(&p, root, 1);
	json_object_put(root);
	sbx_jpos_free(&p.pos);
	return r;
}

/* ---------------------------------------------------------- documents */

static const struct key_spec top_keys[] = {
	{ "version", apply_version },	  { "preset", apply_preset },
	{ "workspace", apply_workspace }, { "cwd", apply_cwd },
	{ "binds", apply_binds },	  { "env", apply_env },
	{ "network", apply_network },	  { "read_only", apply_read_only },
	{ "single_id", apply_single_id }, { "allow_setid", apply_setid },
	{ "allow_degraded", apply_degraded },
	{ "allow_trusted_paths", apply_trusted },
	{ "require", apply_require },	  { "limits", apply_limits },
	{ "seccomp", apply_seccomp },
};

/* Keys in the order of top_keys, whatever their order in the text: the
 * preset first, then the rest on top of it. */
static int apply_doc(struct pctx *c, json_object *root, int nested)
{
	const char *names[SBX_ARRAY_SIZE(top_keys) + 1];
	size_t i;
	int r;

	if (!json_object_is_type(root, json_type_object))
		return perr(c, "", EINVAL,
			    "a policy is a JSON object ({ ... }), not %s",
			    type_name(root));
	for (i = 0; i < SBX_ARRAY_SIZE(top_keys); i++)
		names[i] = top_keys[i].name;
	names[i] = "$schema";
	r = check_keys(c, "", root, names, SBX_ARRAY_SIZE(names));
	if (r < 0)
		return r;
	if (nested && json_object_object_get_ex(root, "preset", NULL))
		return perr(c, "/preset", EINVAL,
			    "a preset cannot name another");
	for (i = 0; i < SBX_ARRAY_SIZE(top_keys) && !r; i++) {
		_cleanup_free_ char *ptr = sbx_jpos_child("", top_keys[i].name);
		json_object *v;

		if (!ptr)
			return -ENOMEM;
		if (json_object_object_get_ex(root, top_keys[i].name, &v))
			r = top_keys[i].apply(c, ptr, v);
	}
	return r;
}

/* json-c parses; a syntax error is reported at its line and column. */
static int parse(struct pctx *c, const char *text, size_t len,
		 json_object **ret)
{
	struct json_tokener *tok;
	struct sbx_json_locale loc;
	enum json_tokener_error e;
	json_object *root;
	const char *nul;
	size_t end, i;
	int line = 1, col = 1;

	/* json-c stops at a NUL as at the end: what follows would be
	 * ignored without a word. */
	nul = memchr(text, '\0', len);
	if (nul) {
		for (i = 0; i < (size_t)(nul - text); i++) {
			col++;
			if (text[i] == '\n') {
				line++;
				col = 1;
			}
		}
		return sbx_error(c->report, EINVAL,
				 "%s:%d:%d: a NUL byte (offset %zu): a policy "
				 "is JSON text; is this a binary or UTF-16 "
				 "file?",
				 c->origin, line, col, (size_t)(nul - text));
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					    JSON_TOKENER_VALIDATE_UTF8);
	sbx_json_locale_enter(&loc);
	root = json_tokener_parse_ex(tok, text, (int)len);
	sbx_json_locale_leave(&loc);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!root || e != json_tokener_success) {
		for (i = 0; i < end && i < len; i++) {
			col++;
			if (text[i] == '\n') {
				line++;
				col = 1;
			}
		}
		json_object_put(root);
		if (e == json_tokener_continue || (!root && !e))
			return sbx_error(c->report, EINVAL,
					 "%s:%d: the JSON document ends too "
					 "early (a missing '}' or ']'?)",
					 c->origin, line);
		return sbx_error(c->report, EINVAL,
				 "%s:%d:%d: not valid JSON: %s", c->origin,
				 line, col, json_tokener_error_desc(e));
	}
	/* Without an index the messages only lack their lines. */
	if (sbx_jpos_index(text, len, &c->pos) == -ENOMEM) {
		json_object_put(root);
		return -ENOMEM;
	}
	c->text = text;
	*ret = root;
	return 0;
}

/* The document is applied to a copy of the handle's configuration,
 * which replaces it only when every key applied: a document that fails
 * (a bad key, a list that overflows with the handle's own, out of
 * memory) leaves the handle as it was. */
int sbx_policy_load(sbx_t *sbx, const char *text, size_t len,
		    const char *origin, const char *base)
{
	struct pctx c = { .report = sbx, .origin = origin, .base = base };
	json_object *root = NULL;
	sbx_t *scratch = NULL;
	int r;

	r = parse(&c, text, len, &root);
	if (r < 0)
		return r;
	r = sbx_create(&scratch);
	if (!r)
		r = sbx_config_copy(scratch, sbx);
	if (r < 0)
		goto out;
	c.sbx = scratch;
	r = apply_doc(&c, root, 0);
	if (!r)
		sbx_config_swap(sbx, scratch);
out:
	sbx_destroy(scratch);
	json_object_put(root);
	sbx_jpos_free(&c.pos);
	return r;
}
