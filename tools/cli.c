/* cli.c - what every command of sbx says the same way: a failure, and
 * text wrapped for the terminal. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sbx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_SETUP;
}

void cli_wrap(FILE *f, const char *first, const char *text, int indent)
{
	int col = fprintf(f, "%s", first), fresh = col == 0;
	const char *p = text ? text : "";

	while (*p) {
		int n = (int)strcspn(p, " ");

		if (!fresh && col > indent && col + 1 + n > 79) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			fresh = 1;
		}
		if (!fresh) {
			fputc(' ', f);
			col++;
		}
		col += fprintf(f, "%.*s", n, p);
		fresh = 0;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}
