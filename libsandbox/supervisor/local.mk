# libsandbox/supervisor/local.mk - sbx-supervisor, the executable that
# builds and watches each sandbox (docs/design.md); included by
# Makefile.am.

libexec_PROGRAMS = sbx-supervisor
sbx_supervisor_SOURCES = \
	libsandbox/supervisor/apply.c \
	libsandbox/supervisor/budgets.c \
	libsandbox/supervisor/cgroup.c \
	libsandbox/supervisor/cgroup.h \
	libsandbox/supervisor/config.c \
	libsandbox/supervisor/dbus.c \
	libsandbox/supervisor/dbus.h \
	libsandbox/supervisor/degraded.c \
	libsandbox/supervisor/fail.c \
	libsandbox/supervisor/idmap.c \
	libsandbox/supervisor/landlock.c \
	libsandbox/supervisor/layers.c \
	libsandbox/supervisor/limits.c \
	libsandbox/supervisor/main.c \
	libsandbox/supervisor/memwatch.c \
	libsandbox/supervisor/mounts.c \
	libsandbox/supervisor/namespaces.c \
	libsandbox/supervisor/network.c \
	libsandbox/supervisor/probe.c \
	libsandbox/supervisor/process.c \
	libsandbox/supervisor/proctree.c \
	libsandbox/supervisor/pty.c \
	libsandbox/supervisor/readfile.c \
	libsandbox/supervisor/readfile.h \
	libsandbox/supervisor/relay.c \
	libsandbox/supervisor/relay.h \
	libsandbox/supervisor/report.c \
	libsandbox/supervisor/sockmem.c \
	libsandbox/supervisor/sup.h \
	libsandbox/supervisor/sup-policy.h \
	libsandbox/supervisor/systemd.c \
	libsandbox/supervisor/systemd.h \
	libsandbox/supervisor/watch.c
sbx_supervisor_SOURCES += $(LIBSANDBOX_SHARED_SOURCES)
sbx_supervisor_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(JSONC_CFLAGS)
sbx_supervisor_LDADD = $(SUP_LIBNL_LIBS) $(JSONC_LIBS)
if SANITIZERS
sbx_supervisor_SOURCES += libsandbox/sanitizers.c libsandbox/sanitizers.h
endif
