/** @odoo-module **/
// A salesperson marks a call done from the deal's chatter: the interaction
// form opens prefilled, one click on the result, Log.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_motivation_log_call", {
    steps: () => [
        {
            trigger: ".o-mail-Activity:contains('Ask about the order') .o-mail-Activity-markDone",
            content: "Mark the call done",
            run: "click",
        },
        {
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
            content: "Done",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=contact_phone] input:value('+1 555 0142')",
            content: "The contact's phone is prefilled",
        },
        {
            trigger: ".modal .o_field_widget[name=result_id] .o_radio_item:contains('Taken to work') input",
            content: "Pick the result",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary:contains('Log')",
            content: "Log it",
            run: "click",
        },
        {
            trigger: ".o-mail-Message:contains('Taken to work')",
            content: "The call is in the chatter",
        },
        {
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity:contains('Ask about the order')))",
            content: "and the activity is done",
        },
    ],
});
