# shellcheck shell=bash
# Shared by tools/run.sh and tools/test.sh: find an Odoo 19 (or bring one up
# in .work/ when none is installed) and a PostgreSQL to use.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK="$REPO/.work"                       # ignored by git
KAM_ODOO_ENV="${XDG_CONFIG_HOME:-$HOME/.config}/kam_management/odoo.env"
ODOO_PLACES=(/opt/odoo19 /opt/odoo-19.0 /opt/odoo "$HOME/odoo19" "$HOME/odoo" "$REPO/../odoo19" "$REPO/../odoo")
# Where bring_up_odoo puts the Odoo it brings up (source tree, with its .venv/).
ODOO_BROUGHT="$WORK/odoo19"
# The Odoo 19 Community tarball every developer machine and CI has (../shared/odoo/README.md).
KAM_SHARED_ODOO=${KAM_SHARED_ODOO:-$REPO/../shared/odoo/odoo-19.0-community.tar.xz}
ODOO_OFFICIAL_GIT=${ODOO_OFFICIAL_GIT:-https://github.com/odoo/odoo.git}

log() { printf '[kam] %s\n' "$*" >&2; }
die() { printf '[kam] error: %s\n' "$*" >&2; exit 1; }

odoo_search_help() {
    cat >&2 <<HELP
[kam] The scripts look, in this order, for an Odoo 19 that is already there:
[kam]   1. ODOO_PATH (and optionally ODOO_PYTHON) in the environment, or in $KAM_ODOO_ENV
[kam]      (a shell file, e.g.  ODOO_PATH=/srv/odoo19  ODOO_PYTHON=/srv/odoo19/.venv/bin/python);
[kam]   2. an Odoo 19 source tree (with odoo-bin) in: ${ODOO_PLACES[*]};
[kam]   3. an importable 'odoo' 19 package in ODOO_PYTHON or python3;
[kam]   4. the one brought up earlier in $ODOO_BROUGHT.
[kam] A source tree's Python is ODOO_PYTHON, else its .venv/ or venv/, else python3.
[kam] With none of them, they bring one up in $ODOO_BROUGHT from ODOO_SOURCE, else from
[kam] $KAM_SHARED_ODOO, else from a shallow clone of $ODOO_OFFICIAL_GIT (branch 19.0).
HELP
}

_odoo_major() {  # python [source-tree]: prints Odoo's major version, or nothing
    "$1" - "${2:-}" 2>/dev/null <<'PY'
import sys
if sys.argv[1]:
    sys.path.insert(0, sys.argv[1])
import odoo.release
print(odoo.release.version_info[0])
PY
}

_tree_python() {
    if [ -n "${ODOO_PYTHON:-}" ]; then echo "$ODOO_PYTHON"; return; fi
    for py in "$1/.venv/bin/python" "$1/venv/bin/python"; do
        [ -x "$py" ] && { echo "$py"; return; }
    done
    command -v python3
}

# Sets ODOO_PY (its Python) and ODOO_CMD (the command that starts it); 1 if none.
find_odoo() {
    # shellcheck disable=SC1090
    [ -z "${ODOO_PATH:-}" ] && [ -f "$KAM_ODOO_ENV" ] && . "$KAM_ODOO_ENV"
    local places=("${ODOO_PLACES[@]}") dir py major
    [ -n "${ODOO_PATH:-}" ] && places=("$ODOO_PATH")
    for dir in "${places[@]}"; do
        [ -f "$dir/odoo-bin" ] || continue
        py=$(_tree_python "$dir")
        major=$(_odoo_major "$py" "$dir")
        if [ "$major" = 19 ]; then
            ODOO_PY=$py
            ODOO_CMD=("$py" "$dir/odoo-bin")
            ODOO_WHERE="$dir (Python: $py)"
            return 0
        fi
        log "skipping $dir: not an Odoo 19 that $py can import (found: ${major:-nothing})"
    done
    if [ -n "${ODOO_PATH:-}" ]; then
        log "ODOO_PATH=$ODOO_PATH holds no usable Odoo 19"
        return 1
    fi
    for py in ${ODOO_PYTHON:-} python3; do
        if [ "$(_odoo_major "$py")" = 19 ]; then
            ODOO_PY=$py
            ODOO_CMD=("$py" -m odoo)
            ODOO_WHERE="importable odoo of $py"
            return 0
        fi
    done
    # the Odoo bring_up_odoo made on an earlier run, once its virtualenv is complete
    dir=$ODOO_BROUGHT
    if [ -f "$dir/odoo-bin" ] && [ -f "$dir/.venv/.kam-requirements" ] \
        && [ "$(_odoo_major "$dir/.venv/bin/python" "$dir")" = 19 ]; then
        ODOO_PY=$dir/.venv/bin/python
        ODOO_CMD=("$ODOO_PY" "$dir/odoo-bin")
        ODOO_WHERE="$dir (brought up from $(cat "$dir/.kam-source" 2>/dev/null || echo '?'); Python: $ODOO_PY)"
        return 0
    fi
    return 1
}

# Finds an Odoo 19, or brings one up in .work/ when there is none (see README).
# An explicit ODOO_PATH that holds no Odoo 19 is an error, not a reason to bring one up.
find_or_bring_up_odoo() {
    find_odoo && return 0
    if [ -n "${ODOO_PATH:-}" ]; then
        odoo_search_help
        die "ODOO_PATH=$ODOO_PATH holds no usable Odoo 19 (unset it to let the scripts bring one up in $ODOO_BROUGHT)"
    fi
    log "no Odoo 19 installed: bringing one up in $ODOO_BROUGHT"
    bring_up_odoo || exit 1
    find_odoo || die "Odoo was brought up in $ODOO_BROUGHT but does not start as Odoo 19 (see the lines above)"
}

# A Python that Odoo 19 supports (3.10-3.12), for the brought-up virtualenv.
_supported_python() {
    local py version
    for py in ${KAM_BRINGUP_PYTHONS:-python3.12 python3.11 python3.10 python3}; do
        command -v "$py" >/dev/null 2>&1 || continue
        version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue
        case $version in 3.10 | 3.11 | 3.12) command -v "$py"; return 0 ;; esac
    done
    return 1
}

# _fetch_source DEST: puts an Odoo 19 source tree (with odoo-bin) in DEST, from
# ODOO_SOURCE, else the shared tarball, else the official 19.0 branch.
_fetch_source() {
    local dest=$1 src kind tarball unpack="$1.unpack"
    if [ -n "${ODOO_SOURCE:-}" ]; then
        src=$ODOO_SOURCE
    elif [ -f "$KAM_SHARED_ODOO" ]; then
        src=$KAM_SHARED_ODOO
    else
        src=$ODOO_OFFICIAL_GIT
    fi
    case $src in
        *.tar.gz | *.tgz | *.tar.xz | *.txz | *.tar.bz2 | *.tar) kind=tarball ;;
        *.git | git@* | git://* | ssh://*) kind=git ;;
        http://* | https://*) kind=git ;;
        *) if [ -d "$src/.git" ] || [ -f "$src/HEAD" ]; then kind=git; else kind=unknown; fi ;;
    esac
    rm -rf "$dest" "$unpack"
    case $kind in
        tarball)
            tarball=$src
            if [[ $src == http://* || $src == https://* ]]; then
                tarball="$WORK/odoo-source.${src##*.}"
                log "bring-up 1/3: downloading $src"
                python3 - "$src" "$tarball" <<'PY' || { log "could not download $src (no network, or the address is wrong)"; return 1; }
import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=60) as answer, open(sys.argv[2], "wb") as out:
    shutil.copyfileobj(answer, out)
PY
            fi
            [ -f "$tarball" ] || { log "ODOO_SOURCE=$src: no such file"; return 1; }
            log "bring-up 1/3: unpacking $tarball (Odoo 19 Community, a few seconds)"
            mkdir -p "$unpack"
            tar -xf "$tarball" -C "$unpack" || { log "could not unpack $tarball"; rm -rf "$unpack"; return 1; }
            # the tree is the archive's top folder (odoo-19.0/), or the archive itself
            local top
            top=$(dirname "$(find "$unpack" -maxdepth 2 -name odoo-bin -type f | head -n 1)")
            [ -f "$top/odoo-bin" ] || { log "$tarball holds no odoo-bin: not an Odoo source tarball"; rm -rf "$unpack"; return 1; }
            mv "$top" "$dest" && rm -rf "$unpack"
            ;;
        git)
            command -v git >/dev/null 2>&1 || { log "git is needed to clone $src (install git)"; return 1; }
            log "bring-up 1/3: cloning the 19.0 branch of $src (shallow; a few minutes and about 1 GB over the network)"
            git clone -q --depth 1 --branch 19.0 "$src" "$dest" \
                || { log "could not clone $src (no network, or no 19.0 branch there)"; rm -rf "$dest"; return 1; }
            [ -f "$dest/odoo-bin" ] || { log "$src (19.0) holds no odoo-bin"; rm -rf "$dest"; return 1; }
            ;;
        *)
            log "ODOO_SOURCE=$src is neither a .tar.gz/.tar.xz file or URL nor a git repository"
            return 1
            ;;
    esac
    echo "$src" >"$dest/.kam-source"
}

# Odoo's pinned requirements for this Python: python-ldap left out (it needs the
# LDAP headers and no module here uses it); cbor2 5.4.2 does not build on 3.11.
# gevent before 23 (Odoo's pin below Python 3.12) resolves its requirements with
# pkg_resources when the websocket process patches the interpreter; the venv's
# setuptools 65 does not find the underscore-named dist-info of today's
# zope.interface/zope.event (DistributionNotFound: 'zope.interface'), so the
# gevent process dies in prefork mode: pin releases whose dist-info keeps the
# dotted name (checked: gevent.monkey.patch_all() then works in that venv).
_odoo_requirements() {
    sed -E -e '/^python-ldap/d' -e 's/^cbor2==5\.4\.2 *;/cbor2==5.6.2 ;/' "$1/requirements.txt"
    echo "zope.interface==6.4.post2 ; python_version < '3.12'"
    echo "zope.event==5.0 ; python_version < '3.12'"
}

# Brings up Odoo 19 in $ODOO_BROUGHT: its source, then a virtualenv with its
# pinned requirements. Each step is kept, so a second run reuses it.
bring_up_odoo() {
    local dest=$ODOO_BROUGHT py venv reqs
    mkdir -p "$WORK"
    if [ -f "$dest/odoo-bin" ]; then
        log "bring-up 1/3: reusing the Odoo source in $dest (from $(cat "$dest/.kam-source" 2>/dev/null || echo '?'))"
    else
        _fetch_source "$dest" || { log "bring-up failed: no Odoo 19 source (set ODOO_SOURCE to a tarball or a git URL, see README)"; return 1; }
    fi
    venv="$dest/.venv"
    reqs="$venv/.kam-requirements"
    if [ -f "$reqs" ] && cmp -s "$reqs" <(_odoo_requirements "$dest"); then
        log "bring-up 2/3: reusing the virtualenv $venv"
    else
        py=$(_supported_python) || { log "bring-up failed: Odoo 19 needs Python 3.10, 3.11 or 3.12, and none was found (looked for: ${KAM_BRINGUP_PYTHONS:-python3.12 python3.11 python3.10 python3})"; return 1; }
        if [ ! -x "$venv/bin/python" ]; then
            log "bring-up 2/3: creating the virtualenv $venv with $py"
            "$py" -m venv "$venv" || { log "bring-up failed: '$py -m venv' did not work (install python3-venv)"; return 1; }
        fi
        log "bring-up 2/3: installing Odoo's pinned requirements into $venv (about 60 packages from PyPI; 1-3 minutes)"
        _odoo_requirements "$dest" >"$venv/.kam-requirements.tmp"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$venv/.kam-requirements.tmp" \
            || { log "bring-up failed: pip could not install Odoo's requirements (no network to PyPI? see the lines above); run again to retry"; return 1; }
        mv "$venv/.kam-requirements.tmp" "$reqs"
    fi
    log "bring-up 3/3: Odoo 19 is ready in $dest"
}

check_odoo_python() {
    "$ODOO_PY" -c 'import psycopg2, werkzeug, lxml, babel, PIL' 2>/dev/null \
        || die "Odoo 19 found at $ODOO_WHERE, but its Python requirements are missing: install them with '$ODOO_PY -m pip install -r <odoo>/requirements.txt'."
}

# Installs into Odoo's Python what the module needs: the OCA addons and our libraries.
install_module_requirements() {
    log "installing the OCA addons and Python libraries into $ODOO_PY"
    "$ODOO_PY" -m pip install -q --disable-pip-version-check --no-deps -r "$REPO/requirements-oca.txt" \
        && "$ODOO_PY" -m pip install -q --disable-pip-version-check -r "$REPO/requirements.txt" "$@" \
        || die "pip could not install the module's requirements into $ODOO_PY"
}

_pg_try() {  # host port user: can we connect?
    "$ODOO_PY" - "$@" <<'PY' 2>/dev/null
import sys, psycopg2
host, port, user = sys.argv[1:4]
psycopg2.connect(host=host, port=int(port), user=user, dbname="postgres", connect_timeout=3).close()
PY
}

_pg_bindir() {
    local d
    command -v pg_config >/dev/null && d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ] && { echo "$d"; return; }
    for d in /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

# Sets PG_HOST, PG_PORT, PG_USER: a reachable server, or a private one in .work/pg.
setup_postgres() {
    PG_HOST=${PGHOST:-127.0.0.1}
    PG_PORT=${PGPORT:-5432}
    PG_USER=${PGUSER:-$(id -un)}
    if [ "$PG_USER" != postgres ] && _pg_try "$PG_HOST" "$PG_PORT" "$PG_USER"; then
        log "using PostgreSQL at $PG_HOST:$PG_PORT as $PG_USER"
        return 0
    fi
    PG_HOST=127.0.0.1
    PG_PORT=${KAM_PG_PORT:-54329}
    PG_USER=odoo
    if _pg_try "$PG_HOST" "$PG_PORT" "$PG_USER"; then
        log "using the private PostgreSQL of $WORK/pg on port $PG_PORT"
        return 0
    fi
    local bindir owner=() data="$WORK/pg/data"
    bindir=$(_pg_bindir) || true
    [ -n "$bindir" ] || die "no PostgreSQL is reachable at ${PGHOST:-127.0.0.1}:${PGPORT:-5432} and none is installed to start a private one (install the 'postgresql' package)."
    mkdir -p "$WORK/pg"
    if [ "$(id -u)" = 0 ]; then
        # PostgreSQL refuses to run as root: the private server runs as 'postgres'.
        id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' system user to own the private PostgreSQL"
        chown postgres "$WORK/pg"
        owner=(runuser -u postgres --)
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        log "creating a private PostgreSQL in $data"
        "${owner[@]}" "$bindir/initdb" -D "$data" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/pg/initdb.log" 2>&1 \
            || die "initdb failed, see $WORK/pg/initdb.log"
    fi
    log "starting the private PostgreSQL on 127.0.0.1:$PG_PORT"
    "${owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$WORK/pg/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg" start >/dev/null \
        || die "the private PostgreSQL did not start, see $WORK/pg/server.log"
}

odoo_db_args() {
    printf '%s\n' "--db_host=$PG_HOST" "--db_port=$PG_PORT" "--db_user=$PG_USER"
}

drop_database() {
    "$ODOO_PY" - "$PG_HOST" "$PG_PORT" "$PG_USER" "$1" <<'PY'
import sys, psycopg2
host, port, user, name = sys.argv[1:5]
conn = psycopg2.connect(host=host, port=int(port), user=user, dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name.replace('"', ""))
PY
}

database_exists() {
    "$ODOO_PY" - "$PG_HOST" "$PG_PORT" "$PG_USER" "$1" <<'PY'
import sys, psycopg2
host, port, user, name = sys.argv[1:5]
conn = psycopg2.connect(host=host, port=int(port), user=user, dbname="postgres")
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
sys.exit(0 if cur.fetchone() else 1)
PY
}

# The system packages some Odoo tests need: the browser tours a Chromium that
# Odoo's test browser finds (odoo/tests/common.py looks for these names) and
# CJK fonts for the Chinese screens; the desk's PDF prints (UX3) wkhtmltopdf
# and poppler-utils (pdftotext/pdfinfo/pdftoppm read the PDF back). Installs
# what is missing with apt-get when running as root; otherwise says what is
# missing (tools/test.sh then fails under CI, where a skipped test fails).
_have_chromium() {
    command -v chromium || command -v chromium-browser || command -v google-chrome \
        || command -v google-chrome-stable
} >/dev/null 2>&1
_have_cjk_fonts() {
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]
}
ensure_test_system_packages() {
    local missing=()
    _have_chromium || missing+=(chromium)
    _have_cjk_fonts || missing+=(fonts-noto-cjk)
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    if [ "${#missing[@]}" = 0 ]; then
        log "test packages: Chromium, CJK fonts, wkhtmltopdf and poppler-utils are present"
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        log "test packages: ${missing[*]} missing and not installable here (needs root and apt-get): the tours and prints will be skipped"
        return 1
    fi
    log "test packages: installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -q \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
        || { log "test packages: apt-get could not install ${missing[*]}"; return 1; }
}
