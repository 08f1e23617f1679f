"""Monthly key-account report (KA10) on 20,000 key accounts and 200,000 posted invoices.

Run through ``bench/run.sh service_report`` (it feeds this file to ``odoo-bin shell``, which
provides ``env``); never part of the test command.

What it does
    1. reuses the tier-review generator (``bench/tier_review.py``'s ``generate``: accounts, their
       posted invoices of 2025 with receivable lines and reconciliations), puts the accounts in
       the strategic/key scheme (a tenth strategic), and adds by SQL two contacts a month per
       account and one complaint per ten accounts;
    2. times the report's figures (``ServiceFigures.monthly`` for December 2025: the account search
       and the one grouped statement) and counts its queries, against a bare SQL aggregate written
       independently (the accounts joined to one grouped sub-query per source table), checks that both give the
       same figures for every account, and prints both times and the ratio;
    3. times the whole XLSX (``report_xlsx`` render) for information.

Nothing is committed: the shell's transaction is rolled back, and run.sh drops the database.
"""

import statistics
import time
from pathlib import Path

from odoo.tools import SQL

REPEAT = 5
cr = env.cr  # noqa: F821 - provided by odoo-bin shell
company = env.company  # noqa: F821

# the tier-review generator, without running that benchmark
_source = Path("bench/tier_review.py").read_text(encoding="utf-8").rsplit("\nmain()", 1)[0]
_generator = {"env": env, "__name__": "bench_tier_review"}  # noqa: F821
exec(compile(_source, "bench/tier_review.py", "exec"), _generator)  # our own bench file
generate, timed, N_PARTNERS, N_INVOICES = (
    _generator["generate"], _generator["timed"], _generator["N_PARTNERS"], _generator["N_INVOICES"]
)


def generate_service():
    strategic = env.ref("kam_management.kam_tier_strategic")  # noqa: F821
    key = env.ref("kam_management.kam_tier_key")  # noqa: F821
    company.kam_tier_scheme_id = strategic.scheme_id
    env.flush_all()  # noqa: F821
    params = {"strategic": strategic.id, "key": key.id, "company": company.id,
              "kind": env.ref("kam_management.kam_contact_kind_visit").id,  # noqa: F821
              "user": env.ref("base.user_admin").id, "company_key": str(company.id)}  # noqa: F821
    cr.execute(
        """
        UPDATE res_partner SET kam_tier_id = CASE WHEN id %% 10 = 0 THEN %(strategic)s ELSE %(key)s END,
                               credit_limit = jsonb_build_object(%(company_key)s, 1000000)
         WHERE name LIKE '基准客户%%'
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO kam_visit (name, partner_id, company_id, date, kind_id, user_id, create_date, write_date)
        SELECT '基准拜访', p.id, %(company)s, DATE '2025-01-03' + (m * 30 + (p.id %% 25)), %(kind)s, %(user)s,
               now(), now()
          FROM res_partner p, generate_series(0, 11) m, generate_series(1, 2) k
         WHERE p.name LIKE '基准客户%%'
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO kam_complaint (name, partner_id, company_id, tier_id, channel, received_at, cause, severity,
                                   description, user_id, state, create_date, write_date)
        SELECT 'BENCH-CPL/' || p.id, p.id, %(company)s, p.kam_tier_id, 'phone',
               TIMESTAMP '2025-11-01' + (p.id %% 50) * INTERVAL '1 day', 'quality',
               CASE WHEN p.id %% 3 = 0 THEN 'serious' ELSE 'normal' END, '<p>基准</p>', %(user)s,
               CASE WHEN p.id %% 4 = 0 THEN 'closed' ELSE 'received' END, now(), now()
          FROM res_partner p WHERE p.name LIKE '基准客户%%' AND p.id %% 10 = 3
        """,
        params,
    )
    for table in ("res_partner", "kam_visit", "kam_complaint"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()  # noqa: F821


# The same figures written independently: the accounts joined to each source table, grouped once per table
# (correlated sub-queries per account took over 8 minutes at this size on the development machine).
BARE_SQL = """
    WITH acc AS (
        SELECT p.id FROM res_partner p JOIN kam_tier t ON t.id = p.kam_tier_id
         WHERE t.scheme_id = %(scheme)s AND p.kam_registration_state = 'approved'
    )
    SELECT acc.id, COALESCE(inv.month, 0), COALESCE(inv.ytd, 0), COALESCE(ar.receivable, 0),
           COALESCE(vis.done, 0), COALESCE(cpl.open, 0)
      FROM acc
      LEFT JOIN (SELECT m.commercial_partner_id AS pid,
                        SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date >= %(m0)s) AS month,
                        SUM(m.amount_untaxed_signed) AS ytd
                   FROM account_move m JOIN acc ON acc.id = m.commercial_partner_id
                  WHERE m.company_id = %(company)s AND m.state = 'posted'
                    AND m.move_type IN ('out_invoice', 'out_refund') AND m.invoice_date BETWEEN %(y0)s AND %(m1)s
                  GROUP BY 1) inv ON inv.pid = acc.id
      LEFT JOIN (SELECT m.commercial_partner_id AS pid, SUM(l.amount_residual) AS receivable
                   FROM account_move_line l JOIN account_move m ON m.id = l.move_id
                   JOIN account_account a ON a.id = l.account_id JOIN acc ON acc.id = m.commercial_partner_id
                  WHERE l.company_id = %(company)s AND m.state = 'posted'
                    AND a.account_type = 'asset_receivable' AND NOT l.reconciled
                  GROUP BY 1) ar ON ar.pid = acc.id
      LEFT JOIN (SELECT v.partner_id AS pid, COUNT(*) AS done FROM kam_visit v
                  WHERE v.company_id = %(company)s AND v.date BETWEEN %(m0)s AND %(m1)s GROUP BY 1) vis
             ON vis.pid = acc.id
      LEFT JOIN (SELECT c.partner_id AS pid, COUNT(*) AS open FROM kam_complaint c
                  WHERE c.company_id = %(company)s AND c.received_at < %(m1)s::date + 1
                    AND c.state IN ('received', 'handling', 'follow_up') GROUP BY 1) cpl ON cpl.pid = acc.id
"""


def main():
    print(f"kam_management monthly report benchmark: {N_PARTNERS:,} key accounts, {N_INVOICES:,} posted invoices")
    timed("data generation (SQL)", generate)
    timed("visits and complaints (SQL)", generate_service)
    report = env["kam.service.report"].create({"month": "2025-12-01"})  # noqa: F821
    params = {"company": company.id, "m0": "2025-12-01", "m1": "2025-12-31", "y0": "2025-01-01",
              "scheme": company.kam_tier_scheme_id.id}
    queries = []

    def figures():
        env.invalidate_all()  # noqa: F821
        before = cr.sql_log_count
        service, partner_ids = report._kam_figures()
        rows = service.monthly(partner_ids)
        queries.append(cr.sql_log_count - before)
        return rows

    def bare():
        cr.execute(SQL(BARE_SQL, **params))
        return cr.fetchall()

    rows = timed("report figures, first run", figures)
    print(f"  queries of that run: {queries[0]}", flush=True)
    bare_rows = timed("bare SQL, first run", bare)
    report_times, bare_times = [], []
    for _i in range(REPEAT):
        start = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        figures()
        report_times.append(time.perf_counter() - start)
    by_id = {row["partner_id"]: row for row in rows}
    assert len(rows) == N_PARTNERS == len(bare_rows), (len(rows), len(bare_rows))
    for partner_id, month, ytd, receivable, visits, complaints in bare_rows:
        row = by_id[partner_id]
        assert abs(row["month"] - float(month)) < 0.005 and abs(row["ytd"] - float(ytd)) < 0.005, partner_id
        assert abs(row["receivable"] - float(receivable)) < 0.005, partner_id
        assert row["visits_done"] == visits and row["complaints_open"] == complaints, partner_id
    report_time, bare_time = statistics.median(report_times), statistics.median(bare_times)
    print(f"  {'bare SQL aggregate (median of %d)' % REPEAT:<48} {bare_time:8.2f} s")
    print(f"  {'report figures (median of %d)' % REPEAT:<48} {report_time:8.2f} s")
    print(f"  {'ratio report / bare SQL':<48} {report_time / bare_time:8.2f} x")
    print(f"  queries per report run: {sorted(set(queries))}; figures identical for {len(rows):,} accounts")
    content = timed("whole XLSX (report_xlsx render)", lambda: env["ir.actions.report"]._render(  # noqa: F821
        "kam_management.monthly_xlsx", report.ids, {})[0])
    print(f"  XLSX size {len(content) / 1024:,.0f} KiB")
    ok = report_time <= 3 * bare_time and report_time < 20 and max(queries) <= 10
    print(f"RESULT: report {report_time:.2f} s, bare SQL {bare_time:.2f} s, ratio {report_time / bare_time:.2f}, "
          f"{max(queries)} queries (target: within 3x, under 20 s, at most 10 queries): {'MET' if ok else 'NOT MET'}")
    cr.rollback()


main()
