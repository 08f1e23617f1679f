#!/usr/bin/env bash
# The run command: Odoo 19 with kam_management and its demo data on
# http://127.0.0.1:8069 (see README). Brings up Odoo 19 in .work/ when none is installed.
#   KAM_DB=name       database to use (default kam_demo; created on first run)
#   KAM_HTTP_PORT=n   port (default 8069)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO" || exit 1
mkdir -p "$WORK/logs"

find_or_bring_up_odoo
log "Odoo 19: $ODOO_WHERE"
check_odoo_python
install_module_requirements
setup_postgres

db=${KAM_DB:-kam_demo}
port=${KAM_HTTP_PORT:-8069}
mapfile -t db_args < <(odoo_db_args)
common=("${db_args[@]}" -d "$db" --db-filter="^${db}\$" --addons-path="$REPO")
if database_exists "$db"; then
    log "updating kam_management in the existing database $db"
    "${ODOO_CMD[@]}" "${common[@]}" -u kam_management --stop-after-init --logfile="$WORK/logs/run-update.log" \
        || die "updating the module failed, see $WORK/logs/run-update.log"
else
    # UX7: a Chinese company; l10n_cn (the Chinese chart, CNY) for the demo database only,
    # the module itself does not depend on it
    log "creating $db with kam_management, its demo data, the Chinese chart (l10n_cn) and Chinese (zh_CN); this takes a few minutes"
    "${ODOO_CMD[@]}" "${common[@]}" -i l10n_cn,kam_management --with-demo --load-language=zh_CN \
        --stop-after-init --logfile="$WORK/logs/run-init.log" \
        || die "installing the module failed, see $WORK/logs/run-init.log"
fi

cat <<INFO

  kam_management is starting at  http://127.0.0.1:$port   (database $db)
  Administrator:  admin / admin
  One demo user per department (password = login):
    kam_user  kam_manager  kam_sales  kam_clerk  kam_finance  kam_finance_manager
    kam_audit  kam_audit_legal  kam_cost  kam_executive
  Stop with Ctrl-C. Log: $WORK/logs/run.log

INFO
exec "${ODOO_CMD[@]}" "${common[@]}" --http-interface=127.0.0.1 --http-port="$port" --logfile="$WORK/logs/run.log"
