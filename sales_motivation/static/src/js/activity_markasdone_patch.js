/** @odoo-module **/
// Calls and meetings with clients are marked done by logging the interaction
// (contact, phone or e-mail, topic, result, direction): the activity's Done
// buttons open that form instead, prefilled from the deal or client.
import { ActivityMarkAsDone } from "@mail/core/web/activity_markasdone_popover";
import { patch } from "@web/core/utils/patch";

patch(ActivityMarkAsDone.prototype, {
    async _smLogInteraction() {
        const activity = this.props.activity;
        const feedback = this.textArea?.el?.value || false;
        const action = await this.env.services.orm.call(
            "mail.activity",
            "action_sm_log_interaction",
            [[activity.id]],
            { feedback }
        );
        if (!action) {
            return false;
        }
        const thread = this.env.services["mail.store"].Thread.insert({
            model: activity.res_model,
            id: activity.res_id,
        });
        this.props.close?.();
        await this.env.services.action.doAction(action, {
            onClose: async () => {
                this.props.onActivityChanged(thread);
                await thread.fetchNewMessages();
            },
        });
        return true;
    },

    async onClickDone() {
        if (!(await this._smLogInteraction())) {
            return super.onClickDone(...arguments);
        }
    },

    async onClickDoneAndScheduleNext() {
        if (!(await this._smLogInteraction())) {
            return super.onClickDoneAndScheduleNext(...arguments);
        }
    },
});
