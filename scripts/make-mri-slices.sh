#!/usr/bin/env bash
# Re-creates data/mri-slices/, the real grey images that ship with the project for the HiDDeN experiment
# (docs/experiments.md, "The HiDDeN experiment" and "Data that ships or can be rebuilt offline"): 2-D slices
# of ch2.nii.gz, the Colin27 T1-weighted brain MRI (MNI, 181x217x181 voxels,
# 1 mm), as packaged by Debian in mricron-data (/usr/share/mricron/templates/ch2.nii.gz, BSD-3-clause).
# 130 slices per plane (axial, coronal, sagittal), near-empty slices skipped, intensities windowed to the
# volume's 0.5th..99.5th percentiles, padded to a square and area-averaged to 128x128 grey PNGs, plus
# labels.csv (file,plane,index). Deterministic: a re-run writes the same bytes.
# Needs python3 (standard library only) and the mricron-data package (installed with apt-get when run as
# root). Usage: scripts/make-mri-slices.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out=${1:-"$here/../data/mri-slices"}
volume=/usr/share/mricron/templates/ch2.nii.gz
expected=a009051127f64dc3dd554d5f5b589870ea72106d9642c21b4e7093e478cfc309  # mricron-data 1.2.20211006+dfsg-4
if [ ! -f "$volume" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq mricron-data >/dev/null
  else
    echo "error: $volume not found; install it with: sudo apt-get install mricron-data" >&2
    exit 1
  fi
fi
got=$(sha256sum "$volume" | cut -d' ' -f1)
if [ "$got" != "$expected" ]; then
  echo "warning: $volume has sha256 $got, not the $expected of mricron-data 1.2.20211006+dfsg-4;" \
       "the slices will differ from the committed ones" >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/mri_slices.py" "$volume" "$work/mri-slices" 130 128
mkdir -p "$out"
rm -rf "$out/axial" "$out/coronal" "$out/sagittal"
cp -r "$work/mri-slices/." "$out/"
echo "wrote $(tail -n +2 "$out/labels.csv" | wc -l) images and labels.csv to $out ($(du -sh "$out" | cut -f1))"
