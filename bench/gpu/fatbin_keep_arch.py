#!/usr/bin/env python3
"""Zeroes the GPU code of every architecture but one in a shared library's .nv_fatbin section.

usage: fatbin_keep_arch.py IN.so OUT.so SM   (SM: 90 for Hopper, e.g. an H100 or H200)

The CUDA runtime picks, per kernel, the cubin whose architecture matches the device; the others are
never read. Their bytes are set to zero in place, keeping every header, size and offset, so the
library's layout is unchanged, and the zeros compress to nothing. ONNX Runtime's CUDA provider
(183 MB, 102 MB of it cubins for sm_75/80/90/100/120) becomes a 28 MB xz archive for one machine.

A fatbin blob: u32 magic 0xBA55ED50, u16 version, u16 header size, u64 size of the entries; each
entry: u16 kind, u16 version, u32 header size, u64 payload size, ..., u32 architecture at byte 28.
"""
import struct, subprocess, sys

src, dst, keep = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = bytearray(open(src, "rb").read())
section = None
for line in subprocess.check_output(["readelf", "-S", "-W", src]).decode().splitlines():
    if ".nv_fatbin" in line:
        fields = line.split("]", 1)[1].split()
        section = (int(fields[3], 16), int(fields[4], 16))
if section is None:
    sys.exit(f"{src}: no .nv_fatbin section")
pos, end = section[0], section[0] + section[1]
kept = zeroed = 0
while pos < end:
    magic, _, header, size = struct.unpack_from("<IHHQ", data, pos)
    if magic != 0xBA55ED50:
        pos += 8  # blobs are 8-byte aligned; skip padding
        continue
    entry, stop = pos + header, pos + header + size
    while entry < stop:
        _, _, eheader = struct.unpack_from("<HHI", data, entry)
        payload = struct.unpack_from("<Q", data, entry + 8)[0]
        arch = struct.unpack_from("<I", data, entry + 28)[0]
        if arch == keep:
            kept += payload
        else:
            data[entry + eheader:entry + eheader + payload] = bytes(payload)
            zeroed += payload
        entry += eheader + payload
    pos = stop
if kept == 0:
    sys.exit(f"{src}: no code for sm_{keep}; nothing written")
open(dst, "wb").write(data)
print(f"kept {kept / 1e6:.1f} MB for sm_{keep}, zeroed {zeroed / 1e6:.1f} MB")
