# Run by bench/run.sh inside `odoo-bin shell` (``env`` is given).
# ruff: noqa: F821
# 20 buildings × 30 floors × 8 units = 4,800 units, bulk-inserted with SQL;
# a third of them held (key-account contract or retail) like a project in sale.
import io
import statistics
import time

import openpyxl

BUILDINGS, FLOORS, PER_FLOOR = 20, 30, 8

project = env["kam.housing.project"].create({"name": "Benchmark Project", "code": "BENCH"})
buildings = env["kam.housing.building"].create(
    [{"name": f"{b + 1}#", "project_id": project.id, "floor_count": FLOORS, "sequence": b} for b in range(BUILDINGS)]
)
env.flush_all()
env.cr.execute(
    """
    INSERT INTO kam_housing_unit
        (building_id, project_id, company_id, floor, number, name, layout, area, list_price, state,
         create_uid, write_uid, create_date, write_date)
    SELECT b.id, b.project_id, b.company_id, f, f * 100 + u, b.name || '-' || (f * 100 + u),
           CASE WHEN u IN (1, 8) THEN 'A' WHEN u IN (2, 7) THEN 'B' ELSE 'C' END,
           CASE WHEN u IN (1, 8) THEN 128.5 WHEN u IN (2, 7) THEN 96.3 ELSE 89.6 END,
           1000000, 'available', 1, 1, now(), now()
      FROM kam_housing_building b, generate_series(1, %s) f, generate_series(1, %s) u
     WHERE b.id IN %s
    """,
    (FLOORS, PER_FLOOR, tuple(buildings.ids)),
)
env.cr.execute(
    """
    INSERT INTO kam_unit_holding (unit_id, project_id, company_id, channel, state, holder_name, date_start,
                                  create_uid, write_uid, create_date, write_date)
    SELECT id, project_id, company_id, 'retail', 'active', 'bench', now(), 1, 1, now(), now()
      FROM kam_housing_unit WHERE project_id = %s AND id %% 3 = 0
    """,
    (project.id,),
)
env.cr.execute(
    """
    UPDATE kam_housing_unit u SET state = 'retail', current_holding_id = h.id
      FROM kam_unit_holding h WHERE h.unit_id = u.id AND u.project_id = %s
    """,
    (project.id,),
)
env.cr.execute("ANALYZE kam_housing_unit")
env.cr.commit()
env.invalidate_all()
units = env["kam.housing.unit"].search_count([("project_id", "=", project.id)])
print(f"units in the project: {units}")


def timed(label, function, runs=5):
    times = []
    for _run in range(runs):
        env.invalidate_all()
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    print(f"{label}: first {times[0]:.3f} s, median {statistics.median(times):.3f} s, best {min(times):.3f} s")
    return result


grid = timed("grid data (get_sales_control_grid)", project.get_sales_control_grid)
assert sum(len(cells) for b in grid["buildings"] for cells in b["floors"].values()) == units
timed(
    "grid pivot (building × floor × state read_group, as the pivot view)",
    lambda: env["kam.housing.unit"].formatted_read_group(
        [("project_id", "=", project.id)], ["building_id", "floor", "state"], ["__count", "area:sum"]
    ),
)
content, _type = timed(
    "XLSX export (report_xlsx, one sheet per building)",
    lambda: env["ir.actions.report"]._render("kam_management.sales_control_xlsx", project.ids, {}),
    runs=3,
)
book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
cells = sum(1 for sheet in book.worksheets for row in sheet.iter_rows(min_row=4, min_col=2) for cell in row
            if isinstance(cell.value, str) and "m²" in cell.value)
print(f"XLSX size: {len(content) / 1024:.0f} KiB, {len(book.sheetnames)} sheets, {cells} unit cells")
env.cr.rollback()
