/** @odoo-module **/
// A team leader opens a registration flagged a duplicate: the banner names
// who held the client; the leader confirms the registration.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_motivation_duplicate_confirm", {
    steps: () => [
        {
            trigger: ".o_form_view .alert-warning:contains('Duplicate registration.'):contains('Sam')",
            content: "The banner names who held the client",
        },
        {
            trigger: ".o_form_view .alert-warning:contains('Earlier deal:')",
            content: "The leader sees the earlier deal",
        },
        {
            trigger: "button[name='action_sm_confirm_registration']",
            content: "Confirm the registration",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            content: "Yes: its registrar share is paid",
            run: "click",
        },
        {
            trigger: ".o_form_view .alert-info:contains('Registration confirmed by a team leader')",
            content: "The deal shows the registration confirmed",
        },
    ],
});
