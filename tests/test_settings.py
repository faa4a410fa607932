"""Settings: defaults < file < environment < overrides, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import ConfigError
from sitrep.settings import SETTINGS, load_settings


def test_layers_in_order(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text('[nlp]\nmodel = "from_file"\nbatch_size = 8\n[store]\nurl = "sqlite:///f.db"\n')
    s = load_settings(file=f, environ={"SITREP_NLP_MODEL": "from_env"}, overrides={})
    assert s["nlp.model"] == "from_env"
    assert s["nlp.batch_size"] == 8
    s = load_settings(
        file=f, environ={"SITREP_NLP_MODEL": "from_env"}, overrides={"nlp.model": "cli"}
    )
    assert s["nlp.model"] == "cli"
    assert s["store.url"] == "sqlite:///f.db"


def test_none_override_keeps_lower_layer() -> None:
    s = load_settings(environ={"SITREP_PROCESS_WORKERS": "3"}, overrides={"process.workers": None})
    assert s["process.workers"] == 3


def test_bad_values_name_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SITREP_PROCESS_WORKERS"):
        load_settings(environ={"SITREP_PROCESS_WORKERS": "many"})
    f = tmp_path / "s.toml"
    f.write_text("[nlp]\nmodle = 1\n")
    with pytest.raises(ConfigError, match=r"unknown setting 'nlp\.modle'"):
        load_settings(file=f, environ={})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(file=tmp_path / "missing.toml", environ={})


def test_every_setting_has_help_and_a_default_of_its_type() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    for s in SETTINGS:
        assert s.help.strip().endswith(".") or s.help.strip().endswith(")"), s.name
        assert isinstance(s.default, s.type), s.name
        assert "." in s.name
