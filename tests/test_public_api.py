"""The public API is explicit: __all__ is sorted, complete and importable."""

from __future__ import annotations

import sitrep


def test_all_is_sorted_and_importable() -> None:
    assert sitrep.__all__ == sorted(sitrep.__all__)
    for name in sitrep.__all__:
        assert getattr(sitrep, name) is not None, name


def test_no_public_name_is_left_out() -> None:
    public = {
        name
        for name, value in vars(sitrep).items()
        if not name.startswith("_") and not isinstance(value, type(sitrep))
    }
    assert public == set(sitrep.__all__)
