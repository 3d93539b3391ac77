/** @odoo-module **/
// A salesperson's pipeline shows their plan progress; a deal won from its
// form (the win message counts it), one dragged to the won stage and a call
// logged from a card move the strip without reloading the page; the list
// shows the same strip.
import { registry } from "@web/core/registry";

const WON = ".o_sm_plan_strip .o_sm_plan_item[data-metric=deals_won] .o_sm_plan_figure";
const CALLS = ".o_sm_plan_strip .o_sm_plan_item[data-metric=calls] .o_sm_plan_figure";

registry.category("web_tour.tours").add("sales_motivation_plan_progress", {
    steps: () => [
        {
            trigger: `${WON}:contains('0/3')`,
            content: "The strip shows the deals to win",
        },
        {
            trigger: `${CALLS}:contains('0/20')`,
            content: "and the calls to make",
        },
        {
            trigger: ".o_kanban_record:contains('Strip deal A')",
            content: "Open a deal",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_set_won_rainbowman]",
            content: "Win it",
            run: "click",
        },
        {
            trigger: ".o_reward_msg_content:contains('1 of 3 deals won this month — 2 to go')",
            content: "The win message counts it against the plan",
        },
        {
            trigger: ".o_reward",
            content: "Close the message",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            content: "Back to the pipeline",
            run: "click",
        },
        {
            trigger: `.o_kanban_view ${WON}:contains('1/3')`,
            content: "The strip counts the win",
        },
        {
            trigger: ".o_kanban_record:contains('Strip deal B')",
            content: "Drag another deal to the won stage",
            run: "drag_and_drop (.o_opportunity_kanban .o_kanban_group:has(.o_column_title:contains('Won')))",
        },
        {
            trigger: ".o_reward_msg_content:contains('2 of 3 deals won this month — 1 to go')",
            content: "The win message again",
        },
        {
            trigger: `.o_kanban_view ${WON}:contains('2/3')`,
            content: "The strip follows without a reload",
        },
        {
            trigger: ".o_reward",
            content: "Close the message",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains('Strip deal C') .o-mail-ActivityButton",
            content: "Open the deal's planned call",
            run: "click",
        },
        {
            trigger: ".o-mail-ActivityListPopoverItem-markAsDone",
            content: "Mark it done",
            run: "click",
        },
        {
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
            content: "Done",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=result_id] .o_radio_item:contains('Taken to work') input",
            content: "The call reached the client",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary:contains('Log')",
            content: "Log it",
            run: "click",
        },
        {
            trigger: `.o_kanban_view ${CALLS}:contains('1/20')`,
            content: "The strip counts the call without a reload",
        },
        {
            trigger: ".o_switch_view.o_list",
            content: "Switch to the list",
            run: "click",
        },
        {
            trigger: `.o_list_view ${WON}:contains('2/3')`,
            content: "The list shows the strip too",
        },
        {
            trigger: ".o_list_view .o_sm_plan_item[data-metric=deals_won]",
            content: "Open the ledger rows behind the figure",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Strip deal B')",
            content: "The win is in the ledger",
        },
    ],
});
