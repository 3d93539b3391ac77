/** @odoo-module **/
// What the sales team sees (tests/test_sales_screens.py): the pipeline card
// and the deal form of a salesperson, registering a deal, a stage refused
// for a missing checkpoint, the shared pool (a colleague claims a released
// deal), the team leader's pipeline and waiving, the stage bar in Russian.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const ISO_DATE = /\d{4}-\d{2}-\d{2}/;

function noIsoDate(what) {
    return function () {
        const text = this.anchor.textContent;
        if (ISO_DATE.test(text)) {
            throw new Error(`${what} shows an ISO date: ${text}`);
        }
    };
}

function stageBarUnfolded() {
    // the stage bar folds stages it has no room for into "..." dropdowns
    const bar = this.anchor;
    const hidden = bar.querySelectorAll(".o_arrow_button:not(.dropdown-toggle).d-none");
    const toggles = [...bar.querySelectorAll(".dropdown-toggle")].filter(
        (el) => !el.classList.contains("d-none")
    );
    if (hidden.length || toggles.length) {
        throw new Error(
            `The stage bar folds ${hidden.length} stages (${toggles.length} dropdowns shown)`
        );
    }
}

registry.category("web_tour.tours").add("sales_motivation_pipeline", {
    steps: () => [
        {
            trigger:
                ".o_kanban_record:contains('Screen deal') .o_sm_checkpoint_progress:contains('1/3, next: Commercial proposal by')",
            content: "The card shows the checkpoints done and the next one",
            run: noIsoDate("The checkpoint progress"),
        },
        {
            trigger: ".o_kanban_record:contains('Screen deal') .o_sm_quality:contains('%')",
            content: "and the deal's data quality",
        },
        {
            trigger: ".o_kanban_record:contains('Screen deal'):not(:has(.o_sm_pool_marker))",
            content: "not in the pool",
        },
        {
            trigger: ".o_kanban_record:contains('Screen deal') .o_sm_kanban_status",
            content: "Open the deal",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_sm_checkpoint_strip:contains('Presentation')",
            content: "The strip shows each checkpoint with its date",
            run: noIsoDate("The checkpoint strip"),
        },
        {
            trigger: ".o_form_view .o-form-buttonbox button[name=action_sm_log_interaction]",
            content: "Logging an interaction is a smart button",
        },
        {
            trigger: ".o_form_view .o_statusbar_status",
            content: "The stage bar keeps every stage",
            run: stageBarUnfolded,
        },
        {
            trigger: ".o_form_view:not(:has(.o_statusbar_buttons button:contains('Release to Pool')))",
            content: "No release button in the header",
        },
        {
            trigger: ".o_form_view:not(:has(.o_field_widget[name=sm_last_touch_date]))",
            content: "No last interaction without an interaction",
        },
        {
            trigger: ".o_form_view .o_cp_action_menus i.fa-cog",
            content: "Open the action menu",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o_menu_item:contains('Release to Pool')",
            content: "Release to the pool",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] input",
            content: "Say why",
            run: "edit Client asked for another manager",
        },
        {
            trigger: ".modal button[name=action_release]",
            content: "Release",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Screen deal is in the shared pool of East')",
            content: "A notification says where the deal went",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_claim]",
            content: "The form reloads: the deal is in the pool",
        },
    ],
});

registry.category("web_tour.tours").add("sales_motivation_pool", {
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Pool lead') .o_sm_pool_reason:contains('Client on holiday')",
            content: "The pool card says why the deal is in the pool",
        },
        {
            trigger: ".o_kanban_record:contains('Pool lead') .o_sm_pool_age:contains('2 days')",
            content: "and for how long",
        },
        {
            trigger: ".o_kanban_record:contains('Pool lead'):not(:has(.o_field_widget[name=expected_revenue]))",
            content: "no value when it has none",
            run: noIsoDate("The pool card"),
        },
        {
            trigger: ".o_kanban_record:contains('Pool lead') button[name=action_claim]",
            content: "Claim it",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Pool lead is yours, in your pipeline.')",
            content: "A notification confirms the claim",
        },
        {
            trigger: ".o_view_nocontent:contains('The shared pool of your teams is empty')",
            content: "The empty pool shows its help",
        },
    ],
});

registry.category("web_tour.tours").add("sales_motivation_team_pipeline", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            content: "Open the CRM",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains('Team Pipeline')",
            content: "A team leader lands on the team pipeline",
        },
        {
            trigger: ".o_searchview .o_facet_value:contains('My Teams')",
            content: "filtered on the teams they lead",
        },
        {
            trigger: ".o_kanban_group .o_kanban_record:contains('Fresh deal')",
            content: "with their salespeople's deals",
        },
        {
            trigger: ".o_kanban_group:has(.o_kanban_record:contains('Late deal'))",
            content: "overdue deals first",
            run() {
                const first = this.anchor.querySelector(".o_kanban_record");
                if (!first.textContent.includes("Late deal")) {
                    throw new Error(`The first deal is not the overdue one: ${first.textContent}`);
                }
            },
        },
        {
            trigger: ".o_kanban_record:contains('Late deal') .badge:contains('overdue since')",
            content: "with the overdue badge",
            run: noIsoDate("The overdue badge"),
        },
        {
            trigger: ".o_kanban_record:contains('Late deal') .o_sm_kanban_status",
            content: "Open the late deal",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook a[name=sales_motivation_checkpoints]",
            content: "Its checkpoints",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=sm_checkpoint_ids] .o_data_row:contains('Presentation') .o_field_widget[name=state]:contains('Overdue')",
            content: "The presentation is overdue",
        },
        {
            trigger:
                ".o_field_widget[name=sm_checkpoint_ids] .o_data_row:contains('Presentation') button:has(.fa-ban)",
            content: "Waive it",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] input",
            content: "Say why",
            run: "edit Client saw the product at the fair",
        },
        {
            trigger: ".modal button[name=action_waive]",
            content: "Waive",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=sm_checkpoint_ids] .o_data_row:contains('Presentation') .o_field_widget[name=state]:contains('Waived')",
            content: "The presentation is waived",
        },
        {
            trigger: ".o_form_view .o_sm_checkpoint_strip:not(:contains('overdue'))",
            content: "and the strip no longer says overdue",
        },
    ],
});

// A salesperson registers a deal from the pipeline: it is theirs, they are
// its registrar, its checkpoints are planned.
registry.category("web_tour.tours").add("sales_motivation_register_deal", {
    steps: () => [
        {
            trigger: ".o_control_panel .o-kanban-button-new",
            content: "New deal",
            run: "click",
        },
        {
            trigger: ".o_kanban_quick_create .o_field_widget[name=name] input",
            content: "Name it",
            run: "edit Tour registration",
        },
        {
            trigger: ".o_kanban_quick_create .o_kanban_add",
            content: "Add it",
            run: "click",
        },
        {
            trigger:
                ".o_kanban_record:contains('Tour registration') .o_sm_checkpoint_progress:contains('0/3, next: Presentation by')",
            content: "The deal is on the pipeline, its first checkpoint due",
            run: noIsoDate("The checkpoint progress"),
        },
        {
            trigger: ".o_kanban_record:contains('Tour registration') .o_sm_kanban_status",
            content: "Open it",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] textarea:value('Tour registration')",
            content: "The deal's form",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=registrar_id]:contains('Sam')",
            content: "Sam registered it",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=user_id] input:value('Sam')",
            content: "and holds it",
        },
        {
            trigger: ".o_form_view .o_sm_checkpoint_strip:contains('Presentation')",
            content: "The strip shows its checkpoints",
        },
    ],
});

// A salesperson moves a deal to a stage whose checkpoint is not done: the
// dialog says which one, the deal keeps its stage.
registry.category("web_tour.tours").add("sales_motivation_stage_refused", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('New')",
            content: "The deal is new",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button:contains('Proposition')",
            content: "Move it to Proposition",
            run: "click",
        },
        {
            trigger:
                ".modal:contains('Proposition needs these checkpoints done (or waived by a team leader) first'):contains('Gated deal: Commercial proposal')",
            content: "Refused: the dialog names the missing checkpoint",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            content: "Close it",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_button_cancel",
            content: "Discard the change",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('New')",
            content: "The deal is still new",
        },
    ],
});

// A colleague claims the deal a salesperson released: the pool card says
// why it is there; after the claim it is in the colleague's pipeline.
registry.category("web_tour.tours").add("sales_motivation_claim_released", {
    steps: () => [
        {
            trigger:
                ".o_kanban_record:contains('Screen deal') .o_sm_pool_reason:contains('Client asked for another manager')",
            content: "The released deal is in the pool, with its reason",
        },
        {
            trigger: ".o_kanban_record:contains('Screen deal') button[name=action_claim]",
            content: "Claim it",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Screen deal is yours, in your pipeline.')",
            content: "A notification confirms the claim",
        },
        {
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('Screen deal')))",
            content: "The deal has left the pool",
        },
    ],
});

registry.category("web_tour.tours").add("sales_motivation_form_ru", {
    steps: () => [
        {
            trigger: ".o_form_view .o-mail-Chatter",
            content: "The deal form is loaded",
        },
        {
            trigger: ".o_form_view .o-form-buttonbox button[name=action_sm_log_interaction]",
            content: "The smart buttons are there",
        },
        {
            trigger: ".o_form_view .o_statusbar_status",
            content: "In Russian, the stage bar keeps every stage",
            run: stageBarUnfolded,
        },
    ],
});
