import { registry } from "@web/core/registry";

/**
 * Issue 19: the desk's day on the Chinese demo, as its people click it. The
 * test hands the tour what the person reads off paper (the buyer's ID card,
 * the unit the buyer points at, the price list) in the cookie ``kam_tour``.
 */
function given() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("kam_tour="));
    return JSON.parse(decodeURIComponent(cookie.slice("kam_tour=".length)));
}

/** the same number with another check digit: one key wrong */
function mistyped(number) {
    return number.slice(0, -1) + (number.endsWith("0") ? "1" : "0");
}

const noErrorDialog = {
    content: "and no error dialog",
    trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_blockUI))",
};

registry.category("web_tour.tours").add("kam_desk_clerk_journey", {
    steps: () => {
        const card = given();
        return [
            {
                content: "The clerk lands on the desk and calls the next buyer",
                trigger: ".o_form_view button[name='action_call_next']",
                run: "click",
            },
            {
                content: "The ID check names the called buyer",
                trigger: `.modal .o_field_widget[name='buyer_name']:contains('${card.buyer}')`,
            },
            {
                content: "Type the name on the ID card",
                trigger: ".modal .o_field_widget[name='name'] input",
                run: `edit ${card.buyer}`,
            },
            {
                content: "and its number, one digit wrong",
                trigger: ".modal .o_field_widget[name='id_number'] input",
                run: `edit ${mistyped(card.id_number)}`,
            },
            {
                trigger: ".modal button[name='action_check']",
                run: "click",
            },
            {
                content: "The desk says the check digit is wrong, not that the buyer is not on the list",
                trigger: ".o_error_dialog .modal-body:contains('校验码')",
            },
            {
                trigger: ".o_error_dialog .o-default-button",
                run: "click",
            },
            {
                content: "Type the number again, right",
                trigger: ".modal .o_field_widget[name='id_number'] input",
                run: `edit ${card.id_number}`,
            },
            {
                content: "Check the ID and open the ticket",
                trigger: ".modal button[name='action_check']",
                run: "click",
            },
            {
                content: "The ticket is prefilled with the checked buyer",
                trigger: `.o_form_view .o_field_widget[name='buyer_name'] input:value(${card.buyer})`,
            },
            {
                content: "Pick the unit the buyer chose",
                trigger: ".o_form_view .o_field_widget[name='unit_id'] input",
                run: `edit ${card.unit}`,
            },
            {
                content: "The picker shows its area, layout and price",
                trigger: `.o-autocomplete--dropdown-item:contains('${card.unit}'):contains('${card.area} m²'):contains('${card.total}')`,
                run: "click",
            },
            {
                content: "Before the issue, the ticket shows the area",
                trigger: `.o_form_view .o_field_widget[name='quote_area']:contains('${card.area}')`,
            },
            {
                content: "the unit price",
                trigger: `.o_form_view .o_field_widget[name='quote_price_per_m2']:contains('${card.price}')`,
            },
            {
                content: "the total",
                trigger: `.o_form_view .o_field_widget[name='quote_amount_total']:contains('${card.total}')`,
            },
            {
                content: "and what is due at the contract's ratio",
                trigger: `.o_form_view .o_field_widget[name='quote_amount_due']:contains('${card.due}')`,
            },
            {
                content: "Enter the reservation deposit",
                trigger: ".o_form_view .o_field_widget[name='deposit_amount'] input",
                run: "edit 20000",
            },
            {
                content: "Issue the ticket",
                trigger: ".o_form_view button[name='action_issue']",
                run: "click",
            },
            {
                content: "The ticket is issued at the price shown",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='issued']",
            },
            {
                trigger: `.o_form_view .o_field_widget[name='amount_total']:contains('${card.total}')`,
            },
            {
                content: "Print it",
                trigger: ".o_form_view .o_form_statusbar button:has(.fa-print)",
                run: "click",
            },
            noErrorDialog,
            {
                content: "The ticket is still on screen",
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='issued']",
            },
        ];
    },
});

registry.category("web_tour.tours").add("kam_sales_live_board", {
    steps: () => {
        const watch = given();
        const cell = `.o_kam_building:has(caption:contains('${watch.building}')) td.o_kam_unit[data-unit='${watch.number}']`;
        return [
            {
                content: "Sales land on the grid: the unit the desk ticketed shows as ticketed",
                trigger: `${cell}[data-desk-state='ticketed']`,
                run() {
                    window.kamBoardNotReloaded = true; // gone if the page reloads
                },
            },
            {
                content: "with its list price in the tooltip",
                trigger: `${cell}[title*='${watch.list_price}']`,
            },
            {
                content: "The desk's voucher repaints the unit by itself (Odoo's bus), without a reload",
                trigger: `${cell}[data-desk-state='vouchered']:contains('${watch.vouchered}')`,
                timeout: 30000,
                run() {
                    if (!window.kamBoardNotReloaded) {
                        throw new Error("the page was reloaded: the grid did not repaint itself");
                    }
                },
            },
            {
                content: "The legend counts it",
                trigger: `.o_kam_desk_summary tr[data-desk-state='vouchered'] .o_kam_desk_count:contains('${watch.vouchered_count}')`,
            },
            {
                content: "Export the table as XLSX",
                trigger: ".o_kam_sales_grid button.o_kam_export_xlsx",
                run: "click",
            },
            noErrorDialog,
            {
                content: "The grid is still on screen",
                trigger: `${cell}[data-desk-state='vouchered']`,
            },
        ];
    },
});
