"""Demo databases installed before 19.0.0.1.4: the legal user (kam_audit_legal) gets its home, Chinese and Shanghai.

The demo users are ``noupdate`` data, so an upgrade does not rewrite them; only a legal user still without a home
action (as the demo created it) is given the one of ``demo/kam_users_demo.xml``.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    legal = env.ref("kam_management.user_kam_audit_legal", raise_if_not_found=False)
    if legal and not legal.action_id and env["res.lang"]._lang_get("zh_CN"):
        legal.write(
            {"lang": "zh_CN", "tz": "Asia/Shanghai", "action_id": env.ref("kam_management.action_kam_home_legal").id}
        )
