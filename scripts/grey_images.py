#!/usr/bin/env python3
"""Cuts 128x128 grey PNG carriers out of the real images of three Debian packages (Python 3 standard library only).

Used by scripts/make-grey-images.sh. The sources (SOURCES below) are the brain MRI slices and the Visible Woman
cryosections of insighttoolkit5-examples, the two uncompressed clinical DICOM images (a CT and an MR) of
python3-pydicom, and the photographs, scans and textures of python3-skimage. Each source is turned grey (ITU-R BT.601
luma for colour images; DICOM intensities windowed to their 0.5th..99.5th percentiles), then cut into square crops at
up to three scales: the centred square of the shorter side, and non-overlapping grids of squares of a half and a
quarter of it (side >= 96 px), at most MAX_PER_SOURCE per source (evenly spaced picks, the centred square first). A crop that is nearly uniform (standard deviation below 0.04) or
mostly black (fewer than 15% of its pixels above 0.1) is dropped. Every crop is area-averaged to 128x128 (or upsampled
by pixel repetition when the source is smaller) and written as an 8-bit grey PNG, with sources.csv
(file,package,source,left,top,side). Same input, same bytes.

Usage: grey_images.py ITK_DATA_DIR PYDICOM_TEST_FILES_DIR SKIMAGE_DATA_DIR OUT_DIR [SIZE]
"""
import os
import struct
import sys
import zlib

from mri_slices import pad_square, percentile, png, resize

# (package, folder argument index, file name, short name)
SOURCES = [
    ("insighttoolkit5-examples", 0, "BrainProtonDensitySlice.png", "itk-brain-pd"),
    ("insighttoolkit5-examples", 0, "BrainT1Slice.png", "itk-brain-t1"),
    ("insighttoolkit5-examples", 0, "BrainProtonDensitySliceRotated10.png", "itk-brain-pd-rotated"),
    ("insighttoolkit5-examples", 0, "BrainProtonDensitySliceR10X13Y17S12.png", "itk-brain-pd-moved"),
    ("insighttoolkit5-examples", 0, "BrainProtonDensitySliceBSplined10.png", "itk-brain-pd-warped"),
    ("insighttoolkit5-examples", 0, "BrainT1SliceBorder20.png", "itk-brain-t1-border"),
    ("insighttoolkit5-examples", 0, "BrainMidSagittalSlice.png", "itk-brain-midsagittal"),
    ("insighttoolkit5-examples", 0, "FatMRISlice.png", "itk-fat-mri"),
    ("insighttoolkit5-examples", 0, "VisibleWomanHeadSlice.png", "itk-visible-woman-head"),
    ("insighttoolkit5-examples", 0, "VisibleWomanEyeSlice.png", "itk-visible-woman-eye"),
    ("python3-pydicom", 1, "CT_small.dcm", "pydicom-ct"),
    ("python3-pydicom", 1, "MR_small.dcm", "pydicom-mr"),
    ("python3-skimage", 2, "camera.png", "skimage-camera"),
    ("python3-skimage", 2, "astronaut.png", "skimage-astronaut"),
    ("python3-skimage", 2, "coffee.png", "skimage-coffee"),
    ("python3-skimage", 2, "chelsea.png", "skimage-chelsea"),
    ("python3-skimage", 2, "coins.png", "skimage-coins"),
    ("python3-skimage", 2, "moon.png", "skimage-moon"),
    ("python3-skimage", 2, "page.png", "skimage-page"),
    ("python3-skimage", 2, "text.png", "skimage-text"),
    ("python3-skimage", 2, "cell.png", "skimage-cell"),
    ("python3-skimage", 2, "clock_motion.png", "skimage-clock"),
    ("python3-skimage", 2, "ihc.png", "skimage-ihc"),
    ("python3-skimage", 2, "brick.png", "skimage-brick"),
    ("python3-skimage", 2, "grass.png", "skimage-grass"),
    ("python3-skimage", 2, "gravel.png", "skimage-gravel"),
]
MIN_CROP = 96
MAX_PER_SOURCE = 12
MIN_STD = 0.04
MIN_FOREGROUND = 0.15


def fail(message):
    sys.exit("error: " + message)


def read_png(path):
    """The pixels of a non-interlaced PNG as rows of grey values in [0, 1] (colour: BT.601 luma)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG file")
    pos, idat, palette, header = 8, bytearray(), None, None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = [tuple(body[i:i + 3]) for i in range(0, len(body), 3)]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour)
    if channels is None or depth not in (8, 16) or (colour == 3 and depth != 8) or interlace:
        fail(f"{path}: PNG colour type {colour}, bit depth {depth}, interlace {interlace} is not supported")
    sample = depth // 8
    bpp = channels * sample
    stride = width * bpp
    raw = zlib.decompress(bytes(idat))
    rows, prev = [], bytearray(stride)
    for r in range(height):
        filt, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 0xFF
            elif filt == 2:
                line[i] = (line[i] + b) & 0xFF
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 0xFF
            elif filt != 0:
                fail(f"{path}: unknown PNG row filter {filt}")
        prev = line
        top = float((1 << depth) - 1)
        values = ([int.from_bytes(line[i:i + 2], "big") for i in range(0, stride, 2)] if sample == 2 else list(line))
        row = []
        for x in range(width):
            px = values[x * channels:(x + 1) * channels]
            if colour == 3:
                red, green, blue = palette[px[0]]
                row.append((0.299 * red + 0.587 * green + 0.114 * blue) / 255.0)
            elif colour in (2, 6):
                row.append((0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2]) / top)
            else:
                row.append(px[0] / top)
        rows.append(row)
    return rows


EXPLICIT_LE, IMPLICIT_LE = "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"
LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"UC", b"UN", b"UR", b"UT"}


def read_dicom(path):
    """The first frame of an uncompressed little-endian MONOCHROME DICOM image, windowed to [0, 1]."""
    with open(path, "rb") as f:
        data = f.read()
    if data[128:132] != b"DICM":
        fail(f"{path} has no DICOM preamble ('DICM' at byte 128)")
    elements, pos = {}, 132

    def parse(pos, end, explicit, nested=False):
        while pos < end:
            group, elem = struct.unpack_from("<HH", data, pos)
            tag = (group, elem)
            if tag in ((0xFFFE, 0xE00D), (0xFFFE, 0xE0DD)):
                return pos + 8
            if group == 0xFFFE:  # an item: its contents follow (defined or undefined length)
                length = struct.unpack_from("<I", data, pos + 4)[0]
                pos += 8
                if length == 0xFFFFFFFF:
                    pos = parse(pos, end, explicit, True)
                else:
                    parse(pos, pos + length, explicit, True)
                    pos += length
                continue
            if explicit:
                vr = data[pos + 4:pos + 6]
                if vr in LONG_VRS:
                    length, head = struct.unpack_from("<I", data, pos + 8)[0], 12
                else:
                    length, head = struct.unpack_from("<H", data, pos + 6)[0], 8
            else:
                vr, length, head = None, struct.unpack_from("<I", data, pos + 4)[0], 8
            pos += head
            if length == 0xFFFFFFFF:  # a sequence of undefined length: items until the sequence delimiter
                pos = parse(pos, end, explicit, True)
                continue
            if not nested:  # elements inside sequences (icons, references) are not the image's
                elements[tag] = data[pos:pos + length]
            pos += length
        return pos

    meta_length = struct.unpack_from("<I", data, 132 + 8)[0]  # (0002,0000) UL, explicit VR
    meta_end = 132 + 12 + meta_length
    parse(132, meta_end, True)
    syntax = elements.get((0x0002, 0x0010), b"").rstrip(b"\x00 ").decode("ascii")
    if syntax not in (EXPLICIT_LE, IMPLICIT_LE):
        fail(f"{path}: transfer syntax {syntax} is compressed or big-endian; only {EXPLICIT_LE} and {IMPLICIT_LE}")
    parse(meta_end, len(data), syntax == EXPLICIT_LE)

    def us(tag):
        return struct.unpack("<H", elements[tag][:2])[0]

    photometric = elements.get((0x0028, 0x0004), b"").rstrip(b"\x00 ").decode("ascii")
    if not photometric.startswith("MONOCHROME"):
        fail(f"{path}: photometric interpretation {photometric}, not MONOCHROME1/2")
    rows, cols, bits, signed = us((0x0028, 0x0010)), us((0x0028, 0x0011)), us((0x0028, 0x0100)), us((0x0028, 0x0103))
    if bits not in (8, 16):
        fail(f"{path}: {bits} bits allocated, not 8 or 16")
    fmt = "<" + str(rows * cols) + {(8, 0): "B", (8, 1): "b", (16, 0): "H", (16, 1): "h"}[(bits, signed)]
    values = struct.unpack_from(fmt, elements[(0x7FE0, 0x0010)])
    ordered = sorted(values)
    lo, hi = percentile(ordered, 0.5), percentile(ordered, 99.5)
    if hi <= lo:
        fail(f"{path} has no intensity range")
    grey = [min(1.0, max(0.0, (v - lo) / (hi - lo))) for v in values]
    if photometric == "MONOCHROME1":
        grey = [1.0 - g for g in grey]
    return [grey[r * cols:(r + 1) * cols] for r in range(rows)]


def crops(width, height):
    """(left, top, side) of the square crops of an image: the centred square, then half- and quarter-side grids."""
    short = min(width, height)
    out = [((width - short) // 2, (height - short) // 2, short)]
    for side in (short // 2, short // 4):
        if side < MIN_CROP:
            break
        for top in range(0, height - side + 1, side):
            for left in range(0, width - side + 1, side):
                out.append((left, top, side))
    return out


def upsample(img, size):
    """Pixel repetition of a square image to size x size (an integer factor or the nearest source pixel)."""
    n = len(img)
    return [[img[r * n // size][c * n // size] for c in range(size)] for r in range(size)]


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    folders, out = sys.argv[1:4], sys.argv[4]
    size = int(sys.argv[5]) if len(sys.argv) > 5 else 128
    os.makedirs(out, exist_ok=True)
    index = ["file,package,source,left,top,side"]
    for package, folder, name, short in SOURCES:
        path = os.path.join(folders[folder], name)
        if not os.path.isfile(path):
            fail(f"{path} not found: is {package} unpacked where the first arguments say?")
        img = read_dicom(path) if name.endswith(".dcm") else read_png(path)
        height, width = len(img), len(img[0])
        usable = []
        for left, top, side in crops(width, height):
            crop = [row[left:left + side] for row in img[top:top + side]]
            flat = [x for row in crop for x in row]
            mean = sum(flat) / len(flat)
            std = (sum((x - mean) ** 2 for x in flat) / len(flat)) ** 0.5
            if std >= MIN_STD and sum(1 for x in flat if x > 0.1) >= MIN_FOREGROUND * len(flat):
                usable.append((left, top, side, crop))
        if len(usable) > MAX_PER_SOURCE:
            usable = [usable[round(k * (len(usable) - 1) / (MAX_PER_SOURCE - 1))] for k in range(MAX_PER_SOURCE)]
        for left, top, side, crop in usable:
            small = resize(pad_square(crop), size) if side >= size else upsample(crop, size)
            pixels = [[int(min(255, max(0, round(x * 255)))) for x in row] for row in small]
            file = f"{short}-{side:03d}-{left:03d}-{top:03d}.png"
            with open(os.path.join(out, file), "wb") as f:
                f.write(png(pixels, size))
            index.append(f"{file},{package},{name},{left},{top},{side}")
        print(f"{package} {name}: {width}x{height}, {len(usable)} of {len(crops(width, height))} crops kept")
    with open(os.path.join(out, "sources.csv"), "w", newline="\n") as f:
        f.write("\n".join(index) + "\n")
    print(f"wrote {len(index) - 1} images to {out}")


if __name__ == "__main__":
    main()
