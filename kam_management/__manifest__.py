{
    "name": "Key Account Management",
    "summary": "Key accounts, commissioned housing sales (委建房) and joint-account "
    "(共管账户) reconciliation for key-account departments",
    "version": "19.0.0.1.0",
    "category": "Sales/Key Accounts",
    "author": "kam_management developers",
    "website": "https://example.invalid/kam_management",
    "license": "LGPL-3",
    "depends": [
        "base",
        "mail",
        "account",
        "sale",
        "base_tier_validation",
        "report_xlsx",
    ],
    "external_dependencies": {
        "python": ["python-stdnum", "cn2an", "xlsxwriter"],
    },
    "data": [
        "security/kam_security.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/kam_menus.xml",
    ],
    "demo": [
        "demo/kam_users_demo.xml",
    ],
    "application": True,
    "installable": True,
}
