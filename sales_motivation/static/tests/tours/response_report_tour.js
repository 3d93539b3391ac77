/** @odoo-module **/
// Cherry-picking made visible (tests/test_response_report.py): a
// salesperson filters the pipeline on their missed requests, then opens
// the Response Analysis.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_motivation_response_report", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            content: "Open the CRM",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains('Answered request')",
            content: "The pipeline shows both requests",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            content: "Open the filters",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .dropdown-item:contains('Missed Requests')",
            content: "Missed requests",
            run: "click",
        },
        {
            trigger: ".o_searchview .o_facet_value:contains('Missed Requests')",
            content: "The filter is on",
        },
        {
            trigger:
                ".o_kanban_renderer:not(:has(.o_kanban_record:contains('Answered request'))) .o_kanban_record:contains('Missed request')",
            content: "Only the missed request stays",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm.crm_menu_report']",
            content: "Reporting",
            run: "click",
        },
        {
            trigger:
                ".dropdown-item[data-menu-xmlid='sales_motivation.motivation_response_report_menu']",
            content: "Response Analysis",
            run: "click",
        },
        {
            trigger: ".o_pivot th:contains('Answered in Time (%)')",
            content: "The pivot shows the requests answered in time",
        },
        {
            trigger: ".o_pivot th:contains('Median First Response (working hours)')",
            content: "and the median first response",
        },
        {
            trigger: ".o_pivot tbody th:contains('Sam')",
            content: "for the salesperson",
        },
    ],
});
