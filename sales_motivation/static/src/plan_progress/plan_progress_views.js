/** @odoo-module **/
// The pipeline's kanban (crm's own, crm_kanban) and list with the progress
// strip above their renderer. A deal saved there (moved to the won stage,
// edited in the list) tells the strip, which fetches its figures again.
import { crmKanbanView } from "@crm/views/crm_kanban/crm_kanban_view";
import { registry } from "@web/core/registry";
import { listView } from "@web/views/list/list_view";
import { PlanProgressStrip, PLAN_PROGRESS_EVENT } from "./plan_progress_strip";

export class PlanProgressKanbanController extends crmKanbanView.Controller {
    onRecordSaved(record) {
        const result = super.onRecordSaved(...arguments);
        this.env.bus.trigger(PLAN_PROGRESS_EVENT, { record });
        return result;
    }
}

export class PlanProgressKanbanRenderer extends crmKanbanView.Renderer {
    static template = "sales_motivation.PlanProgressKanbanRenderer";
    static components = { ...crmKanbanView.Renderer.components, PlanProgressStrip };
}

export const planProgressKanbanView = {
    ...crmKanbanView,
    Controller: PlanProgressKanbanController,
    Renderer: PlanProgressKanbanRenderer,
};

export class PlanProgressListController extends listView.Controller {
    async onRecordSaved(record) {
        const result = await super.onRecordSaved(...arguments);
        this.env.bus.trigger(PLAN_PROGRESS_EVENT, { record });
        return result;
    }
}

export class PlanProgressListRenderer extends listView.Renderer {
    static template = "sales_motivation.PlanProgressListRenderer";
    static components = { ...listView.Renderer.components, PlanProgressStrip };
}

export const planProgressListView = {
    ...listView,
    Controller: PlanProgressListController,
    Renderer: PlanProgressListRenderer,
};

registry.category("views").add("sm_plan_progress_kanban", planProgressKanbanView);
registry.category("views").add("sm_plan_progress_list", planProgressListView);
