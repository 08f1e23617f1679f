import zlib

from psycopg2 import errors as pgerrors

from odoo import api, fields, models

# the gapless series: code -> (prefix with %(year)s, padding). Not ir.sequence: whoever may read an
# ir.sequence (every internal user) can advance it with next_by_code/next_by_id, burning a number.
GAPLESS_SERIES = {
    "kam.room.voucher": ("XF%(year)s-", 6),
}
LAST_NUMBER = "SELECT COALESCE(max(number), 0) FROM kam_gapless_number WHERE company_id = %s AND series = %s"


class KamGaplessNumber(models.Model):
    """The numbers taken from a gapless series of a company (HS12): one row per number, written only by
    the document that issues it, in the transaction that issues it.

    Taking a number (``_kam_take``) never updates a row another transaction may have changed after this
    one's snapshot, so under Odoo's REPEATABLE READ a busy desk waits its turn instead of failing with a
    serialization error and being replayed:

    1. ``pg_advisory_xact_lock`` on (series, company): a second issuer waits here until the first one's
       transaction ends (commit or rollback); the lock is released only then;
    2. the last committed number is read on a snapshot taken now, in a short transaction of its own: it
       sees every number committed before the lock was granted (this transaction's snapshot may predate
       them: a desk that waited sees none of the numbers taken while it waited), and none is in flight,
       since taking one needs the lock. The higher of it and the last number of this transaction's own
       snapshot (read before the lock: it holds the numbers this transaction took, not committed yet),
       plus one, is inserted. Should the unique index still refuse it (a number carried over without the
       lock), the next one is tried, inside a savepoint each: a unique violation, never a serialization
       failure.

    Gapless: a number exists only once its row is committed with its document, in the same transaction.
    A failed issue rolls back its row and the lock goes to the next issuer, who takes that very number.
    Nobody holds the lock while a lower number is still in flight, and the first try is the last number
    taken (committed, or this transaction's own) plus one, so no number is skipped. No model access is
    granted to anyone (the system administrator reads): numbers are taken only by the issuing code, under
    ``sudo``.
    """

    _name = "kam.gapless.number"
    _description = "Gapless Number Taken"
    _order = "company_id, series, number desc"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="restrict")
    series = fields.Char(required=True, readonly=True)
    number = fields.Integer(string="Number in the Series", required=True, readonly=True)
    res_id = fields.Integer(string="Document ID", readonly=True, help="Empty: carried over from an older numbering.")
    date = fields.Datetime(string="Taken On", readonly=True, default=fields.Datetime.now)

    _series_number_uniq = models.UniqueIndex("(company_id, series, number)", "A gapless number is taken once.")

    @api.depends("series", "number", "date")
    def _compute_display_name(self):
        for taken in self:
            known = taken.series in GAPLESS_SERIES and taken.date
            taken.display_name = self._kam_format(taken.series, taken.number, taken.date) if known else str(taken.number)

    @api.model
    def _kam_last(self, company, series):
        """The last number of the series this transaction sees (its snapshot: others may have taken more)."""
        self.flush_model()
        self.env.cr.execute(LAST_NUMBER, [company.id, series])
        return self.env.cr.fetchone()[0]

    @api.model
    def _kam_take(self, company, series, res_id):
        """Take the next number of ``series`` for ``company`` for the document ``res_id`` (see the class)."""
        cr = self.env.cr
        # this transaction's last number (its own, not committed yet, included), read before the lock
        own = self._kam_last(company, series)
        cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [zlib.crc32(series.encode()) & 0x7FFFFFFF, company.id])
        # the last committed number, on a snapshot younger than the lock (see the class)
        with self._kam_committed_cursor(["kam_gapless_number"]) as fresh:
            fresh.execute(LAST_NUMBER, [company.id, series])
            number = max(fresh.fetchone()[0], own)
        while True:
            number += 1
            try:
                with cr.savepoint(flush=False):
                    cr.execute(
                        """INSERT INTO kam_gapless_number (company_id, series, number, res_id, date)
                           VALUES (%s, %s, %s, %s, now() AT TIME ZONE 'UTC')""",
                        [company.id, series, number, res_id],
                        log_exceptions=False,
                    )
                return number
            except pgerrors.UniqueViolation:
                continue  # carried over meanwhile: the next one

    @api.model
    def _kam_format(self, series, number, date):
        prefix, padding = GAPLESS_SERIES[series]
        return f"{prefix % {'year': date.year}}{number:0{padding}d}"

    @api.model
    def _kam_carry_over(self, company, series, last):
        """Continue ``series`` after ``last`` (the last number an older numbering issued)."""
        if last > self._kam_last(company, series):
            self.sudo().create({"company_id": company.id, "series": series, "number": last})
