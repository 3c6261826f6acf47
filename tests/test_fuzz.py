"""A time-bounded fuzz run (about 60 s of CPU over two xdist workers): every input gets an
analysis or a one-line FootfallError naming the file, and no warning is printed.

The inputs come from scripts/fuzzing (docs/reliability.md): mutated samples, hostile FIT
definition messages, XML damage and hostile archives, and hypothesis strategies that shrink a
failure. ``scripts/fuzz --minutes N`` runs the same generators for longer, each input in a
worker process with a time limit, and keeps reproducers.

Failures already reported to the owners of the readers (issue 11, classes 1 and 4, and TCX
times) are listed in scripts/fuzzing/known.py by exception type and file; each has a
strict-xfail reproducer in tests/test_hostile_corpus.py. When a fix lands, that xfail turns
into a failure and the entry is removed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing.campaign import FAMILIES, load_samples, run_here
from fuzzing.known import is_known
from fuzzing.oracle import Failure, check
from fuzzing.strategies import (
    fit_with_definitions,
    gpx_documents,
    hostile_fit_files,
    mutated_xml,
    tcx_documents,
)

#: seconds of fuzzing per family (four families: ~44 s in all) [heuristic: issue 11 asks for
#: a run of about 60 s in the suite; the hypothesis tests below take the rest]
SECONDS_PER_FAMILY = 11.0
SEED = 11  # fixed, so a failure in CI is the same input on a developer's machine
SAMPLES = load_samples()
GPX = SAMPLES.get("gpx_cadence_only.gpx", b"")
TCX = SAMPLES.get("unit_switch.tcx", b"")


def _new_failures(failures: list[Failure]) -> list[str]:
    return [f"{f.kind}: {f.detail}" for f in failures if not is_known(f)]


@pytest.mark.skipif(not SAMPLES, reason="sample_activities/ not generated")
@pytest.mark.parametrize("family", FAMILIES)
def test_fuzz_family_for_a_few_seconds(family: str, tmp_path: Path) -> None:
    report = run_here(family, SECONDS_PER_FAMILY, SEED, tmp_path)
    assert sum(report.inputs.values()) >= 20  # the run really ran (a sample takes < 0.2 s)
    new = _new_failures([f for f, _, _ in report.failures.values()])
    assert not new, f"{family}: {len(new)} new failure(s), e.g. {new[:3]}"


def _judge(tmp: Path, data: bytes, suffix: str) -> None:
    path = tmp / f"fuzzed{suffix}"
    path.write_bytes(data)
    new = _new_failures(check(path).failures)
    assert not new, new


FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,  # the same examples on every machine and in every xdist worker
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ_SETTINGS
@given(data=fit_with_definitions() | hostile_fit_files())
def test_fit_definition_messages_of_any_layout(tmp_path: Path, data: bytes) -> None:
    _judge(tmp_path, data, ".fit")


@FUZZ_SETTINGS
@given(data=gpx_documents() | tcx_documents())
def test_xml_documents_of_any_structure(tmp_path: Path, data: bytes) -> None:
    _judge(tmp_path, data, ".xml")


@pytest.mark.skipif(not (GPX and TCX), reason="sample_activities/ not generated")
@FUZZ_SETTINGS
@given(data=st.sampled_from([GPX, TCX]).flatmap(mutated_xml))
def test_xml_samples_after_mutations(tmp_path: Path, data: bytes) -> None:
    _judge(tmp_path, data, ".xml")


# Found by the 30-minute run of 2026-12-02 (seed 20261202, FIT input 1759): a float32 record
# field holding a signalling NaN made numpy warn when the fast decoder widened it.
SIGNALLING_NAN_F32 = b"\x01\x00\x80\x7f"  # little-endian 0x7F800001


@pytest.mark.parametrize("field_num", [13, 7])  # temperature (plain), power (no components)
def test_float32_signalling_nan_in_a_record_is_read_without_a_warning(
    tmp_path: Path, field_num: int
) -> None:
    from fuzzing.rawfit import FILE_ID, RECORD, UINT32, FieldDef, RawFit, fit_time

    w = RawFit()
    w.define(0, FILE_ID, [FieldDef(0, 1, 0x00), FieldDef(4, 4, UINT32)])
    w.data(0, [4, fit_time(1_700_000_000)])
    w.define(
        1, RECORD, [FieldDef(253, 4, UINT32), FieldDef(5, 4, UINT32), FieldDef(field_num, 4, 0x88)]
    )
    t0 = fit_time(1_700_000_000)
    for i in range(300):
        w.raw(
            bytes([1])
            + (t0 + i).to_bytes(4, "little")
            + (i * 300).to_bytes(4, "little")
            + SIGNALLING_NAN_F32
        )
    _judge(tmp_path, w.to_bytes(), ".fit")


@pytest.mark.skipif(not TCX, reason="sample_activities/ not generated")
def test_tcx_distance_counter_of_impossible_size_is_read_without_a_warning(
    tmp_path: Path,
) -> None:
    """Found by the 30-minute run of 2026-12-02 (seed 20261203, XML input 174): a counter of
    -1e308 with one 1e308 among it overflowed the pace of a recording silence."""
    import re

    data = re.sub(rb"<DistanceMeters>[^<]*<", b"<DistanceMeters>-1e308<", TCX)
    assert data.count(b"-1e308") > 100
    data = data.replace(b"-1e308", b"1e308", data.count(b"-1e308") // 2)
    _judge(tmp_path, data, ".tcx")
