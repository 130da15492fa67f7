import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tribune.lib import env

ROOT = Path(__file__).resolve().parents[3]
ENV_READ = re.compile(r"""(?:env_\w+|os\.environ\.get)\(\s*["']([A-Z_]+)["']""")


def settings_read_by_the_code() -> set[str]:
    names = set()
    for path in [
        ROOT / "tribune" / "settings.py",
        *ROOT.glob("tribune/*/management/commands/*.py"),
    ]:
        names |= set(ENV_READ.findall(path.read_text()))
    return names


def test_every_setting_is_documented_and_in_the_example_env_file():
    documented = set(
        re.findall(r"^\| `([A-Z_]+)`", (ROOT / "docs/configuration.md").read_text(), re.M)
    )
    example = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    in_code = settings_read_by_the_code()
    assert in_code, "the scan found no settings at all"
    assert in_code - documented == set(), "read by the code but missing from docs/configuration.md"
    assert documented - in_code == set(), "documented but never read"
    assert in_code - example == set(), "read by the code but missing from .env.example"


@pytest.mark.parametrize("raw, expected", [("1", True), ("yes", True), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env.env_bool("SOME_FLAG") is expected


def test_env_helpers_refuse_junk(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env.env_bool("SOME_FLAG")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env.env_int("SOME_NUMBER", 1)


def test_env_secret_reads_a_file_and_refuses_both(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("MY_SECRET_FILE", str(secret))
    assert env.env_secret("MY_SECRET") == "from-a-file"
    monkeypatch.setenv("MY_SECRET", "inline")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env.env_secret("MY_SECRET")
