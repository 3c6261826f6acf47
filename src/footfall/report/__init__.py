"""Rendering an Analysis: JSON (report/json.py) and HTML (report/html.py)."""
