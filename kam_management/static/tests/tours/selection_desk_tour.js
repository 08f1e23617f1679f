import { registry } from "@web/core/registry";

/**
 * UX6: the selection desk in the browser, as two people. The clerk lands on
 * the desk, calls the next buyer, checks the ID card and issues the ticket
 * with the signed copy; finance (another person) reviews it and registers
 * the employer's receipt from the desk, and the voucher is issued.
 */
registry.category("web_tour.tours").add("kam_selection_desk_clerk", {
    steps: () => [
        {
            content: "The clerk lands on the desk: nobody called yet, four buyers to call",
            trigger: ".o_form_view .o_field_widget[name='desk_remaining_count']:contains('4')",
        },
        {
            content: "with the navigation bar of Key Accounts and its Selection Desk menu",
            trigger: ".o_main_navbar .o_menu_brand[data-menu-xmlid='kam_management.menu_kam_root']",
        },
        {
            content: "the desk's menu is in the bar",
            trigger: ".o_main_navbar [data-menu-xmlid='kam_management.menu_kam_selection_desk']",
        },
        {
            content: "Call the next buyer",
            trigger: ".o_form_view button[name='action_call_next']",
            run: "click",
        },
        {
            content: "Type the name on the ID card",
            trigger: ".modal .o_field_widget[name='name'] input",
            run: "edit Zhang Wei",
        },
        {
            content: "and its number",
            trigger: ".modal .o_field_widget[name='id_number'] input",
            run: "edit 110105198503010112",
        },
        {
            content: "Check the ID and open the ticket",
            trigger: ".modal button[name='action_check']",
            run: "click",
        },
        {
            content: "The ticket is prefilled with the checked buyer",
            trigger: ".o_form_view .o_field_widget[name='buyer_name'] input:value(Zhang Wei)",
        },
        {
            content: "Choose the unit",
            trigger: ".o_form_view .o_field_widget[name='unit_id'] input",
            run: "edit B1-101",
        },
        {
            content: "from the contract's units",
            trigger: ".o-autocomplete--dropdown-item:contains('B1-101')",
            run: "click",
        },
        {
            content: "Enter the reservation deposit (50 % payment)",
            trigger: ".o_form_view .o_field_widget[name='deposit_amount'] input",
            run: "edit 20000",
        },
        {
            content: "Attach the copy the buyer signed",
            trigger: ".o_form_view .o_field_widget[name='signed_copy']",
            run() {
                // the file input is hidden: hand it a file as the browser's file picker would
                const input = this.anchor.querySelector("input[type='file']");
                const transfer = new DataTransfer();
                transfer.items.add(new File(["%PDF-1.4 signed ticket"], "signed.pdf", { type: "application/pdf" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The signed copy is attached",
            trigger: ".o_form_view .o_field_widget[name='signed_copy'] input.o_input:value(signed.pdf)",
        },
        {
            content: "Issue the ticket",
            trigger: ".o_form_view button[name='action_issue']",
            run: "click",
        },
        {
            content: "The ticket is issued at 600,000.00",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='issued']",
        },
        {
            content: "Back to the desk",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The desk shows the buyer's ticket, due 300,000.00, and one ticket issued",
            trigger: ".o_form_view .o_field_widget[name='desk_ticket_count']:contains('1')",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:first td[name='desk_amount_due']:contains('300,000.00')",
        },
    ],
});

registry.category("web_tour.tours").add("kam_selection_desk_finance", {
    steps: () => [
        {
            content: "Finance opens the tickets to review",
            trigger: ".o_list_view .o_data_row td[name='buyer_name']:contains('Zhang Wei')",
            run: "click",
        },
        {
            content: "and reviews the ticket another person issued",
            trigger: ".o_form_view button[name='action_review']",
            run: "click",
        },
        {
            content: "The ticket is reviewed",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='reviewed']",
        },
        {
            content: "Finance opens the desk",
            trigger: "body",
            run: "goToUrl /odoo/action-kam_management.action_kam_selection_desk",
            expectUnloadPage: true,
        },
        {
            content: "and registers the employer's receipt of the buyer",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:first button[name='action_desk_register_receipt']",
            run: "click",
        },
        {
            content: "The employer's receipt number",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit WJB-0001",
        },
        {
            content: "and its amount, what is due",
            trigger: ".o_form_view .o_field_widget[name='amount'] input",
            run: "edit 300000",
        },
        {
            content: "Register it",
            trigger: ".o_form_view button[name='action_register']",
            run: "click",
        },
        {
            content: "The receipt is registered",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='registered']",
        },
        {
            content: "Back to the desk",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The voucher is issued: the desk shows its number and counts it",
            trigger: ".o_form_view .o_field_widget[name='desk_voucher_count']:contains('1')",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:first td[name='desk_voucher_name']:not(:empty)",
        },
    ],
});
