/** @odoo-module **/
// A commission administrator creates a plan with one target and approves it.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_motivation_sales_plan", {
    steps: () => [
        {
            trigger: ".o_list_button_add",
            content: "New plan",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            content: "Name it",
            run: "edit Tour plan",
        },
        {
            trigger: ".o_field_widget[name=date_from] input",
            content: "From",
            run: "edit 05/01/2027",
        },
        {
            trigger: ".o_field_widget[name=date_to] input",
            content: "To",
            run: "edit 05/31/2027",
        },
        {
            trigger: ".o_field_widget[name=target_ids] .o_field_x2many_list_row_add a",
            content: "Add a target",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=target_ids] .o_data_row .o_field_widget[name=user_id] input",
            content: "The salesperson",
            run: "edit Tour Sam",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Sam')",
            content: "picked",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=target_ids] .o_data_row .o_field_widget[name=metric] select",
            content: "The metric",
            run: 'select "deals_won"',
        },
        {
            trigger: ".o_field_widget[name=target_ids] .o_data_row .o_field_widget[name=target] input",
            content: "The target",
            run: "edit 10",
        },
        {
            trigger: ".o_form_button_save",
            content: "Save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
            content: "Saved",
        },
        {
            trigger: "button[name=action_approve]",
            content: "Approve",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
            content: "The plan is approved",
        },
    ],
});
