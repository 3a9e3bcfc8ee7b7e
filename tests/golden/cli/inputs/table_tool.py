#!/usr/bin/env python3
"""table_tool.py - a second reader of compiled tables, written from docs/table-format.md alone.

  table_tool.py set-version IN OUT MAJOR.MINOR
      writes IN to OUT with the version fields (bytes 16-19) set and the checksum recomputed, so
      that a reader gets past the checksum to the version (old tables are made from new ones
      rather than checked in as binaries);
  table_tool.py read IN
      checks the checksum and recomputes the vocabulary fingerprint of a 4.x table, and prints
      `checksum ok`, `fingerprint ok` (or what differs), the revision, the flags with sides, the
      sparse rules (their kinds, and `every role` for a policy-wide deny) and the conditional
      assigns.

For tests/golden/cli/table_versions.test and build_revision.test: if the page and the C++
reader/writer drift apart, these tests fail.
"""
import struct
import sys

MASK = (1 << 64) - 1
K1, K2, SEED = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x4C41545449434531
SIDES = {1: "principal", 2: "node", 4: "resource", 8: "target", 16: "request"}


def checksum(data):
    h = SEED ^ ((len(data) * K1) & MASK)
    for i in range(0, len(data), 8):
        w = int.from_bytes(data[i:i + 8].ljust(8, b"\0"), "little")
        x = ((h ^ w) * K1) & MASK
        h = ((((x << 31) | (x >> 33)) & MASK) * K2) & MASK
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK
    return h ^ (h >> 33)


def fnv1a(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & MASK
    return h


def set_version(source, target, version):
    data = bytearray(open(source, "rb").read())
    major, minor = (int(part) for part in version.split("."))
    struct.pack_into("<HH", data, 16, major, minor)
    struct.pack_into("<Q", data, 8, checksum(bytes(data[16:])))
    open(target, "wb").write(data)


def read(path):
    t = open(path, "rb").read()
    u32 = lambda at: struct.unpack_from("<I", t, at)[0]
    u64 = lambda at: struct.unpack_from("<Q", t, at)[0]
    print("version %d.%d" % struct.unpack_from("<HH", t, 16))
    print("checksum", "ok" if u64(8) == checksum(t[16:]) else "MISMATCH")
    section = lambda i: u64(96 + 16 * i)  # the directory starts at 96 in 3.x and 4.x

    def string(i):
        start = section(0) + u32(section(1) + 4 * i)
        return t[start:t.index(b"\0", start)]

    counts = [u32(32 + 4 * c) for c in range(4)]  # kinds, roles, permissions, flags
    sequence = b""
    for c in range(4):
        sequence += struct.pack("<I", counts[c])
        for i in range(counts[c]):
            name = string(u32(section(2 + c) + 4 * i))
            sequence += struct.pack("<II", i, len(name)) + name
            if c == 3:
                sequence += struct.pack("<I", u32(section(13) + 8 * i))
    # Custom role ceilings (section 15): a fifth category, only when there are some.
    ceilings, cells, creators = u32(section(15)), u32(section(15) + 4), u32(section(15) + 8)
    record = lambda c: section(15) + 16 + 32 * c
    cell_at = section(15) + 16 + 32 * ceilings
    creator_at = cell_at + 8 * cells
    if ceilings:
        sequence += struct.pack("<I", ceilings)
        for c in range(ceilings):
            name = string(u32(record(c)))
            sequence += struct.pack("<II", c, len(name)) + name
    print("fingerprint", "ok" if fnv1a(sequence) == u64(88) else "MISMATCH")
    print("revision", repr(string(u32(80)).decode()))
    for i in range(counts[3]):
        name = string(u32(section(5) + 4 * i)).decode()
        print("flag", name, SIDES.get(u32(section(13) + 8 * i), "?"))
    names = lambda c, i: string(u32(section(2 + c) + 4 * i)).decode()
    kinds = lambda mask: ",".join(names(0, k) for k in range(counts[0]) if mask >> k & 1)
    flags = lambda mask: ",".join(names(3, f) for f in range(counts[3]) if mask >> f & 1)
    for e in range(u32(56)):  # SparseRule records, 40 bytes
        at = section(10) + 40 * e
        role = u32(at + 4)
        print("sparse", names(2, u32(at)), "deny" if t[at + 33] else "allow",
              "every role" if role == 0xFFFFFFFF else names(1, role),
              "relations=%d" % t[at + 32], "kinds=" + kinds(u64(at + 24)),
              "required=" + flags(u64(at + 8)), "forbidden=" + flags(u64(at + 16)))
    for e in range(u32(84)):  # AssignCondition records, 24 bytes
        at = section(14) + 24 * e
        print("assigns", names(1, u32(at)), "gives", names(1, u32(at + 4)),
              "required=" + flags(u64(at + 8)), "forbidden=" + flags(u64(at + 16)))
    for c in range(ceilings):  # Ceiling records, 32 bytes: name, kinds, cell and creator ranges
        at = record(c)
        print("custom role", string(u32(at)).decode(), "kinds=" + kinds(u64(at + 8)),
              "created_by=" + ",".join(names(1, u32(creator_at + 4 * i))
                                       for i in range(u32(at + 24), u32(at + 28))))
        for i in range(u32(at + 16), u32(at + 20)):
            print("  ceiling", names(2, u32(cell_at + 8 * i)), "relations=%d" % t[cell_at + 8 * i + 4])


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "set-version":
        set_version(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "read":
        read(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
