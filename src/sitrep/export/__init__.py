"""Exports of stored events: ACLED-column CSV, GeoJSON, JSON Lines and a terminal table.

Each writer takes events (any iterable) and a text stream, so the CLI, the API and tests
share them; none of them opens files.
"""
