"""Shipped reminder levels of databases installed before 19.0.0.1.3 hold for every company.

The levels (``data/kam_collection_data.xml``) are ``noupdate`` data: an upgrade creates the levels that are new but
does not rewrite the ones a database already has, which kept the installing company — so a second company's
contracts and relationship requests were never reminded. Like the preset chains of 19.0.0.1.1, only levels nobody
has edited since they were installed lose their company: a company that changed one (its offset, channel,
responsible) made it its own, and keeps it.
"""

SHIPPED_LEVELS = (
    "kam_reminder_level_contract_before",
    "kam_reminder_level_contract_due",
    "kam_reminder_level_contract_late",
    "kam_reminder_level_contract_late_email",
    "kam_reminder_level_relation_due",
    "kam_reminder_level_relation_late_email",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE kam_collection_reminder_level level
           SET company_id = NULL
          FROM ir_model_data x
         WHERE x.model = 'kam.collection.reminder.level' AND x.module = 'kam_management' AND x.res_id = level.id
           AND x.name IN %s
           AND level.company_id IS NOT NULL AND level.write_date = level.create_date
        """,
        [SHIPPED_LEVELS],
    )
