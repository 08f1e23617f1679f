"""Static checks of the addon that need no Odoo: manifest, XML, CSV, translations."""

import ast
import csv
import re
from pathlib import Path

import polib
import pytest
from lxml import etree

ADDON = Path(__file__).resolve().parent.parent / "kam_management"
MANIFEST = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
XML_FILES = sorted(p for p in ADDON.rglob("*.xml") if "static" not in p.parts)
ACCESS_HEADER = ["id", "name", "model_id:id", "group_id:id", "perm_read", "perm_write", "perm_create", "perm_unlink"]


def test_manifest_declares_what_odoo_and_the_project_need():
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", MANIFEST["version"])
    assert MANIFEST["license"] == "LGPL-3"
    assert MANIFEST["summary"] and MANIFEST["category"]
    for dependency in ("base", "mail", "account", "sale", "base_tier_validation", "report_xlsx"):
        assert dependency in MANIFEST["depends"]
    assert {"python-stdnum", "cn2an", "xlsxwriter"} <= set(MANIFEST["external_dependencies"]["python"])


@pytest.mark.parametrize("key", ["data", "demo"])
def test_manifest_files_exist(key):
    for name in MANIFEST.get(key, []):
        assert (ADDON / name).is_file(), f"{key} file {name} is listed but missing"


def test_every_data_file_is_loaded_and_demo_only_as_demo():
    listed = set(MANIFEST.get("data", [])) | set(MANIFEST.get("demo", []))
    for folder in ("security", "views", "data", "wizards", "report", "demo"):
        for path in (ADDON / folder).glob("*"):
            if path.suffix in (".xml", ".csv"):
                assert str(path.relative_to(ADDON)) in listed, f"{path.name} is never loaded"
    assert not [name for name in MANIFEST.get("data", []) if name.startswith("demo/")]
    # menus reference actions defined in the files before them
    data = MANIFEST["data"]
    assert data[-1] == "views/kam_menus.xml"
    assert [n for n in data if n.startswith("security/")] == data[: len([n for n in data if n.startswith("security/")])]


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: str(p.relative_to(ADDON)))
def test_xml_parses_and_uses_odoo_19_syntax(path):
    tree = etree.parse(str(path))
    assert tree.getroot().tag == "odoo"
    text = path.read_text(encoding="utf-8")
    assert "<tree" not in text, "Odoo 19 uses <list>"
    assert "attrs=" not in text and "states=" not in text, "Odoo 19 uses invisible=/readonly= expressions"
    assert 'name="groups_id"' not in text, "Odoo 19 names it group_ids"


def test_xml_ids_are_unique():
    seen = {}
    for path in XML_FILES:
        for node in etree.parse(str(path)).iter():
            xmlid = node.get("id") if node.tag in ("record", "menuitem", "template") else None
            if xmlid:
                assert xmlid not in seen, f"{xmlid} defined in {seen.get(xmlid)} and {path.name}"
                seen[xmlid] = path.name


def test_access_csv_files():
    for path in ADDON.rglob("ir.model.access.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == ACCESS_HEADER
        ids = [row[0] for row in rows[1:]]
        assert len(ids) == len(set(ids)), "duplicate access ids"
        for row in rows[1:]:
            assert len(row) == len(ACCESS_HEADER), row
            assert row[0].startswith("access_kam_"), row[0]
            assert row[2].split(".")[-1].startswith("model_"), row[2]
            assert all(flag in ("0", "1") for flag in row[4:]), row
            assert str(path.relative_to(ADDON)) in MANIFEST["data"]


def test_chinese_translation_file_is_valid():
    po = polib.pofile(str(ADDON / "i18n" / "zh_CN.po"))
    assert po.metadata.get("Language") == "zh_CN"
    assert po.metadata.get("Content-Type") == "text/plain; charset=UTF-8"
    assert len(po) > 0
    for entry in po.translated_entries():
        # a placeholder lost in translation crashes the message at run time
        placeholders = sorted(re.findall(r"%\(\w+\)s|%s|%d", entry.msgid))
        assert sorted(re.findall(r"%\(\w+\)s|%s|%d", entry.msgstr)) == placeholders, entry.msgid
