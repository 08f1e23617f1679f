from odoo import models

from ..models.kam_housing_unit import DESK_STATE, UNIT_STATE

# Cell colours of the sales control table, as sales offices paint it on the wall.
STATE_COLOURS = {
    "available": "#FFFFFF",
    "ka": "#F4B183",
    "relation": "#C9A0DC",
    "retail": "#A9D08E",
}
# the selection desk's states, over the key-account colour (static/src/sales_control_grid)
DESK_COLOURS = {
    "chosen": ("#FFE699", "#000000"),
    "ticketed": ("#ED7D31", "#FFFFFF"),
    "vouchered": ("#C00000", "#FFFFFF"),
}


class KamSalesControlXlsx(models.AbstractModel):
    """The sales control table (销控表) of projects as XLSX (HS2).

    One sheet per building: floors from the top down, one cell per unit with
    its number, layout and area, coloured by state (and by its ticket's
    state at the selection desk), and a legend. States
    only — never key-account prices — so retail sales may print it.
    """

    _name = "report.kam_management.sales_control_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Sales Control Table XLSX"

    def generate_xlsx_report(self, workbook, data, projects):
        labels = dict(self.env["kam.housing.unit"]._fields["state"]._description_selection(self.env))
        title = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "align": "center"})
        formats = {
            state: workbook.add_format(
                {"bg_color": colour, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"}
            )
            for state, colour in STATE_COLOURS.items()
        }
        desk_labels = dict(self.env["kam.housing.unit"]._fields["desk_state"]._description_selection(self.env))
        formats.update({
            desk: workbook.add_format(
                {"bg_color": colour, "font_color": font, "border": 1, "text_wrap": True, "align": "center",
                 "valign": "vcenter"}
            )
            for desk, (colour, font) in DESK_COLOURS.items()
        })
        used_names = set()
        for project in projects:
            grid = project.get_sales_control_grid()
            for building in grid["buildings"]:
                sheet = workbook.add_worksheet(self._sheet_name(project, building["name"], used_names))
                sheet.write(0, 0, f"{project.display_name} {building['name']}", title)
                floors = sorted(building["floors"], reverse=True)
                width = max((len(cells) for cells in building["floors"].values()), default=0)
                sheet.write(2, 0, self.env._("Floor"), header)
                for column in range(width):
                    sheet.write(2, column + 1, column + 1, header)
                sheet.set_column(0, 0, 8)
                sheet.set_column(1, max(width, 1), 14)
                for row, floor in enumerate(floors, start=3):
                    sheet.write(row, 0, floor, header)
                    sheet.set_row(row, 56)
                    for column, cell in enumerate(building["floors"][floor], start=1):
                        text = f"{cell['number']}\n{cell['layout'] or ''} {cell['area']:.2f}m²\n{labels[cell['state']]}"
                        if cell["desk_state"]:
                            text += f"\n{desk_labels[cell['desk_state']]}"
                        sheet.write(row, column, text, formats[cell["desk_state"] or cell["state"]])
                legend_row = len(floors) + 4
                for offset, (state, _label) in enumerate(UNIT_STATE):
                    sheet.write(legend_row, offset + 1, labels[state], formats[state])
                for offset, (desk, _label) in enumerate(DESK_STATE):
                    sheet.write(legend_row + 1, offset + 1, desk_labels[desk], formats[desk])
                sheet.freeze_panes(3, 1)

    def _sheet_name(self, project, building_name, used_names):
        # Excel allows 31 characters and no []:*?/\ in a sheet name, and names are unique
        base = "".join(ch for ch in f"{project.code or project.name}-{building_name}" if ch not in "[]:*?/\\")[:31]
        name, suffix = base, 2
        while name.lower() in used_names:
            name = f"{base[: 31 - len(str(suffix)) - 1]}~{suffix}"
            suffix += 1
        used_names.add(name.lower())
        return name
