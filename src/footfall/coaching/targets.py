"""The progressive personal target (SCIENCE.md §1.5): +5 % steps first, never 180 at once."""

from __future__ import annotations

from typing import Any

FIRST_STEP = 0.05  # SCIENCE.md §1.5: +5 % (weeks 1-2), then +7.5 %, then +10 %
LATER_STEPS = (0.075, 0.10)  # SCIENCE.md §1.5 progression
EASY_CEILING_SPM = 185.0  # SCIENCE.md §1.5: do not push easy running above ~185 spm


def next_step(current_spm: float, target_spm: float) -> dict[str, Any] | None:
    """+5 % over the current median, capped at the target (and at 185 for easy running)."""
    if current_spm <= 0 or current_spm >= target_spm:
        return None
    cap = min(target_spm, max(EASY_CEILING_SPM, current_spm))
    step = min(round(current_spm * (1 + FIRST_STEP)), cap)
    later = [min(round(current_spm * (1 + p)), cap) for p in LATER_STEPS]
    text = (
        f"Next: about {step:.0f} spm on easy runs (+5% over your {current_spm:.0f}) for two "
        f"weeks, then {later[0]:.0f} and {later[1]:.0f} if it feels settled; keep your weekly "
        "distance the same while you change cadence."
    )
    if step >= target_spm:
        text = (
            f"Next: {step:.0f} spm on easy runs, your target; keep your weekly distance the same "
            "while you change cadence."
        )
    return {
        "current_spm": round(current_spm, 1),
        "target_spm": float(step),
        "final_target_spm": target_spm,
        "progression_spm": [float(step), *map(float, later)],
        "text": text,
    }
