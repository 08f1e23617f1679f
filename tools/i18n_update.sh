#!/usr/bin/env bash
# Developers' helper (not one of the two README commands): export the module's
# terms from a throw-away database and merge them into i18n/zh_CN.po.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO" || exit 1
find_or_bring_up_odoo  # brings Odoo up in .work/ when none is installed, as the two commands do
check_odoo_python
setup_postgres
db="kam_i18n_$$"
conf="$WORK/i18n-odoo.conf"
mkdir -p "$WORK/logs"
printf '[options]\ndb_host = %s\ndb_port = %s\ndb_user = %s\naddons_path = %s\n' "$PG_HOST" "$PG_PORT" "$PG_USER" "$REPO" >"$conf"
trap 'drop_database "$db"' EXIT
"${ODOO_CMD[@]}" -c "$conf" -d "$db" -i kam_management --with-demo --stop-after-init --logfile="$WORK/logs/i18n.log" \
    || die "installing the module failed, see $WORK/logs/i18n.log"
"${ODOO_CMD[@]}" i18n export -c "$conf" -d "$db" -o "$WORK/kam_management.pot" kam_management >>"$WORK/logs/i18n.log" 2>&1 \
    || die "export failed, see $WORK/logs/i18n.log"
"$ODOO_PY" tools/i18n_merge.py "$WORK/kam_management.pot"
