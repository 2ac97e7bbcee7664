#!/usr/bin/env python3
"""Converts the CPSSW8 data frame of the R package AER (an .rda file, R's XDR serialisation, xz-compressed)
to CSV, with no R installed: a minimal reader of R's serialisation format, version 2, that understands what a
data frame of numbers and factors holds. Usage: cpssw8_csv.py CPSSW8.rda OUT.csv

Columns written: earnings, gender, age, region, education (factors as their level names)."""
import bz2
import gzip
import lzma
import struct
import sys

NIL, SYM, LIST, CHAR, LGL, INT, REAL, STR, VEC = 254, 1, 2, 9, 10, 13, 14, 16, 19
REF, GLOBALENV, EMPTYENV, BASEENV, MISSING, BASENS = 255, 253, 242, 241, 251, 247


class Reader:
    def __init__(self, data):
        self.d, self.p, self.refs = data, 0, []

    def int(self):
        v = struct.unpack_from(">i", self.d, self.p)[0]
        self.p += 4
        return v

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind in (NIL, GLOBALENV, EMPTYENV, BASEENV, MISSING, BASENS):
            return None
        if kind == REF:
            return self.refs[(flags >> 8) - 1]
        if kind == SYM:
            name = self.item()
            self.refs.append(name)
            return name
        if kind == LIST:
            attrs = self.item() if has_attr else None
            tag = self.item() if has_tag else None
            car = self.item()
            cdr = self.item()
            out = [(tag, car)]
            if isinstance(cdr, list):
                out.extend(cdr)
            return out if attrs is None else out
        if kind == CHAR:
            n = self.int()
            if n == -1:
                return None
            s = self.d[self.p:self.p + n].decode("utf-8")
            self.p += n
            return s
        if kind in (LGL, INT, REAL, STR, VEC):
            n = self.int()
            if kind in (LGL, INT):
                vals = list(struct.unpack_from(">%di" % n, self.d, self.p))
                self.p += 4 * n
            elif kind == REAL:
                vals = list(struct.unpack_from(">%dd" % n, self.d, self.p))
                self.p += 8 * n
            else:
                vals = [self.item() for _ in range(n)]
            attrs = dict(self.item()) if has_attr else {}
            return Vector(kind, vals, attrs)
        raise ValueError("unsupported R type %d at byte %d" % (kind, self.p))


class Vector:
    def __init__(self, kind, values, attrs):
        self.kind, self.values, self.attrs = kind, values, attrs


def load(path):
    raw = open(path, "rb").read()
    for unpack in (lzma.decompress, bz2.decompress, gzip.decompress, lambda b: b):
        try:
            data = unpack(raw)
            break
        except Exception:
            continue
    if not data.startswith(b"RDX2\nX\n"):
        raise SystemExit("error: %s is not an R data file in XDR format version 2" % path)
    r = Reader(data[7:])
    r.int(), r.int(), r.int()  # format version, writer's R version, oldest R version that reads it
    return dict(r.item())


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: cpssw8_csv.py CPSSW8.rda OUT.csv")
    frame = load(sys.argv[1])["CPSSW8"]
    names = frame.attrs["names"].values
    columns = []
    for name, col in zip(names, frame.values):
        levels = col.attrs.get("levels")
        if levels is not None:
            columns.append([levels.values[v - 1] for v in col.values])
        elif col.kind == REAL:
            columns.append([repr(v) if v != int(v) else str(int(v)) for v in col.values])
        else:
            columns.append([str(v) for v in col.values])
    with open(sys.argv[2], "w") as out:
        out.write(",".join(names) + "\n")
        for row in zip(*columns):
            out.write(",".join(row) + "\n")


if __name__ == "__main__":
    main()
