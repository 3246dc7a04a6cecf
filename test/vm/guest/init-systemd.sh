#!/bin/sh
# Stage 2 of the vm tier's systemd guest (systemdVm in harness/vm.ts): stage 1 has built the
# same overlay root as for the plain guest; this script writes two runtime units and hands PID 1
# to the host's own systemd. kts-vm.target wants basic.target (journald, sockets, sysinit) and
# the agent, which runs as kts-agent.service; when the agent exits (the host's shutdown, or the
# host end of its port closing) systemd resets the VM, and qemu (-no-reboot) exits.
# Units of the host's that need hardware, a network or a real disk, or only cost emulated time
# (udev, timers, fsck, getty), are masked for this boot; the host's enabled services
# (multi-user.target) are never reached.
#   $1 node binary   $2 agent script   $3 repo

units=/run/systemd/system
mkdir -p "$units"
cat >"$units/kts-agent.service" <<UNIT
[Unit]
Description=keepalived-ts vm agent
DefaultDependencies=no
SuccessAction=reboot-immediate
FailureAction=reboot-immediate

[Service]
Environment=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
ExecStart=$1 $2 $3
KillMode=process
UNIT
cat >"$units/kts-vm.target" <<UNIT
[Unit]
Description=keepalived-ts vm: the basic system and the agent
Wants=basic.target kts-agent.service
UNIT
for unit in systemd-udevd.service systemd-udev-trigger.service systemd-udev-settle.service \
  systemd-udevd-control.socket systemd-udevd-kernel.socket timers.target systemd-fsck-root.service \
  systemd-remount-fs.service systemd-timesyncd.service getty.target console-getty.service \
  systemd-firstboot.service systemd-hwdb-update.service systemd-random-seed.service \
  systemd-binfmt.service proc-sys-fs-binfmt_misc.automount sys-kernel-debug.mount \
  sys-kernel-tracing.mount sys-fs-fuse-connections.mount dev-hugepages.mount e2scrub_reap.service \
  systemd-pcrphase.service systemd-pcrphase-sysinit.service systemd-update-utmp.service \
  systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service ldconfig.service \
  systemd-journal-catalog-update.service systemd-machine-id-commit.service systemd-journal-flush.service \
  systemd-modules-load.service kmod-static-nodes.service apparmor.service dbus.socket; do
  ln -sf /dev/null "$units/$unit"
done
exec /lib/systemd/systemd --unit=kts-vm.target --log-target=journal-or-kmsg
