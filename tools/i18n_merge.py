"""Merge a freshly exported kam_management.pot into i18n/zh_CN.po.

Keeps every existing Chinese translation whose English source is still used,
adds new sources untranslated (the Odoo test test_translations then names
them), and drops sources the code no longer has. Usage:
    python tools/i18n_merge.py exported.pot
"""

import sys
from pathlib import Path

import polib

I18N = Path(__file__).resolve().parent.parent / "kam_management" / "i18n"


def merge(pot_path):
    pot = polib.pofile(str(pot_path))
    po_path = I18N / "zh_CN.po"
    old = {entry.msgid: entry.msgstr for entry in polib.pofile(str(po_path))} if po_path.exists() else {}
    po = polib.POFile(wrapwidth=78)
    po.header = "Translation of Odoo Server.\nThis file contains the translation of the following modules:\n\t* kam_management"
    po.metadata = {
        "Project-Id-Version": "Odoo Server 19.0",
        "Report-Msgid-Bugs-To": "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "zh_CN",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "",
        "Plural-Forms": "",
    }
    for entry in pot:
        po.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=old.get(entry.msgid, ""),
                occurrences=entry.occurrences,
                comment=entry.comment,
                tcomment=entry.tcomment,
                flags=entry.flags,
            )
        )
    po.save(str(po_path))
    pot.metadata.pop("POT-Creation-Date", None)
    pot.metadata.pop("PO-Revision-Date", None)
    pot.save(str(I18N / "kam_management.pot"))
    missing = [entry.msgid for entry in po if not entry.msgstr]
    print(f"{len(po)} terms, {len(missing)} without a Chinese translation")
    for msgid in missing:
        print("  " + msgid.replace("\n", " "))


if __name__ == "__main__":
    merge(sys.argv[1])
