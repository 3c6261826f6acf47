from __future__ import annotations

from pathlib import Path

import pytest

from footfall.coaching.knowledge import checklist, drill_entries, knowledge, red_flags
from footfall.coaching.symptoms import parse_onset, parse_side
from footfall.coaching.targets import next_step
from footfall.config import Profile, load_profile
from footfall.errors import ProfileError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("25m", 1500),
        ("25", 1500),
        ("1h05m", 3900),
        ("25:30", 1530),
        ("1:05:00", 3900),
        ("1500s", 1500),
        ("90 min", 5400),
        ("2.5m", 150),
    ],
)
def test_parse_onset(text: str, seconds: int) -> None:
    assert parse_onset(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "25x", "-5m"])
def test_parse_onset_rejects_garbage(text: str) -> None:
    with pytest.raises(ProfileError):
        parse_onset(text)


def test_parse_side() -> None:
    assert parse_side("Left") == "left"
    assert parse_side(None) is None
    with pytest.raises(ProfileError):
        parse_side("middle")


def test_next_step_is_five_percent_capped_at_target() -> None:
    step = next_step(150.0, 180.0, warranted=True)
    assert step is not None
    assert step["target_spm"] == 158.0  # round(150 * 1.05)
    assert step["progression_spm"] == [158.0, 161.0, 165.0]  # +5, +7.5, +10 % (§1.5)
    assert step["text"].startswith("About 158 spm on easy runs for two weeks (+5% over your 150)")
    capped = next_step(175.0, 180.0, warranted=True)
    assert capped is not None and capped["target_spm"] == 180.0
    assert next_step(182.0, 180.0, warranted=True) is None


def test_next_step_numbers_agree_with_each_other() -> None:
    """One rounding: 149.6 is "your 150" and +5 % of 150, never "149" next to "now 150"."""
    step = next_step(149.6, 180.0, warranted=False)
    assert step is not None
    assert step["current_spm"] == 150.0 and step["target_spm"] == 158.0
    assert "+5% over your 150" in step["text"] and "149" not in step["text"]
    assert step["text"].startswith("When you want to move towards your target")
    assert "Next" not in step["text"]


def test_knowledge_file_is_complete() -> None:
    k = knowledge()
    for detector in (
        "low_cadence",
        "overstride",
        "drift",
        "duration",
        "heat",
        "downhill",
        "asymmetry",
    ):
        link = k["numbness"][detector]
        assert link["status"] in ("established", "plausible", "unproven", "context")
        assert link["grade"] and link["text"]
        assert "cause" not in link["text"].lower().replace("because", "")
    flags = red_flags()
    assert len(flags) == 9  # SCIENCE.md §4.3 table
    assert sum(f["urgency"] == "emergency" for f in flags) == 2
    items = {c["item"] for c in checklist()}
    assert {"Shoe size", "Shoe width", "Lacing", "Socks", "Electrolytes", "After the run"} <= items
    sizes = next(c for c in checklist() if c["item"] == "Shoe size")
    assert "half a size larger" in sizes["detail"] and "after a run" in sizes["detail"]
    for drill in drill_entries("low_cadence"):
        assert drill["dose"] and drill["evidence_grade"]
    refs = k["references"]
    for entry in k["numbness"].values():
        for ref in entry["references"]:
            assert ref in refs or ref.startswith("science §"), ref


def test_profile_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "me.toml"
    path.write_text('[athlete]\nname = "Ana"\nheight_cm = 168\ntarget_cadence_spm = 176\n')
    profile = load_profile(path)
    assert profile == Profile(name="Ana", height_cm=168, target_cadence_spm=176)
    assert profile.with_overrides(height_cm=170, target_cadence_spm=None).height_cm == 170


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[athlete]\nheight_cm = 1.68\n", "outside"),
        ("[athlete]\nheigth_cm = 168\n", "unknown keys: heigth_cm"),
        ("not toml ===", "not valid TOML"),
        ("[athlete]\ntarget_cadence_spm = 300\n", "target cadence 300"),
    ],
)
def test_bad_profiles_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "me.toml"
    path.write_text(content)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_theil_sen_matches_scipy() -> None:
    import numpy as np
    from scipy.stats import theilslopes

    from footfall.metrics import theil_sen

    rng = np.random.default_rng(0)
    x = rng.uniform(2, 4, 200)
    y = 150 + 6 * x + rng.normal(0, 2, 200)
    y[:10] += 40  # outliers do not move a robust line
    slope, _ = theil_sen(x, y)
    ref = theilslopes(y, x)
    assert slope == pytest.approx(ref[0], rel=1e-9)
    assert abs(slope - 6) < 0.6
