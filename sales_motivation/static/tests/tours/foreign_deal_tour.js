/** @odoo-module **/
// A salesperson opens a colleague's deal by its URL: a dialog says why it
// cannot be opened, and closing it leaves the pipeline.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_motivation_foreign_deal", {
    steps: () => [
        {
            trigger: ".modal:contains('You cannot open this deal')",
            content: "The deal cannot be opened, and the dialog says why",
        },
        {
            trigger: ".modal .modal-footer button",
            content: "Close the dialog",
            run: "click",
        },
        {
            trigger: ".o_action_manager .o_view_controller:not(:has(.modal))",
            content: "Back on a view of the CRM",
        },
    ],
});
