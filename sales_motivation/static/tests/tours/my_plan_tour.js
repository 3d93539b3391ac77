/** @odoo-module **/
// My Plan and the leaderboard in the browser (tests/test_my_plan.py): a
// salesperson opens their plan (the target's progress, the bonus so far,
// what the next level needs, the ledger rows behind them); a team leader
// opens the leaderboard of their team.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const COMMISSIONS_APP = ".o_app[data-menu-xmlid='sales_motivation.sales_motivation_menu_root']";

function menu(xmlid) {
    return `.o_main_navbar [data-menu-xmlid='sales_motivation.${xmlid}']`;
}

const CARD = ".o_kanban_record:contains('Deals Won')";

registry.category("web_tour.tours").add("sales_motivation_my_plan", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: COMMISSIONS_APP,
            content: "Open Commissions: a salesperson lands on My Plan",
            run: "click",
        },
        {
            trigger: `${CARD}:contains('Tour plan') .o_progressbar_value:contains('1'):contains('2')`,
            content: "The target's progress: 1 of 2 deals won",
        },
        {
            trigger: `${CARD} .o_sm_my_plan_attainment:contains('50')`,
            content: "50 % attained",
        },
        {
            trigger: `${CARD} .o_sm_my_plan_bonus:contains('100.00')`,
            content: "The bonus so far: the 50 % level's",
        },
        {
            trigger: `${CARD} .o_sm_my_plan_next:contains('1 more for 100 %')`,
            content: "What the next level needs",
        },
        {
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('Tour Sara')))",
            content: "Only their own targets",
        },
        {
            trigger: `${CARD} .o_sm_my_plan_rows`,
            content: "Open the ledger rows behind the figure",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Deals Won'):contains('Tour Sam')",
            content: "The deal won, in the ledger",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Deals Registered')))",
            content: "only the target's metric",
        },
    ],
});

registry.category("web_tour.tours").add("sales_motivation_leaderboard", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: COMMISSIONS_APP,
            content: "Open Commissions",
            run: "click",
        },
        {
            trigger: menu("motivation_leaderboard_menu"),
            content: "Leaderboard",
            run: "click",
        },
        {
            // each team's ranking opens unfolded (the list's expand)
            trigger: ".o_list_view .o_group_header.o_group_open:contains('Tour East')",
            content: "The team's board, unfolded",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Sara'):contains('100') td[name=rank]:contains('1')",
            content: "Sara first, at 100 %",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Sam'):contains('50') td[name=rank]:contains('2')",
            content: "Sam second, at 50 %",
        },
    ],
});
