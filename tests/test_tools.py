"""How tools/lib.sh finds an installed Odoo 19."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parent.parent / "tools" / "lib.sh"


def fake_odoo_tree(root, major):
    (root / "odoo").mkdir(parents=True)
    (root / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (root / "odoo" / "release.py").write_text(f"version_info = ({major}, 0, 0, 'final', 0, '')\n")
    return root


def find(env_vars, home):
    env = {"PATH": os.environ["PATH"], "HOME": str(home), **env_vars}
    script = f'. "{LIB}"; ODOO_PLACES=("$HOME/odoo19"); if find_odoo; then echo "FOUND ${{ODOO_CMD[*]}}"; else echo NONE; fi'
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1], done.stderr


@pytest.fixture
def home(tmp_path):
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def test_explicit_odoo_path_is_used_with_the_given_python(tmp_path, home):
    tree = fake_odoo_tree(tmp_path / "srv" / "odoo", 19)
    found, _ = find({"ODOO_PATH": str(tree), "ODOO_PYTHON": sys.executable}, home)
    assert found == f"FOUND {sys.executable} {tree}/odoo-bin"


def test_config_file_outside_git_is_read(tmp_path, home):
    tree = fake_odoo_tree(tmp_path / "elsewhere", 19)
    config = home / ".config" / "kam_management"
    config.mkdir(parents=True)
    (config / "odoo.env").write_text(f"ODOO_PATH={tree}\nODOO_PYTHON={sys.executable}\n")
    found, _ = find({}, home)
    assert found == f"FOUND {sys.executable} {tree}/odoo-bin"


def test_conventional_place_is_searched(home):
    tree = fake_odoo_tree(home / "odoo19", 19)
    found, _ = find({"ODOO_PYTHON": sys.executable}, home)
    assert found == f"FOUND {sys.executable} {tree}/odoo-bin"


def test_other_odoo_versions_are_skipped_with_a_reason(tmp_path, home):
    tree = fake_odoo_tree(tmp_path / "odoo18", 18)
    found, stderr = find({"ODOO_PATH": str(tree), "ODOO_PYTHON": sys.executable}, home)
    assert found == "NONE"
    assert "not an Odoo 19" in stderr and "found: 18" in stderr


def test_nothing_found_says_so(tmp_path, home):
    found, stderr = find({"ODOO_PATH": str(tmp_path / "missing"), "ODOO_PYTHON": sys.executable}, home)
    assert found == "NONE"
    assert "holds no usable Odoo 19" in stderr


# ---------------------------------------------------------------------------
# .ci/run: Chromium and CJK fonts for the browser tours, wkhtmltopdf and poppler for the prints
# ---------------------------------------------------------------------------


def fake_bin(tmp_path, uid, present=()):
    """A PATH with only what ensure_test_system_packages may call: id, apt-get, and the given tools."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    scripts = {
        "id": f"#!/bin/sh\necho {uid}\n",
        "apt-get": f'#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> "{calls}"\n',
        "dirname": '#!/bin/sh\nexec /usr/bin/dirname "$@"\n',
    }
    for name in present:
        scripts[name] = "#!/bin/sh\necho 'Noto Sans CJK SC'\n"
    for name, text in scripts.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return bin_dir, calls


def ensure_browser(bin_dir):
    script = f'. "{LIB}"; ensure_test_system_packages; echo "rc=$?"'
    done = subprocess.run(["/bin/bash", "-c", script], env={"PATH": str(bin_dir)}, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1], done.stderr


def test_ci_installs_chromium_cjk_fonts_wkhtmltopdf_and_poppler_as_root_when_missing(tmp_path):
    bin_dir, calls = fake_bin(tmp_path, 0)
    result, stderr = ensure_browser(bin_dir)
    assert result == "rc=0", stderr
    assert calls.read_text().splitlines() == [
        "noninteractive update -q",
        "noninteractive install -y -q --no-install-recommends chromium fonts-noto-cjk wkhtmltopdf poppler-utils",
    ]


def test_ci_installs_only_the_pdf_tools_when_the_browser_is_present(tmp_path):
    bin_dir, calls = fake_bin(tmp_path, 0, present=("chromium", "fc-list"))
    result, stderr = ensure_browser(bin_dir)
    assert result == "rc=0", stderr
    assert calls.read_text().splitlines()[-1].endswith("--no-install-recommends wkhtmltopdf poppler-utils")


def test_ci_installs_nothing_when_everything_is_present(tmp_path):
    bin_dir, calls = fake_bin(tmp_path, 0, present=("chromium", "fc-list", "wkhtmltopdf", "pdftotext"))
    result, stderr = ensure_browser(bin_dir)
    assert result == "rc=0" and "present" in stderr
    assert not calls.exists()


def test_ci_without_root_says_what_is_missing_and_installs_nothing(tmp_path):
    bin_dir, calls = fake_bin(tmp_path, 1000, present=("fc-list", "wkhtmltopdf", "pdftotext"))
    result, stderr = ensure_browser(bin_dir)
    assert result == "rc=1"
    assert "chromium missing" in stderr and "fonts-noto-cjk" not in stderr
    assert not calls.exists()


def test_a_skipped_tour_fails_the_summary_under_ci():
    text = (LIB.parent / "test.sh").read_text()
    assert 'skipped under CI' in text
    assert (LIB.parent.parent / ".ci" / "run").read_text().count("ensure_test_system_packages") == 1


# ---------------------------------------------------------------------------
# Bring-up: with no Odoo 19 installed, the commands bring one up in .work/
# (ODOO_SOURCE, else the shared tarball, else a shallow clone of the 19.0 branch)
# ---------------------------------------------------------------------------


def stub_source(root, marker, requirements="# none\n"):
    """A small stand-in for Odoo's source: odoo-bin, odoo/release.py (19) and requirements.txt."""
    tree = fake_odoo_tree(root, 19)
    (tree / "requirements.txt").write_text(requirements)
    (tree / "MARKER").write_text(marker)
    return tree


def stub_tarball(tmp_path, name, marker, **kwargs):
    top = tmp_path / f"src-{name}"
    stub_source(top / "odoo-19.0", marker, **kwargs)
    tarball = tmp_path / f"{name}.tar.gz"
    subprocess.run(["tar", "-czf", str(tarball), "-C", str(top), "odoo-19.0"], check=True)
    return tarball


def stub_git(tmp_path, marker):
    repo = stub_source(tmp_path / "odoo-git", marker)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "-b", "19.0"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "stub"], check=True)
    return f"file://{repo}"


def bring_up(tmp_path, home, **env_vars):
    """Runs find_or_bring_up_odoo with this test's work folder; returns (last line, stderr, work)."""
    work = tmp_path / "work"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "KAM_WORK": str(work),
        "KAM_SHARED_ODOO": str(tmp_path / "no-shared.tar.xz"),
        "ODOO_OFFICIAL_GIT": str(tmp_path / "no-official.git"),
        "KAM_BRINGUP_PYTHONS": sys.executable,
        **env_vars,
    }
    script = f'. "{LIB}"; ODOO_PLACES=("$HOME/odoo19"); find_or_bring_up_odoo; echo "FOUND $ODOO_WHERE"'
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    return (lines[-1] if lines else f"EXIT {done.returncode}"), done.stderr, work


def old_python(tmp_path):
    """A python3.9 stand-in: the bring-up stops at the virtualenv, after taking the source."""
    old = tmp_path / "bin" / "python3.9"
    old.parent.mkdir(exist_ok=True)
    old.write_text("#!/bin/sh\necho 3.9\n")
    old.chmod(0o755)
    return str(old)


def source_taken(tmp_path, home, **env_vars):
    """Only the first step of the bring-up (which source it takes): the marker and the recorded source."""
    shutil.rmtree(tmp_path / "work", ignore_errors=True)
    _, stderr, work = bring_up(tmp_path, home, KAM_BRINGUP_PYTHONS=old_python(tmp_path), **env_vars)
    tree = work / "odoo19"
    assert "needs Python 3.10, 3.11 or 3.12" in stderr, stderr
    return (tree / "MARKER").read_text(), (tree / ".kam-source").read_text().strip(), stderr


def test_bring_up_prefers_odoo_source_then_the_shared_tarball_then_the_official_branch(tmp_path, home):
    given = stub_tarball(tmp_path, "given", "from ODOO_SOURCE")
    shared = stub_tarball(tmp_path, "shared", "from shared")
    official = stub_git(tmp_path, "from git")
    sources = {"ODOO_SOURCE": str(given), "KAM_SHARED_ODOO": str(shared), "ODOO_OFFICIAL_GIT": official}
    marker, source, stderr = source_taken(tmp_path, home, **sources)
    assert (marker, source) == ("from ODOO_SOURCE", str(given)) and "unpacking" in stderr
    del sources["ODOO_SOURCE"]
    assert source_taken(tmp_path, home, **sources)[:2] == ("from shared", str(shared))
    del sources["KAM_SHARED_ODOO"]
    marker, source, stderr = source_taken(tmp_path, home, **sources)
    assert (marker, source) == ("from git", official) and "cloning the 19.0 branch" in stderr
    # a git URL given as ODOO_SOURCE is cloned too
    assert source_taken(tmp_path, home, ODOO_SOURCE=official, KAM_SHARED_ODOO=str(shared))[:2] == ("from git", official)


def test_bring_up_makes_the_virtualenv_and_finds_the_odoo_it_brought_up(tmp_path, home):
    shared = stub_tarball(tmp_path, "shared", "from shared")
    found, stderr, work = bring_up(tmp_path, home, KAM_SHARED_ODOO=str(shared))
    assert found == f"FOUND {work}/odoo19 (brought up from {shared}; Python: {work}/odoo19/.venv/bin/python)", stderr
    assert "bring-up 2/3: creating the virtualenv" in stderr and "bring-up 3/3: Odoo 19 is ready" in stderr


def test_a_second_run_reuses_the_source_and_the_virtualenv(tmp_path, home):
    shared = stub_tarball(tmp_path, "shared", "from shared")
    first, stderr, work = bring_up(tmp_path, home, KAM_SHARED_ODOO=str(shared))
    assert first.startswith("FOUND"), stderr
    (work / "odoo19" / "MARKER").write_text("kept")  # a re-unpack would overwrite it
    shared.unlink()
    second, stderr, _ = bring_up(tmp_path, home)
    assert second == first
    assert "bring-up" not in stderr  # found as it is, nothing redone
    assert (work / "odoo19" / "MARKER").read_text() == "kept"


def test_an_interrupted_virtualenv_is_completed_on_the_next_run(tmp_path, home):
    shared = stub_tarball(tmp_path, "shared", "from shared")
    bring_up(tmp_path, home, KAM_SHARED_ODOO=str(shared))
    (tmp_path / "work" / "odoo19" / ".venv" / ".kam-requirements").unlink()  # as if pip had been stopped
    found, stderr, _ = bring_up(tmp_path, home)
    assert found.startswith("FOUND"), stderr
    assert "reusing the Odoo source" in stderr and "installing Odoo's pinned requirements" in stderr


def test_an_odoo_already_installed_wins_over_a_bring_up(tmp_path, home):
    tree = fake_odoo_tree(home / "odoo19", 19)
    shared = stub_tarball(tmp_path, "shared", "from shared")
    found, stderr, work = bring_up(tmp_path, home, KAM_SHARED_ODOO=str(shared), ODOO_PYTHON=sys.executable)
    assert found == f"FOUND {tree} (Python: {sys.executable})"
    assert not (work / "odoo19").exists() and "bring-up" not in stderr


def test_bring_up_errors_say_what_is_wrong(tmp_path, home):
    found, stderr, _ = bring_up(tmp_path, home, ODOO_SOURCE=str(tmp_path / "missing.tar.xz"))
    assert found == "EXIT 1"
    assert "missing.tar.xz: no such file" in stderr and "set ODOO_SOURCE" in stderr

    empty = tmp_path / "empty.tar.gz"
    (tmp_path / "nothing").mkdir()
    subprocess.run(["tar", "-czf", str(empty), "-C", str(tmp_path / "nothing"), "."], check=True)
    found, stderr, _ = bring_up(tmp_path, home, ODOO_SOURCE=str(empty))
    assert found == "EXIT 1" and "holds no odoo-bin: not an Odoo source tarball" in stderr

    found, stderr, _ = bring_up(tmp_path, home, ODOO_SOURCE=str(tmp_path / "not-a-repo.git"))
    assert found == "EXIT 1" and "could not clone" in stderr and "no network" in stderr

    found, stderr, _ = bring_up(tmp_path, home, ODOO_SOURCE="/etc/hostname")
    assert found == "EXIT 1" and "neither a .tar.gz/.tar.xz file or URL nor a git repository" in stderr


def test_bring_up_refuses_a_python_odoo_19_does_not_support(tmp_path, home):
    shared = stub_tarball(tmp_path, "shared", "from shared")
    found, stderr, work = bring_up(tmp_path, home, KAM_SHARED_ODOO=str(shared), KAM_BRINGUP_PYTHONS=old_python(tmp_path))
    assert found == "EXIT 1"
    assert "needs Python 3.10, 3.11 or 3.12, and none was found" in stderr
    assert (work / "odoo19" / "odoo-bin").exists()  # the unpacked source is kept for the next run


def test_bring_up_says_when_pip_fails_and_retries_next_time(tmp_path, home):
    shared = stub_tarball(tmp_path, "shared", "x", requirements="--no-index\nkam-no-such-package-xyz\n")
    found, stderr, work = bring_up(tmp_path, home, KAM_SHARED_ODOO=str(shared))
    assert found == "EXIT 1"
    assert "pip could not install Odoo's requirements" in stderr and "run again to retry" in stderr
    assert not (work / "odoo19" / ".venv" / ".kam-requirements").exists()


def test_an_explicit_odoo_path_without_odoo_is_an_error_not_a_bring_up(tmp_path, home):
    shared = stub_tarball(tmp_path, "shared", "from shared")
    found, stderr, work = bring_up(tmp_path, home, KAM_SHARED_ODOO=str(shared), ODOO_PATH=str(tmp_path / "nowhere"))
    assert found == "EXIT 1" and "holds no usable Odoo 19" in stderr
    assert not (work / "odoo19").exists()


def test_odoo_requirements_leave_out_python_ldap_and_pin_what_builds_and_loads(tmp_path):
    tree = stub_source(tmp_path / "src", "x", requirements=(
        "cbor2==5.4.2 ; python_version < '3.12'\ncbor2==5.6.2 ; python_version >= '3.12'\n"
        "python-ldap==3.4.0 ; sys_platform != 'win32'\nlxml==4.9.3 ; python_version > '3.10'\n"
        "gevent==22.10.2; sys_platform != 'win32' and python_version > '3.10' and python_version < '3.12'\n"
    ))
    done = subprocess.run(["bash", "-c", f'. "{LIB}"; _odoo_requirements "{tree}"'], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [
        "cbor2==5.6.2 ; python_version < '3.12'",
        "cbor2==5.6.2 ; python_version >= '3.12'",
        "lxml==4.9.3 ; python_version > '3.10'",
        "gevent==22.10.2; sys_platform != 'win32' and python_version > '3.10' and python_version < '3.12'",
        "zope.interface==6.1 ; sys_platform != 'win32'",
        "zope.event==5.0 ; sys_platform != 'win32'",
    ]


def test_ci_always_requires_the_odoo_tests_on_both_databases():
    ci = (LIB.parent.parent / ".ci" / "run").read_text()
    assert "export KAM_REQUIRE_ODOO=1" in ci and "unset KAM_TEST_DB KAM_TEST_DBS" in ci
    test_sh = (LIB.parent / "test.sh").read_text()
    assert "find_or_bring_up_odoo" in test_sh and 'KAM_TEST_DBS:-demo plain' in test_sh


def test_a_changed_requirements_list_is_installed_on_the_next_run(tmp_path, home):
    shared = stub_tarball(tmp_path, "shared", "from shared")
    bring_up(tmp_path, home, KAM_SHARED_ODOO=str(shared))
    stamp = tmp_path / "work" / "odoo19" / ".venv" / ".kam-requirements"
    stamp.write_text(stamp.read_text() + "zope.event==4.0\n")  # as made by an older lib.sh
    found, stderr, _ = bring_up(tmp_path, home)
    assert found.startswith("FOUND"), stderr
    assert "installing Odoo's pinned requirements" in stderr and "zope.event" not in stamp.read_text()
