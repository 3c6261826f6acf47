"""The tags and values of a run of track points, found in the document's bytes with numpy: no
Python object per tag, per point or per value.

:func:`tokenize` finds every ``<`` and ``>`` of a run (the run holds no comment, CDATA,
processing instruction or reference, and no ``>`` outside a tag, so each ``<`` opens a tag the
next ``>`` closes), sorts the tags into classes by their first eight bytes and their length,
and proves every tag of a class is byte for byte its class's first (eight bytes at a time,
from a one-byte-stride ``uint64`` view of the document). Only the few class texts are parsed
in Python. A *varying* class (``<trkpt lat=".." lon="..">``) is one element name whose tags
differ; its caller checks them. From the classes' kinds come each tag's depth and, with
``strict``, the proof that the run is well formed (ASCII text, names that match, attributes
that cannot clash): the TCX reader relies on it instead of expat.

The values inside the tags are converted in :mod:`footfall.io.xml_numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

OPEN, CLOSE, EMPTY = 0, 1, 2
_NC = rb"[A-Za-z_][A-Za-z0-9_.-]*"
_QNAME = rb"(?:" + _NC + rb":)?" + _NC
_WS = rb"[ \t\r\n]"
_VALUE = rb"(?:\"([^\"<]*)\"|'([^'<]*)')"
_ATTRIBUTE = re.compile(_WS + rb"+(" + _QNAME + rb")" + _WS + rb"*=" + _WS + rb"*" + _VALUE)
_BARE_ATTRIBUTE = _WS + rb"+" + _QNAME + _WS + rb"*=" + _WS + rb"*(?:\"[^\"<]*\"|'[^'<]*')"
_TAG = re.compile(rb"<(/?)(" + _QNAME + rb")((?:" + _BARE_ATTRIBUTE + rb")*)" + _WS + rb"*(/?)>")
#: namespaces a default declaration may not name (Namespaces in XML 1.0, section 3)
_RESERVED = (b"http://www.w3.org/XML/1998/namespace", b"http://www.w3.org/2000/xmlns/")
_MAX_TAG = 4096
_MAX_CLASSES = 512
_MAX_DEPTH = 1000
_CHUNK = 1 << 18
_PART = 1 << 16  # tags handled at once
_KEEP_PARTS = 4  # parts whose key words are kept between the two passes (6 MiB at most)
_MIX = np.array([1, 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], dtype=np.uint64)


@dataclass(frozen=True)
class TagClass:
    """Tags written the same way: ``text`` is the first of them."""

    text: bytes
    kind: int
    name: bytes  # qualified: b"gpxtpx:hr"
    attributes: tuple[tuple[bytes, bytes], ...]
    varying: bool = False
    prefix: bytes = b""  # b"gpxtpx"
    local: bytes = b""  # b"hr"

    @property
    def prefixes(self) -> set[bytes]:
        """The prefixes the tag's element and attribute names use."""
        names = [self.name, *(name for name, _ in self.attributes)]
        return {name.partition(b":")[0] for name in names if b":" in name}


@dataclass
class Tags:
    """The tags of one or more runs, in document order."""

    lt: np.ndarray  # position of each tag's '<'
    gt: np.ndarray  # position of its '>'
    code: np.ndarray  # its class, an index into ``classes``
    classes: list[TagClass]
    kind: np.ndarray  # OPEN, CLOSE or EMPTY
    by_class: np.ndarray  # the tags sorted by class, each class in document order
    bounds: np.ndarray  # class c is by_class[bounds[c]:bounds[c + 1]]
    depth: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    run: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def per_class(self, values: list[int] | list[bool], dtype: type = np.int64) -> np.ndarray:
        """A value per tag from a value per class."""
        return np.asarray(values, dtype=dtype)[self.code]

    def of_class(self, c: int) -> np.ndarray:
        """The tags of class ``c``, in document order."""
        return self.by_class[self.bounds[c] : self.bounds[c + 1]]

    def where(self, test: Callable[[TagClass], bool]) -> np.ndarray:
        """The tags of every class that passes ``test``, in document order."""
        parts = [self.of_class(c) for c, tag in enumerate(self.classes) if test(tag)]
        if len(parts) == 1:
            return parts[0]
        return np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)

    def text_spans(self, tags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and length of the text of each of ``tags`` (start or empty tags), up to the
        next tag: an element's text as ElementTree gives it (the text before its first child;
        none for an empty tag)."""
        start = self.gt[tags] + 1
        length = self.lt[np.minimum(tags + 1, len(self.lt) - 1)] - start
        return start, np.where(self.kind[tags] == EMPTY, 0, length)


Spans = list[tuple[int, int]]


def tokenize(data: bytes, runs: Spans, varying: bytes = b"", strict: bool = False) -> Tags | None:
    """The tags of the runs ``data[start:end]``, or None when a run is not one this module
    reads: markup other than elements, a reference, a ``>`` outside a tag, more than a few
    hundred ways of writing a tag, unbalanced elements, or (``strict``) anything that could
    make the document ill-formed."""
    view = np.frombuffer(data, dtype=np.uint8)
    if any(data.find(b"&", s, e) >= 0 for s, e in runs) or (runs and runs[-1][1] + 8 > len(data)):
        return None
    if strict and not all(data.find(b"]", s, e) < 0 and _plain(data[s:e]) for s, e in runs):
        return None
    if len(data) >= 2**31:
        return None  # positions are 32-bit
    (lt, counts), (gt, _) = _positions(view, runs, 60), _positions(view, runs, 62)
    if len(lt) != len(gt):
        return None
    run = np.repeat(np.arange(len(runs), dtype=np.int32), counts)
    if not len(lt):
        return Tags(lt, gt, lt, [], lt, lt, np.zeros(1, dtype=np.int64), lt, run)
    length = gt - lt + 1
    if (length < 3).any() or length.max() > _MAX_TAG or (lt[1:] < gt[:-1]).any():
        return None
    after = view[lt + 1]
    if ((after == ord("!")) | (after == ord("?"))).any():
        return None  # a comment, CDATA section, declaration or processing instruction
    tags = _classified(data, view, lt, gt, length, varying)
    if tags is None or not _balanced(tags, run) or (strict and not _well_nested(tags)):
        return None
    tags.run = run
    return tags


def _classified(
    data: bytes,
    view: np.ndarray,
    lt: np.ndarray,
    gt: np.ndarray,
    length: np.ndarray,
    varying: bytes,
) -> Tags | None:
    """Classes by each tag's length, bytes 0-15 and last eight (hashed), tags a block at a
    time (a 10-hour GPX has half a million)."""
    codes = np.empty(len(lt), dtype=np.int16)
    known_keys: dict[int, int] = {}
    firsts: list[int] = []
    #: the parts' key words, kept for _same_as_first up to _KEEP_PARTS parts (24 bytes a
    #: tag); longer documents (a 10-hour GPX) read them again, to bound memory
    kept: list[np.ndarray] | None = [] if len(lt) <= _KEEP_PARTS * _PART else None
    for part in _parts(len(lt)):
        words = _key_words(data, lt[part], gt[part], length[part])
        key = _mixed(words, length[part])
        if varying:
            _mark_varying(key, words[:, 0], view, lt[part], gt[part], varying)
        local, uniques = pd.factorize(key)
        new = np.flatnonzero(np.diff(np.maximum.accumulate(local), prepend=-1))
        for value, at in zip(uniques.tolist(), new.tolist(), strict=True):
            if value not in known_keys:
                known_keys[value] = len(firsts)
                firsts.append(part.start + at)
        if len(firsts) > _MAX_CLASSES:
            return None
        codes[part] = np.array([known_keys[v] for v in uniques.tolist()], dtype=np.int16)[local]
        if kept is not None:
            kept.append(words)
    classes = [tag_class(data[lt[f] : gt[f] + 1], varying) for f in firsts]
    known = [c for c in classes if c is not None]
    if len(known) != len(classes):
        return None
    by_class = np.argsort(codes.view(np.uint16), kind="stable").astype(np.int32)
    bounds = np.searchsorted(codes[by_class], np.arange(len(known) + 1))
    kind = np.array([c.kind for c in known], dtype=np.int8)[codes]
    tags = Tags(lt, gt, codes, known, kind, by_class, bounds)
    return tags if _same_as_first(data, tags, length, kept) else None


def _parts(n: int) -> Iterator[slice]:
    return (slice(i, min(i + _PART, n)) for i in range(0, n, _PART))


def _mixed(words: np.ndarray, length: np.ndarray) -> np.ndarray:
    key = (length.astype(np.uint64) * _MIX[3]) ^ words[:, 0]
    for j in (1, 2):
        key ^= words[:, j] * _MIX[j]
    return key


def _key_words(data: bytes, lt: np.ndarray, gt: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Bytes 0-7, 8-15 and the last eight of each tag (zeros where the tag is shorter)."""
    words = np.zeros((len(lt), 3), dtype=np.uint64)
    words[:, :2] = blocks(data, lt, 16)
    words[:, 0] &= _MASKS[np.minimum(length, 8)]
    words[:, 1] &= _MASKS[np.clip(length - 8, 0, 8)]
    long = np.flatnonzero(length > 16)
    words[long, 2] = heads(data, gt[long] - 7)
    return words


#: printable ASCII, tab, line feed and carriage return: what a plain run may hold
_PLAIN_BYTES = bytes(range(32, 127)) + b"\t\n\r"


def _plain(run: bytes) -> bool:
    """Whether a run holds only printable ASCII, tabs, line feeds and carriage returns (one
    C pass deleting those; numpy's mask-and-compare took three passes and two copies)."""
    return not run.translate(None, _PLAIN_BYTES)


def _positions(view: np.ndarray, runs: Spans, byte: int) -> tuple[np.ndarray, list[int]]:
    """Where ``byte`` is in the runs (32-bit), and how often in each."""
    parts, counts = [], []
    for start, end in runs:
        found = [
            (np.flatnonzero(view[at : min(at + _CHUNK, end)] == byte) + at).astype(np.int32)
            for at in range(start, end, _CHUNK)
        ]
        parts.extend(found)
        counts.append(sum(map(len, found)))
    return (np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)), counts


def heads(data: bytes, at: np.ndarray) -> np.ndarray:
    """The eight bytes at each position as a little-endian integer (zeros past the end)."""
    return blocks(data, at, 8)[:, 0]


def blocks(data: bytes, at: np.ndarray, size: int = 32) -> np.ndarray:
    """The ``size`` bytes (a multiple of 8) at each position, as an (n, size / 8) matrix of
    little-endian integers (zeros past the end). One fancy index of a one-byte-stride view:
    numpy copies bytes strings at any address as fast as aligned integers."""
    view = np.ndarray(
        shape=(max(len(data) - size + 1, 0),), dtype=f"S{size}", buffer=data, strides=(1,)
    )
    inside = at < len(view)
    if inside.all():
        return view[at].view("<u8").reshape(-1, size // 8)
    out = np.zeros((len(at), size // 8), dtype="<u8")
    out[inside] = view[at[inside]].view("<u8").reshape(-1, size // 8)
    for i in np.flatnonzero(~inside):
        piece = data[int(at[i]) : int(at[i]) + size]
        out[i] = np.frombuffer(piece.ljust(size, b"\0"), dtype="<u8")
    return out


def _mark_varying(
    key: np.ndarray,
    first: np.ndarray,
    view: np.ndarray,
    lt: np.ndarray,
    gt: np.ndarray,
    name: bytes,
) -> None:
    """One class for the start tags of ``name`` with attributes, one for its empty tags."""
    head = b"<" + name
    base = np.uint64(int.from_bytes(head, "little"))
    hit = (first & _MASKS[len(head)]) == base
    space = view[lt + len(head)]
    hit &= (space == 32) | (space == 9) | (space == 10) | (space == 13)
    key[hit] = np.where(view[gt[hit] - 1] == 47, base | np.uint64(1 << 63), base)


def tag_class(text: bytes, varying: bytes = b"") -> TagClass | None:
    """The class of one tag as written (None when it is not a tag this module reads)."""
    match = _TAG.fullmatch(text)
    if match is None:
        return None
    close, name, attrs, empty = match.groups()
    if close and (attrs or empty):
        return None
    pairs = tuple((m[1], m[2] if m[2] is not None else m[3]) for m in _ATTRIBUTE.finditer(attrs))
    kind = CLOSE if close else EMPTY if empty else OPEN
    is_varying = bool(varying) and name == varying and bool(pairs)
    prefix, _, local = name.rpartition(b":")
    return TagClass(text, kind, name, pairs, is_varying, prefix, local)


def _same_as_first(
    data: bytes, tags: Tags, length: np.ndarray, words: list[np.ndarray] | None
) -> bool:
    """Whether every tag of a (not varying) class is written as the class's first: its length,
    its bytes 0-7, 8-15, the last eight and those between, compared as integers in document
    order (one pass over the document, not one per class). ``words``: each part's key words
    (see _key_words) when they were kept."""
    texts = [b"" if c.varying else c.text for c in tags.classes]
    fixed = np.array([not c.varying for c in tags.classes])
    size = np.where(fixed, [len(t) for t in texts], -1)
    expect = _key_words(*_one_document(texts))
    for i, part in enumerate(_parts(len(length))):
        code = tags.code[part]
        block = (
            words[i]
            if words is not None
            else _key_words(data, tags.lt[part], tags.gt[part], length[part])
        )
        wrong = (length[part] != size[code]) | (block != expect[code]).any(axis=1)
        if (wrong & fixed[code]).any():
            return False
    chosen = np.flatnonzero(fixed[tags.code] & (length > 24))
    code = tags.code[chosen]
    for j in range(2, max(0, (int(size.max()) - 9) // 8) + 1):
        keep = size[code] > 8 * j + 8
        chosen, code = chosen[keep], code[keep]
        middle = np.array([int.from_bytes(t[8 * j : 8 * j + 8], "little") for t in texts])
        if (heads(data, tags.lt[chosen] + 8 * j) != middle.astype(np.uint64)[code]).any():
            return False
    return True


def _one_document(texts: list[bytes]) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray]:
    """``texts`` laid end to end, as tags of a document: bytes, starts, ends, lengths."""
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    return b"".join(texts) + bytes(16), starts, starts + lengths - 1, lengths


def _balanced(tags: Tags, run: np.ndarray) -> bool:
    """Whether every run closes what it opens (never more); sets each tag's depth."""
    after = np.cumsum(np.array([1, -1, 0], dtype=np.int32)[tags.kind], dtype=np.int32)
    last = np.flatnonzero(np.diff(run, append=-1))
    if after.min() < 0 or (after[last] != 0).any() or after.max() > _MAX_DEPTH:
        return False
    after += tags.kind != OPEN
    tags.depth = after.astype(np.int16)
    return True


def _well_nested(tags: Tags) -> bool:
    """Whether each end tag closes the element last opened (at each depth, start and end tags
    alternate and name the same element), no start tag repeats an attribute (by name, or by
    local name among prefixed ones) or declares a prefix, and no default namespace is a
    reserved one (the caller checks that the prefixes used are declared on the root)."""
    for c in tags.classes:
        names = [name for name, _ in c.attributes]
        prefixed = [name.partition(b":")[2] for name in names if b":" in name]
        if len(set(names)) != len(names) or len(set(prefixed)) != len(prefixed):
            return False  # a repeated attribute (or one that may repeat by its namespace)
        if any(name.startswith(b"xmlns:") for name in names):
            return False  # a prefix declared in the run
        if any(n == b"xmlns" and v in _RESERVED for n, v in c.attributes):
            return False
    ids: dict[bytes, int] = {}
    name_id = tags.per_class([ids.setdefault(c.name, len(ids)) for c in tags.classes], np.int16)
    paired = np.flatnonzero(tags.kind != EMPTY)
    order = paired[np.argsort(tags.depth[paired].astype(np.uint16), kind="stable")]
    opens, closes = order[0::2], order[1::2]
    return bool(
        (tags.kind[opens] == OPEN).all()
        and (tags.kind[closes] == CLOSE).all()
        and (tags.depth[opens] == tags.depth[closes]).all()
        and (name_id[opens] == name_id[closes]).all()
    )
