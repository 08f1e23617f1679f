"""Display names of the records that have no name of their own: no screen shows ``kam.model,11``."""


def join_name(*parts):
    """The non-empty parts joined, e.g. ``WJ2026-0001 · 1号楼-101``."""
    return " · ".join(str(part) for part in parts if part)


def selection_label(record, field_name):
    """The label of a selection field's value in the user's language."""
    return dict(record._fields[field_name]._description_selection(record.env)).get(record[field_name], "")
