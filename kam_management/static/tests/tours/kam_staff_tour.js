import { registry } from "@web/core/registry";

/**
 * Issue 19: key-account staff (kam_user, Chinese demo) do their day in the browser. They open
 * the 大客户 app, register a company typed into 申报注册's field and submit it; once the
 * director approved it (tests/test_staff_tours.py), it is one of 我的大客户. They log a
 * complaint and see its response deadline.
 */
const NEW_ACCOUNT = "深圳市星河新材料有限公司";

function openTheApp() {
    return [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Click the 大客户 app",
            trigger: ".o_app[data-menu-xmlid='kam_management.menu_kam_root']",
            run: "click",
        },
        {
            content: "The app opens the staff's home: 我的大客户",
            trigger: ".o_breadcrumb:contains('我的大客户')",
        },
    ];
}

function openMenu(folder, menu) {
    return [
        {
            content: `Open the folder ${folder}`,
            trigger: `.o_menu_sections [data-menu-xmlid='kam_management.${folder}']`,
            run: "click",
        },
        {
            content: `Open ${menu}`,
            trigger: `.dropdown-item[data-menu-xmlid='kam_management.${menu}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("kam_staff_register_account", {
    steps: () => [
        ...openTheApp(),
        ...openMenu("menu_kam_accounts", "menu_kam_registration"),
        {
            content: "New registration",
            trigger: ".o_breadcrumb:contains('申报注册')",
        },
        {
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Type the applying company, which is not in the database yet",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
            run: `edit ${NEW_ACCOUNT}`,
        },
        {
            content: "and create it from the field",
            trigger: `.o_m2o_dropdown_option_create:contains('${NEW_ACCOUNT}')`,
            run: "click",
        },
        {
            trigger: `.o_form_view .o_field_widget[name='partner_id'] input:value('${NEW_ACCOUNT}')`,
        },
        {
            content: "The office that serves it",
            trigger: ".o_form_view .o_field_widget[name='territory'] input",
            run: "edit 深圳南山",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Submit it for approval",
            trigger: ".o_form_view .o_form_saved button[name='request_validation']",
            run: "click",
        },
        {
            content: "It now waits for the director",
            trigger: ".o_form_view:not(:has(button[name='request_validation'])) .o_statusbar_status",
        },
    ],
});

registry.category("web_tour.tours").add("kam_staff_sees_registered_account", {
    steps: () => [
        ...openTheApp(),
        {
            content: "The approved company is one of my key accounts",
            trigger: `.o_list_view .o_data_row td[name='name']:contains('${NEW_ACCOUNT}')`,
        },
    ],
});

registry.category("web_tour.tours").add("kam_staff_logs_complaint", {
    steps: () => [
        ...openTheApp(),
        ...openMenu("menu_kam_service", "menu_kam_complaint"),
        {
            trigger: ".o_breadcrumb:contains('投诉')",
        },
        {
            content: "Log a new complaint",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "of one of my key accounts",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
            run: "edit 华兴",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('深圳市华兴科技集团有限公司')",
            run: "click",
        },
        {
            content: "What the customer says",
            trigger: ".o_form_view .o_field_widget[name='description'] .odoo-editor-editable",
            run: "editor 3号楼交付的门窗漏水，客户要求尽快维修。",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The complaint has its reference",
            trigger: ".o_breadcrumb .active:contains('CPL')",
        },
        {
            // any deadline field the form shows (the response deadline), whatever its rule or format
            content: "and shows its response deadline",
            trigger: ".o_form_view .o_field_widget[name*='deadline']:not(.o_invisible_modifier)",
            run() {
                if (!this.anchor.textContent.trim()) {
                    throw new Error("The complaint shows no response deadline.");
                }
            },
        },
    ],
});
