"""Working time with China's public holidays, and structured rename relations, for databases before 19.0.0.1.4.

The public holidays and make-up working days of 2026 and 2027 are data (``data/kam_public_holidays_*.xml``) that
the update loads; a new install makes every company's working calendar follow them, and so does this migration:
each company calendar gets the holidays as its leaves, and the make-up days count as working time.

A contract's allowed relations were free text (``rename_relations``). Nobody can read "配偶、子女按合同价" into
structured terms without guessing, so the text stays on the contract, read-only, and the contract's manager gets
an activity to enter the relations as lines; until then a rename to a relation is refused with that reason.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["resource.calendar"]._kam_follow_public_holidays()
    contracts = env["kam.housing.contract"].search(
        [("rename_relations", "!=", False), ("rename_relation_ids", "=", False)]
    )
    for contract in contracts:
        contract.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=contract.user_id.id or SUPERUSER_ID,
            summary=env._("Enter the allowed relations as lines"),
            note=env._(
                "Renames now follow the contract's allowed relations as lines (relation, accepted proofs, price "
                "policy). The old free text is kept on the contract: convert it."
            ),
        )
