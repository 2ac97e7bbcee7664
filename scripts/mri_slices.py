#!/usr/bin/env python3
"""Cuts 2-D grey PNG slices out of a NIfTI-1 volume (Python 3 standard library only).

Used by scripts/make-mri-slices.sh on ch2.nii.gz (the Colin27 T1 brain MRI from Debian's mricron-data).
For each of the three planes (axial, coronal, sagittal) it drops near-empty slices, keeps `per_plane`
evenly spaced ones, maps intensities to 0..255 with the volume's robust percentiles, pads the slice to a
square (background 0, centred), resamples it to size x size by area averaging, and writes an 8-bit grey
PNG. Everything is deterministic: same input, same bytes.

Usage: mri_slices.py VOLUME.nii[.gz] OUT_DIR [PER_PLANE] [SIZE]
"""
import gzip
import os
import struct
import sys
import zlib

# NIfTI-1 datatype codes -> struct format characters.
DATATYPES = {2: "B", 4: "h", 8: "i", 16: "f", 64: "d", 256: "b", 512: "H", 768: "I"}
LOW_PERCENTILE = 0.5
HIGH_PERCENTILE = 99.5
# A slice is near-empty when fewer than this fraction of its pixels is brighter than 10% of the range.
MIN_FOREGROUND = 0.15


def read_nifti(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 348:
        sys.exit(f"error: {path} is shorter than a NIfTI-1 header (348 bytes)")
    endian = "<" if struct.unpack("<i", data[0:4])[0] == 348 else ">"
    if struct.unpack(endian + "i", data[0:4])[0] != 348:
        sys.exit(f"error: {path} is not NIfTI-1 (sizeof_hdr is not 348)")
    if data[344:347] not in (b"n+1", b"ni1"):
        sys.exit(f"error: {path} has no NIfTI-1 magic (got {data[344:348]!r})")
    dims = struct.unpack(endian + "8h", data[40:56])
    datatype, bitpix = struct.unpack(endian + "hh", data[70:74])
    vox_offset = int(struct.unpack(endian + "f", data[108:112])[0])
    slope, inter = struct.unpack(endian + "ff", data[112:120])
    if dims[0] < 3 or any(d > 1 for d in dims[4:1 + dims[0]]):
        sys.exit(f"error: {path} is not a single 3-D volume (dim = {dims})")
    if datatype not in DATATYPES:
        sys.exit(f"error: {path} has NIfTI datatype {datatype}, not one of {sorted(DATATYPES)}")
    nx, ny, nz = dims[1], dims[2], dims[3]
    count = nx * ny * nz
    fmt = endian + str(count) + DATATYPES[datatype]
    need = vox_offset + struct.calcsize(fmt)
    if len(data) < need:
        sys.exit(f"error: {path} is truncated: {len(data)} bytes, header announces {need}")
    values = struct.unpack_from(fmt, data, vox_offset)
    if slope not in (0.0, 1.0) or inter != 0.0:
        values = [v * (slope if slope != 0.0 else 1.0) + inter for v in values]
    return (nx, ny, nz), values, datatype, bitpix, vox_offset, slope, inter


def percentile(sorted_values, p):
    k = (len(sorted_values) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def slices(shape, values, plane):
    """Yields (index, rows) for each slice of `plane`, oriented for display (top = anterior/superior)."""
    nx, ny, nz = shape

    def v(x, y, z):
        return values[x + nx * (y + ny * z)]

    if plane == "axial":  # fixed z; rows = y (anterior on top), columns = x
        for z in range(nz):
            yield z, [[v(x, y, z) for x in range(nx)] for y in reversed(range(ny))]
    elif plane == "coronal":  # fixed y; rows = z (superior on top), columns = x
        for y in range(ny):
            yield y, [[v(x, y, z) for x in range(nx)] for z in reversed(range(nz))]
    elif plane == "sagittal":  # fixed x; rows = z (superior on top), columns = y
        for x in range(nx):
            yield x, [[v(x, y, z) for y in range(ny)] for z in reversed(range(nz))]


def area_weights(n_in, n_out):
    """For each output pixel, the (input index, weight) pairs of an exact box (area-averaging) resampling."""
    scale = n_in / n_out
    table = []
    for o in range(n_out):
        start, end = o * scale, (o + 1) * scale
        pairs = []
        i = int(start)
        while i < end and i < n_in:
            overlap = min(end, i + 1) - max(start, i)
            if overlap > 1e-12:
                pairs.append((i, overlap / scale))
            i += 1
        table.append(pairs)
    return table


def pad_square(rows):
    h, w = len(rows), len(rows[0])
    n = max(h, w)
    top, left = (n - h) // 2, (n - w) // 2
    out = [[0.0] * n for _ in range(n)]
    for r in range(h):
        out[top + r][left:left + w] = rows[r]
    return out


def resize(img, size):
    n = len(img)
    table = area_weights(n, size)
    tmp = [[sum(row[i] * w for i, w in pairs) for pairs in table] for row in img]  # columns
    return [[sum(tmp[i][c] * w for i, w in pairs) for c in range(size)] for pairs in table]  # rows


def png(pixels, size):
    """An 8-bit greyscale PNG; each row uses the filter (None, Sub, Up, Paeth) with the smallest sum."""
    raw = bytearray()
    prev = bytes(size)
    for row in pixels:
        cur = bytes(row)
        candidates = [bytes([0]) + cur,
                      bytes([1]) + bytes((cur[i] - (cur[i - 1] if i else 0)) & 0xFF for i in range(size)),
                      bytes([2]) + bytes((cur[i] - prev[i]) & 0xFF for i in range(size))]
        paeth = bytearray([4])
        for i in range(size):
            a = cur[i - 1] if i else 0
            b = prev[i]
            c = prev[i - 1] if i else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            paeth.append((cur[i] - pred) & 0xFF)
        candidates.append(bytes(paeth))
        raw += min(candidates, key=lambda f: sum(x if x < 128 else 256 - x for x in f[1:]))
        prev = cur

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    volume, out = sys.argv[1], sys.argv[2]
    per_plane = int(sys.argv[3]) if len(sys.argv) > 3 else 130
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 128
    shape, values, datatype, bitpix, vox_offset, slope, inter = read_nifti(volume)
    print(f"{volume}: {shape[0]}x{shape[1]}x{shape[2]} voxels, datatype {datatype} ({bitpix} bit),"
          f" vox_offset {vox_offset}, scl_slope {slope}, scl_inter {inter}")
    ordered = sorted(values)
    lo, hi = percentile(ordered, LOW_PERCENTILE), percentile(ordered, HIGH_PERCENTILE)
    if hi <= lo:
        sys.exit(f"error: {volume} has no intensity range (percentiles {lo}, {hi})")
    print(f"intensity window: {LOW_PERCENTILE}th percentile {lo:g} -> 0, {HIGH_PERCENTILE}th percentile {hi:g} -> 255")
    labels = ["file,plane,index"]
    for plane in ("axial", "coronal", "sagittal"):
        kept = []
        for index, rows in slices(shape, values, plane):
            norm = [[min(1.0, max(0.0, (x - lo) / (hi - lo))) for x in row] for row in rows]
            bright = sum(1 for row in norm for x in row if x > 0.1)
            if bright >= MIN_FOREGROUND * len(norm) * len(norm[0]):
                kept.append((index, norm))
        if len(kept) < per_plane:
            sys.exit(f"error: only {len(kept)} {plane} slices are not near-empty, fewer than {per_plane}")
        # Evenly spaced picks over the non-empty slices, first and last included.
        picks = [kept[round(k * (len(kept) - 1) / (per_plane - 1))] for k in range(per_plane)]
        os.makedirs(os.path.join(out, plane), exist_ok=True)
        for index, norm in picks:
            small = resize(pad_square(norm), size)
            pixels = [[int(min(255, max(0, round(x * 255)))) for x in row] for row in small]
            name = f"{plane}/{plane}-{index:03d}.png"
            with open(os.path.join(out, name), "wb") as f:
                f.write(png(pixels, size))
            labels.append(f"{name},{plane},{index}")
        print(f"{plane}: {len(kept)} of {dict(axial=shape[2], coronal=shape[1], sagittal=shape[0])[plane]}"
              f" slices not near-empty, wrote {per_plane}")
    with open(os.path.join(out, "labels.csv"), "w", newline="\n") as f:
        f.write("\n".join(labels) + "\n")


if __name__ == "__main__":
    main()
