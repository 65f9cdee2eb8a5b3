#!/usr/bin/env bash
# Vendor Sanbao's front-end libraries into sanbao/core/static/vendor/.
#
# Intranet deployments are offline, so nothing is ever loaded from a CDN: this
# script fetches each library from the npm registry at an EXACT version with
# `npm pack` (npm checks the tarball against the registry's integrity hash),
# copies only the built files the templates use, and records the version and
# integrity in vendor/VERSIONS. Commit the result. To upgrade a library, change
# its version below, run `make vendor-static`, check the UI, commit.
#
# Paths are stable (vendor/<lib>/...) so templates need no change on upgrade;
# ManifestStaticFilesStorage gives the files hashed names in production.
set -euo pipefail

BOOTSTRAP=5.3.9
BOOTSTRAP_ICONS=1.13.2
HTMX=2.0.11
ECHARTS=5.6.0

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/sanbao/core/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

command -v npm >/dev/null || { echo "vendor-static: npm is required (apt-get install npm)" >&2; exit 1; }

# fetch NAME VERSION: unpack NAME@VERSION into $WORK/NAME and remember its integrity.
fetch() {
    local name="$1" version="$2"
    (cd "$WORK" && npm pack --silent --json "$name@$version" >"$name.json")
    mkdir -p "$WORK/$name"
    tar -xzf "$WORK/$name-$version.tgz" -C "$WORK/$name" --strip-components=1
    local integrity
    integrity="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]))[0].integrity)' "$WORK/$name.json")"
    printf '%s %s %s\n' "$name" "$version" "$integrity" >>"$WORK/VERSIONS"
}

# copy NAME SRC... DESTDIR: copy files from the unpacked package NAME.
copy() {
    local name="$1"; shift
    local target="${*: -1}"
    mkdir -p "$DEST/$target"
    for src in "${@:1:$#-1}"; do
        cp "$WORK/$name/$src" "$DEST/$target/"
    done
}

fetch bootstrap "$BOOTSTRAP"
fetch bootstrap-icons "$BOOTSTRAP_ICONS"
fetch htmx.org "$HTMX"
fetch echarts "$ECHARTS"

rm -rf "$DEST"
mkdir -p "$DEST"

# The minified files reference their source maps; ManifestStaticFilesStorage
# follows those references, so the maps ship too.
copy bootstrap LICENSE bootstrap
copy bootstrap dist/css/bootstrap.min.css dist/css/bootstrap.min.css.map bootstrap/css
copy bootstrap dist/js/bootstrap.bundle.min.js dist/js/bootstrap.bundle.min.js.map bootstrap/js
copy bootstrap-icons font/bootstrap-icons.min.css LICENSE bootstrap-icons
copy bootstrap-icons font/fonts/bootstrap-icons.woff2 font/fonts/bootstrap-icons.woff bootstrap-icons/fonts
copy htmx.org dist/htmx.min.js LICENSE htmx
copy echarts dist/echarts.min.js LICENSE NOTICE echarts

{
    echo "# Vendored by scripts/vendor-static.sh from the npm registry: name version integrity"
    cat "$WORK/VERSIONS"
} >"$DEST/VERSIONS"

echo "vendor-static: wrote $(find "$DEST" -type f | wc -l) files to ${DEST#"$ROOT"/}"
cat "$DEST/VERSIONS"
