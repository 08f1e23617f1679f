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

registry.category("web_tour.tours").add("kam_review_widget_chinese", {
    steps: () => [
        {
            content: "Open the document awaiting the executive's approval",
            trigger: ".o_list_view .o_data_row button[name='action_kam_open_document']",
            run: "click",
        },
        {
            content: "The next review is named in Chinese",
            trigger: ".o_form_view .alert-warning div[name='next_review']:contains('下一步')",
        },
        {
            content: "Unfold OCA's review widget, titled in Chinese",
            trigger: ".o_form_view a.o_info_btn:contains('审批')",
            run: "click",
        },
        {
            content: "Its columns are Chinese",
            trigger: ".o_form_view .o_review th[name='th_requested_by']:contains('发起人')",
        },
        {
            trigger: ".o_form_view .o_review th[name='th_todo_by']:contains('待审批人')",
        },
        {
            trigger: ".o_form_view .o_review th[name='th_done_by']:contains('审批人')",
        },
        {
            trigger: ".o_form_view .o_review th[name='th_display_status']:contains('状态')",
        },
        {
            trigger: ".o_form_view .o_review th[name='th_reviewed_date']:contains('审批日期')",
        },
        {
            content: "and so are the reviews' status and reviewers",
            trigger: ".o_form_view .o_review td[name='td_display_status']:contains('待审批')",
        },
        {
            trigger: ".o_form_view .o_review td[name='td_todo_by']:contains('用户组'):not(:contains('Group'))",
        },
    ],
});
