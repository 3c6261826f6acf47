"""The local web app (issue 13): coaches and athletes sign in, upload runs, read seasons.

``footfall serve`` runs :func:`footfall.web.app.create_app` under uvicorn (FastAPI). The app
works on the store under ``FOOTFALL_HOME``: a reader for each request, the writer only for
the length of one write, analysis on a process pool. Nothing here is imported by the CLI;
this package's ``__init__`` stays light because analysis workers import
:mod:`footfall.web.rendering` from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from footfall.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # ``footfall.web.create_app`` is the factory deployments import (issue 13); it is loaded
    # on first use so analysis workers that import footfall.web.rendering skip FastAPI.
    if name == "create_app":
        from footfall.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
