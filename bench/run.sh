#!/usr/bin/env bash
# Benchmark of the tier review's metric computation (KA4), not part of tools/test.sh.
# Creates a throw-away database with kam_management, generates 20,000 key
# accounts and 200,000 posted customer invoices by SQL, times the review's
# metric computation against the bare SQL aggregate, prints both and the
# ratio, and drops the database.
#   KAM_BENCH_PARTNERS / KAM_BENCH_INVOICES   sizes (default 20000 / 200000)
#   KAM_BENCH_DB=name   reuse an existing database with the module (kept)
#   KAM_BENCH_KEEP=1    keep the database it creates
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
cd "$REPO" || exit 1
find_odoo || { odoo_search_help; die "no Odoo 19 found"; }
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
log "generating data and timing in $db"
KAM_BENCH_PARTNERS=${KAM_BENCH_PARTNERS:-20000} KAM_BENCH_INVOICES=${KAM_BENCH_INVOICES:-200000} \
    "${ODOO_CMD[@]}" shell "${db_args[@]}" -d "$db" --addons-path="$REPO" --no-http \
    --log-level=warn <bench/tier_review_bench.py
