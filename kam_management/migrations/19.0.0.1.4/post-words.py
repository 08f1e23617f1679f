"""Databases installed before 19.0.0.1.4 read the corrected Chinese words (i18n/GLOSSARY.md).

An upgrade loads a module's translations without overwriting the ones a database already has, so the
words corrected in this version (a complaint's first state read 已收金额, a bank memo 备忘录, ...) would
stay wrong. The module's own shipped terms are reloaded over the old ones; records marked noupdate
keep theirs.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    langs = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    if langs:
        env["ir.module.module"]._load_module_terms(["kam_management"], langs, overwrite=True)
