/** @odoo-module **/
// An activity marked done from a pipeline card (a call logged through the
// interaction form) tells the progress strip, which fetches its figures again.
import { ActivityButton } from "@mail/core/web/activity_button";
import { patch } from "@web/core/utils/patch";
import { PLAN_PROGRESS_EVENT } from "./plan_progress_strip";

patch(ActivityButton.prototype, {
    onActivityChanged() {
        super.onActivityChanged(...arguments);
        this.env.bus.trigger(PLAN_PROGRESS_EVENT, {});
    },
});
