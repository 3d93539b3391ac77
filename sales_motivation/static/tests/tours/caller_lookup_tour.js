/** @odoo-module **/
// A salesperson answers a call from the pipeline: a colleague's client shows
// only who holds it (notified in one click); their own client shows what
// every salesperson said before.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_motivation_caller_lookup", {
    steps: () => [
        {
            trigger: ".o_control_panel button.o_sm_caller_lookup_button",
            content: "Who is calling?",
            run: "click",
        },
        {
            trigger: ".modal .o_sm_caller_query_input input",
            content: "The caller's number, as they give it",
            run: "edit +7 (912) 777 11 22",
        },
        {
            trigger: ".modal .modal-title",
            content: "Look it up",
            run: "click",
        },
        {
            trigger: ".modal .o_sm_caller_summary:contains('held by Will')",
            content: "A colleague's client: only who holds it",
        },
        {
            trigger: ".modal:not(:has(.o_sm_caller_history)):not(:contains('Western Mills'))",
            content: "Nothing of the colleague's client",
        },
        {
            trigger: ".modal button[name='action_sm_notify_holder']",
            content: "Notify the holder",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Will was notified')",
            content: "Will is told",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "The lookup is closed",
        },
        {
            trigger: ".o_control_panel button.o_sm_caller_lookup_button",
            content: "Another call",
            run: "click",
        },
        {
            trigger: ".modal .o_sm_caller_query_input input",
            content: "One's own client's number",
            run: "edit 8 912 345 67 89",
        },
        {
            trigger: ".modal .modal-title",
            content: "Look it up",
            run: "click",
        },
        {
            trigger: ".modal .o_sm_caller_summary:contains('Hardware Store: your client')",
            content: "One's own client",
        },
        {
            trigger: ".modal .o_sm_caller_history:contains('Sara called about delivery')",
            content: "and what every salesperson said before",
        },
        {
            trigger: ".modal .modal-footer button[special='cancel']",
            content: "Close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "Back to the pipeline",
        },
    ],
});
