#!/usr/bin/env python3
"""set_table_version.py IN OUT MAJOR.MINOR - a copy of a table claiming another format version.

Writes IN to OUT with the version fields (bytes 16-19) set and the checksum recomputed, as
docs/table-format.md specifies them, so that a reader gets past the checksum to the version (and
only a reader that checks the version refuses it). For tests/golden/cli/table_versions.test; the
old tables are made here rather than checked in as binaries.
"""
import struct
import sys

MASK = (1 << 64) - 1
K1, K2, SEED = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x4C41545449434531


def checksum(data):
    h = SEED ^ ((len(data) * K1) & MASK)
    for i in range(0, len(data), 8):
        w = int.from_bytes(data[i:i + 8].ljust(8, b"\0"), "little")
        x = ((h ^ w) * K1) & MASK
        h = ((((x << 31) | (x >> 33)) & MASK) * K2) & MASK
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK
    return h ^ (h >> 33)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    data = bytearray(open(sys.argv[1], "rb").read())
    major, minor = (int(part) for part in sys.argv[3].split("."))
    struct.pack_into("<HH", data, 16, major, minor)
    struct.pack_into("<Q", data, 8, checksum(bytes(data[16:])))
    open(sys.argv[2], "wb").write(data)


if __name__ == "__main__":
    main()
