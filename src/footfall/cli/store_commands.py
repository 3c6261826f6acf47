"""`footfall athletes add|list|show` and `footfall log-symptom`: the store's athletes and
their symptom log. Only the standard library at import time (footfall --help)."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from typing import Any

from footfall.cli import EXIT_OK, EXIT_USAGE, TextOrJson, _err, echo
from footfall.cli.parsing import CommandParser
from footfall.cli.values import number


class Side(StrEnum):
    left = "left"
    right = "right"
    both = "both"


def add_commands(root: CommandParser) -> None:
    """The athletes group and log-symptom."""
    group = root.command(
        "athletes",
        "The athletes of the store (FOOTFALL_HOME): add or change one, list them, show one.",
    )
    cmd = group.command(
        "add",
        "Add an athlete, or change the profile of one (only the options given).",
        athletes_add,
    )
    cmd.argument("name", "NAME", "the athlete's name")
    cmd.option("--height", dest="height", metavar="CM", type=number, help="height in cm")
    cmd.option(
        "--target-cadence",
        dest="target_cadence",
        metavar="SPM",
        type=number,
        help="target cadence (default 180)",
    )
    cmd.switch(
        "--knee-or-shin-history",
        dest="knee_or_shin",
        help="a history of knee or shin pain (warrants a cadence block, science §1.5)",
    )
    cmd = group.command(
        "list",
        "List the athletes with their number of sessions and their last run.",
        athletes_list,
    )
    _format(cmd)
    cmd = group.command(
        "show",
        "Show an athlete: profile, progression step, stored files, last session, symptoms.",
        athletes_show,
    )
    cmd.argument("name", "NAME", "the athlete's name")
    _format(cmd)

    cmd = root.command(
        "log-symptom",
        "Log numbness: the day, the side and when in the run it started.",
        log_symptom,
    )
    cmd.option("--athlete", dest="athlete_name", metavar="NAME", help="whose log", required=True)
    cmd.option(
        "--date",
        dest="day",
        metavar="DATE",
        help="the day, YYYY-MM-DD or 'today'",
        required=True,
    )
    cmd.one_of(
        "--side",
        dest="side",
        enum=Side,
        help="left, right or both",
        required=True,
    )
    cmd.option(
        "--at", dest="at", metavar="TIME", help="when it started in the run: 25m, 1h05m, 25:30"
    )
    cmd.option("--note", dest="note", metavar="TEXT", help="a note")


def _format(cmd: CommandParser) -> None:
    cmd.one_of(
        "--format",
        "-f",
        dest="output_format",
        enum=TextOrJson,
        default=TextOrJson.text,
        help="text (default) or json",
    )


def _athlete_lines(info: dict[str, Any]) -> list[str]:
    height = f"{info['height_cm']:g} cm" if info.get("height_cm") else "not given"
    step = info.get("progression_step_pct") or 0.0
    return [
        f"{info['name']}",
        f"  height: {height}",
        f"  target cadence: {info['target_cadence_spm']:g} spm",
        f"  knee or shin history: {'yes' if info.get('knee_or_shin_history') else 'no'}",
        f"  progression step: {f'+{step:g} %' if step else 'none'}"
        + (f" ({info['progression_reason']})" if info.get("progression_reason") else ""),
    ]


def athletes_add(
    name: str, height: float | None, target_cadence: float | None, knee_or_shin: bool | None
) -> None:
    """Add an athlete, or change the profile of one (only the options given)."""
    from footfall.cli.outputs import open_store

    with open_store() as store:
        existed = store.athlete(name) is not None
        athlete = store.save_athlete(
            name,
            height_cm=height,
            target_cadence_spm=target_cadence,
            knee_or_shin_history=knee_or_shin,
        )
        echo("\n".join(_athlete_lines(athlete.to_dict())))
        if (
            existed
            and store.conn.execute(
                "SELECT 1 FROM sessions WHERE athlete_id = ? LIMIT 1", (athlete.id,)
            ).fetchone()
        ):
            _err(
                f"{athlete.name}: stored sessions keep the old profile until "
                f"'footfall reanalyze --athlete \"{athlete.name}\"'"
            )


def athletes_list(output_format: TextOrJson) -> None:
    """List the athletes with their number of sessions and their last run."""
    from footfall.cli.outputs import open_store
    from footfall.store import queries

    rows = []
    with open_store(readonly=True, missing_ok=True) as store:
        for athlete in store.athletes() if store else []:
            last = queries.last_session(store, athlete)
            rows.append(
                {
                    **athlete.to_dict(),
                    "sessions": queries.counts(store, athlete)["sessions"],
                    "last_session": last,
                }
            )
    if output_format == TextOrJson.json:
        echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        echo("no athletes yet (footfall athletes add NAME)")
    for row in rows:
        last = row["last_session"]
        when = str(last["start_time"])[:10] if last and last.get("start_time") else "no runs"
        echo(f"{row['name']}: {row['sessions']} sessions, last {when}")


def athletes_show(name: str, output_format: TextOrJson) -> None:
    """Show an athlete: profile, progression step, stored files, last session, symptoms."""
    from footfall.cli.outputs import open_store
    from footfall.store import queries

    with open_store(readonly=True) as store:
        athlete = store.require_athlete(name)
        info = {
            **athlete.to_dict(),
            "files": queries.counts(store, athlete),
            "last_session": queries.last_session(store, athlete),
            "symptoms": store.symptoms(athlete),
        }
    if output_format == TextOrJson.json:
        echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    lines = _athlete_lines(info)
    files = info["files"]
    lines.append(
        f"  files: {files['session']} sessions, {files['same_run']} same run as another, "
        f"{files['not_run']} not a run, {files['failed']} failed, {files['pending']} pending"
    )
    last = info["last_session"]
    if last:
        lines.append(
            f"  last session: {str(last['start_time'])[:16]} {last['name'] or last['path']}"
        )
    for entry in info["symptoms"]:
        at = f" at {round(entry['onset_s'] / 60)} min" if entry.get("onset_s") is not None else ""
        lines.append(f"  numbness {entry['date']}: {entry['side']}{at}")
    echo("\n".join(lines))


def log_symptom(athlete_name: str, day: str, side: Side, at: str | None, note: str | None) -> int:
    """Log numbness: the day, the side and when in the run it started."""
    try:
        when = date.today() if day.strip().lower() == "today" else date.fromisoformat(day)
    except ValueError:
        _err(f"--date {day!r}: give the day as YYYY-MM-DD (or 'today')")
        return EXIT_USAGE
    from footfall.cli.outputs import open_store
    from footfall.coaching.symptoms import parse_onset

    onset = parse_onset(at) if at is not None else None
    with open_store() as store:
        athlete = store.require_athlete(athlete_name)
        store.log_symptom(athlete, when.isoformat(), side.value, onset, note)
    where = f" at {onset // 60} min" if onset is not None else ""
    echo(f"{athlete.name}: numbness ({side.value}) on {when.isoformat()}{where} logged")
    if side == Side.both:
        _err(
            "numbness in both feet is a red flag: see a clinician before more cadence work "
            "(science §4.3)"
        )
    return EXIT_OK
