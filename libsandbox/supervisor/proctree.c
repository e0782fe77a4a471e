/* proctree.c - CPU time of the sandbox without a cgroup: every live
 * process of the tree, each with the time of the children it reaped
 * (orphans are reaped by the sandbox's init, so nothing is lost). */
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

static uint64_t tree_ticks(pid_t pid, unsigned *visited)
{
	char path[64];
	uint64_t total;
	struct dirent *de;
	DIR *tasks;

	if (++*visited > MAX_VISIT)
		return 0;
	total = proc_ticks(pid);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	if (!tasks)
		return total;
	/* every thread may have children of its own */
	while ((de = readdir(tasks))) {
		char cpath[320], buf[4096], *p, *end;

		if (de->d_name[0] == '.')
			continue;
		snprintf(cpath, sizeof(cpath), "/proc/%d/task/%s/children",
			 (int)pid, de->d_name);
		if (sup_read_file(cpath, buf, sizeof(buf)) <= 0)
			continue;
		for (p = buf; *p; p = end) {
			long child = strtol(p, &end, 10);

			if (end == p)
				break;
			total += tree_ticks((pid_t)child, visited);
			while (*end == ' ')
				end++;
		}
	}
	closedir(tasks);
	return total;
}

int64_t sup_tree_cpu_us(pid_t root)
{
	static long hz;
	unsigned visited = 0;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	return (int64_t)(tree_ticks(root, &visited) * 1000000ull /
			 (uint64_t)hz);
}
