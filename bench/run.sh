#!/usr/bin/env bash
# Benchmark of the sales control table (HS2): 20 buildings × 30 floors × 8 units
# (4,800 units) in a throw-away database; prints the time to read the grid
# data of the project and to export it as XLSX. Not part of tools/test.sh.
#   bench/run.sh            (KAM_BENCH_HTTP_PORT changes the unused HTTP port)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
cd "$REPO" || exit 1
find_odoo || { odoo_search_help; die "no Odoo 19 found"; }
check_odoo_python
setup_postgres
mkdir -p "$WORK/logs"
db="kam_bench_$$"
trap 'drop_database "$db" || log "could not drop $db"' EXIT
mapfile -t db_args < <(odoo_db_args)
log "installing kam_management (no demo data) into $db"
"${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --addons-path="$REPO" -i kam_management --stop-after-init \
    --http-port="${KAM_BENCH_HTTP_PORT:-18099}" --logfile="$WORK/logs/bench-$db.log" \
    || die "install failed, see $WORK/logs/bench-$db.log"
log "generating 4,800 units and timing"
"${ODOO_CMD[@]}" shell "${db_args[@]}" -d "$db" --addons-path="$REPO" --no-http \
    --logfile="$WORK/logs/bench-$db.log" <bench/sales_control.py
