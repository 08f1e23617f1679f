"""The glossary (kam_management/i18n/glossary.csv) holds in the translation files, as Odoo 19 reads them.

Odoo merges i18n/kam_management.pot into i18n/zh_CN.po when it loads it (odoo/tools/translate.py,
PoFileReader): an entry missing from the .pot is dropped, and the .pot's occurrences say which
records a translation reaches. These checks read the files that way.
"""

import csv
from pathlib import Path

import polib
import pytest

ADDON = Path(__file__).resolve().parent.parent / "kam_management"
I18N = ADDON / "i18n"
GLOSSARY = list(csv.DictReader((I18N / "glossary.csv").open(encoding="utf-8")))
KINDS = {"field", "selection", "button", "term"}


def _as_odoo_loads_it():
    """zh_CN.po merged with the .pot, as Odoo's PoFileReader does: obsolete entries are not loaded."""
    po = polib.pofile(str(I18N / "zh_CN.po"))
    po.merge(polib.pofile(str(I18N / "kam_management.pot")))
    return [entry for entry in po if not entry.obsolete]


LOADED = _as_odoo_loads_it()
EXTRA = list(polib.pofile(str(ADDON / "i18n_extra" / "zh_CN.po")))


def _occurrence(row):
    """The record a field or selection row names, as the .po files write it."""
    if row["kind"] == "field":
        model, field = row["target"].split(":")
        return f"field_description:kam_management.field_{model.replace('.', '_')}__{field}"
    model, field, value = row["target"].split(":")
    return f".selection__{model.replace('.', '_')}__{field}__{value}"


def test_the_glossary_is_well_formed():
    assert len(GLOSSARY) >= 30
    for row in GLOSSARY:
        assert row["kind"] in KINDS, row
        assert row["en"] and row["zh"], row
        assert row["target"] or row["kind"] == "term", row
    # one English term, one Chinese word
    seen = {}
    for row in GLOSSARY:
        assert seen.setdefault(row["en"], row["zh"]) == row["zh"], row


def test_every_translation_reaches_odoo():
    """An entry appended to zh_CN.po but not to the .pot is never shown (tools/i18n_update.sh writes both)."""
    po = {entry.msgid for entry in polib.pofile(str(I18N / "zh_CN.po"))}
    pot = {entry.msgid for entry in polib.pofile(str(I18N / "kam_management.pot"))}
    assert not sorted(po - pot), "in zh_CN.po, missing from kam_management.pot (Odoo drops them)"
    assert not sorted(pot - po), "in the .pot without a zh_CN entry"


@pytest.mark.parametrize("row", GLOSSARY, ids=[f"{row['en']}->{row['zh']}" for row in GLOSSARY])
def test_glossary_term_reads_as_defined(row):
    if row["kind"] in ("field", "selection"):
        target = _occurrence(row)
        entries = [
            entry for entry in LOADED + EXTRA
            if any(name.endswith(target) for name, _line in entry.occurrences)
        ]
        assert len(entries) == 1, f"{target}: {len(entries)} entries translate it"
        assert (entries[0].msgid, entries[0].msgstr) == (row["en"], row["zh"])
    else:
        entries = [entry for entry in LOADED if entry.msgid == row["en"]]
        if row["target"].startswith("account_statement_import_file."):
            # OCA's own words are not ours to translate: our view takes the button over
            entries = [e for e in entries if any(o.endswith(".account_statement_import_form_kam") for o, _l in e.occurrences)]
        assert len(entries) == 1, f"{row['en']!r} is not a term of the module"
        assert entries[0].msgstr == row["zh"]
