# tests/vm/local.mk - `make check-vm`: the payload (tests/vm/payload.sh) in
# Debian 12's own kernel booted by QEMU (tests/vm/run.sh; root only, and
# it skips with the reason where QEMU or Debian's archive cannot be had).
# The guest image is kept in tests/vm/cache of the build tree, the logs
# of each boot in tests/vm/KERNEL.
VM_FILES = tests/vm/run.sh tests/vm/build-image.sh tests/vm/guest-run.sh \
	tests/vm/payload.sh
EXTRA_DIST += $(VM_FILES)

check-vm: all
	$(MAKE) $(AM_MAKEFLAGS) check TESTS=
	srcdir=$(srcdir) $(SHELL) $(srcdir)/tests/vm/run.sh

distclean-local: distclean-vm
distclean-vm:
	rm -rf tests/vm/cache tests/vm/stock tests/vm/backports
