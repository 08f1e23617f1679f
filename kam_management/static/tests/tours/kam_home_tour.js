import { registry } from "@web/core/registry";

/**
 * UX7: a department's user logs in and lands on its daily work (its home
 * action), without choosing a menu. The triggers use the demo data's names,
 * which are Chinese in every language.
 */
registry.category("web_tour.tours").add("kam_home_key_account", {
    steps: () => [
        {
            content: "Key-account staff land on their key accounts",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('深圳市华兴科技集团有限公司')",
        },
        {
            content: "with the activity due on the account",
            trigger: ".o_list_view .o_data_row:contains('深圳市华兴科技集团有限公司') .o-mail-ListActivity-summary:contains('回访华兴')",
        },
        {
            content: "and open one",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('厦门鹭岛贸易有限公司')",
            run: "click",
        },
        {
            content: "The account's form shows its contact person",
            trigger: ".o_form_view .o_kanban_record:contains('林振东')",
        },
    ],
});

registry.category("web_tour.tours").add("kam_home_executive", {
    steps: () => [
        {
            content: "Executives land on what awaits their approval: the demo tier review",
            trigger: ".o_list_view .o_data_row td[name='kam_document_name']:not(:empty)",
        },
        {
            content: "Open the document from the approval",
            trigger: ".o_list_view .o_data_row button[name='action_kam_open_document']",
            run: "click",
        },
        {
            content: "The review's form offers the executive to approve it",
            trigger: ".o_form_view button[name='validate_tier']",
        },
    ],
});

registry.category("web_tour.tours").add("kam_home_sales_desk", {
    steps: () => [
        {
            content: "The selection desk lands on the sales control grid",
            trigger: ".o_kam_sales_grid .o_kam_building caption:contains('1号楼')",
        },
        {
            content: "whose legend counts the units per state",
            trigger: ".o_kam_sales_grid .o_kam_grid_summary tr[data-state='ka'] .o_kam_summary_count:contains('100')",
        },
    ],
});
