import { registry } from "@web/core/registry";

/**
 * Issue 19: finance's day on the Chinese demo, clicked through as kam_finance,
 * then the finance director's sign-off as kam_finance_manager. The triggers
 * use technical names and the demo's records (Chinese in every language).
 *
 * Finance reviews the ticket the clerk issued, registers the employer's
 * receipt from the receipts list and sees the voucher; imports this month's
 * statement of the joint account from the finance menu; reconciles the month:
 * new, match, resolve the discrepancies, submit for sign-off.
 */

const JOINT_ACCOUNT = "6228 4800 1234 5678 901";
const CONTRACT = "WJ2026-0001";
const BUYER = "朱娟";

// what the ticket's buyer owes, read on the ticket, typed on the receipt
let amountDue = "";

function isoDate(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const today = new Date();
const monthStart = isoDate(new Date(today.getFullYear(), today.getMonth(), 1));
const monthEnd = isoDate(new Date(today.getFullYear(), today.getMonth() + 1, 0));

/** The bank's export of this month: the employer transferred the first desk receipt (WJB-0001). */
function statementFile() {
    const rows = [
        "江城银行 账户交易明细",
        `账号：${JOINT_ACCOUNT}`,
        "户名：江城滨湖置业有限公司",
        "币种：人民币",
        "交易日期,收入,支出,余额,对方户名,对方账号,摘要,流水号",
        `${isoDate(today)},1201475.00,,2345424.00,江城市供电局委建办,6217 0000 8888 0101 123,转房款 WJB-0001,T19-0001`,
    ];
    return new File([rows.join("\n") + "\n"], "共管账户流水-本月.csv", { type: "text/csv" });
}

const OPEN_ROW = ".o_field_widget[name='discrepancy_ids'] .o_data_row:has(button[name='action_resolve'])";

/** Explain and resolve the open discrepancies, one after the other (at most ``count``). */
function resolveOpenDiscrepancies(count) {
    const steps = [];
    for (let done = 1; done <= count; done++) {
        steps.push(
            {
                content: "Explain an open discrepancy",
                isActive: [OPEN_ROW],
                trigger: `${OPEN_ROW}:first td[name='resolution_note']`,
                run: "click",
            },
            {
                isActive: [OPEN_ROW],
                trigger: `${OPEN_ROW}:first td[name='resolution_note'] textarea`,
                run: "edit 已核对委建办来函，月底补录",
            },
            {
                content: "and resolve it",
                isActive: [OPEN_ROW],
                trigger: `${OPEN_ROW}:first button[name='action_resolve']`,
                run: "click",
            },
            {
                content: "It is resolved",
                isActive: [OPEN_ROW],
                trigger: `.o_field_widget[name='discrepancy_ids'] .o_data_row:has(button[name='action_reopen']):eq(${done - 1})`,
            }
        );
    }
    return steps;
}

function menu(xmlid) {
    return `[data-menu-xmlid='kam_management.${xmlid}']`;
}

/** Click a menu of the navigation bar, then one of its items. */
function openMenu(section, item, content) {
    return [
        { content: `${content}: its menu`, trigger: `.o_main_navbar ${menu(section)}`, run: "click" },
        { content, trigger: `.dropdown-item${menu(item)}`, run: "click" },
    ];
}

/** Type the demo contract in a many2one field and pick it in the drop-down. */
function pickContract(field, content) {
    return [
        { content, trigger: `${field} input`, run: `edit ${CONTRACT}` },
        { trigger: `.o-autocomplete--dropdown-item:contains('${CONTRACT}')`, run: "click" },
    ];
}

registry.category("web_tour.tours").add("kam_finance_day", {
    steps: () => [
        // ---- the ticket, the receipt, the voucher
        {
            content: "Finance opens the ticket the clerk issued",
            trigger: `.o_list_view .o_data_row td[name='buyer_name']:contains('${BUYER}')`,
            run: "click",
        },
        {
            content: "and reads what the buyer owes",
            trigger: ".o_form_view .o_field_widget[name='amount_due']:not(:empty)",
            run() {
                amountDue = this.anchor.textContent.replace(/[^0-9.]/g, "");
            },
        },
        {
            content: "Review it (another person issued it)",
            trigger: ".o_form_view button[name='action_review']",
            run: "click",
        },
        {
            content: "The ticket is reviewed",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='reviewed']",
        },
        ...openMenu("menu_kam_finance", "menu_kam_finance_receipt", "Employer receipts"),
        {
            content: "The receipts list",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('SJ-0001')",
        },
        {
            content: "A new receipt",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        ...pickContract(".o_form_view .o_field_widget[name='contract_id']", "The contract: the drop-down offers it"),
        {
            content: "The buyer who paid",
            trigger: ".o_form_view .o_field_widget[name='buyer_id'] input",
            run: `edit ${BUYER}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item a:text(${BUYER})`,
            run: "click",
        },
        {
            content: "The employer's receipt number",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit WJB-0004",
        },
        {
            content: "and what the buyer paid: what is due",
            trigger: ".o_form_view .o_field_widget[name='amount'] input",
            async run(helpers) {
                await helpers.edit(amountDue);
            },
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
        ...openMenu("menu_kam_selection_desk", "menu_kam_room_voucher", "Room vouchers"),
        {
            content: "The buyer's voucher is issued",
            trigger: `.o_list_view .o_data_row:contains('${BUYER}') td[name='name']`,
            run: "click",
        },
        {
            content: "and opens",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='issued']",
        },
        {
            content: "on the buyer's name",
            trigger: `.o_form_view .o_field_widget[name='buyer_name']:contains('${BUYER}')`,
        },
        // ---- the statement, from the finance menu
        ...openMenu("menu_kam_finance", "menu_kam_finance_joint_import", "Import a bank statement"),
        ...pickContract(".modal .o_field_widget[name='kam_journal_id']", "of the contract's joint account"),
        {
            content: "Choose the bank's file",
            trigger: ".modal .o_field_widget[name='statement_file'] input[type='file']:not(:visible)",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(statementFile());
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is loaded",
            trigger: ".modal .o_field_widget[name='statement_file'] .o_clear_file_button",
        },
        {
            content: "Import it",
            trigger: ".modal button[name='import_file_button']",
            run: "click",
        },
        {
            content: "One line is created",
            trigger: ".o_notification:contains('1')",
        },
        {
            content: "and the imported statement is shown",
            trigger: ".o_list_view .o_data_row:contains('共管账户流水-本月.csv')",
        },
        // ---- the month's reconciliation
        ...openMenu("menu_kam_finance", "menu_kam_finance_joint_reconciliation", "Reconciliations"),
        {
            content: "The reconciliations list, with November's",
            trigger: ".o_list_view .o_data_row td[name='date_from']:contains('11')",
        },
        {
            content: "A new one",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        ...pickContract(".o_form_view .o_field_widget[name='contract_id']", "The contract: the drop-down offers it"),
        {
            content: "This month",
            trigger: ".o_form_view .o_field_widget[name='date_from'] input",
            run: `edit ${monthStart}`,
        },
        {
            trigger: ".o_form_view .o_field_widget[name='date_to'] input",
            run: `edit ${monthEnd}`,
        },
        {
            content: "Match it",
            trigger: ".o_form_view button[name='action_match']",
            run: "click",
        },
        {
            content: "Matched: the allocations",
            trigger: ".o_form_view .o_notebook a[name='allocations']",
            run: "click",
        },
        {
            content: "The transfer is matched to its receipt by the memo",
            trigger: ".o_form_view .o_field_widget[name='allocation_ids'] .o_data_row:contains('WJB-0001')",
        },
        {
            content: "A discrepancy is open (no employer balance recorded for this month)",
            trigger: ".o_form_view .o_notebook a[name='discrepancies']",
            run: "click",
        },
        // the open discrepancies (their number depends on today's date: November's receipts get late)
        ...resolveOpenDiscrepancies(8),
        {
            content: "No discrepancy is left open",
            trigger: ".o_field_widget[name='discrepancy_ids']:not(:has(.o_data_row button[name='action_resolve']))",
        },
        {
            content: "Submit for sign-off",
            trigger: ".o_form_view button[name='action_submit']",
            run: "click",
        },
        {
            content: "It waits for the finance director",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='submitted']",
        },
    ],
});

/** The finance director signs the submitted period and downloads the kept report. */
registry.category("web_tour.tours").add("kam_finance_director_sign", {
    steps: () => [
        {
            content: "The director opens the submitted period (the activity's link)",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='submitted']",
        },
        {
            content: "Sign it off",
            trigger: ".o_form_view button[name='action_sign']",
            run: "click",
        },
        {
            content: "after confirming",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The period is signed",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='signed']",
        },
        {
            content: "The kept report's SHA-256 is shown",
            trigger: ".o_form_view .o_field_widget[name='report_sha256']:not(:empty)",
        },
        {
            content: "and the journal entries it posted are one click away",
            trigger: ".o_form_view button[name='action_open_journal_entries']",
        },
        {
            content: "Download the kept report",
            trigger: ".o_form_view button[name='action_download_report'].btn-link",
            run: "click",
        },
        {
            content: "still on the signed period",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value='signed']",
        },
    ],
});
