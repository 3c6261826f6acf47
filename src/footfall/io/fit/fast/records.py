"""Record messages of one definition, decoded column by column with numpy.

All data messages of a definition have the same layout, so one structured numpy view over
their byte positions yields every field at once; each field is then scaled in one vectorised
step. What fitparse does per message is reproduced per column:

- a field's value is ``raw / scale - offset`` (profile scale and offset); enum-typed fields
  keep their raw code (fit_fitparse._record_row reads ``raw_value`` for them);
- simple components (record ``speed`` -> ``enhanced_speed``, ``altitude`` ->
  ``enhanced_altitude``) are emitted before their field, with the component's own scale;
- fitparse's row dict keeps the last non-None value per name, so the values emitted under
  one name are merged right to left, each filling the gaps of the later ones;
- a compressed-timestamp header adds ``timestamp`` after all fields.

Anything else (accumulating components, subfields, 64-bit values) is declined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from fitparse.profile import FIELD_TYPE_TIMESTAMP

from footfall.io.fit.fast.definitions import Decline, Definition, FieldSpec, numpy_base


@dataclass(eq=False)  # holds series: == on them is identity (field-wise it would raise)
class Column:
    """One named record channel of one definition, with what decides its place and meta."""

    name: str
    values: np.ndarray  # float64, one per data message of the definition, NaN = None
    first: int  # index of the first message where it has a value
    order: int  # emission index (position in fitparse's field list) at that message
    source: Any  # the profile Field or DevField that gave the value there


@dataclass(eq=False)  # holds series: == on them is identity (field-wise it would raise)
class _Emission:
    """One record field's values, as the fast decoder emits them column by column."""

    name: str
    values: np.ndarray  # NaN where ``valid`` is False
    valid: np.ndarray
    source: Any
    dev: bool = False


def gather(
    definition: Definition, data: bytes, positions: np.ndarray, specs: list[FieldSpec]
) -> np.ndarray:
    """A structured array of ``specs`` for the messages at ``positions`` (one copy each)."""
    dtype = np.dtype(
        {
            "names": [f"f{i}" for i in range(len(specs))],
            "formats": [numpy_base(s.base.name, definition.endian).dtype for s in specs],
            "offsets": [s.offset for s in specs],
            "itemsize": definition.size,
        }
    )
    # Row i of this view is the `size` bytes starting at byte i: indexing it with message
    # positions copies each message out as one contiguous row, then the rows are
    # reinterpreted as records of the definition's layout.
    every_byte = np.ndarray(
        shape=(len(data) - definition.size + 1, definition.size),
        dtype=np.uint8,
        buffer=data,
        strides=(1, 1),
    )
    out: np.ndarray = every_byte[positions].view(dtype)[:, 0]
    return out


def valid_mask(spec: FieldSpec, endian: str, raw: np.ndarray) -> np.ndarray:
    """False where fitparse's BaseType.parse gives None (the invalid sentinel, float NaN)."""
    invalid = numpy_base(spec.base.name, endian).invalid
    if invalid is None:
        mask: np.ndarray = ~np.isnan(raw)
        return mask
    mask = raw != invalid
    return mask


def _scaled(values: np.ndarray, scale: Any, offset: Any) -> np.ndarray:
    # fitparse: float(raw) / scale, then - offset, each only when truthy; the same IEEE
    # double operations give the same numbers.
    if scale:
        values = values / scale
    if offset:
        values = values - offset
    return values


def _check(spec: FieldSpec) -> None:
    if spec.base.size == 8 and spec.base.name != "float64":
        raise Decline("64-bit integer record field")
    field = spec.field
    if spec.is_dev:
        return
    if field.subfields:
        raise Decline(f"record field {field.name} has subfields")
    if field.components:
        if not spec.is_numeric_scalar or spec.base.name.startswith("float"):
            raise Decline(f"components of a non-integer field {field.name}")
        for component in field.components:
            if component.accumulate:
                raise Decline(f"accumulating component {component.name}")


def _emissions(
    definition: Definition, data: bytes, positions: np.ndarray, stamps: np.ndarray | None
) -> list[_Emission]:
    """What fitparse's field list holds, per name, for every message (NaN = None)."""
    used = [s for s in definition.specs if s.field is not None and s.is_numeric_scalar]
    for spec in definition.specs:
        if spec.field is not None:
            _check(spec)
    table = gather(definition, data, positions, used)
    mesg_type = definition.mesg_type
    out: list[_Emission] = []
    for i, spec in enumerate(used):
        raw = table[f"f{i}"]
        valid = valid_mask(spec, definition.endian, raw)
        field = spec.field
        if not spec.is_dev:
            for component in field.components or ():
                target = mesg_type.fields[component.def_num]
                if target.subfields:
                    raise Decline(f"component target {target.name} has subfields")
                if raw.dtype.kind == "f":
                    # Bit fields only exist in integers; a file that declares a
                    # component field as float is left to the reference decoder.
                    raise Decline(f"component field {field.name} declared as float")
                bits = (raw.astype(np.int64) >> component.bit_offset) & ((1 << component.bits) - 1)
                values = _scaled(bits.astype(np.float64), component.scale, component.offset)
                values = np.where(valid, values, np.nan)
                out.append(_Emission(target.name, values, valid, target))
        with np.errstate(invalid="ignore"):
            # A float32 signalling NaN raises FE_INVALID when widened; it is NaN either way,
            # as fitparse's struct.unpack gives it.
            values = raw.astype(np.float64)
        if not spec.is_dev and not getattr(field.type, "values", None):
            values = _scaled(values, field.scale, field.offset)
        name = str(field.name)
        values = np.where(valid, values, np.nan)
        out.append(_Emission(name, values, valid, field, spec.is_dev))
    if stamps is not None:
        out.append(_Emission("timestamp", stamps, ~np.isnan(stamps), FIELD_TYPE_TIMESTAMP))
    return out


def record_columns(
    definition: Definition, data: bytes, positions: np.ndarray, stamps: np.ndarray | None
) -> tuple[list[Column], list[Column]]:
    """Native and developer columns of the record messages at ``positions``.

    ``stamps`` holds the compressed-header timestamps (NaN for normal headers), or None.
    """
    emitted = _emissions(definition, data, positions, stamps)
    groups: dict[tuple[bool, str], list[tuple[int, _Emission]]] = {}
    for order, emission in enumerate(emitted):
        groups.setdefault((emission.dev, emission.name), []).append((order, emission))
    native: list[Column] = []
    dev: list[Column] = []
    for (is_dev, name), members in groups.items():
        merged, present = members[-1][1].values, members[-1][1].valid
        for _, earlier in reversed(members[:-1]):
            merged = np.where(present, merged, earlier.values)
            present = present | earlier.valid
        first = int(np.argmax(present))
        if not present[first]:
            continue  # fitparse never put a value under this name
        order, emission = next((o, e) for o, e in members if e.valid[first])
        (dev if is_dev else native).append(Column(name, merged, first, order, emission.source))
    return native, dev
