"""The progressive personal target (science §1.5): +5 % steps first, never 180 at once."""

from __future__ import annotations

from typing import Any

FIRST_STEP = 0.05  # science §1.5: +5 % (weeks 1-2), then +7.5 %, then +10 %
LATER_STEPS = (0.075, 0.10)  # science §1.5 progression
EASY_CEILING_SPM = 185.0  # science §1.5: do not push easy running above ~185 spm


def next_step(current_spm: float, target_spm: float, *, warranted: bool) -> dict[str, Any] | None:
    """+5 % over the current median, capped at the target (and at 185 for easy running).

    ``warranted`` says whether a cadence block is called for now (science §1.5 step 2: a
    low-cadence flag, an overstride score >= 50 or a knee/shin history); otherwise the same
    steps are offered as the way to the target later. Every number in the text comes from the
    one rounded current cadence, so the sentence never disagrees with itself.
    """
    current = round(current_spm)
    if current <= 0 or current >= target_spm:
        return None
    cap = min(target_spm, max(EASY_CEILING_SPM, current))
    step = min(round(current * (1 + FIRST_STEP)), cap)
    later = [min(round(current * (1 + p)), cap) for p in LATER_STEPS]
    steps = list(dict.fromkeys([step, *later]))
    if step >= target_spm:
        text = f"About {step:.0f} spm on easy runs, your target."
    else:
        rest = " and ".join(f"{s:.0f}" for s in steps[1:])
        text = f"About {step:.0f} spm on easy runs for two weeks (+5% over your {current}), " + (
            f"then {rest} if it feels settled." if rest else "then hold it."
        )
    text += " Keep your weekly distance the same while you change cadence."
    if not warranted:
        text = "When you want to move towards your target: " + text[:1].lower() + text[1:]
    return {
        "current_spm": float(current),
        "target_spm": float(step),
        "final_target_spm": target_spm,
        "progression_spm": [float(s) for s in steps],
        "warranted": warranted,
        "text": text,
    }
