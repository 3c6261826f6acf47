"""The FIT file header (FIT protocol, "File Header"), and a repair for unfinished files.

A FIT file is one or more chained parts, each ``header | data records | CRC (2 bytes)``. The
header is 12 or 14 bytes: size, protocol version, profile version, data size (little endian
uint32), the ASCII ``.FIT`` tag and, when 14 bytes long, a header CRC.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

FIT_TAG = b".FIT"


@dataclass(frozen=True)
class FitHeader:
    """One FIT file header: where its part starts, its size and the data it declares."""

    offset: int  # where this part starts in the byte string
    header_size: int
    protocol_version: int
    profile_version: int
    data_size: int

    @property
    def data_start(self) -> int:
        return self.offset + self.header_size

    @property
    def data_end(self) -> int:
        return self.data_start + self.data_size


def looks_like_fit(head: bytes) -> bool:
    """True when the first bytes carry a FIT header (the ``.FIT`` tag at bytes 8-11)."""
    return len(head) >= 12 and head[8:12] == FIT_TAG and head[0] in (12, 14)


def parse_header(data: bytes, offset: int = 0) -> FitHeader | None:
    """Read the header at ``offset``; None when there is no valid header there."""
    if len(data) - offset < 12 or data[offset + 8 : offset + 12] != FIT_TAG:
        return None
    header_size = data[offset]
    if header_size < 12 or len(data) - offset < header_size:
        return None
    protocol, profile, data_size = struct.unpack_from("<BHI", data, offset + 1)
    return FitHeader(offset, header_size, protocol, profile, data_size)


def repair_unfinished(data: bytes) -> tuple[bytes, str | None]:
    """Fix a single-part file whose header declares no data (or more than the file holds).

    Some writers fill in the data size only when the activity is saved; a file copied before
    that has ``data_size == 0`` although records follow. Both decoders then read up to the
    last two bytes. Returns the (possibly patched) bytes and a warning, or None.
    """
    header = parse_header(data)
    if header is None:
        return data, None
    available = len(data) - header.header_size - 2
    if available <= 0:
        return data, None
    if header.data_size == 0 or header.data_end + 2 > len(data):
        patched = bytearray(data)
        struct.pack_into("<I", patched, 4, available)
        if header.header_size >= 14:
            patched[12:14] = b"\x00\x00"  # header CRC 0 means "not computed" (FIT protocol)
        declared = header.data_size
        why = "declares no data size" if declared == 0 else f"declares {declared} bytes of data"
        return bytes(patched), (
            f"FIT header {why} but {available} bytes follow; read to the end of the file "
            "(the file was probably copied before the device finished writing it)"
        )
    return data, None
