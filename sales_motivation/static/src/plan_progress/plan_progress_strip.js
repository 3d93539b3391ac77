/** @odoo-module **/
// The progress strip above the pipeline: one item per target of the
// approved plans covering today, achieved/target, a bar coloured by pace,
// each opening the ledger rows behind it. The figures come from
// motivation.sales.target.sm_progress_strip(domain), for the domain the
// view shows; they are fetched again when the search changes, when the
// view's model reloads (its bus "update") and when a deal is saved or an
// activity logged there (PLAN_PROGRESS_EVENT on the env's bus).
import { Component, onWillStart, onWillUpdateProps, status as componentStatus, useState } from "@odoo/owl";
import { getCurrency } from "@web/core/currency";
import { _t } from "@web/core/l10n/translation";
import { localization } from "@web/core/l10n/localization";
import { useBus, useService } from "@web/core/utils/hooks";
import { humanNumber } from "@web/core/utils/numbers";
import { useDebounced } from "@web/core/utils/timing";

export const PLAN_PROGRESS_EVENT = "sales_motivation:plan_progress";

/** 120000 -> "120k", 1500 -> "1.5k", 42 -> "42" */
export function shortNumber(value) {
    const text = humanNumber(value || 0, { decimals: 1 });
    const zero = `${localization.decimalPoint}0`;
    return text.replace(new RegExp(`\\${zero}(?=\\D*$)`), "");
}

export class PlanProgressStrip extends Component {
    static template = "sales_motivation.PlanProgressStrip";
    static props = {
        domain: { type: Array },
        model: { type: Object, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ items: [], currencyId: false, userCount: 0 });
        this.domain = this.props.domain;
        this.sequence = 0;
        // cancelled when the strip goes (a pipeline left within 200 ms)
        this.refresh = useDebounced(() => this.load(), 200);
        // not awaited: the pipeline shows at once, the strip when it comes
        onWillStart(() => {
            this.load();
        });
        onWillUpdateProps((nextProps) => {
            if (JSON.stringify(nextProps.domain) !== JSON.stringify(this.domain)) {
                this.domain = nextProps.domain;
                this.load();
            }
        });
        if (this.props.model?.bus) {
            useBus(this.props.model.bus, "update", () => this.refresh());
        }
        useBus(this.env.bus, PLAN_PROGRESS_EVENT, () => this.refresh());
    }

    async load() {
        if (componentStatus(this) === "destroyed") {
            return; // a bus event reached a strip the pipeline already left
        }
        const sequence = ++this.sequence;
        const result = await this.orm.silent.call(
            "motivation.sales.target",
            "sm_progress_strip",
            [this.domain]
        );
        if (sequence !== this.sequence || componentStatus(this) === "destroyed") {
            return; // a later load is on its way, or nobody to show it to
        }
        Object.assign(this.state, {
            items: result.items,
            currencyId: result.currency_id,
            userCount: result.user_count,
        });
    }

    get title() {
        return this.state.userCount > 1
            ? _t("Plan progress of %s salespeople", this.state.userCount)
            : _t("Plan progress");
    }

    /** "42/60", "120k/200k €", "85%/90%" */
    figure(item) {
        const pair = (format) => `${format(item.achieved)}/${format(item.target)}`;
        if (item.unit === "percent") {
            return pair((value) => `${Math.round(value)}%`);
        }
        if (item.unit !== "amount") {
            return pair(shortNumber);
        }
        const currency = getCurrency(this.state.currencyId);
        const amounts = pair(shortNumber);
        if (!currency) {
            return amounts;
        }
        return currency.position === "after"
            ? `${amounts}\u00a0${currency.symbol}`
            : `${currency.symbol}\u00a0${amounts}`;
    }

    /** The share of the period gone by today (1 on its last day). */
    pace(item) {
        const day = 24 * 3600 * 1000;
        const start = Date.parse(item.date_from);
        const end = Date.parse(item.date_to) + day;
        const now = Date.now();
        return Math.min(1, Math.max(0, (now - start) / (end - start)));
    }

    status(item) {
        if (item.ratio >= 1) {
            return "success";
        }
        return item.ratio >= this.pace(item) ? "info" : "warning";
    }

    width(item) {
        return `${Math.min(100, Math.round(100 * item.ratio))}%`;
    }

    tooltip(item) {
        return _t("%(attainment)s of the target, %(from)s to %(to)s: open the ledger rows", {
            attainment: `${Math.round(100 * item.ratio)}%`,
            from: item.date_from,
            to: item.date_to,
        });
    }

    openLedger(item) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: item.label,
            res_model: "motivation.achievement",
            views: [
                [false, "list"],
                [false, "pivot"],
            ],
            domain: item.ledger_domain,
            context: { create: false },
            target: "current",
        });
    }
}
