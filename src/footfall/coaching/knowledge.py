"""Loading the coaching knowledge file (knowledge.toml): data, with its references."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from footfall.parsed_cache import parsed


@lru_cache(maxsize=1)
def knowledge() -> dict[str, Any]:
    """The parsed knowledge file, kept between runs by parsed_cache (a cache, never a copy:
    the TOML file stays the only source). Read beside this module: the package is always
    installed as files, and importlib.resources would be one more import per run."""
    text = Path(__file__).with_name("knowledge.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = parsed("knowledge", text, _parse_toml)
    return data


def _parse_toml(text: str) -> dict[str, Any]:
    import tomllib  # only when the cache cannot answer: 4 ms to import

    return tomllib.loads(text)


def numbness_link(detector: str) -> dict[str, Any] | None:
    entry = knowledge().get("numbness", {}).get(detector)
    if entry is None:
        return None
    return {
        "text": " ".join(entry["text"].split()),
        "grade": entry["grade"],
        "status": entry["status"],
        "references": list(entry.get("references", [])),
    }


def drill_entries(detector: str) -> list[dict[str, Any]]:
    """The drills that answer a detector's finding (science §5), in the file's order."""
    out = []
    for drill in knowledge().get("drills", []):
        if detector in drill["for"]:
            out.append(
                {
                    "id": drill["id"],
                    "name": drill["name"],
                    "dose": drill["dose"],
                    "progression": " ".join(drill["progression"].split()),
                    "evidence_grade": drill["evidence_grade"],
                    "reference": ", ".join(drill.get("references", [])),
                    "references": list(drill.get("references", [])),
                }
            )
    return out


def red_flags() -> list[dict[str, str]]:
    return [dict(flag) for flag in knowledge().get("red_flags", [])]


def checklist() -> list[dict[str, str]]:
    return [dict(item) for item in knowledge().get("checklist", [])]


def reference_text(key: str) -> str | None:
    refs: dict[str, str] = knowledge().get("references", {})
    return refs.get(key)


def not_medical_advice() -> str:
    return " ".join(str(knowledge()["meta"]["not_medical_advice"]).split())
