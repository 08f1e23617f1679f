"""Reconciliation rows of databases matched before 19.0.0.1.2.

Discrepancies: their stored sentence (in the language of whoever matched) becomes ``legacy_description``, shown
as it is; matchings from now on store the figures and every reader gets the sentence in their own language.
Allocations: the company (the reconciliation's) and the create/write columns are gone, so that inserting a period's
tens of thousands of rows checks three foreign keys instead of six; who allocated by hand, and when, moves to
``allocated_by_id``/``allocated_date``.
"""


def _columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
    return {name for (name,) in cr.fetchall()}


def migrate(cr, version):
    if not version:
        return
    if "description" in _columns(cr, "kam_joint_discrepancy"):
        cr.execute("UPDATE kam_joint_discrepancy SET legacy_description = description WHERE description IS NOT NULL")
        cr.execute("ALTER TABLE kam_joint_discrepancy DROP COLUMN description")
    columns = _columns(cr, "kam_joint_allocation")
    if "create_uid" in columns:
        cr.execute(
            "UPDATE kam_joint_allocation SET allocated_by_id = create_uid, allocated_date = create_date"
            " WHERE method = 'manual'"
        )
    for column in ("company_id", "create_uid", "create_date", "write_uid", "write_date"):
        if column in columns:
            cr.execute(f"ALTER TABLE kam_joint_allocation DROP COLUMN {column}")
