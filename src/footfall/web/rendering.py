"""The CPU work behind the pages, run in the analysis processes (no FastAPI in here).

Each function opens its own read-only store, so only a few names travel to the worker and
only a JSON dict or a page travels back. A name or a session the store does not have gives
None (the route answers 404).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from footfall.store import Store, queries

#: a session's id in URLs: the athlete's store id and the sha256 of the original. A session
#: is keyed by both in the store (two athletes may hold the same file), so the sha256 alone
#: would be ambiguous; both numbers are stable (a reanalysis replaces the row, never these)
SESSION_ID_PATTERN = "^[1-9][0-9]{0,17}-[0-9a-f]{64}$"
_SESSION_ID = re.compile(SESSION_ID_PATTERN)


def session_id(athlete_id: int, sha: str) -> str:
    return f"{athlete_id}-{sha}"


def parse_session_id(text: str) -> tuple[int, str] | None:
    """(athlete id, sha256) of a session id, or None when it is not one."""
    if not _SESSION_ID.fullmatch(text):
        return None
    athlete_id, sha = text.split("-", 1)
    return int(athlete_id), sha


def athlete_href(name: str) -> str:
    """The season page of an athlete in the web app."""
    return f"/athletes/{quote(name, safe='')}"


def report_href(ident: str) -> str:
    """A session's report page in the web app."""
    return f"/sessions/{ident}/report"


def _season(store: Store, name: str) -> dict[str, Any] | None:
    from footfall.season import season_analysis

    athlete = store.athlete(name)
    if athlete is None:
        return None
    return season_analysis(
        athlete.to_dict(), queries.analyses(store, athlete), store.symptoms(athlete), None
    )


def season_json(home: str, name: str) -> dict[str, Any] | None:
    """The athlete's season JSON (docs/season-json.md), from the store as it is now."""
    with Store(home, readonly=True) as store:
        return _season(store, name)


def season_page(home: str, name: str, roster: bool, plotly_src: str) -> str | None:
    """The season page, its sessions linking to their reports in the app."""
    from footfall.report.season_view import season_page as render

    with Store(home, readonly=True) as store:
        athlete = store.athlete(name)
        season = _season(store, name)
    if athlete is None or season is None:
        return None
    athlete_id = athlete.id
    return render(
        season,
        lambda sha: report_href(session_id(athlete_id, sha)),
        roster_href="/roster" if roster else None,
        plotly_src=plotly_src,
    )


def roster_json(home: str, names: list[str]) -> dict[str, Any]:
    """The roster JSON (docs/roster-json.md) of the given athletes."""
    from footfall.season.roster import roster

    return roster(_seasons(home, names))


def _seasons(home: str, names: list[str]) -> list[dict[str, Any]]:
    with Store(home, readonly=True) as store:
        return [s for s in (_season(store, n) for n in names) if s is not None]


def roster_page(home: str, names: list[str], plotly_src: str) -> str:
    from footfall.report.season_view import roster_page as render
    from footfall.season.roster import roster

    seasons = _seasons(home, names)
    return render(roster(seasons), seasons, athlete_href, plotly_src=plotly_src)


def session_page(home: str, name: str, sha: str, plotly_src: str) -> str | None:
    """One session's report, drawn again from its stored original with the athlete's
    profile; None when the athlete has no such session."""
    from footfall.batch.imports import analysis_of_original
    from footfall.report.html import ReportPage

    with Store(home, readonly=True) as store:
        athlete = store.athlete(name)
        if athlete is None:
            return None
        found = [o for o in queries.originals_of(store, athlete) if o[0] == sha]
        is_session = store.conn.execute(
            "SELECT 1 FROM sessions WHERE athlete_id = ? AND sha256 = ?", (athlete.id, sha)
        ).fetchone()
        if not found or not is_session:
            return None
        _, path, fmt, title = found[0]
        data = store.originals.get(sha)
    analysis = analysis_of_original(path, data, fmt, athlete.profile, title)
    return ReportPage(analysis).html(plotly_src)
