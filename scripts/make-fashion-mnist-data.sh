#!/usr/bin/env bash
# Re-creates data/fashion-mnist/*.gz, the four Fashion-MNIST IDX files (Xiao, Rasul and Vollgraf 2017; 60,000
# training and 10,000 test images of 28x28 grey pixels, 10 classes; copyright 2017 Zalando SE, licence Expat/MIT),
# from the Debian bookworm package dataset-fashion-mnist 0.0~git20200523.55506a9-1, which holds the upstream
# .gz files unchanged under /usr/share/datasets/fashion-mnist/. They are in MNIST's IDX format: MnistData reads them.
# Tries apt-get download first; without apt (or where the archive lacks that version) fetches the same .deb from
# the Debian pool with curl. Checks the sha256 of the .deb and of each .gz, which is copied byte for byte.
# Needs network access to the Debian archive and dpkg-deb. Usage: scripts/make-fashion-mnist-data.sh [OUT_DIR]
set -euo pipefail
out=${1:-"$(cd "$(dirname "$0")/.." && pwd)/data/fashion-mnist"}
version=0.0~git20200523.55506a9-1
deb=dataset-fashion-mnist_${version}_all.deb
pool=http://deb.debian.org/debian/pool/main/d/dataset-fashion-mnist
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() {
  got=$(sha256sum "$1" | cut -d' ' -f1)
  if [ "$got" != "$2" ]; then
    echo "error: $1 has sha256 $got, expected $2" >&2
    exit 1
  fi
}
if ! (cd "$work" && apt-get download -q "dataset-fashion-mnist=$version" >/dev/null 2>&1); then
  echo "apt-get download dataset-fashion-mnist=$version failed; fetching $pool/$deb" >&2
  curl -fsSL -o "$work/$deb" "$pool/${deb//\~/%7E}"
fi
check "$work/$deb" 39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0
dpkg-deb -x "$work/$deb" "$work/x"
declare -A sha=(
  [train-images-idx3-ubyte.gz]=b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7
  [train-labels-idx1-ubyte.gz]=0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056
  [t10k-images-idx3-ubyte.gz]=cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa
  [t10k-labels-idx1-ubyte.gz]=8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05
)
mkdir -p "$out"
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  src="$work/x/usr/share/datasets/fashion-mnist/$f"
  check "$src" "${sha[$f]}"
  cp "$src" "$out/$f.tmp" && mv "$out/$f.tmp" "$out/$f"
  echo "wrote $out/$f"
done
