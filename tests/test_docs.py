"""Docs are checked: every command, option and setting appears in docs/reference.md."""

from __future__ import annotations

import click

from sitrep.cli import main
from sitrep.settings import SETTINGS
from tests.conftest import ROOT

REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    for s in SETTINGS:
        assert f"`{s.name}`" in REFERENCE, s.name


def test_every_command_and_option_is_documented() -> None:
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert f"`sitrep {name}" in REFERENCE, name
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts:
                    if opt.startswith("--") and opt != "--help":
                        assert opt in REFERENCE, f"{name} {opt}"


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "\ndemo:" in makefile and "\ntest:" in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
