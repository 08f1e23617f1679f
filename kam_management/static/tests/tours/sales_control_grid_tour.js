import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("kam_sales_control_grid", {
    steps: () => [
        {
            content: "The grid shows the demo project's buildings",
            trigger: ".o_kam_sales_grid .o_kam_building caption:contains('1号楼')",
        },
        {
            content: "Units held by the contract are coloured as key-account units",
            trigger: ".o_kam_sales_grid td.o_kam_state_ka[data-unit='101']",
            run: "click",
        },
        {
            content: "Clicking a unit opens it",
            trigger: ".o_form_view .o_field_widget[name='state']",
        },
    ],
});
