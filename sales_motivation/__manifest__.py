# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sales Motivation",
    "summary": "Run and pay a sales team from the CRM: registrar share, checkpoints, "
    "shared pool, plans and bonuses",
    "version": "18.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sales-motivation/sales_motivation",
    "author": "sales_motivation authors",
    "maintainers": ["sales-motivation"],
    "license": "LGPL-3",
    "depends": [
        # crm: the pipeline this addon extends; sale_crm: deals carry sale
        # orders, the commission base and checkpoint evidence; mail: chatter,
        # activities and tracking.
        "crm",
        "sale_crm",
        "mail",
    ],
    "data": [
        "security/sales_motivation_security.xml",
        "security/ir.model.access.csv",
        "security/ir_rule.xml",
        "security/motivation_sales_plan_rules.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        "data/motivation_checkpoint_type_data.xml",
        "data/motivation_interaction_result_data.xml",
        "report/motivation_settlement_report.xml",
        "views/motivation_commission_plan_views.xml",
        "views/motivation_commission_line_views.xml",
        "views/motivation_settlement_views.xml",
        "wizard/motivation_settlement_wizard_views.xml",
        "wizard/motivation_release_wizard_views.xml",
        "views/motivation_checkpoint_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_team_views.xml",
        "views/motivation_transfer_views.xml",
        "views/motivation_pool_rule_views.xml",
        "views/res_partner_views.xml",
        "views/motivation_interaction_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_lead_achievement_views.xml",
        "views/motivation_achievement_views.xml",
        "views/motivation_sales_plan_views.xml",
        "views/sales_motivation_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/crm_team_demo.xml",
        "demo/motivation_commission_plan_demo.xml",
        "demo/crm_lead_demo.xml",
        "demo/motivation_repeat_client_demo.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "assets": {
        "web.assets_backend": [
            "sales_motivation/static/src/js/activity_markasdone_patch.js",
        ],
        "web.assets_tests": [
            "sales_motivation/static/tests/tours/log_call_tour.js",
            "sales_motivation/static/tests/tours/sales_plan_tour.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
}
