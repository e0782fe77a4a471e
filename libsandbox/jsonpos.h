/* jsonpos.h - where each value of a JSON document starts: json-c parses
 * and validates policies but keeps no positions, so this index of an
 * already-parsed text maps JSON pointers ("/binds/0/src") to lines for the
 * messages, and counts each object's keys to find duplicates (json-c
 * silently keeps the last). */
#ifndef SBX_JSONPOS_H
#define SBX_JSONPOS_H

#include <locale.h>
#include <stddef.h>

struct sbx_jpos_entry {
	char *ptr;    /* JSON pointer of the value ("" for the root) */
	int line;     /* of the key in an object, else of the value */
	size_t start; /* the value's raw text: [start, end) */
	size_t end;
	size_t n_keys; /* objects: keys seen, duplicates included */
};

struct sbx_jpos {
	struct sbx_jpos_entry *e;
	size_t n;
};

/* json-c reads numbers in a C locale it derives from the thread's: when
 * that is another (a caller that set LC_NUMERIC to de_DE), glibc's
 * newlocale() leaks the locale's composite name at every parse.  Parsing
 * between these, in the C locale (glibc's is a static object), leaks
 * nothing and gives the same values. */
struct sbx_json_locale {
	locale_t c;
	locale_t old;
};
void sbx_json_locale_enter(struct sbx_json_locale *l);
void sbx_json_locale_leave(struct sbx_json_locale *l);
/* json_tokener_parse() between the two */
struct json_object *sbx_json_parse(const char *text);
/* The document o as the library shows it (sbx policy show, explain,
 * the Docker profile): indented, spaced, '/' unescaped; malloc'd, NULL
 * when out of memory.  o is put either way. */
char *sbx_json_text(struct json_object *o);

/* Index text (already accepted by json-c).  0, -ENOMEM, or -EINVAL when
 * the text is not the JSON it should be. */
int sbx_jpos_index(const char *text, size_t len, struct sbx_jpos *ret);
void sbx_jpos_free(struct sbx_jpos *p);
const struct sbx_jpos_entry *sbx_jpos_find(const struct sbx_jpos *p,
					   const char *ptr);
/* The line of ptr, or of its nearest indexed parent; 0 when unknown. */
int sbx_jpos_line(const struct sbx_jpos *p, const char *ptr);
/* The second occurrence of a key repeated in the object at ptr, or
 * NULL. */
const struct sbx_jpos_entry *sbx_jpos_duplicate(const struct sbx_jpos *p,
						const char *ptr);
/* Append a key or an index to a JSON pointer ('~' and '/' escaped). */
char *sbx_jpos_child(const char *ptr, const char *key);
char *sbx_jpos_index_child(const char *ptr, size_t index);
/* "/binds/0/src" -> "binds[0].src", for messages. */
char *sbx_jpos_display(const char *ptr);

#endif
