"""Synthetic archives, sound and hostile: zips of sample activities with hostile member names,
every compression method, nested zips and .gz members, then patched directory fields
(version, flags, method, sizes, offsets, name lengths); gzip files concatenated, nested,
padded and with header flags set.

The zip layout (local header, central directory, end record) is APPNOTE.TXT's (PKWARE,
sections 4.3.7, 4.3.12, 4.3.16); the gzip one RFC 1952.
"""

from __future__ import annotations

import gzip
import io
import struct
import warnings
import zipfile

from fuzzing.choice import Chooser
from fuzzing.mutate import INTERESTING_INTS, blind

#: member names that try to escape a folder, a line or a terminal
HOSTILE_NAMES = (
    "activities/1.fit",
    "../../etc/evil.fit",
    "/abs/evil.fit",
    "C:\\evil.fit",
    "a\nfootfall: all good\n.fit",
    "\x1b[2J\x1b[31mred.fit",
    "\u202eevil.tif.fit",
    "a\rb.gpx",
    "x" * 400 + ".fit",
    "dir/",
    "nul\x00byte.fit",
    "tab\there.tcx",
    "\u2028line.gpx",
    "activities/2.fit.gz",
    "nested.zip",
    "\ud800?.fit",
)
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
#: (record signature, field offset, field width) of zip fields worth patching (APPNOTE 4.3)
_FIELDS = (
    (b"PK\x01\x02", 6, 2),
    (b"PK\x01\x02", 8, 2),
    (b"PK\x01\x02", 10, 2),
    (b"PK\x01\x02", 20, 4),
    (b"PK\x01\x02", 24, 4),
    (b"PK\x01\x02", 28, 2),
    (b"PK\x01\x02", 30, 2),
    (b"PK\x01\x02", 42, 4),
    (b"PK\x03\x04", 4, 2),
    (b"PK\x03\x04", 6, 2),
    (b"PK\x03\x04", 8, 2),
    (b"PK\x03\x04", 18, 4),
    (b"PK\x03\x04", 26, 2),
    (b"PK\x03\x04", 28, 2),
    (b"PK\x05\x06", 8, 2),
    (b"PK\x05\x06", 10, 2),
    (b"PK\x05\x06", 12, 4),
    (b"PK\x05\x06", 16, 4),
)


def member_bytes(c: Chooser, samples: list[bytes]) -> bytes:
    data = c.pick(samples)
    if c.chance(0.3):
        data = blind(c, data)
    if c.chance(0.4):
        data = gzip.compress(data, compresslevel=1)
    return data


def hostile_zip(c: Chooser, samples: list[bytes], depth: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names are part of the attack
        for i in range(c.int(1, 5)):
            name = c.pick(HOSTILE_NAMES) if c.chance(0.5) else f"activities/{i}.fit"
            name = name.replace("\x00", "") if c.chance(0.5) else name
            if depth < 2 and c.chance(0.15):
                data = hostile_zip(c, samples, depth + 1)
            else:
                data = member_bytes(c, samples)
            info = zipfile.ZipInfo(name.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
            info.compress_type = c.pick(_METHODS)
            z.writestr(info, data)
    out = buf.getvalue()
    for _ in range(c.int(0, 3) if c.chance(0.6) else 0):
        out = patch_field(c, out)
    if c.chance(0.15):
        out = blind(c, out)
    return out


def patch_field(c: Chooser, data: bytes) -> bytes:
    """One zip header field set to an edge value (or the UTF-8 flag on a latin-1 name)."""
    signature, offset, width = c.pick(_FIELDS)
    starts = [i for i in range(len(data)) if data.startswith(signature, i)][:50]
    if not starts:
        return data
    at = c.pick(starts) + offset
    if at + width > len(data):
        return data
    if c.chance(0.2) and offset == 8 and signature == b"PK\x01\x02":
        value = struct.unpack_from("<H", data, at)[0] | 0x0800 | c.pick([0, 1])  # utf-8, crypt
    elif c.chance(0.2) and offset == 10:
        value = c.pick([1, 6, 9, 12, 14, 93, 98, 99])  # other (real and unknown) methods
    elif c.chance(0.2) and offset == 6 and signature == b"PK\x01\x02":
        value = c.pick([45, 63, 64, 100, 0xFFFF])  # version needed to extract
    else:
        value = c.pick(INTERESTING_INTS) & ((1 << (8 * width)) - 1)
    out = bytearray(data)
    out[at : at + width] = value.to_bytes(width, "little")
    if c.chance(0.2):
        names = [i for i in range(len(out) - 2) if out.startswith(b"PK\x01\x02", i)]
        if names:  # a name byte that is not UTF-8
            out[c.pick(names) + 46] = 0xFF
    return bytes(out)


def hostile_gzip(c: Chooser, samples: list[bytes]) -> bytes:
    kind = c.pick(["concat", "empty_members", "nested", "padded", "flags", "trailing", "cut"])
    data = member_bytes(c, samples) if c.chance(0.2) else c.pick(samples)
    if kind == "concat":
        third = max(1, len(data) // 3)
        return b"".join(gzip.compress(data[i : i + third], 1) for i in range(0, len(data), third))
    if kind == "empty_members":
        return gzip.compress(b"") * c.pick([50, 101, 5000]) + gzip.compress(data, 1)
    if kind == "nested":
        for _ in range(c.pick([2, 3, 5, 50])):
            data = gzip.compress(data, 1)
        return data
    if kind == "padded":
        return gzip.compress(data, 1) + b"\x00" * c.int(1, 5000)
    if kind == "flags":
        raw = bytearray(gzip.compress(data, 1))
        raw[3] = c.int(0, 255)  # FTEXT FHCRC FEXTRA FNAME FCOMMENT and reserved bits
        return bytes(raw)
    if kind == "trailing":
        return gzip.compress(data, 1) + c.bytes(c.int(1, 64))
    raw = gzip.compress(data, 1)
    return raw[: c.int(0, len(raw))]


def hostile_archive(c: Chooser, samples: list[bytes]) -> bytes:
    if c.chance(0.6):
        return hostile_zip(c, samples)
    if c.chance(0.2):
        return gzip.compress(hostile_zip(c, samples), 1)  # a .zip.gz
    return hostile_gzip(c, samples)
