"""The progressive personal target of science §1.5, played week by week over the season.

1. B(v), the athlete's own cadence-speed line (footfall.season.baseline).
2. A block is warranted when the runs call for one (their plan's ``next_step.warranted``:
   the low-cadence flag of §6.2, an overstride score ≥ 50 of §6.3) or the profile records a
   knee or shin history.
3. T(v) = B(v)·(1 + p), p = +5 % (weeks 1-2), +7.5 % (3-4), +10 % (5-6), over the baseline
   the block started from; a new baseline after the 6-week block.
4. Stop rising once T(v_easy) ≥ C_ref(v_easy, h) + 3 spm, or the overstride score is below
   30 on at least 80 % of steady time, or the next step would push an easy run past 185 spm.
5. Advance only if, over the last 3 runs, at least 70 % of steady time was within ±3 spm of
   the target, no numbness was logged and heart rate at a matched pace is at most 3 % higher;
   hold at 50-70 %; step back a level below 50 % or with symptoms.

Session effort (RPE) is not in watch files, so that check of step 5 is not made (and said).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from footfall.config import Profile
from footfall.reference import c_ref, pace_text
from footfall.season.baseline import Line
from footfall.season.facts import RunFacts, iso_week
from footfall.season.weeks import Week

STEPS_PCT = (5.0, 7.5, 10.0)  # science §1.5 step 3
WEEKS_PER_STEP = 2  # science §1.5 step 3
BLOCK_WEEKS = 6  # science §1.5 step 3: re-baseline after a 6-week block
ADHERENCE_BAND_SPM = 3.0  # science §1.5 step 5
ADHERENCE_RUNS = 3  # science §1.5 step 5: the last 3 runs
ADVANCE_ADHERENCE_PCT = 70.0  # science §1.5 step 5
HOLD_ADHERENCE_PCT = 50.0  # science §1.5 step 5
STOP_ABOVE_CREF_SPM = 3.0  # science §1.5 step 4
STOP_OVERSTRIDE_SCORE = 30.0  # science §1.5 step 4
STOP_OVERSTRIDE_SHARE = 0.8  # science §1.5 step 4
EASY_CAP_SPM = 185.0  # science §1.5 step 4
HR_RISE_MAX = 0.03  # science §1.5 step 5
#: "a matched pace": within ±5 % of the easy speed, as the drift rule of science §6.5
HR_SPEED_MATCH = 0.05
#: a block is warranted when at least half of the last two weeks' runs warrant one
#: [heuristic: one odd run does not start six weeks of retraining]
WARRANT_SHARE = 0.5
NOT_CHECKED = ["session effort (RPE): watch files do not record it (science §1.5 step 5)"]


@dataclass
class Block:
    start: date
    baseline: Line
    level: int = 1  # index into (0, *STEPS_PCT): 1 = +5 %
    level_since: date = date.min
    runs: list[RunFacts] = field(default_factory=list)
    before: list[RunFacts] = field(default_factory=list)  # the baseline's runs (HR check)

    @property
    def pct(self) -> float:
        return (0.0, *STEPS_PCT)[self.level]

    def target(self, v: float | np.ndarray) -> np.ndarray:
        return np.asarray(self.baseline(v) * (1.0 + self.pct / 100.0), dtype=float)


def adherence_pct(runs: Sequence[RunFacts], block: Block) -> float | None:
    """Share of steady time within ±3 spm of the block's target, or None without any."""
    inside = total = 0.0
    for run in runs:
        if run.cadence.size:
            near = np.abs(run.cadence - block.target(run.speed)) <= ADHERENCE_BAND_SPM
            inside += float(run.seconds[near].sum())
            total += run.steady_s
    return None if total <= 0 else round(100.0 * inside / total, 1)


def _matched_hr(runs: Sequence[RunFacts], v_easy: float) -> float | None:
    values = [
        r.heart_rate[np.abs(r.speed / v_easy - 1.0) <= HR_SPEED_MATCH]
        for r in runs
        if r.heart_rate.size
    ]
    joined = np.concatenate(values) if values else np.zeros(0)
    joined = joined[np.isfinite(joined)]
    return float(np.median(joined)) if joined.size else None


def warranted(runs: Sequence[RunFacts], profile: Profile) -> tuple[bool, str]:
    if profile.knee_or_shin_history:
        return True, "the profile records a knee or shin history"
    if not runs:
        return False, "no runs"
    share = sum(r.cadence_block for r in runs) / len(runs)
    if share >= WARRANT_SHARE:
        return True, (
            f"{share:.0%} of the last two weeks' runs flag low cadence for the pace or an "
            "overstride score of 50 or more"
        )
    return False, "cadence is fine for your pace"


class Progression:
    """The state of the progression, advanced one calendar week at a time."""

    def __init__(self, profile: Profile, v_easy: float) -> None:
        self.profile = profile
        self.v_easy = v_easy
        self.block: Block | None = None
        self.changes: list[dict[str, Any]] = []
        self.weekly: list[dict[str, Any]] = []
        self.stop: dict[str, Any] = {"reached": False, "reason": None}
        self.status = (False, "no runs")  # the latest "is a block warranted?" and why
        self.seen: list[RunFacts] = []

    def _change(self, monday: date, kind: str, before: float, after: float, why: str) -> None:
        self.changes.append(
            {
                "week": iso_week(monday),
                "change": kind,
                "from_pct": before,
                "to_pct": after,
                "reason": why,
            }
        )

    def week(self, monday: date, week: Week | None, symptoms: Sequence[dict[str, Any]]) -> None:
        runs = week.runs if week else []
        self.seen.extend(runs)
        if self.block is None:
            self._maybe_start(monday, week)
            return
        block = self.block
        if monday < block.start:
            return
        block.runs.extend(runs)
        self.weekly.append(
            {
                "week": iso_week(monday),
                "step_pct": block.pct,
                "target_at_easy_speed_spm": round(float(block.target(self.v_easy)), 1),
                "adherence_pct": adherence_pct(runs, block),
            }
        )
        nxt = monday + timedelta(weeks=1)
        logged = [s for s in symptoms if monday <= date.fromisoformat(str(s["date"])) < nxt]
        if logged:
            self._step_back(monday, f"numbness logged on {logged[0]['date']}")
        elif (nxt - block.level_since).days >= 7 * WEEKS_PER_STEP:
            self._judge(monday)
        if (nxt - block.start).days >= 7 * BLOCK_WEEKS and self.block is not None:
            self._change(
                monday,
                "end",
                self.block.pct,
                0.0,
                "6-week block complete: a new baseline from the last 4 weeks (§1.5)",
            )
            self.block = None

    def _maybe_start(self, monday: date, week: Week | None) -> None:
        if week is None:
            return
        recent = [r for r in self.seen if r.monday >= monday - timedelta(weeks=1)]
        ok, why = warranted(recent, self.profile)
        self.status = (ok, why)
        if not ok or not np.isfinite(week.line.level):
            return
        start = monday + timedelta(weeks=1)
        before = [r for r in self.seen if r.monday > monday - timedelta(weeks=4)]
        self.block = Block(start, week.line, 1, start, [], before)
        self.stop = {"reached": False, "reason": None}
        self._change(
            monday, "start", 0.0, STEPS_PCT[0], f"cadence block: {why}; baseline {week.line.method}"
        )

    def _step_back(self, monday: date, why: str) -> None:
        block = self.block
        assert block is not None
        before = block.pct
        block.level = max(0, block.level - 1)
        block.level_since = monday + timedelta(weeks=1)
        self._change(monday, "step_back", before, block.pct, why)

    def _stop_reason(self, block: Block) -> str | None:
        v = self.v_easy
        now = float(block.target(v))
        limit = float(c_ref(v, self.profile.height_cm)) + STOP_ABOVE_CREF_SPM
        if now >= limit:
            return f"the target {now:.0f} spm reached C_ref + 3 = {limit:.0f} spm (§1.5 step 4)"
        last = block.runs[-ADHERENCE_RUNS:]
        scored = [(r.overstride_score, r.steady_s) for r in last if r.overstride_score is not None]
        total = sum(s for _, s in scored)
        low = sum(s for score, s in scored if score < STOP_OVERSTRIDE_SCORE)
        if total > 0 and low / total >= STOP_OVERSTRIDE_SHARE:
            return "the overstride score stayed below 30 on 80 % of steady time (§1.5 step 4)"
        if block.level < len(STEPS_PCT):
            base = float(block.baseline(v))
            following = base * (1.0 + STEPS_PCT[block.level] / 100.0)
            if following > EASY_CAP_SPM > base:
                return f"the next step ({following:.0f} spm) would pass ~185 spm on easy runs"
        return None

    def _judge(self, monday: date) -> None:
        block = self.block
        assert block is not None
        last = block.runs[-ADHERENCE_RUNS:]
        share = adherence_pct(last, block)
        block.level_since = monday + timedelta(weeks=1)
        before = block.pct
        if share is None:
            self._change(monday, "hold", before, before, "no runs to judge adherence by")
        elif share < HOLD_ADHERENCE_PCT:
            self._step_back(monday, f"{share:.0f} % of steady time within ±3 spm (< 50 %)")
        elif share < ADVANCE_ADHERENCE_PCT:
            self._change(
                monday,
                "hold",
                before,
                before,
                f"{share:.0f} % of steady time within ±3 spm (50-70 %)",
            )
        else:
            self._advance(monday, share)

    def _advance(self, monday: date, share: float) -> None:
        block = self.block
        assert block is not None
        before = block.pct
        hr_now, hr_then = (
            _matched_hr(block.runs[-ADHERENCE_RUNS:], self.v_easy),
            _matched_hr(block.before, self.v_easy),
        )
        stop = self._stop_reason(block)
        if hr_now and hr_then and hr_now > hr_then * (1.0 + HR_RISE_MAX):
            why = f"heart rate at a matched pace {hr_now / hr_then - 1:.0%} higher (> 3 %)"
            self._change(monday, "hold", before, before, why)
        elif stop is not None:
            self.stop = {"reached": True, "reason": stop}
            self._change(monday, "hold", before, before, f"stop rising: {stop}")
        elif block.level >= len(STEPS_PCT):
            self._change(monday, "hold", before, before, "+10 % is the most a block asks")
        else:
            block.level += 1
            self._change(
                monday,
                "advance",
                before,
                block.pct,
                f"{share:.0f} % of steady time within ±3 spm over the last 3 runs",
            )

    def to_dict(self, current_line: Line | None) -> dict[str, Any]:
        block = self.block
        v = self.v_easy
        line = block.baseline if block else current_line
        base = float(line(v)) if line is not None and np.isfinite(line.level) else None
        pct = block.pct if block else 0.0
        target = None if base is None else round(base * (1 + pct / 100.0), 1)
        ok, why = self.status
        if block and target is not None:
            text = f"at {pace_text(v)} aim for about {target:.0f} spm (+{pct:g} % step)"
        elif ok:
            text = f"a cadence block is warranted: {why}"
        else:
            text = "cadence is fine for your pace: no block needed"
        return {
            "warranted": ok,
            "warranted_reason": why,
            "steps_pct": list(STEPS_PCT),
            "in_block": block is not None,
            "block_start_week": iso_week(block.start) if block else None,
            "current_step": {"level": block.level if block else 0, "pct": pct},
            "easy_speed_mps": round(v, 2),
            "easy_pace": pace_text(v),
            "baseline": None if line is None else line.to_dict(),
            "baseline_at_easy_speed_spm": None if base is None else round(base, 1),
            "target_at_easy_speed_spm": target,
            "stop_rising": self.stop,
            "weekly": self.weekly,
            "changes": self.changes,
            "last_change": self.changes[-1] if self.changes else None,
            "not_checked": NOT_CHECKED,
            "text": text,
        }


def season_progression(
    weeks: Sequence[Week],
    profile: Profile,
    v_easy: float | None,
    symptoms: Sequence[dict[str, Any]],
) -> dict[str, Any] | None:
    """The ``progression`` object of the season JSON, or None without any steady speed."""
    if not weeks or v_easy is None:
        return None
    state = Progression(profile, v_easy)
    by_monday = {w.monday: w for w in weeks}
    monday, last = weeks[0].monday, weeks[-1].monday
    while monday <= last:
        state.week(monday, by_monday.get(monday), symptoms)
        monday += timedelta(weeks=1)
    return state.to_dict(weeks[-1].line)
