/* proctree.c - the sandbox's processes without a cgroup: every live
 * process of the tree (for its CPU time, and its memory: memwatch.c),
 * each with the time of the children it reaped (orphans are reaped by the
 * sandbox's init, so nothing is lost). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "readfile.h"
#include "sup.h"

#define MAX_VISIT 65536

/* utime + stime + cutime + cstime of one process, in clock ticks. */
static uint64_t proc_ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st, cut, cst;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (sup_read_file(path, buf, sizeof(buf)) <= 0)
		return 0;
	/* the command may hold spaces and ')': skip to the last ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
			 "%llu %llu %llu",
			 &ut, &st, &cut, &cst) != 4)
		return 0;
	return ut + st + cut + cst;
}

/* The children of one thread, all of them (a fork bomb's list is longer
 * than a page); NULL when there are none. */
static pid_t *children(pid_t pid, const char *tid, size_t *ret_n)
{
	char path[320];
	size_t len = 0, cap = 4096, n = 0;
	char *buf = malloc(cap), *p, *end;
	pid_t *pids = NULL;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/children", (int)pid,
		 tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && buf) {
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				break;
			buf = nb;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (fd >= 0)
		close(fd);
	if (buf && len) {
		buf[len] = '\0';
		/* at most one pid per two bytes */
		pids = malloc((len / 2 + 1) * sizeof(*pids));
		for (p = buf; pids && *p; p = end) {
			long child = strtol(p, &end, 10);

			if (end == p)
				break;
			pids[n++] = (pid_t)child;
			while (*end == ' ')
				end++;
		}
	}
	free(buf);
	*ret_n = n;
	return pids;
}

static void walk(pid_t pid, void (*fn)(pid_t, void *), void *arg,
		 unsigned *visited)
{
	char path[64];
	struct dirent *de;
	DIR *tasks;

	if (++*visited > MAX_VISIT)
		return;
	fn(pid, arg);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	if (!tasks)
		return;
	/* every thread may have children of its own */
	while ((de = readdir(tasks))) {
		size_t i, n;
		pid_t *kids;

		if (de->d_name[0] == '.')
			continue;
		kids = children(pid, de->d_name, &n);
		for (i = 0; i < n; i++)
			walk(kids[i], fn, arg, visited);
		free(kids);
	}
	closedir(tasks);
}

void sup_tree_walk(pid_t root, void (*fn)(pid_t pid, void *arg), void *arg)
{
	unsigned visited = 0;

	walk(root, fn, arg, &visited);
}

static void add_ticks(pid_t pid, void *arg)
{
	*(uint64_t *)arg += proc_ticks(pid);
}

int64_t sup_tree_cpu_us(pid_t root)
{
	static long hz;
	uint64_t ticks = 0;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	sup_tree_walk(root, add_ticks, &ticks);
	return (int64_t)(ticks * 1000000ull / (uint64_t)hz);
}
