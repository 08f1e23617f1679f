"""How tools/lib.sh finds an installed Odoo 19."""

import os
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
