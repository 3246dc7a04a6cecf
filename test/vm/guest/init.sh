#!/bin/sh
# Stage 2 of the vm tier's guest: PID 1 once stage 1 (test/vm/initramfs/init) has switched to the
# overlay root, run by the host's own /bin/sh seen through 9p. It finishes the mounts a normal
# boot would make, then runs the harness's agent with the host's node until the host asks it to
# stop or goes away, and resets the VM; qemu runs with -no-reboot, so that ends qemu.

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root
LANG=C.UTF-8
export PATH HOME LANG

param() {
  for word in $(cat /proc/cmdline); do
    case "$word" in "$1="*) echo "${word#*=}"; return 0 ;; esac
  done
  return 1
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# The host's /run shows through the overlay (its netns files, pid files); start from an empty one.
mount -t tmpfs -o mode=0755 tmpfs /run

# modprobe and module autoloading (bridge, ip_vs_pe_sip, ...) need the guest kernel's own tree.
kernel=$(uname -r)
mkdir -p "/lib/modules/$kernel"
mount --bind "$(param kts.modules)" "/lib/modules/$kernel"

echo kts-vm >/proc/sys/kernel/hostname
ip link set lo up

"$(param kts.node)" "$(param kts.agent)" "$(param kts.repo)"
echo "kts-vm stage 2: agent exited with status $?" >/dev/console
sync
echo b >/proc/sysrq-trigger
