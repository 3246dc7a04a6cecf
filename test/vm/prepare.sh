#!/usr/bin/env bash
# Builds what the vm tier boots, outside the repo, once per kernel version:
#   $KTS_VM_CACHE (default /var/cache/keepalived-ts/vm)
#     current                          the kernel version the harness boots
#     kernel-<version>/                Debian's kernel package unpacked (never installed) + depmod
#     kernel-<version>/vmlinux         the bare ELF kernel cut out of the bzImage (qemu boots it by PVH)
#     kernel-<version>/initramfs-<h>.cpio  busybox + early modules + test/vm/initramfs/init
# <h> hashes this script and the stage-1 init, so editing either builds a new initramfs while
# other checkouts keep theirs. A second run only asks apt which kernel is current: seconds.
# Run as root after apt-get install qemu-system-x86 qemu-utils busybox-static cpio kmod xz-utils
# zstd ipvsadm. Exits non-zero, saying why, when something cannot be had.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${KTS_VM_CACHE:-/var/cache/keepalived-ts/vm}
meta_package=linux-image-amd64

# Loaded by stage 1 before anything else, dependencies first (from modules.dep). The virtio and
# 9p ones are needed to reach the root; the rest make IPVS and veth ready without modprobe.
# crc32c comes before libcrc32c because libcrc32c only names it as a soft dependency.
early_modules=(
  virtio_pci virtio_console 9pnet_virtio 9p overlay
  crc32c_generic crc32c_intel libcrc32c nf_conntrack
  ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr ip_vs_dh ip_vs_sh
  ip_vs_sed ip_vs_nq ip_vs_mh ip_vs_fo ip_vs_ovf
  veth dummy
)

say() { echo "vm prepare: $*" >&2; }
die() { say "$*"; say "the vm tier cannot run on this machine"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (apt-get download into the cache, depmod)"
for tool in qemu-system-x86_64 apt-get apt-cache dpkg-deb depmod cpio xz zstd gzip ipvsadm flock sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is missing (install qemu-system-x86 busybox-static cpio kmod xz-utils zstd ipvsadm)"
done
[ -f /usr/share/qemu/qboot.rom ] || die "/usr/share/qemu/qboot.rom is missing (package qemu-system-data)"
busybox=/bin/busybox
[ -x $busybox ] || die "$busybox is missing (package busybox-static)"
if ldd $busybox >/dev/null 2>&1; then die "$busybox is dynamically linked; install busybox-static"; fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

started=$(date +%s%N)
inputs_hash=$(cat "$here/prepare.sh" "$here/initramfs/init" | sha256sum | cut -c1-16)

# The kernel linux-image-amd64 depends on today; refresh apt's lists once if it does not know.
resolve_kernel_package() {
  apt-cache depends "$meta_package" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n1
}
package=$(resolve_kernel_package)
if [ -z "$package" ]; then
  say "apt does not know $meta_package; running apt-get update"
  apt-get update -qq >&2 || true
  package=$(resolve_kernel_package)
fi
# Offline, the kernel prepared last time is better than none.
cached_version() {
  local previous
  previous=$(cat "$cache/current" 2>/dev/null) || return 1
  [ -f "$cache/kernel-$previous/.complete" ] && echo "$previous"
}
if [ -z "$package" ]; then
  previous=$(cached_version) || die "apt cannot tell which kernel $meta_package depends on"
  say "cannot ask apt for $meta_package; using the cached kernel $previous"
  package=linux-image-$previous
fi
version=${package#linux-image-}
kernel_dir=$cache/kernel-$version

# Cuts the ELF kernel out of a bzImage: the payload is a compressed stream somewhere inside;
# try each place a known compression magic occurs until one decompresses to an ELF image.
extract_vmlinux() {
  local bzimage=$1 out=$2 magic tool offset
  for pair in '\xfd7zXZ\x00:xz' '\x28\xb5\x2f\xfd:zstd' '\x1f\x8b\x08:gzip'; do
    magic=${pair%:*} tool=${pair##*:}
    for offset in $(LC_ALL=C grep -obUaP "$magic" "$bzimage" | cut -d: -f1); do
      tail -c +$((offset + 1)) "$bzimage" | $tool -dc 2>/dev/null >"$out" || true
      [ "$(head -c4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] && return 0
    done
  done
  return 1
}

download() {
  (cd "$work" && apt-get download -q "$package" >&2) && return 0
  say "download failed; refreshing apt's lists and retrying"
  apt-get update -qq >&2 || true
  (cd "$work" && apt-get download -q "$package" >&2)
}

if [ ! -f "$kernel_dir/.complete" ]; then
  say "fetching $package"
  work=$(mktemp -d "$cache/.download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # apt drops privileges to _apt for downloads; let it write where it downloads.
  chown _apt "$work" 2>/dev/null || true
  if ! download; then
    previous=$(cached_version) || die "cannot download $package"
    say "cannot download $package; using the cached kernel $previous"
    rm -rf "$work"
    trap - EXIT
    version=$previous
    kernel_dir=$cache/kernel-$version
  fi
fi
if [ ! -f "$kernel_dir/.complete" ]; then
  mkdir "$work/root"
  dpkg-deb -x "$work"/*.deb "$work/root" || die "cannot unpack $package"
  [ -d "$work/root/lib/modules/$version" ] || die "$package has no /lib/modules/$version"
  depmod -b "$work/root" "$version" || die "depmod failed for $version"
  extract_vmlinux "$work/root/boot/vmlinuz-$version" "$work/root/vmlinux" ||
    die "cannot find an ELF vmlinux inside /boot/vmlinuz-$version"
  touch "$work/root/.complete"
  rm -rf "$kernel_dir"
  mv "$work/root" "$kernel_dir"
  rm -rf "$work"
  trap - EXIT
fi

initramfs=$kernel_dir/initramfs-$inputs_hash.cpio
if [ ! -f "$initramfs" ]; then
  say "building $(basename "$initramfs") for $version"
  modules=$kernel_dir/lib/modules/$version
  declare -A dep_of=() path_of=() seen=()
  # modules.dep lines read "kernel/x/name.ko: kernel/y/dep.ko ..."; module names treat - as _.
  while IFS= read -r line; do
    file=${line%%:*}
    name=${file##*/}; name=${name%%.ko*}; name=${name//-/_}
    path_of[$name]=$file
    dep_of[$name]=${line#*:}
  done <"$modules/modules.dep"
  builtin=$(sed 's|.*/||; s|\.ko$||; s|-|_|g' "$modules/modules.builtin")

  order=()
  visit() {
    local name=$1 dep
    [ -z "${seen[$name]:-}" ] || return 0
    seen[$name]=1
    for dep in ${dep_of[$name]}; do
      dep=${dep##*/}; dep=${dep%%.ko*}; visit "${dep//-/_}"
    done
    order+=("$name")
  }
  for name in "${early_modules[@]}"; do
    if [ -n "${path_of[$name]:-}" ]; then visit "$name"
    elif grep -qx "$name" <<<"$builtin"; then say "$name is built into $version"
    else die "kernel $version has no module $name"; fi
  done

  staging=$(mktemp -d "$cache/.initramfs.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  mkdir -p "$staging"/{bin,dev,proc,sys,modules}
  cp $busybox "$staging/bin/busybox"
  for applet in sh cat echo mkdir mount insmod uname hostname ip switch_root; do ln -s busybox "$staging/bin/$applet"; done
  cp "$here/initramfs/init" "$staging/init"
  chmod 0755 "$staging/init"
  for name in "${order[@]}"; do
    source_file=$modules/${path_of[$name]}
    case "$source_file" in
      *.ko) cp "$source_file" "$staging/modules/$name.ko" ;;
      *.ko.xz) xz -dc "$source_file" >"$staging/modules/$name.ko" ;;
      *.ko.zst) zstd -qdc "$source_file" >"$staging/modules/$name.ko" ;;
      *.ko.gz) gzip -dc "$source_file" >"$staging/modules/$name.ko" ;;
      *) die "unexpected module file $source_file" ;;
    esac
    echo "$name" >>"$staging/modules/order"
  done
  # Uncompressed: under emulation the kernel would spend longer inflating it than qemu loading it.
  (cd "$staging" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$initramfs.tmp"
  mv "$initramfs.tmp" "$initramfs"
  rm -rf "$staging"
  trap - EXIT
fi

echo "$version" >"$cache/current.tmp"
mv "$cache/current.tmp" "$cache/current"
# ~440 MB per kernel: once Debian moves on, the old one is never booted again.
for old in "$cache"/kernel-*; do
  [ "$old" = "$kernel_dir" ] || { say "removing $old"; rm -rf "$old"; }
done
# Other checkouts' initramfs builds are cheap to redo; drop the ones nobody rebuilt for a week.
find "$kernel_dir" -maxdepth 1 -name 'initramfs-*.cpio' -mtime +7 -delete
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
say "ready in ${elapsed_ms} ms: kernel $version, $(basename "$initramfs") in $kernel_dir"
