#!/usr/bin/env bash
# Benchmarks (not part of tools/test.sh). Each runs in one throw-away database
# with kam_management installed without demo data, prints its figures, and the
# database is dropped at the end.
#   bench/run.sh [NAME ...]   (default: tier_review sales_control; the others by name)
#   tier_review    KA4: 20,000 key accounts and 200,000 posted invoices made by
#                  SQL; the review's metric computation against the bare SQL
#                  aggregate, both times and their ratio; then the apply step of the
#                  approved review (the batched job) against one set-based SQL
#                  UPDATE + INSERT of the same values, both times and their ratio
#                  (KAM_BENCH_PARTNERS / KAM_BENCH_INVOICES change the sizes)
#   sales_control  HS2: 20 buildings × 30 floors × 8 units (4,800 units);
#                  grid data of the project and its XLSX export
#   joint_reconciliation  AC3/AC4: 50,000 receipts and 50,000 joint-account bank lines made
#                  by SQL; the period's matching against a bare SQL join on the same keys,
#                  then the import of a statement file through the OCA wizard and the sign-off's
#                  booking of its lines, each against the same lines created and booked by Odoo
#                  alone on a plain bank journal (the floor)
#                  (KAM_BENCH_RECEIPTS / KAM_BENCH_IMPORT change the sizes; KAM_BENCH_NAMED=0:
#                  memos name no receipt, all matched oldest first in memory)
#   selection_desk HS11/HS12: 8 desk workers (own connections) issue tickets on 100
#                  units of a contract with 5,000 buyers, then the vouchers: no
#                  double holder, no voucher-number gap, vouchers per second; then
#                  the desk screen's read (figures + a page of 20 buyers) on that draw
#   service_report KA10 (run it by name): the monthly key-account report on the
#                  tier-review data, against a bare SQL aggregate, with its query count
#   collections    AC5 (run it by name): the receipt ledger on a contract of 50,000 buyers
#                  (and 4 of 1,000) with 2,000 relationship requests, made by SQL; its
#                  grouped list, first page, pivot, graph, rows read by id and one-contract
#                  filter against bare SQL aggregates of the same figures, with an
#                  EXPLAIN ANALYZE (KAM_BENCH_BUYERS / KAM_BENCH_REQUESTS change the sizes)
#   KAM_BENCH_DB=name   reuse an existing database with the module (kept)
#   KAM_BENCH_KEEP=1    keep the database it creates
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
cd "$REPO" || exit 1
benchmarks=("$@")
[ ${#benchmarks[@]} -gt 0 ] || benchmarks=(tier_review sales_control)
for name in "${benchmarks[@]}"; do
    [ -f "bench/$name.py" ] || die "unknown benchmark $name (bench/$name.py)"
done
find_or_bring_up_odoo  # brings Odoo up in .work/ when none is installed, as the two commands do
check_odoo_python
setup_postgres
mkdir -p "$WORK/logs"
mapfile -t db_args < <(odoo_db_args)
if [ -n "${KAM_BENCH_DB:-}" ]; then
    db=$KAM_BENCH_DB
else
    db="kam_bench_$$"
    [ "${KAM_BENCH_KEEP:-0}" = 1 ] || trap 'drop_database "$db" || log "could not drop $db"' EXIT
    log "installing kam_management (no demo data) into $db"
    "${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --addons-path="$REPO" -i kam_management --stop-after-init \
        --http-port="${KAM_BENCH_HTTP_PORT:-18079}" --logfile="$WORK/logs/bench-install.log" \
        || die "installing the module failed, see $WORK/logs/bench-install.log"
fi
for name in "${benchmarks[@]}"; do
    log "benchmark $name in $db"
    KAM_BENCH_PARTNERS=${KAM_BENCH_PARTNERS:-20000} KAM_BENCH_INVOICES=${KAM_BENCH_INVOICES:-200000} \
        "${ODOO_CMD[@]}" shell "${db_args[@]}" -d "$db" --addons-path="$REPO" --no-http \
        --log-level=warn <"bench/$name.py" || die "benchmark $name failed"
done
