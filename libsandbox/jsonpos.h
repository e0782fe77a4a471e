/* jsonpos.h - where each value of a JSON document starts: json-c parses
 * and validates policies but keeps no positions, so this index of an
 * already-parsed text maps JSON pointers ("/binds/0/src") to lines for the
 * messages, and counts each object's keys to find duplicates (json-c
 * silently keeps the last). */
#ifndef SBX_JSONPOS_H
#define SBX_JSONPOS_H

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
