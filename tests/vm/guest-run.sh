#!/bin/sh
# guest-run.sh - the payload disk's entry point, run as root by the guest's
# sbx-vm-payload.service (tests/vm/build-image.sh): install the project
# built on the host, put its test programs at the build tree's path, then
# run tests/vm/payload.sh as root and as the unprivileged user inside its
# systemd user session (user@1000.service, delegated cpu, memory, pids).
set -u
p=/mnt/payload
set -a
. "$p/env"
set +a
user=sbx-test
uid=$(id -u "$user")

echo "VM: Linux $(uname -r), $(nproc) CPUs, $(sed -n 's/MemTotal: *//p' /proc/meminfo)"
cp -a "$p/install/." / && ldconfig || { echo "VM: installing failed"; exit 1; }
mkdir -p "$BUILDDIR"
cp -a "$p/build/." "$BUILDDIR/"
chmod -R a+rX "$BUILDDIR"
# the user's checks write their logs beside the root's
mkdir -p /var/tmp/sbx-vm && chmod 1777 /var/tmp/sbx-vm

# Software emulation (QEMU's multi-threaded TCG) can trip over the kernel
# patching its own code: the first CPU bandwidth limit anywhere turns the
# scheduler's cfs_bandwidth_used key on (its code rewritten through int3
# while the other vCPU runs it), and bookworm-backports' 6.12 once died of
# an int3 Oops in put_prev_entity there.  A cgroup whose cpu.max never
# throttles (ten CPUs) holds the key on for the whole boot: the
# sandboxes' limits then patch nothing.  No process ever runs in it.
keep=/sys/fs/cgroup/sbx-vm-keep-bandwidth
if mkdir -p "$keep" && { grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control ||
	echo +cpu >/sys/fs/cgroup/cgroup.subtree_control; } &&
	echo "1000000 100000" >"$keep/cpu.max"; then
	echo "VM: CPU bandwidth held on ($keep)"
else
	echo "VM: cannot hold CPU bandwidth on; an emulated CPU may trip over the kernel's code patching"
fi

echo "VM: === as root"
(cd "$BUILDDIR" && sh "$p/payload.sh" root)

# The user's session: wait for user@UID.service (lingering), then run the
# payload in a scope of its own under it, as a desktop terminal would.
i=0
while ! systemctl is-active -q "user@$uid.service" && [ $i -lt 120 ]; do
	sleep 1
	i=$((i + 1))
done
echo "VM: === as $user (uid $uid), in user@$uid.service"
echo "VM: user@$uid.service: $(systemctl is-active "user@$uid.service"), delegated: $(cat "/sys/fs/cgroup/user.slice/user-$uid.slice/user@$uid.service/cgroup.subtree_control" 2>&1)"
runuser -u "$user" -- env XDG_RUNTIME_DIR="/run/user/$uid" \
	DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus" \
	HOME="/home/$user" USER="$user" LOGNAME="$user" \
	systemd-run --user --scope --quiet --collect -- \
	sh -c "cd '$BUILDDIR' && sh '$p/payload.sh' user"
echo "VM: as $user: exit $?"

# Last: the fallback ladder with user namespaces disabled host-wide (root
# may set it here; this machine is the test's own).
echo "VM: === as root, user.max_user_namespaces=0"
(cd "$BUILDDIR" && sh "$p/payload.sh" nouserns)

# Power off at once: the guest's disk is a snapshot, nothing to save.
echo "VM: payload exit 0"
sleep 1
echo 1 >/proc/sys/kernel/sysrq
echo o >/proc/sysrq-trigger
