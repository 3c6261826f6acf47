"""The local web app (issue 13): coaches and athletes sign in, upload runs, read seasons.

``footfall serve`` runs :func:`footfall.web.app.create_app` under uvicorn (FastAPI). The app
works on the store under ``FOOTFALL_HOME``: a reader for each request, the writer only for
the length of one write, analysis on a process pool. Nothing here is imported by the CLI;
this package's ``__init__`` stays light because analysis workers import
:mod:`footfall.web.rendering` from it.
"""
