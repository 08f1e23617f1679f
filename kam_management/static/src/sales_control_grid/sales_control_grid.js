import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { user } from "@web/core/user";

/**
 * The sales control table (销控表) of one project as a building × floor grid:
 * one coloured cell per unit, top floor first, as sales offices paint it on
 * the wall. The data is one server call (``get_sales_control_grid``), states
 * only: no key-account prices reach the client.
 *
 * It is the live board of a selection event: units chosen at the desk, ticketed
 * and vouchered are painted as such, and the grid reads itself again when the
 * server says on Odoo's bus that units of its project changed (the channel
 * ``kam_sales_control:<project id>``, granted by the server to who may read
 * the project). The XLSX export of the table is a button of the grid.
 *
 * Retail sales (and directors) reserve and release retail units here: in
 * "select" mode a click selects cells instead of opening them, and the
 * toolbar calls the unit's reserve and release actions (the server checks
 * the rights and that the units are free).
 */
export class SalesControlGrid extends Component {
    static template = "kam_management.SalesControlGrid";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.busService = useService("bus_service");
        this.state = useState({ projects: [], projectId: false, grid: null, selecting: false, selected: [] });
        this.onUnitsChanged = (payload) => {
            if (payload.project_id === this.state.projectId) {
                this.refresh();
            }
        };
        this.busService.subscribe("kam_management/sales_control", this.onUnitsChanged);
        onWillUnmount(() => {
            this.busService.unsubscribe("kam_management/sales_control", this.onUnitsChanged);
            this.listen(false);
        });
        onWillStart(async () => {
            const [sales, manager] = await Promise.all([
                user.hasGroup("kam_management.group_kam_sales"),
                user.hasGroup("kam_management.group_kam_manager"),
            ]);
            this.canReserve = sales || manager;
            this.state.projects = await this.orm.searchRead("kam.housing.project", [], ["display_name"]);
            const context = this.props.action?.context || {};
            this.state.projectId = context.default_project_id || this.state.projects[0]?.id || false;
            await this.load();
        });
    }

    async load() {
        this.state.selected = [];
        this.listen(this.state.projectId);
        await this.refresh();
    }

    /** Read the grid again, keeping the units selected (a bus notification while the user selects). */
    async refresh() {
        const grid = this.state.projectId
            ? await this.orm.call("kam.housing.project", "get_sales_control_grid", [[this.state.projectId]])
            : null;
        const ids = new Set(
            (grid?.buildings || []).flatMap((b) => Object.values(b.floors).flatMap((cells) => cells.map((c) => c.id)))
        );
        this.state.selected = this.state.selected.filter((id) => ids.has(id));
        this.state.grid = grid;
    }

    /** Listen on the bus channel of ``projectId`` only (false: none). */
    listen(projectId) {
        if (this.channel) {
            this.busService.deleteChannel(this.channel);
        }
        this.channel = projectId ? `kam_sales_control:${projectId}` : null;
        if (this.channel) {
            this.busService.addChannel(this.channel);
        }
    }

    async onProjectChange(ev) {
        this.state.projectId = parseInt(ev.target.value);
        await this.load();
    }

    async exportXlsx() {
        await this.action.doAction("kam_management.action_report_kam_sales_control_xlsx", {
            additionalContext: {
                active_model: "kam.housing.project",
                active_id: this.state.projectId,
                active_ids: [this.state.projectId],
            },
        });
    }

    deskLabel(code) {
        return Object.fromEntries(this.state.grid.desk_states)[code];
    }

    cellTitle(cell) {
        const parts = [cell.number, cell.layout || "", `${this.formatArea(cell.area)} m²`, this.stateLabel(cell.state)];
        if (cell.desk_state) {
            parts.push(this.deskLabel(cell.desk_state));
        }
        if (cell.ticket_total_display) {
            parts.push(cell.ticket_total_display);
        } else if (cell.price_display) {
            parts.push(cell.price_display);
        }
        return parts.filter((part) => part).join(" · ");
    }

    floors(building) {
        return Object.keys(building.floors)
            .map(Number)
            .sort((a, b) => b - a);
    }

    sumOf(key) {
        return this.state.grid.summary.reduce((sum, total) => sum + total[key], 0);
    }

    formatArea(area) {
        return area.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }

    stateLabel(code) {
        return Object.fromEntries(this.state.grid.states)[code];
    }

    onCellClick(cell) {
        if (!this.state.selecting) {
            return this.openUnit(cell.id);
        }
        const index = this.state.selected.indexOf(cell.id);
        if (index >= 0) {
            this.state.selected.splice(index, 1);
        } else {
            this.state.selected.push(cell.id);
        }
    }

    toggleSelecting() {
        this.state.selecting = !this.state.selecting;
        this.state.selected = [];
    }

    async reserve() {
        const action = await this.orm.call("kam.housing.unit", "action_kam_reserve_retail", [this.state.selected]);
        await this.action.doAction(action, { onClose: () => this.load() });
    }

    async release() {
        await this.orm.call("kam.housing.unit", "action_kam_release_retail", [this.state.selected]);
        await this.load();
    }

    openUnit(unitId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "kam.housing.unit",
            res_id: unitId,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("kam_sales_control_grid", SalesControlGrid);
