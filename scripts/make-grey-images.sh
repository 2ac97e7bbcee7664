#!/usr/bin/env bash
# Re-creates data/grey-images/, real grey images that ship with the project as extra HiDDeN carriers
# (data/grey-images/README.md, docs/hidden.md "More carriers"): 128x128 grey PNG crops of the brain MRI slices and
# Visible Woman cryosections of insighttoolkit5-examples 5.2.1-5+deb12u1 (Apache-2.0), the two uncompressed
# clinical DICOM images of python3-pydicom 2.3.1-1 (MIT) and the photographs, scans and textures of python3-skimage
# 0.19.3-8 (BSD-3-Clause; the images' own notes in README.md), plus sources.csv (file,package,source,left,top,side).
# Needs apt-get download (network access to the Debian archive), dpkg-deb and python3 (standard library only);
# nothing is installed. Checks each package's sha256. Deterministic: a re-run writes the same bytes.
# Usage: scripts/make-grey-images.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out=${1:-"$here/../data/grey-images"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() {  # package version sha256
  local deb="${1}_${2//:/%3a}_all.deb"
  if ! (cd "$work" && apt-get download -q "$1=$2" >/dev/null 2>&1); then
    echo "error: apt-get download $1=$2 failed; it needs the Debian archive (bookworm) in the apt sources" >&2
    exit 1
  fi
  local got
  got=$(sha256sum "$work/$deb" | cut -d' ' -f1)
  if [ "$got" != "$3" ]; then
    echo "error: $deb has sha256 $got, expected $3" >&2
    exit 1
  fi
  dpkg-deb -x "$work/$deb" "$work/x"
}
fetch insighttoolkit5-examples 5.2.1-5+deb12u1 6ca1f323eac0b3cba50e786bbf0f2c76ed44b52ecb9e7aeea808ccc42bf09f69
fetch python3-pydicom 2.3.1-1 fc00b7d2a85c136fddc4430d451d069f6d8b93138ed2523011646756208b0287
fetch python3-skimage 0.19.3-8 728d88c3e3440f1f3712de0805dc834d29248ff07e1eec8c0f3da07606f752f9
python3 "$here/grey_images.py" "$work/x/usr/share/doc/insighttoolkit5-examples/examples/Data" \
  "$work/x/usr/lib/python3/dist-packages/pydicom/data/test_files" \
  "$work/x/usr/lib/python3/dist-packages/skimage/data" "$work/grey-images"
mkdir -p "$out"
find "$out" -maxdepth 1 \( -name '*.png' -o -name sources.csv \) -delete
cp "$work/grey-images/"* "$out/"
echo "wrote $(tail -n +2 "$out/sources.csv" | wc -l) images and sources.csv to $out ($(du -sh "$out" | cut -f1))"
