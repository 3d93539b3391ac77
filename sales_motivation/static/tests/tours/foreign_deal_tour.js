/** @odoo-module **/
// A salesperson opens a colleague's deal by its URL: a notification says why it
// cannot be opened, and stays while the pipeline is shown again.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_motivation_foreign_deal", {
    steps: () => [
        {
            trigger: ".o_action_manager .o_kanban_view",
            content: "Back on the pipeline",
        },
        {
            trigger: ".o_notification:has(.bg-danger):contains('You cannot open this deal')",
            content: "The deal cannot be opened, and the notification says why",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "No dialog is left to close",
        },
    ],
});
