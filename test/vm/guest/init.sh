#!/bin/sh
# Stage 2 of the vm tier's guest: PID 1 once stage 1 (test/vm/initramfs/init) has mounted
# everything and switched to the overlay root, run by the host's own /bin/sh seen through 9p.
# A shell stays PID 1 because it reaps orphans (daemons tests start and stop) while it waits.
# It runs the harness's agent with the host's node until the host asks it to stop or goes away,
# then resets the VM; qemu runs with -no-reboot, so that ends qemu.
#   $1 node binary   $2 agent script   $3 repo

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root
LANG=C.UTF-8
export PATH HOME LANG

"$1" "$2" "$3"
echo "kts-vm stage 2: agent exited with status $?" >/dev/console
sync
echo b >/proc/sysrq-trigger
