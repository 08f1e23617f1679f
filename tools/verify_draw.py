#!/usr/bin/env python3
"""Re-check a selection draw of kam_management from its export, without Odoo (HS10).

Usage: python3 tools/verify_draw.py EXPORT.csv

The export (button "Export for verification" on a finished draw) has the lines
    # commitment: <64 hex>
    # seed: <the public seed>
    position,id_number
    1,110105...
The script recomputes the commitment from the listed ID numbers (sorted, one per
line, SHA-256) and the order (sorted by SHA-256(commitment + seed + ID number)),
prints OK and exits 0 when both match the export, or prints the differences and
exits 1. It uses only the standard library, so anyone can read and run it.
"""

import csv
import hashlib
import sys


def read_export(lines):
    header, rows = {}, []
    for line in lines:
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            header[key.strip()] = value.strip()
        elif line.strip() and not line.startswith("position"):
            rows.append(next(csv.reader([line])))
    order = [id_number.strip() for _, id_number in sorted(rows, key=lambda row: int(row[0]))]
    return header.get("commitment", ""), header.get("seed", ""), order


def verify(commitment, seed, order):
    """A list of problems (empty: the draw is what its commitment and seed give)."""
    problems = []
    expected_commitment = hashlib.sha256("\n".join(sorted(order)).encode("utf-8")).hexdigest()
    if expected_commitment != commitment:
        problems.append(f"commitment differs: the list gives {expected_commitment}, the export says {commitment}")
    expected = sorted(
        order, key=lambda n: (hashlib.sha256(f"{commitment}{seed}{n}".encode()).hexdigest(), n)
    )
    for position, (got, want) in enumerate(zip(order, expected, strict=True), start=1):
        if got != want:
            problems.append(f"position {position}: export has {got}, the draw gives {want}")
    return problems


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        commitment, seed, order = read_export(handle.read().splitlines())
    problems = verify(commitment, seed, order)
    for problem in problems:
        print(problem)
    print("OK" if not problems else f"FAILED: {len(problems)} problem(s)")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
