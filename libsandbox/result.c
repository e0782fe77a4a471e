/* result.c - the supervisor's result record and its JSON form. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const status_names[SBX_STATUS_MAX] = {
	[SBX_STATUS_EXITED] = "exited",
	[SBX_STATUS_SIGNALED] = "signaled",
	[SBX_STATUS_TIMEOUT] = "timeout",
	[SBX_STATUS_SETUP_ERROR] = "setup_error",
	[SBX_STATUS_CPU_LIMIT] = "cpu_limit",
	[SBX_STATUS_MEMORY_LIMIT] = "memory_limit",
	[SBX_STATUS_PIDS_LIMIT] = "pids_limit",
	[SBX_STATUS_KILLED] = "killed",
};

void sbx_result_reset(sbx_t *sbx)
{
	int i;

	sbx->has_result = 0;
	memset(&sbx->res, 0, sizeof(sbx->res));
	free(sbx->res_msg);
	free(sbx->res_layers);
	free(sbx->res_json);
	free(sbx->res_withheld);
	free(sbx->res_unapplied_dir);
	sbx->res_unapplied_dir = NULL;
	free(sbx->pol.reason);
	sbx->res_msg = sbx->res_layers = sbx->res_json = NULL;
	sbx->res_withheld = NULL;
	sbx->res_withheld_len = 0;
	sbx->pol.reason = NULL;
	for (i = 0; i < 3; i++)
		sbx_buf_free(&sbx->out[i]);
	if (sbx->state == SBX_STATE_DONE)
		sbx->state = SBX_STATE_IDLE;
}

int sbx_json_escape(struct sbx_buf *b, const char *s, size_t len)
{
	size_t i;
	int r = sbx_buf_append(b, "\"", 1);

	for (i = 0; i < len && !r; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			r = sbx_buf_append(b, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			r = sbx_buf_append(b, esc, 6);
		} else {
			r = sbx_buf_append(b, &s[i], 1);
		}
	}
	return r ? r : sbx_buf_append(b, "\"", 1);
}

/* "degraded", "degraded_reason" and what a degraded run did not hide
 * (layers.c's table: the network's part only with the host's network). */
int sbx_policy_result_json(const sbx_t *sbx, struct sbx_buf *b)
{
	const char *reason = sbx->pol.reason;
	size_t i;
	int r, first = 1;

	static const char no[] = ",\"degraded\":false,\"degraded_reason\":null"
				 ",\"degraded_not_hidden\":null";
	static const char yes[] = ",\"degraded\":true,\"degraded_reason\":";
	static const char list[] = ",\"degraded_not_hidden\":[";

	if (!sbx->res.degraded)
		return sbx_buf_append(b, no, sizeof(no) - 1);
	r = sbx_buf_append(b, yes, sizeof(yes) - 1);
	if (!r)
		r = sbx_json_escape(b, reason ? reason : "",
				    reason ? strlen(reason) : 0);
	if (!r)
		r = sbx_buf_append(b, list, sizeof(list) - 1);
	for (i = 0; i < sbx_n_degraded_unhidden && !r; i++) {
		const char *what = sbx_degraded_unhidden[i].what;

		if (sbx_degraded_unhidden[i].net_host &&
		    sbx->net != SBX_NET_HOST)
			continue;
		if (!first)
			r = sbx_buf_append(b, ",", 1);
		first = 0;
		if (!r)
			r = sbx_json_escape(b, what, strlen(what));
	}
	return r ? r : sbx_buf_append(b, "]", 1);
}

static int appendf(struct sbx_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int appendf(struct sbx_buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -EINVAL;
	return sbx_buf_append(b, tmp, (size_t)n);
}

static int layers_json(struct sbx_buf *b, const char *layers)
{
	const char *p = layers;
	int r = sbx_buf_append(b, "[", 1), first = 1;

	while (*p && !r) {
		const char *e = strchrnul(p, ' ');

		if (e > p) {
			if (!first)
				r = sbx_buf_append(b, ",", 1);
			if (!r)
				r = sbx_json_escape(b, p, (size_t)(e - p));
			first = 0;
		}
		p = *e ? e + 1 : e;
	}
	return r ? r : sbx_buf_append(b, "]", 1);
}

/* The trusted paths the apply withheld, as a JSON array. */
static int withheld_json(struct sbx_buf *b, const char *list, size_t len)
{
	size_t off = 0;
	int r = sbx_buf_append(b, "[", 1);

	while (!r && off < len) {
		size_t n = strnlen(list + off, len - off);

		if (off)
			r = sbx_buf_append(b, ",", 1);
		if (!r)
			r = sbx_json_escape(b, list + off, n);
		off += n + 1;
	}
	return r ? r : sbx_buf_append(b, "]", 1);
}

/* The program exited by itself: a plain exit, or a failure at the pids or
 * memory limit that it ended with an exit code (the supervisor's
 * program_failed: never 0 then).  Else the JSON's exit_code is null, so
 * that a timeout or a setup error never reads as an exit 0. */
static int exited_itself(const struct sbx_wire_result *res)
{
	if (res->status == SBX_STATUS_EXITED)
		return 1;
	return (res->status == SBX_STATUS_PIDS_LIMIT ||
		res->status == SBX_STATUS_MEMORY_LIMIT) &&
	       !res->signal && res->exit_code;
}

static int build_json(sbx_t *sbx)
{
	const struct sbx_wire_result *res = &sbx->res;
	struct sbx_buf b = { 0 };
	char code[16] = "null";
	int i, r;

	if (exited_itself(res))
		snprintf(code, sizeof(code), "%d", res->exit_code);
	r = appendf(&b,
		    "{\"status\":\"%s\",\"exit_code\":%s,\"signal\":%d,"
		    "\"wall_ms\":%llu,\"cpu_ms\":%llu,\"cpu_user_ms\":%llu,"
		    "\"cpu_system_ms\":%llu,\"peak_memory_bytes\":%llu,"
		    "\"output_truncated\":%s,\"stdout_truncated\":%s,"
		    "\"stderr_truncated\":%s,\"disk_full\":%s,\"id_range\":%u,",
		    status_names[res->status], code, res->signal,
		    (unsigned long long)res->wall_ms,
		    (unsigned long long)(res->cpu_user_ms + res->cpu_system_ms),
		    (unsigned long long)res->cpu_user_ms,
		    (unsigned long long)res->cpu_system_ms,
		    (unsigned long long)res->peak_memory,
		    res->truncated[1] || res->truncated[2] ? "true" : "false",
		    res->truncated[1] ? "true" : "false",
		    res->truncated[2] ? "true" : "false",
		    res->disk_full ? "true" : "false", res->id_range);
	if (!r)
		r = sbx_buf_append(&b, "\"layers\":", 9);
	if (!r)
		r = layers_json(&b, sbx->res_layers);
	if (!r)
		r = sbx_buf_append(&b, ",\"limits\":{", 11);
	for (i = 0; i < SBX_LIMIT_KIND_MAX && !r; i++)
		r = appendf(&b,
			    "%s\"%s\":{\"value\":%llu,\"mechanism\":\"%s\","
			    "\"fired\":%s}",
			    i ? "," : "", sbx_limit_table[i].result_key,
			    (unsigned long long)res->limits[i].value,
			    sbx_mech_name(res->limits[i].mechanism),
			    res->limits[i].fired ? "true" : "false");
	if (!r)
		r = appendf(&b,
			    "},\"workspace\":{\"mode\":\"%s\",\"budgeted\":%s,"
			    "\"changes_applied\":%u,\"apply_errno\":%d,"
			    "\"withheld_count\":%u,\"unapplied_count\":%u,"
			    "\"unapplied_dir\":",
			    !sbx->workspace ? "none"
			    : sbx->workspace_mode == SBX_WORKSPACE_RO ? "ro"
			    : sbx->workspace_mode == SBX_WORKSPACE_RW ? "rw"
								     : "rw-live",
			    sbx->workspace &&
					    sbx->workspace_mode ==
						    SBX_WORKSPACE_RW_LIVE
				    ? "false"
				    : "true",
			    res->workspace_changes, res->workspace_apply_errno,
			    res->withheld, res->unapplied);
	if (!r && sbx->res_unapplied_dir && sbx->res_unapplied_dir[0])
		r = sbx_json_escape(&b, sbx->res_unapplied_dir,
				    strlen(sbx->res_unapplied_dir));
	else if (!r)
		r = sbx_buf_append(&b, "null", 4);
	if (!r)
		r = sbx_buf_append(&b, "}", 1);
	if (!r)
		r = sbx_buf_append(&b, ",\"withheld\":", 12);
	if (!r)
		r = withheld_json(&b, sbx->res_withheld,
				  sbx->res_withheld_len);
	if (!r)
		r = sbx_buf_append(&b, ",\"setup_error\":", 15);
	if (!r && res->status == SBX_STATUS_SETUP_ERROR) {
		r = appendf(&b, "{\"step\":\"%s\",\"errno\":%d,\"message\":",
			    sbx_step_name(res->setup_step), res->setup_errno);
		if (!r)
			r = sbx_json_escape(&b, sbx->res_msg,
					    strlen(sbx->res_msg));
		if (!r)
			r = sbx_buf_append(&b, "}", 1);
	} else if (!r) {
		r = sbx_buf_append(&b, "null", 4);
	}
	if (!r)
		r = sbx_buf_append(&b, ",\"message\":", 11);
	if (!r)
		r = sbx_json_escape(&b, sbx->res_msg, strlen(sbx->res_msg));
	if (!r) /* "degraded", "degraded_reason" */
		r = sbx_policy_result_json(sbx, &b);
	if (!r)
		r = sbx_buf_append(&b, "}", 2); /* with the NUL */
	if (r < 0) {
		sbx_buf_free(&b);
		return r;
	}
	sbx->res_json = b.data;
	return 0;
}

static char *text_dup(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

int sbx_result_take(sbx_t *sbx, const char *data, size_t len)
{
	struct sbx_wire_result res;
	int r;

	if (!data || len < sizeof(res))
		return -EPROTO;
	memcpy(&res, data, sizeof(res));
	if (res.magic != SBX_WIRE_MAGIC || res.status >= SBX_STATUS_MAX ||
	    (size_t)res.msg_len + res.layers_len + res.reason_len +
			    res.withheld_len + res.unapplied_dir_len >
		    len - sizeof(res))
		return -EPROTO;
	sbx->res = res;
	sbx->res_msg = text_dup(data + sizeof(res), res.msg_len);
	sbx->res_layers =
		text_dup(data + sizeof(res) + res.msg_len, res.layers_len);
	sbx->pol.reason = text_dup(data + sizeof(res) + res.msg_len +
					   res.layers_len,
				   res.reason_len);
	sbx->res_withheld = text_dup(data + sizeof(res) + res.msg_len +
					     res.layers_len + res.reason_len,
				     res.withheld_len);
	sbx->res_withheld_len = res.withheld_len;
	sbx->res_unapplied_dir =
		text_dup(data + sizeof(res) + res.msg_len + res.layers_len +
				 res.reason_len + res.withheld_len,
			 res.unapplied_dir_len);
	if (!sbx->res_msg || !sbx->res_layers || !sbx->pol.reason ||
	    !sbx->res_withheld || !sbx->res_unapplied_dir)
		return -ENOMEM;
	r = build_json(sbx);
	if (r < 0)
		return r;
	sbx->has_result = 1;
	if (res.status == SBX_STATUS_SETUP_ERROR) {
		sbx_error(sbx, 0, "%s", sbx->res_msg);
		/* the step's own errno, as SBX_RESULT_SETUP_ERRNO */
		sbx->errnum = res.setup_errno > 0 ? res.setup_errno : EIO;
	}
	return 0;
}
