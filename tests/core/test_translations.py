"""Vietnamese is the default language: its catalogue must be complete and compiled."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "thuvien" / "locale" / "vi" / "LC_MESSAGES"
MSGFMT = shutil.which("msgfmt")


@pytest.mark.skipif(MSGFMT is None, reason="gettext's msgfmt is not installed")
def test_vietnamese_catalogue_has_no_untranslated_or_fuzzy_entry():
    result = subprocess.run(
        [MSGFMT, "--check", "--statistics", "-o", "/dev/null", str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


@pytest.mark.skipif(MSGFMT is None, reason="gettext's msgfmt is not installed")
def test_compiled_catalogue_matches_the_source(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run([MSGFMT, "-o", str(fresh), str(LOCALE / "django.po")], check=True)
    with fresh.open("rb") as new, (LOCALE / "django.mo").open("rb") as committed:
        expected = gettext.GNUTranslations(new)._catalog  # type: ignore[attr-defined]
        actual = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
    assert actual == expected, "run `make messages` and commit thuvien/locale"
