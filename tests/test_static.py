"""Static checks over the package: every name the code uses is defined somewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

pyflakes_api = pytest.importorskip("pyflakes.api")
from pyflakes import messages, reporter  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# pandera's dtype aliases in string annotations (Series["int32"]) read to pyflakes as names
PANDERA_DTYPES = {"int32", "Int32"}


class _Collect(reporter.Reporter):
    def __init__(self) -> None:
        self.found: list = []

    def flake(self, message) -> None:
        self.found.append(message)

    def unexpectedError(self, filename, msg) -> None:
        self.found.append(f"{filename}: {msg}")

    def syntaxError(self, filename, msg, lineno, offset, text) -> None:
        self.found.append(f"{filename}:{lineno}: {msg}")


def test_no_undefined_names_in_the_package():
    collect = _Collect()
    for folder in ("pipeline", "schemas"):
        pyflakes_api.checkRecursive([str(ROOT / folder)], collect)
    undefined = [str(m) for m in collect.found
                 if isinstance(m, str) or (isinstance(m, (messages.UndefinedName, messages.UndefinedLocal))
                                           and m.message_args[0] not in PANDERA_DTYPES)]
    assert undefined == []
