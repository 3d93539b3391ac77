/** @odoo-module **/
// A commission administrator gives a commission plan attainment levels.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_motivation_bonus_levels", {
    steps: () => [
        {
            trigger: ".o_list_button_add",
            content: "New commission plan",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            content: "Name it",
            run: "edit Tour bonus plan",
        },
        {
            trigger: ".o_notebook a[name=attainment]",
            content: "The attainment bonus",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=bonus_mode] input[data-value=fixed]",
            content: "A fixed bonus per target",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=level_ids] .o_field_x2many_list_row_add a",
            content: "Add a level",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=level_ids] .o_data_row .o_field_widget[name=attainment] input",
            content: "From 100 %",
            run: "edit 100",
        },
        {
            trigger: ".o_field_widget[name=level_ids] .o_data_row .o_field_widget[name=amount] input",
            content: "Pays 500",
            run: "edit 500",
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
            trigger:
                ".o_field_widget[name=level_ids] .o_data_row:has(td[name=attainment]:contains('100')):has(td[name=amount]:contains('500'))",
            content: "The plan keeps its level: from 100 %, 500",
        },
        {
            trigger: ".o_breadcrumb:contains('Tour bonus plan')",
            content: "under its name",
        },
    ],
});
