import pathlib
import subprocess
import sys

import pytest

from kam_management.rules import selection_draw
from kam_management.rules.errors import RuleError

ROOT = pathlib.Path(__file__).resolve().parents[1]
IDS = [f"1101051990010{n:04d}X" for n in range(1, 31)]


def _export(commitment, seed, order):
    lines = [f"# commitment: {commitment}", f"# seed: {seed}", "position,id_number"]
    lines += [f"{position},{number}" for position, number in enumerate(order, start=1)]
    return "\n".join(lines) + "\n"


def test_commitment_ignores_input_order_and_refuses_duplicates():
    assert selection_draw.list_commitment(IDS) == selection_draw.list_commitment(list(reversed(IDS)))
    assert selection_draw.list_commitment(IDS) != selection_draw.list_commitment(IDS[:-1])
    with pytest.raises(RuleError):
        selection_draw.list_commitment([IDS[0], IDS[0]])
    with pytest.raises(RuleError):
        selection_draw.list_commitment([])


def test_order_depends_on_the_seed_and_is_a_permutation():
    commitment = selection_draw.list_commitment(IDS)
    first = selection_draw.draw_order(commitment, "8 3 1 4", IDS)
    assert sorted(first) == sorted(IDS)
    assert first == selection_draw.draw_order(commitment, " 8 3 1 4 ", list(reversed(IDS)))
    assert first != selection_draw.draw_order(commitment, "8 3 1 5", IDS)
    with pytest.raises(RuleError):
        selection_draw.draw_order(commitment, "  ", IDS)


def test_order_is_sha256_of_commitment_seed_id():
    import hashlib

    commitment = selection_draw.list_commitment(IDS)
    keys = {n: hashlib.sha256((commitment + "42" + n).encode()).hexdigest() for n in IDS}
    assert selection_draw.draw_order(commitment, "42", IDS) == sorted(IDS, key=keys.get)


def test_notary_order_lists_every_bad_row():
    verified = set(IDS[:3])
    assert selection_draw.check_notary_order([(1, IDS[0]), (2, IDS[1]), (3, IDS[2])], verified) == []
    problems = [
        (row, str(problem))
        for row, problem in selection_draw.check_notary_order([(1, IDS[0]), (1, IDS[1]), (3, IDS[5])], verified)
    ]
    messages = [message for _row, message in problems]
    assert (2, "Number 1 is given twice.") in problems
    assert (3, f"{IDS[5]} is not on the verified buyer list.") in problems
    assert "Number 2 is missing." in messages
    assert f"Verified buyer {IDS[2]} has no number." in messages
    doubled = [
        (row, str(problem))
        for row, problem in selection_draw.check_notary_order([(1, IDS[0]), (2, IDS[0]), (3, IDS[2])], verified)
    ]
    assert (2, f"{IDS[0]} is given twice.") in doubled


def test_standalone_script_rechecks_a_draw(tmp_path):
    commitment = selection_draw.list_commitment(IDS)
    order = selection_draw.draw_order(commitment, "2026-12-01 lottery 379", IDS)
    good = tmp_path / "draw.csv"
    good.write_text(_export(commitment, "2026-12-01 lottery 379", order), encoding="utf-8")
    result = subprocess.run([sys.executable, ROOT / "tools" / "verify_draw.py", good], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("OK")
    swapped = [order[1], order[0], *order[2:]]
    bad = tmp_path / "bad.csv"
    bad.write_text(_export(commitment, "2026-12-01 lottery 379", swapped), encoding="utf-8")
    result = subprocess.run([sys.executable, ROOT / "tools" / "verify_draw.py", bad], capture_output=True, text=True)
    assert result.returncode == 1
    assert "position 1" in result.stdout
    other_seed = tmp_path / "seed.csv"
    other_seed.write_text(_export(commitment, "2026-12-01 lottery 380", order), encoding="utf-8")
    assert subprocess.run([sys.executable, ROOT / "tools" / "verify_draw.py", other_seed], capture_output=True).returncode == 1


def test_script_has_no_odoo_import():
    source = (ROOT / "tools" / "verify_draw.py").read_text(encoding="utf-8")
    assert "import odoo" not in source and "from odoo" not in source
