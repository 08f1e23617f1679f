"""A strict parser for the joint account's bank statement files (AC3).

What
    ``parse_statement(data, filename, layout)`` reads a CSV (UTF-8 or GBK)
    or XLSX export of a Chinese bank and returns a :class:`Statement`: the
    account number the file names and its lines, each with an exact
    ``Decimal`` amount (credit positive, debit negative) and a unique import
    id. One bad row refuses the whole file: :class:`StatementError` lists
    every bad row with its row number, column and reason.

How it works
    The header row is the first row naming the date column and an amount
    column (交易日期, 收入/贷方, 支出/借方 … by default, see
    :data:`DEFAULT_COLUMNS`; a bank format overrides them with a
    :class:`Layout`). Rows above it are searched for the account number
    (a cell "账号：6222…" or "账号" followed by the number). Every data row
    must have a date, exactly one of credit/debit (or a signed amount), at
    most two decimals; where a balance column exists the running balance
    must be continuous (previous balance + amount = balance). The import id
    is the bank's serial number (流水号) when present, else a SHA-256
    fingerprint of date, amount, counterparty, counterparty account, memo
    and balance after, so re-importing the same or an overlapping file
    matches the lines already there.

How to use
    >>> data = "账号:6222001\\n交易日期,收入,支出,余额,对方户名,摘要\\n2026-03-01,100.00,,100.00,江城供电局,R-1\\n"
    >>> statement = parse_statement(data.encode("gbk"), "s.csv")
    >>> statement.account_number, statement.lines[0].amount, statement.lines[0].row
    ('6222001', Decimal('100.00'), 3)

Caveat
    Two identical rows without serial and balance would have the same
    fingerprint; the second gets an occurrence suffix (#2) so neither is
    lost, which is stable for re-imports of the same file.
"""

import csv
import datetime
import decimal
import hashlib
import io
import re
from dataclasses import dataclass, field

from .errors import RuleError, _

CENT = decimal.Decimal("0.01")
DEFAULT_COLUMNS = {
    "date": ("交易日期", "记账日期", "日期", "交易时间"),
    "credit": ("收入", "贷方", "贷方金额", "收入金额", "贷方发生额"),
    "debit": ("支出", "借方", "借方金额", "支出金额", "借方发生额"),
    "amount": ("交易金额", "发生额"),
    "balance": ("余额", "账户余额", "交易后余额"),
    "counterparty_name": ("对方户名", "对方名称", "对方账户名称"),
    "counterparty_account": ("对方账号", "对方账户"),
    "memo": ("摘要", "用途", "附言", "备注"),
    "serial": ("流水号", "交易流水号", "凭证号"),
}
ACCOUNT_LABELS = ("账号", "帐号", "本方账号", "账户号码")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")
FOOTER_WORDS = ("合计", "小计", "总计", "本页合计")
COLUMN_LABELS = {
    "date": _("date"),
    "credit": _("credit"),
    "debit": _("debit"),
    "amount": _("amount"),
    "balance": _("balance"),
    "serial": _("serial number"),
    "file": _("file"),
}


@dataclass(frozen=True)
class Layout:
    """Column names of one bank's export; each field is a tuple of accepted header names."""

    columns: dict = field(default_factory=lambda: dict(DEFAULT_COLUMNS))
    account_labels: tuple = ACCOUNT_LABELS
    date_formats: tuple = DATE_FORMATS


@dataclass(frozen=True)
class StatementLine:
    row: int
    date: datetime.date
    amount: decimal.Decimal
    balance: decimal.Decimal | None
    counterparty_name: str
    counterparty_account: str
    memo: str
    serial: str
    unique_import_id: str


@dataclass(frozen=True)
class Statement:
    account_number: str
    lines: list
    balance_start: decimal.Decimal | None
    balance_end: decimal.Decimal | None


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    template: str
    params: dict


class StatementError(RuleError):
    """The file is refused; ``errors`` lists every bad row (``RowError``)."""

    def __init__(self, errors):
        self.errors = errors
        lines = [f"row {e.row}, {e.column}: {e.template % e.params}" for e in errors]
        super().__init__(_("The statement file is refused:\n%(rows)s"), rows="\n".join(lines))

    def translated(self, env, money=str):
        """The message in ``env``'s language; ``money`` renders the amounts (``Decimal``) of the reasons."""
        rows = "\n".join(
            env._(
                "row %(row)s, %(column)s: %(reason)s",
                row=e.row,
                column=env._(COLUMN_LABELS[e.column]) if e.column in COLUMN_LABELS else e.column,
                reason=env._(
                    e.template,
                    **{key: money(value) if isinstance(value, decimal.Decimal) else value for key, value in e.params.items()},
                ),
            )
            for e in self.errors
        )
        return env._("The statement file is refused:\n%(rows)s", rows=rows)


# ------------------------------------------------------------
# reading the file
# ------------------------------------------------------------


def read_table(data, filename):
    """The file's cells as a list of ``(row number, [cell, …])`` (cells are str, date or number)."""
    if (filename or "").lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return _read_xlsx(data)
    return _read_csv(data)


def _decode(data):
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 is a superset of GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementError([RowError(0, "file", _("The file is neither UTF-8 nor GBK text."), {})])


def _read_csv(data):
    text = _decode(data)
    dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
    return [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]


def _read_xlsx(data):
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a test and runtime requirement
        raise StatementError([RowError(0, "file", _("Reading XLSX files needs the openpyxl library."), {})]) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise StatementError([RowError(0, "file", _("The file is not a readable XLSX workbook."), {})]) from None
    sheet = book.worksheets[0]
    rows = [(number, list(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    return rows


# ------------------------------------------------------------
# parsing
# ------------------------------------------------------------


def parse_statement(data, filename="", layout=None):
    """Parse ``data`` (bytes) into a :class:`Statement`, or raise :class:`StatementError`."""
    layout = layout or Layout()
    table = read_table(data, filename)
    header_index, positions = _find_header(table, layout)
    account_number = _find_account_number(table[:header_index], layout)
    errors = []
    if not account_number:
        errors.append(RowError(0, "file", _("The file does not name its account number (账号)."), {}))
    lines = []
    for number, row in table[header_index + 1 :]:
        cells = {key: _cell(row, index) for key, index in positions.items()}
        if not any(_text(value) for value in row):
            continue  # blank row
        if _text(cells.get("date")).startswith(FOOTER_WORDS) or _text(row[0] if row else "").startswith(FOOTER_WORDS):
            continue  # the bank's totals
        parsed = _parse_row(number, cells, layout, errors)
        if parsed:
            lines.append(parsed)
    if not lines and not errors:
        errors.append(RowError(0, "file", _("The file has no transaction rows."), {}))
    if "balance" in positions and lines:
        lines = _check_balances(lines, errors)
    _check_serials(lines, errors)
    if errors:
        raise StatementError(sorted(errors, key=lambda e: e.row))
    lines = _with_import_ids(lines)
    first = lines[0]
    balance_start = first.balance - first.amount if first.balance is not None else None
    return Statement(account_number, lines, balance_start, lines[-1].balance)


def _find_header(table, layout):
    for index, (_number, row) in enumerate(table):
        names = [_text(value) for value in row]
        positions = {}
        for key, accepted in layout.columns.items():
            for position, name in enumerate(names):
                if name in accepted:
                    positions[key] = position
                    break
        if "date" in positions and ("amount" in positions or "credit" in positions or "debit" in positions):
            return index, positions
    raise StatementError(
        [RowError(0, "file", _("No header row with a date column and an amount column (收入/支出) was found."), {})]
    )


def _find_account_number(rows, layout):
    for _number, row in rows:
        cells = [_text(value) for value in row]
        for position, cell in enumerate(cells):
            for label in layout.account_labels:
                if not cell.startswith(label):
                    continue
                rest = cell[len(label) :].lstrip(":：").strip()
                if not rest:
                    rest = next((c for c in cells[position + 1 :] if c), "")
                digits = re.sub(r"[\s-]", "", rest)
                if digits:
                    return digits
    return ""


def _parse_row(number, cells, layout, errors):
    count = len(errors)
    date = _parse_date(cells.get("date"), layout)
    if date is None:
        errors.append(RowError(number, "date", _("%(value)s is not a date."), {"value": _text(cells.get("date")) or "∅"}))
    amount = _row_amount(number, cells, errors)
    balance = None
    if "balance" in cells:
        balance = _parse_amount(number, "balance", cells["balance"], errors, required=True)
    if len(errors) > count:
        return None
    return StatementLine(
        row=number,
        date=date,
        amount=amount,
        balance=balance,
        counterparty_name=_text(cells.get("counterparty_name")),
        counterparty_account=re.sub(r"\s", "", _text(cells.get("counterparty_account"))),
        memo=_text(cells.get("memo")),
        serial=_text(cells.get("serial")),
        unique_import_id="",
    )


def _row_amount(number, cells, errors):
    if "amount" in cells and "credit" not in cells and "debit" not in cells:
        amount = _parse_amount(number, "amount", cells["amount"], errors, required=True, signed=True)
        if amount is not None and not amount:
            errors.append(RowError(number, "amount", _("The amount is zero."), {}))
        return amount
    credit = _parse_amount(number, "credit", cells.get("credit"), errors)
    debit = _parse_amount(number, "debit", cells.get("debit"), errors)
    if credit is None and debit is None and not _text(cells.get("credit")) and not _text(cells.get("debit")):
        errors.append(RowError(number, "credit", _("The row has neither an income nor an expense amount."), {}))
        return None
    if credit and debit:
        errors.append(RowError(number, "credit", _("The row has both an income and an expense amount."), {}))
        return None
    if credit:
        return credit
    if debit:
        return -debit
    if credit is not None or debit is not None:
        errors.append(RowError(number, "credit", _("The amount is zero."), {}))
    return None


def _parse_amount(number, column, value, errors, required=False, signed=False):
    """An exact ``Decimal`` with at most two decimals; an empty cell is None (an error when ``required``)."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, float):
        value = repr(value)  # openpyxl gives floats: their shortest repr is what the sheet shows
    text = _text(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace(" ", "")
    if not text or text in ("-", "--"):
        if required:
            errors.append(RowError(number, column, _("The amount is missing."), {}))
        return None
    try:
        amount = decimal.Decimal(text)
    except decimal.InvalidOperation:
        errors.append(RowError(number, column, _("%(value)s is not an amount."), {"value": _text(value)}))
        return None
    if not amount.is_finite():
        errors.append(RowError(number, column, _("%(value)s is not an amount."), {"value": _text(value)}))
        return None
    if amount != amount.quantize(CENT):
        errors.append(RowError(number, column, _("%(value)s has more than two decimals."), {"value": _text(value)}))
        return None
    if amount < 0 and not signed and column != "balance":
        errors.append(RowError(number, column, _("%(value)s is negative in this column."), {"value": _text(value)}))
        return None
    return amount.quantize(CENT)


def _parse_date(value, layout):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    text = text.split(" ")[0].split("T")[0]
    for date_format in layout.date_formats:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def _check_balances(lines, errors):
    """The running balance must be continuous; banks export oldest or newest first."""
    forward = _balance_breaks(lines)
    if not forward:
        return lines
    backward = _balance_breaks(list(reversed(lines)))
    if not backward:
        return list(reversed(lines))
    for line, expected in forward:
        errors.append(
            RowError(
                line.row,
                "balance",
                _("The balance %(balance)s does not follow from the previous balance: %(expected)s expected."),
                {"balance": line.balance, "expected": expected},
            )
        )
    return lines


def _balance_breaks(lines):
    breaks = []
    for previous, line in zip(lines, lines[1:], strict=False):
        expected = previous.balance + line.amount
        if expected != line.balance:
            breaks.append((line, expected))
    return breaks


def _check_serials(lines, errors):
    seen = {}
    for line in lines:
        if not line.serial:
            continue
        if line.serial in seen:
            errors.append(
                RowError(
                    line.row, "serial", _("The serial number %(serial)s is already on row %(row)s."),
                    {"serial": line.serial, "row": seen[line.serial]},
                )
            )
        else:
            seen[line.serial] = line.row


def fingerprint(line):
    """The import id of a line without the bank's serial: the SHA-256 of what identifies the transfer."""
    key = "|".join(
        (
            line.date.isoformat(),
            format(line.amount, "f"),
            line.counterparty_name,
            line.counterparty_account,
            line.memo,
            format(line.balance, "f") if line.balance is not None else "",
        )
    )
    return "F" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def _with_import_ids(lines):
    result = []
    occurrences = {}
    for line in lines:
        if line.serial:
            import_id = "S" + line.serial
        else:
            import_id = fingerprint(line)
            occurrences[import_id] = occurrences.get(import_id, 0) + 1
            if occurrences[import_id] > 1:
                import_id = f"{import_id}#{occurrences[import_id]}"
        result.append(_replace(line, unique_import_id=import_id))
    return result


def _replace(line, **values):
    data = {name: getattr(line, name) for name in line.__dataclass_fields__}
    data.update(values)
    return StatementLine(**data)


def _cell(row, index):
    return row[index] if index < len(row) else None


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
