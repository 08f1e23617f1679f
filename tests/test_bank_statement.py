import datetime
import decimal
import io

import pytest

from kam_management.rules.bank_statement import Layout, StatementError, fingerprint, parse_statement

D = decimal.Decimal
HEADER = "交易日期,收入,支出,余额,对方户名,对方账号,摘要,流水号"


def _csv(rows, account="6222 0001 0002", encoding="utf-8"):
    text = f"账号：{account}\n户名：某某公司\n{HEADER}\n" + "\n".join(rows) + "\n"
    return text.encode(encoding)


def test_parses_credits_debits_and_balances_exactly():
    data = _csv(
        [
            "2026-03-01,\"1,000.10\",,1000.10,江城供电局,6222 9999,R-1 R-2,S001",
            "2026/03/02,,0.10,1000.00,江城供电局,6222 9999,fee,S002",
            "20260303,0.01,,1000.01,江城供电局,,R-3,S003",
        ]
    )
    statement = parse_statement(data, "s.csv")
    assert statement.account_number == "622200010002"
    assert [line.amount for line in statement.lines] == [D("1000.10"), D("-0.10"), D("0.01")]
    assert statement.lines[0].counterparty_account == "62229999"
    assert statement.lines[1].date == datetime.date(2026, 3, 2)
    assert statement.balance_start == D("0.00")
    assert statement.balance_end == D("1000.01")
    assert [line.unique_import_id for line in statement.lines] == ["SS001", "SS002", "SS003"]
    assert statement.lines[0].row == 4


def test_gbk_file_with_a_rare_character():
    data = _csv(["2026-03-01,500.00,,500.00,张喆,6222,R-9,"], encoding="gbk")
    statement = parse_statement(data, "s.csv")
    assert statement.lines[0].counterparty_name == "张喆"
    assert statement.lines[0].unique_import_id.startswith("F")


def test_every_bad_row_is_listed_and_the_file_refused():
    rows = [f"2026-03-{day:02d},10.00,,{10 * day}.00,A,,m{day}," for day in range(1, 12)]
    rows[3] = "2026-03-04,12.3a,,40.00,A,,m4,"  # physical row 7
    rows[8] = "2026-13-09,10.00,,90.00,A,,m9,"  # physical row 12
    with pytest.raises(StatementError) as caught:
        parse_statement(_csv(rows), "s.csv")
    bad = {(error.row, error.column) for error in caught.value.errors}
    assert (7, "credit") in bad
    assert (12, "date") in bad
    assert "row 7" in str(caught.value) and "row 12" in str(caught.value)


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("2026-03-01,,,10.00,A,,m,", "credit", "neither"),
        ("2026-03-01,10.00,5.00,10.00,A,,m,", "credit", "both"),
        ("2026-03-01,10.001,,10.00,A,,m,", "credit", "more than two decimals"),
        ("2026-03-01,-10.00,,10.00,A,,m,", "credit", "negative"),
        ("2026-03-01,10.00,,,A,,m,", "balance", "missing"),
        ("2026-03-01,0.00,,0.00,A,,m,", "credit", "zero"),
        (",10.00,,10.00,A,,m,", "date", "not a date"),
    ],
)
def test_bad_rows(row, column, reason):
    with pytest.raises(StatementError) as caught:
        parse_statement(_csv([row]), "s.csv")
    (error,) = caught.value.errors
    assert (error.row, error.column) == (4, column)
    assert reason in str(caught.value)


def test_running_balance_must_be_continuous():
    rows = ["2026-03-01,10.00,,10.00,A,,a,", "2026-03-02,10.00,,25.00,A,,b,"]
    with pytest.raises(StatementError) as caught:
        parse_statement(_csv(rows), "s.csv")
    assert caught.value.errors[0].row == 5
    assert "20.00 expected" in str(caught.value)


def test_newest_first_exports_are_accepted_in_date_order():
    rows = ["2026-03-02,10.00,,20.00,A,,b,", "2026-03-01,10.00,,10.00,A,,a,"]
    statement = parse_statement(_csv(rows), "s.csv")
    assert [line.memo for line in statement.lines] == ["a", "b"]


def test_account_number_required_and_duplicate_serials_refused():
    data = f"{HEADER}\n2026-03-01,10.00,,10.00,A,,a,S1\n".encode()
    with pytest.raises(StatementError, match="account number"):
        parse_statement(data, "s.csv")
    with pytest.raises(StatementError, match="already on row 4"):
        parse_statement(_csv(["2026-03-01,10.00,,10.00,A,,a,S1", "2026-03-02,10.00,,20.00,A,,b,S1"]), "s.csv")


def test_footer_totals_and_blank_rows_are_skipped():
    statement = parse_statement(_csv(["2026-03-01,10.00,,10.00,A,,a,", ",,,,,,,", "合计,10.00,,,,,,"]), "s.csv")
    assert len(statement.lines) == 1


def test_fingerprint_is_stable_and_identical_rows_are_kept_apart():
    rows = ["2026-03-01,10.00,,,A,,same,", "2026-03-01,10.00,,,A,,same,"]
    text = "账号:1\n交易日期,收入,支出,对方户名,摘要\n" + "\n".join(r.replace(",,A,,", ",A,") for r in rows)
    first = parse_statement(text.encode(), "s.csv")
    again = parse_statement(text.encode(), "s.csv")
    ids = [line.unique_import_id for line in first.lines]
    assert ids == [line.unique_import_id for line in again.lines]
    assert ids[1] == ids[0] + "#2"
    assert fingerprint(first.lines[0]) == ids[0]


def test_a_bank_layout_with_a_signed_amount_column():
    layout = Layout(columns={"date": ("Date",), "amount": ("Amount",), "memo": ("Memo",)}, account_labels=("Account",))
    data = b"Account,99-88\nDate,Amount,Memo\n2026-03-01,-5.50,x\n2026-03-02,7,y\n"
    statement = parse_statement(data, "s.csv", layout)
    assert statement.account_number == "9988"
    assert [line.amount for line in statement.lines] == [D("-5.50"), D("7.00")]
    assert statement.balance_start is None


def test_xlsx():
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["账号", "6222 0001"])
    sheet.append(HEADER.split(","))
    sheet.append([datetime.datetime(2026, 3, 1, 9, 30), 1000.1, None, 1000.1, "张喆", "6222", "R-1", "S9"])
    sheet.append(["2026-03-02", None, 0.1, 1000.0, "张喆", "6222", "fee", "S10"])
    buffer = io.BytesIO()
    book.save(buffer)
    statement = parse_statement(buffer.getvalue(), "s.xlsx")
    assert statement.account_number == "62220001"
    assert [line.amount for line in statement.lines] == [D("1000.10"), D("-0.10")]
    assert statement.lines[0].date == datetime.date(2026, 3, 1)


def test_not_a_statement():
    with pytest.raises(StatementError, match="header"):
        parse_statement(b"hello,world\n1,2\n", "s.csv")
    with pytest.raises(StatementError, match="XLSX"):
        parse_statement(b"PK\x03\x04garbage", "s.xlsx")
