#!/bin/sh
# build-image.sh - build the Debian 12 guest that tests/vm/run.sh boots:
# a debootstrap minbase with systemd, AppArmor, Python and Debian's own
# kernel(s), an unprivileged user with a lingering systemd session, and a
# oneshot unit that runs whatever the payload disk (/dev/vdb) brings, then
# powers off.  Usage: build-image.sh DIR.  Two kernels, each bootable:
# "stock" (bookworm's linux-image-amd64, 6.1) and, where the archive has
# it, "backports" (bookworm-backports' newer one).  Writes DIR/rootfs.img,
# DIR/vmlinuz-KERNEL, DIR/initrd-KERNEL and DIR/guest.env.  Needs root,
# debootstrap and Debian's archive.
set -eu
out=$1
mirror=${SBX_VM_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
# the unprivileged user of the payload: uid 1000, with a subordinate range
user=sbx-test

root=$out/root
rm -rf "$root" "$out/rootfs.img" "$out/guest.env.tmp"
mkdir -p "$out"
echo "build-image: debootstrap $suite from $mirror into $root"
debootstrap --variant=minbase \
	--include=systemd,systemd-sysv,udev,dbus,dbus-user-session,libpam-systemd,python3,util-linux,initramfs-tools,apparmor,kmod,procps,uidmap,libseccomp2,libnl-3-200,libnl-route-3-200,libjson-c5,libcunit1 \
	"$suite" "$root" "$mirror" >"$out/debootstrap.log" 2>&1 ||
	{ tail -20 "$out/debootstrap.log"; exit 1; }

# A small initrd: the root is a virtio disk with ext4, nothing else.
cat >"$root/etc/initramfs-tools/conf.d/sbx-vm.conf" <<'CONF'
MODULES=list
COMPRESS=gzip
CONF
printf 'virtio_pci\nvirtio_blk\next4\n' >>"$root/etc/initramfs-tools/modules"

cat >"$root/etc/apt/sources.list" <<SRC
deb $mirror $suite main
deb $mirror $suite-updates main
deb $mirror $suite-backports main
SRC
chroot_apt() {
	DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -o Dpkg::Use-Pty=0 \
		-y -qq --no-install-recommends "$@" >>"$out/apt.log" 2>&1 ||
		{ tail -20 "$out/apt.log"; return 1; }
}
mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
chroot_apt update
for k in stock backports; do
	case $k in
	stock) echo "build-image: kernel linux-image-amd64 ($suite)"
		chroot_apt install linux-image-amd64 ;;
	backports) echo "build-image: kernel linux-image-amd64 ($suite-backports)"
		chroot_apt install -t "$suite-backports" linux-image-amd64 ||
			{ echo "build-image: no backports kernel"; continue; } ;;
	esac
	# the newest kernel image installed is this one
	v=$(ls -v "$root/boot" | sed -n 's/^vmlinuz-//p' | tail -1)
	[ "$k" = stock ] || ! grep -q "=$v\$" "$out/guest.env.tmp" || continue
	cp "$root/boot/vmlinuz-$v" "$out/vmlinuz-$k"
	cp "$root/boot/initrd.img-$v" "$out/initrd-$k"
	echo "KERNEL_$k=$v" >>"$out/guest.env.tmp"
done
umount "$root/proc"
trap - EXIT

# Boot to the payload and nothing else: no login prompts, no first-boot
# questions, no timers.
echo sbx-vm >"$root/etc/hostname"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$root/etc/fstab"
for u in getty@tty1.service serial-getty@ttyS0.service \
	serial-getty@ttyS1.service console-getty.service \
	systemd-firstboot.service systemd-timesyncd.service \
	apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
	e2scrub_reap.service fstrim.timer dpkg-db-backup.timer; do
	ln -sf /dev/null "$root/etc/systemd/system/$u"
done

# The unprivileged user: a subordinate range (newuidmap is exercised) and
# a lingering systemd user session (user@1000.service, delegated cpu,
# memory and pids, as on a desktop).
chroot "$root" useradd --uid 1000 --create-home --shell /bin/sh "$user"
echo "$user:300000:65536" >"$root/etc/subuid"
echo "$user:300000:65536" >"$root/etc/subgid"
mkdir -p "$root/var/lib/systemd/linger"
touch "$root/var/lib/systemd/linger/$user"

# The payload: whatever /dev/vdb brings, its output on the second serial
# port, then power off however it ended.
cat >"$root/usr/local/sbin/sbx-vm-payload" <<'SH'
#!/bin/sh
# Run the payload disk's "run" script, its output on /dev/ttyS1.
stty -F /dev/ttyS1 raw -echo 115200 2>/dev/null
exec >/dev/ttyS1 2>&1
mkdir -p /mnt/payload
mount -o ro /dev/vdb /mnt/payload || { echo "VM: no payload disk"; exit 1; }
sh /mnt/payload/run
echo "VM: payload exit $?"
SH
chmod 755 "$root/usr/local/sbin/sbx-vm-payload"
cat >"$root/etc/systemd/system/sbx-vm-payload.service" <<'UNIT'
[Unit]
Description=libsandbox VM payload
DefaultDependencies=no
Requires=sysinit.target
After=multi-user.target user@1000.service
Wants=user@1000.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/sbx-vm-payload
StandardInput=null
TimeoutStartSec=infinity
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/sbx-vm-payload.service \
	"$root/etc/systemd/system/multi-user.target.wants/sbx-vm-payload.service"

# What the host needs to install into the guest.
{
	cat "$out/guest.env.tmp"
	echo "PYTHON_SITE=$(chroot "$root" /usr/bin/python3 -c \
		'import sysconfig; print(sysconfig.get_path("platlib"))')"
	echo "PYTHON_EXT=$(chroot "$root" /usr/bin/python3 -c \
		'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
	echo "GLIBC=$(chroot "$root" /usr/bin/ldd --version | sed -n '1s/.* //p')"
} >"$out/guest.env"
rm -f "$out/guest.env.tmp"

# Smaller and faster to copy: no documentation, no apt lists, and none of
# the kernel's modules for hardware a QEMU guest does not have.
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* \
	"$root"/usr/share/locale/* "$root"/var/lib/apt/lists/* \
	"$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
for m in "$root"/lib/modules/*/kernel/drivers; do
	rm -rf "$m"/gpu "$m"/media "$m"/net/wireless "$m"/net/ethernet \
		"$m"/infiniband "$m"/staging "$m"/iio "$m"/bluetooth \
		"$m"/isdn "$m"/hid "$m"/input "$m"/usb "$m"/scsi "$m"/sound
done
rm -rf "$root"/lib/modules/*/kernel/sound "$root"/lib/firmware
for v in "$root"/lib/modules/*; do
	chroot "$root" depmod "${v##*/}"
done

size=$(du -sm "$root" | cut -f1)
echo "build-image: mkfs.ext4 of ${size} MiB"
mkfs.ext4 -q -F -L sbx-vm -d "$root" "$out/rootfs.img" "$((size * 3 / 2 + 512))M"
rm -rf "$root"
echo "build-image: done"
