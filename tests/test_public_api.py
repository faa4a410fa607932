"""The public API is explicit: __all__ is sorted, complete and importable."""

from __future__ import annotations

import sitrep


def _isort_key(name: str) -> tuple[int, str]:
    # isort style, as ruff's RUF022 wants: CONSTANTS, then Classes, then functions.
    if name.isupper():
        return 0, name
    return (1 if name[0].isupper() else 2), name


def test_all_is_sorted_and_importable() -> None:
    assert sitrep.__all__ == sorted(sitrep.__all__, key=_isort_key)
    for name in sitrep.__all__:
        assert getattr(sitrep, name) is not None, name


def test_no_public_name_is_left_out() -> None:
    public = {
        name
        for name, value in vars(sitrep).items()
        if not name.startswith("_") and not isinstance(value, type(sitrep))
    }
    assert public == set(sitrep.__all__)
