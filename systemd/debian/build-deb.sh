#!/usr/bin/env bash
# `npm run package:deb`: builds keepalived-ts_<version>_<arch>.deb with dpkg-deb from this
# checkout, no debhelper or source package needed; the last line printed is the .deb's path.
# DEBFULLNAME and DEBEMAIL name the maintainer, as for Debian's own tools.
#   /usr/lib/keepalived-ts/     dist/, bin/, the addon, production node_modules (native parts built)
#   /usr/sbin/                  keepalived-ts, ipvsadm-ts (wrappers that run Debian's node)
#   /lib/systemd/system/        keepalived-ts.service, keepalived-ts-nonroot.service
#   /usr/lib/sysusers.d/        the keepalived-ts system user of the non-root unit
#   /etc/default/keepalived-ts, /etc/keepalived/keepalived.conf (an all-comment example): conffiles
#   /usr/share/man/man8/        keepalived-ts.8, ipvsadm-ts.8, generated from the built CLI
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
here=systemd/debian

npm run --silent build >&2
[ -f build/Release/kts_native.node ] || { echo "build/Release/kts_native.node is missing: run npm ci first" >&2; exit 1; }

version=$(node -p 'require("./package.json").version')
debversion="$version-1"
arch=$(dpkg --print-architecture)
maintainer="${DEBFULLNAME:-keepalived-ts developers} <${DEBEMAIL:-keepalived-ts@localhost}>"
nodeabi=$(node -p 'process.versions.node.split(".")[0]')
out=${KTS_DEB_OUT:-$repo/.cache/deb}
stage=$(mktemp -d "${TMPDIR:-/tmp}/kts-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root
lib=$root/usr/lib/keepalived-ts

# the application and its production dependencies, as npm resolved them (nothing is fetched)
mkdir -p "$lib/build/Release"
cp -r package.json package-lock.json dist bin "$lib/"
rm -f "$lib/dist/.tsbuildinfo"; find "$lib/dist" -name "*.map" -delete
cp build/Release/kts_native.node "$lib/build/Release/"
cp -r node_modules "$lib/"
(cd "$lib" && npm prune --omit=dev --ignore-scripts --no-audit --no-fund >&2)
# compiler leftovers and what no production code reads
find "$lib/node_modules" \( -name obj.target -o -name '.deps' -o -name '*.md' -o -name '*.markdown' -o -name test -o -name tests -o -name example -o -name examples -o -name benchmarks -o -name '.github' -o -name '*.ts' -o -name '*.map' -o -name Makefile -o -name '*.mk' -o -name 'config.gypi' -o -name LICENSE -o -name 'LICENSE.*' -o -name '*.gyp' -o -name '.*ignore' -o -name '.eslintrc*' -o -name '.npmignore' -o -name '.travis.yml' \) -prune -exec rm -rf {} +
# header-only build dependencies (the addons are built) and files lintian rightly flags
rm -rf "$lib/node_modules/nan" "$lib/node_modules/node-addon-api" "$lib/node_modules/pino/index.html" "$lib/node_modules/pino/bin.js"
find "$lib/node_modules" \( -name '.husky' -o -name '.gitattributes' -o -name '*.sh' -o -name 'build-test.js' \) -prune -exec rm -rf {} +
# prebuilt addons for other platforms (node-gyp-build picks linux-<arch> or build/Release)
nodearch=$(node -p 'process.arch')
find "$lib/node_modules" -path '*/prebuilds/*' -maxdepth 4 -type d ! -name "linux-$nodearch" -prune -exec rm -rf {} +
find "$lib/node_modules" -type d -empty -delete
find "$root" -type f -name '*.node' -exec strip --strip-unneeded {} +
rm -f "$lib/package-lock.json"
find "$root" -type d -exec chmod 0755 {} + ; find "$root" -type f -exec chmod 0644 {} +
chmod 0755 "$lib/bin/"*
# the scripts a package runs as commands keep their #! line working (node-gyp-build's bin)
find "$lib/node_modules" -name '*.js' -exec awk 'FNR == 1 && /^#!/ { print FILENAME } { nextfile }' {} + | xargs -r chmod 0755

# every addon must load in the node the package depends on (a checkout whose addon was built
# by another Node would ship a broken daemon)
for addon in $(find "$lib" -path '*/build/Release/*.node'); do
  node -e 'require(process.argv[1])' "$addon" || { echo "$addon does not load in node $(node --version): npm rebuild first" >&2; exit 1; }
done

mkdir -p "$root/usr/sbin"
for cmd in keepalived-ts ipvsadm-ts; do
  printf '#!/bin/sh\nexec /usr/bin/node /usr/lib/keepalived-ts/bin/%s "$@"\n' "$cmd" > "$root/usr/sbin/$cmd"
  chmod 0755 "$root/usr/sbin/$cmd"
done

install -D -m 0644 systemd/keepalived-ts.service "$root/lib/systemd/system/keepalived-ts.service"
install -D -m 0644 systemd/keepalived-ts-nonroot.service "$root/lib/systemd/system/keepalived-ts-nonroot.service"
install -D -m 0644 systemd/sysusers.d/keepalived-ts.conf "$root/usr/lib/sysusers.d/keepalived-ts.conf"
install -D -m 0644 systemd/keepalived-ts.default "$root/etc/default/keepalived-ts"
install -D -m 0644 "$here/keepalived.conf" "$root/etc/keepalived/keepalived.conf"

mkdir -p "$root/usr/share/man/man8"
node "$here/man-pages.mjs" "$root/usr/share/man/man8" "$version"
gzip -9n "$root/usr/share/man/man8/"*.8

doc=$root/usr/share/doc/keepalived-ts
install -D -m 0644 "$here/copyright" "$doc/copyright"
install -m 0644 docs/operations.md "$doc/operations.md"
when=$(date -R -u -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")
printf 'keepalived-ts (%s) unstable; urgency=medium\n\n  * Built from this checkout by npm run package:deb.\n\n -- %s  %s\n' \
  "$debversion" "$maintainer" "$when" | gzip -9n > "$doc/changelog.Debian.gz"
chmod 0644 "$doc/changelog.Debian.gz"

mkdir -p "$root/DEBIAN"
for script in postinst postrm; do install -m 0755 "$here/$script" "$root/DEBIAN/$script"; done
printf '/etc/default/keepalived-ts\n/etc/keepalived/keepalived.conf\n' > "$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$debversion/" -e "s/@MAINTAINER@/$maintainer/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
  -e "s/@NODE_MAJOR@/$nodeabi/g" -e "s/@NODE_NEXT@/$((nodeabi + 1))/g" "$here/control" > "$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control" "$root/DEBIAN/conffiles"

mkdir -p "$out"
deb=$out/keepalived-ts_${debversion}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
