import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The sales control table (销控表) of one project as a building × floor grid:
 * one coloured cell per unit, top floor first, as sales offices paint it on
 * the wall. The data is one server call (``get_sales_control_grid``), states
 * only: no key-account prices reach the client.
 */
export class SalesControlGrid extends Component {
    static template = "kam_management.SalesControlGrid";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ projects: [], projectId: false, grid: null });
        onWillStart(async () => {
            this.state.projects = await this.orm.searchRead("kam.housing.project", [], ["display_name"]);
            const context = this.props.action?.context || {};
            this.state.projectId = context.default_project_id || this.state.projects[0]?.id || false;
            await this.load();
        });
    }

    async load() {
        this.state.grid = this.state.projectId
            ? await this.orm.call("kam.housing.project", "get_sales_control_grid", [[this.state.projectId]])
            : null;
    }

    async onProjectChange(ev) {
        this.state.projectId = parseInt(ev.target.value);
        await this.load();
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
