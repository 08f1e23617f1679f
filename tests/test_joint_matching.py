from decimal import Decimal as D

from kam_management.rules.joint_matching import (
    DUPLICATE,
    MISMATCH,
    UNKNOWN,
    Receipt,
    Transfer,
    match,
    receipt_numbers_in,
)

EMP = "6222000011112222"


def _receipts():
    return [
        Receipt(1, "R-001", "2026-03-01", D("200000.00")),
        Receipt(2, "R-002", "2026-03-02", D("100000.00")),
        Receipt(3, "R-003", "2026-03-03", D("50000.00")),
        Receipt(4, "R-004", "2026-03-04", D("0.01")),
    ]


def _pairs(result):
    return [(a.transfer_id, a.receipt_id, a.amount, a.method) for a in result.allocations]


def test_memo_numbers_win_over_age():
    transfers = [Transfer(10, "2026-03-05", D("50000.01"), "转款 R-003,R-004", EMP)]
    result = match(_receipts(), transfers, {EMP})
    assert _pairs(result) == [(10, 3, D("50000.00"), "memo"), (10, 4, D("0.01"), "memo")]
    assert result.findings == []


def test_a_receipt_named_by_a_memo_is_reserved_for_that_transfer():
    # the un-named transfer comes first and would fit R-001 exactly: it takes R-002 + R-003 + ... instead
    transfers = [
        Transfer(10, "2026-03-05", D("200000.00"), "房款", EMP),
        Transfer(11, "2026-03-06", D("200000.00"), "转款 R-001", EMP),
    ]
    result = match(_receipts(), transfers, {EMP})
    assert _pairs(result) == [(11, 1, D("200000.00"), "memo")]
    (finding,) = result.findings
    assert finding.kind == MISMATCH and finding.transfer_id == 10
    assert finding.receipt_ids == (2, 3, 4)
    # a reserved receipt stays reserved when its memo's amount is wrong: finance settles the mismatch
    wrong = [Transfer(10, "2026-03-05", D("200000.00"), "", EMP), Transfer(11, "2026-03-06", D("1.00"), "R-001", EMP)]
    assert [(f.kind, f.transfer_id) for f in match(_receipts(), wrong, {EMP}).findings] == [
        (MISMATCH, 10), (MISMATCH, 11),
    ]


def test_oldest_first_needs_an_exact_prefix():
    transfers = [
        Transfer(10, "2026-03-05", D("300000.00"), "房款", EMP),
        Transfer(11, "2026-03-06", D("50000.02"), "房款", EMP),
    ]
    result = match(_receipts(), transfers, {EMP})
    assert _pairs(result) == [(10, 1, D("200000.00"), "oldest"), (10, 2, D("100000.00"), "oldest")]
    (finding,) = result.findings
    assert finding.kind == MISMATCH and finding.transfer_id == 11
    assert finding.detail["difference"] == D("0.01")


def test_a_fen_short_is_a_mismatch_not_an_allocation():
    result = match(_receipts(), [Transfer(10, "2026-03-05", D("199999.99"), "R-001", EMP)], {EMP})
    assert result.allocations == []
    assert result.findings[0].kind == MISMATCH
    assert result.findings[0].detail["expected"] == D("200000.00")


def test_unknown_deposits():
    stranger = Transfer(10, "2026-03-05", D("200000.00"), "货款", "9999")
    result = match(_receipts(), [stranger], {EMP})
    assert [f.kind for f in result.findings] == [UNKNOWN]
    nothing_open = match([], [Transfer(11, "2026-03-05", D("5.00"), "", EMP)], {EMP})
    assert [f.kind for f in nothing_open.findings] == [UNKNOWN]


def test_suspected_duplicates():
    transfers = [
        Transfer(10, "2026-03-05", D("200000.00"), "R-001", EMP),
        Transfer(11, "2026-03-05", D("200000.00"), "R-001", EMP),  # same day, amount, memo
        Transfer(12, "2026-03-07", D("200000.00"), "R-001 again", EMP),  # names a covered receipt
    ]
    result = match(_receipts(), transfers, {EMP})
    assert _pairs(result) == [(10, 1, D("200000.00"), "memo")]
    assert [(f.kind, f.transfer_id) for f in result.findings] == [(DUPLICATE, 11), (DUPLICATE, 12)]


def test_partly_transferred_receipts_use_their_open_amount():
    receipts = [Receipt(1, "R-001", "2026-03-01", D("150000.00"))]
    result = match(receipts, [Transfer(10, "2026-03-05", D("150000.00"), "", EMP)], {EMP})
    assert _pairs(result) == [(10, 1, D("150000.00"), "oldest")]


def test_receipt_numbers_in_memo():
    known = {"R-001", "A7"}
    assert receipt_numbers_in("收据R-001、a7；R-001", known) == ["R-001", "A7"]
    assert receipt_numbers_in("", known) == []


def test_fifty_thousand_lines_match_fast():
    import time

    receipts = [Receipt(i, f"N{i}", f"2026-01-{1 + i % 28:02d}", D("1000.00") + i) for i in range(50_000)]
    transfers = [Transfer(100_000 + i, "2026-02-01", D("1000.00") + i, f"N{i}", EMP) for i in range(50_000)]
    start = time.perf_counter()
    result = match(receipts, transfers, {EMP})
    assert len(result.allocations) == 50_000 and not result.findings
    assert time.perf_counter() - start < 10
