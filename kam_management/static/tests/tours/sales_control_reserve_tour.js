import { registry } from "@web/core/registry";

// Retail sales reserve an available unit from the grid, then release it (HS2).
registry.category("web_tour.tours").add("kam_sales_control_reserve", {
    steps: () => [
        {
            content: "Switch the grid to selecting units",
            trigger: ".o_kam_sales_grid .o_kam_select_toggle",
            run: "click",
        },
        {
            content: "Select an available unit",
            trigger: ".o_kam_sales_grid .o_kam_building:has(caption:contains('2号楼')) td.o_kam_state_available[data-unit='1605']",
            run: "click",
        },
        {
            content: "Reserve it",
            trigger: ".o_kam_sales_grid .o_kam_reserve:enabled",
            run: "click",
        },
        {
            content: "Name the retail customer",
            trigger: ".modal .o_field_widget[name='holder_name'] input",
            run: "edit 李娜",
        },
        {
            content: "Confirm the reservation",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The unit is now a retail unit",
            trigger: ".o_kam_sales_grid .o_kam_building:has(caption:contains('2号楼')) td.o_kam_state_retail[data-unit='1605']",
            run: "click",
        },
        {
            content: "Release it",
            trigger: ".o_kam_sales_grid .o_kam_release:enabled",
            run: "click",
        },
        {
            content: "The unit is available again",
            trigger: ".o_kam_sales_grid .o_kam_building:has(caption:contains('2号楼')) td.o_kam_state_available[data-unit='1605']",
        },
    ],
});
