/* jsonpos.c - an index of where values start in a JSON text that json-c
 * has accepted (see jsonpos.h).  It follows only the structure: strings,
 * brackets, commas and colons; json-c decodes the keys. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpos.h"

enum jstate {
	J_VALUE,	/* a value is next */
	J_KEY_OR_END,	/* in an object: a key or '}' */
	J_COLON,	/* after a key */
	J_COMMA_OR_END, /* after a value */
	J_VALUE_OR_END, /* in an array, at the start: a value or ']' */
	J_DONE,
};

struct jframe {
	int is_object;
	size_t index; /* arrays: of the next element */
	char *ptr;    /* the container's pointer */
	char *key;    /* objects: the pointer of the pending key */
	int key_line;
	size_t entry; /* the container's entry */
};

struct scan {
	const char *t;
	size_t len, pos;
	int line;
	struct sbx_jpos *out;
	struct jframe *stack;
	size_t depth, cap;
	enum jstate st;
};

static char *escape_key(const char *key)
{
	size_t n = 0;
	const char *k;
	char *out, *o;

	for (k = key; *k; k++)
		n += (*k == '~' || *k == '/') ? 2 : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (k = key, o = out; *k; k++) {
		if (*k == '~' || *k == '/') {
			*o++ = '~';
			*o++ = *k == '~' ? '0' : '1';
		} else {
			*o++ = *k;
		}
	}
	*o = '\0';
	return out;
}

char *sbx_jpos_child(const char *ptr, const char *key)
{
	char *esc = escape_key(key), *out = NULL;

	if (esc && asprintf(&out, "%s/%s", ptr, esc) < 0)
		out = NULL;
	free(esc);
	return out;
}

char *sbx_jpos_index_child(const char *ptr, size_t index)
{
	char *out;

	return asprintf(&out, "%s/%zu", ptr, index) < 0 ? NULL : out;
}

/* Skip blanks and the comments json-c accepts, counting lines. */
static void skip_blank(struct scan *s)
{
	while (s->pos < s->len) {
		char c = s->t[s->pos];

		if (c == '\n') {
			s->line++;
			s->pos++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			s->pos++;
		} else if (c == '/' && s->pos + 1 < s->len &&
			   s->t[s->pos + 1] == '/') {
			while (s->pos < s->len && s->t[s->pos] != '\n')
				s->pos++;
		} else if (c == '/' && s->pos + 1 < s->len &&
			   s->t[s->pos + 1] == '*') {
			s->pos += 2;
			while (s->pos + 1 < s->len &&
			       !(s->t[s->pos] == '*' &&
				 s->t[s->pos + 1] == '/')) {
				if (s->t[s->pos] == '\n')
					s->line++;
				s->pos++;
			}
			s->pos += 2;
		} else {
			return;
		}
	}
}

/* The end of the string token starting at pos (a quote). */
static size_t string_end(const struct scan *s, size_t pos)
{
	char q = s->t[pos];

	for (pos++; pos < s->len; pos++) {
		if (s->t[pos] == '\\')
			pos++;
		else if (s->t[pos] == q)
			return pos + 1;
	}
	return s->len;
}

static size_t literal_end(const struct scan *s, size_t pos)
{
	while (pos < s->len && !strchr(",]} \t\r\n/:", s->t[pos]))
		pos++;
	return pos;
}

void sbx_json_locale_enter(struct sbx_json_locale *l)
{
	l->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	l->old = l->c ? uselocale(l->c) : (locale_t)0;
}

void sbx_json_locale_leave(struct sbx_json_locale *l)
{
	if (!l->c)
		return;
	uselocale(l->old);
	freelocale(l->c);
}

json_object *sbx_json_parse(const char *text)
{
	struct sbx_json_locale l;
	json_object *o;

	sbx_json_locale_enter(&l);
	o = json_tokener_parse(text);
	sbx_json_locale_leave(&l);
	return o;
}

char *sbx_json_text(json_object *o)
{
	char *text = strdup(json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			   JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return text;
}

/* The key at [start, end), decoded by json-c. */
static char *decode_key(const struct scan *s, size_t start, size_t end)
{
	json_object *o;
	char *raw = strndup(s->t + start, end - start), *key = NULL;

	if (!raw)
		return NULL;
	o = sbx_json_parse(raw);
	if (o && json_object_is_type(o, json_type_string))
		key = strdup(json_object_get_string(o));
	json_object_put(o);
	free(raw);
	return key;
}

static int add_entry(struct scan *s, char *ptr, int line, size_t start)
{
	struct sbx_jpos *p = s->out;
	struct sbx_jpos_entry *n;

	n = realloc(p->e, (p->n + 1) * sizeof(*n));
	if (!n) {
		free(ptr);
		return -ENOMEM;
	}
	p->e = n;
	n[p->n] = (struct sbx_jpos_entry){ ptr, line, start, start, 0 };
	p->n++;
	return 0;
}

static int push(struct scan *s, int is_object, const char *ptr, size_t entry)
{
	struct jframe *f;

	if (s->depth == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		f = realloc(s->stack, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		s->stack = f;
		s->cap = cap;
	}
	f = &s->stack[s->depth++];
	memset(f, 0, sizeof(*f));
	f->is_object = is_object;
	f->entry = entry;
	f->ptr = strdup(ptr);
	return f->ptr ? 0 : -ENOMEM;
}

/* A value starts at pos: index it, then enter it or skip over it. */
static int value(struct scan *s)
{
	struct jframe *f = s->depth ? &s->stack[s->depth - 1] : NULL;
	char c = s->t[s->pos];
	char *ptr;
	int line = s->line, r;
	size_t entry;

	if (!f)
		ptr = strdup("");
	else if (f->is_object) {
		ptr = f->key;
		f->key = NULL;
		line = f->key_line;
	} else {
		ptr = sbx_jpos_index_child(f->ptr, f->index);
	}
	if (!ptr)
		return -ENOMEM;
	entry = s->out->n;
	r = add_entry(s, ptr, line, s->pos);
	if (r < 0)
		return r;
	if (c == '{' || c == '[') {
		s->pos++;
		s->st = c == '{' ? J_KEY_OR_END : J_VALUE_OR_END;
		return push(s, c == '{', s->out->e[entry].ptr, entry);
	}
	s->pos = c == '"' ? string_end(s, s->pos) : literal_end(s, s->pos);
	s->out->e[entry].end = s->pos;
	s->st = f ? J_COMMA_OR_END : J_DONE;
	return 0;
}

static void pop(struct scan *s)
{
	struct jframe *f = &s->stack[--s->depth];

	s->out->e[f->entry].end = s->pos;
	free(f->ptr);
	free(f->key);
	s->st = s->depth ? J_COMMA_OR_END : J_DONE;
}

static int step(struct scan *s)
{
	struct jframe *f = s->depth ? &s->stack[s->depth - 1] : NULL;
	char c = s->t[s->pos];
	size_t end;
	char *key;

	switch (s->st) {
	case J_VALUE:
		return value(s);
	case J_VALUE_OR_END:
		if (c == ']') {
			s->pos++;
			pop(s);
			return 0;
		}
		return value(s);
	case J_KEY_OR_END:
		if (c == '}') {
			s->pos++;
			pop(s);
			return 0;
		}
		if (c != '"' && c != '\'')
			return -EINVAL;
		end = string_end(s, s->pos);
		key = decode_key(s, s->pos, end);
		if (!key)
			return -ENOMEM;
		free(f->key);
		f->key = sbx_jpos_child(f->ptr, key);
		free(key);
		if (!f->key)
			return -ENOMEM;
		f->key_line = s->line;
		s->out->e[f->entry].n_keys++;
		s->pos = end;
		s->st = J_COLON;
		return 0;
	case J_COLON:
		if (c != ':')
			return -EINVAL;
		s->pos++;
		s->st = J_VALUE;
		return 0;
	case J_COMMA_OR_END:
		s->pos++;
		if (c == ',') {
			if (f->is_object) {
				s->st = J_KEY_OR_END;
			} else {
				f->index++;
				s->st = J_VALUE;
			}
			return 0;
		}
		if (c == (f->is_object ? '}' : ']')) {
			pop(s);
			return 0;
		}
		return -EINVAL;
	case J_DONE:
		return -EINVAL;
	}
	return -EINVAL;
}

int sbx_jpos_index(const char *text, size_t len, struct sbx_jpos *ret)
{
	struct scan s = {
		.t = text, .len = len, .line = 1, .out = ret, .st = J_VALUE
	};
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	for (;;) {
		skip_blank(&s);
		if (s.pos >= s.len || r < 0)
			break;
		r = step(&s);
	}
	while (s.depth)
		pop(&s);
	free(s.stack);
	if (r == 0 && s.st != J_DONE)
		r = -EINVAL;
	if (r < 0)
		sbx_jpos_free(ret);
	return r;
}

void sbx_jpos_free(struct sbx_jpos *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->e[i].ptr);
	free(p->e);
	p->e = NULL;
	p->n = 0;
}

const struct sbx_jpos_entry *sbx_jpos_find(const struct sbx_jpos *p,
					   const char *ptr)
{
	size_t i;

	/* the last one: json-c keeps the last of repeated keys */
	for (i = p->n; i-- > 0;)
		if (strcmp(p->e[i].ptr, ptr) == 0)
			return &p->e[i];
	return NULL;
}

int sbx_jpos_line(const struct sbx_jpos *p, const char *ptr)
{
	char *copy = strdup(ptr), *slash;
	int line = 0;

	while (copy) {
		const struct sbx_jpos_entry *e = sbx_jpos_find(p, copy);

		if (e) {
			line = e->line;
			break;
		}
		slash = strrchr(copy, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	free(copy);
	return line;
}

/* The direct children of the object at ptr, in order of appearance. */
const struct sbx_jpos_entry *sbx_jpos_duplicate(const struct sbx_jpos *p,
						const char *ptr)
{
	size_t i, j, n = strlen(ptr);

	for (i = 0; i < p->n; i++) {
		const char *a = p->e[i].ptr;

		if (strncmp(a, ptr, n) != 0 || a[n] != '/' ||
		    strchr(a + n + 1, '/'))
			continue;
		for (j = i + 1; j < p->n; j++)
			if (strcmp(p->e[j].ptr, a) == 0)
				return &p->e[j];
	}
	return NULL;
}

/* Decode one pointer segment ("a~1b" -> "a/b"). */
static void unescape(char *seg)
{
	char *r = seg, *w = seg;

	while (*r) {
		if (r[0] == '~' && (r[1] == '0' || r[1] == '1')) {
			*w++ = r[1] == '0' ? '~' : '/';
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

char *sbx_jpos_display(const char *ptr)
{
	char *copy = strdup(ptr), *seg, *save = NULL, *out;
	size_t cap = strlen(ptr) * 2 + 16, len = 0;

	out = malloc(cap);
	if (!copy || !out) {
		free(copy);
		free(out);
		return NULL;
	}
	out[0] = '\0';
	for (seg = strtok_r(copy, "/", &save); seg;
	     seg = strtok_r(NULL, "/", &save)) {
		int is_index = strspn(seg, "0123456789") == strlen(seg);

		unescape(seg);
		len += (size_t)snprintf(out + len, cap - len,
					is_index ? "[%s]"
					: len	 ? ".%s"
						 : "%s",
					seg);
	}
	if (!len)
		snprintf(out, cap, "(the document)");
	free(copy);
	return out;
}
