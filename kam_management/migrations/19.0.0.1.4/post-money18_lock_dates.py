"""Issue 18: the joint accounts of databases signed before 19.0.0.1.4 get their lock date.

A joint journal is locked up to the end of its latest signed reconciliation (``account.journal.kam_lock_date``, set
by the sign-off from now on). Periods signed before the field existed lock their journal from the upgrade on, so
nothing their figures were computed from changes afterwards.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE account_journal journal
           SET kam_lock_date = signed.date_to
          FROM (SELECT contract.joint_journal_id AS journal_id, MAX(reconciliation.date_to) AS date_to
                  FROM kam_joint_reconciliation reconciliation
                  JOIN kam_housing_contract contract ON contract.id = reconciliation.contract_id
                 WHERE reconciliation.state = 'signed' AND contract.joint_journal_id IS NOT NULL
              GROUP BY contract.joint_journal_id) signed
         WHERE journal.id = signed.journal_id
           AND (journal.kam_lock_date IS NULL OR journal.kam_lock_date < signed.date_to)
        """
    )
