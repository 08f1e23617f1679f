from contextlib import contextmanager

from odoo import models


class Base(models.AbstractModel):
    """Reads of what is committed now, for the module's locks (the joint account's, the gapless numbers'): Odoo's
    transactions are REPEATABLE READ, so once a lock is held the transaction's own snapshot may predate the
    previous holder's commit."""

    _inherit = "base"

    @contextmanager
    def _kam_committed_cursor(self, tables, written=False):
        """A new cursor, to read what is committed now rather than this transaction's snapshot; this
        transaction's own cursor when it holds one of ``tables`` exclusively (a module install that changed
        it: a new cursor would wait for it forever, and no one else writes there meanwhile) or, with
        ``written``, wrote into one of them itself: a new cursor would not see those rows. Only a test's
        transaction makes a period's inputs and signs it in one go; the sign-off's request writes nothing
        before its check, so it reads on a new cursor."""
        modes = ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]
        if written:
            modes.append("RowExclusiveLock")
            self.env.flush_all()
        self.env.cr.execute(
            """SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() AND granted AND locktype = 'relation'
                  AND relation = ANY(%s::regclass[]) AND mode = ANY(%s) LIMIT 1""",
            [list(tables), modes],
        )
        if self.env.cr.rowcount:
            yield self.env.cr
            return
        with self.env.registry.cursor() as fresh:
            yield fresh
