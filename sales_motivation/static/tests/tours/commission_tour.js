/** @odoo-module **/
// Commission in the browser (tests/test_settlement.py): a salesperson opens
// their commission; a commission administrator settles a month, confirms a
// statement and prints it.
import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";
import { downloadReport } from "@web/webclient/actions/reports/utils";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const COMMISSIONS_APP = ".o_app[data-menu-xmlid='sales_motivation.sales_motivation_menu_root']";

function menu(xmlid) {
    return `.o_main_navbar [data-menu-xmlid='sales_motivation.${xmlid}']`;
}

/**
 * The next report download is fetched here instead of saved by the browser
 * (the tours' Chromium denies downloads): its status and text are put in a
 * visible element for the next step to check. wkhtmltopdf is taken as
 * installed, as `make run` installs it: the web client then asks
 * /report/download for the PDF, the request a user's click makes (under
 * tests, Odoo renders its HTML).
 */
function catchNextDownload() {
    downloadReport.wkhtmltopdfStatusProm = Promise.resolve("ok");
    const original = download._download;
    download._download = async (options) => {
        download._download = original;
        const data = new FormData();
        for (const [key, value] of Object.entries(options.data)) {
            data.append(key, value);
        }
        data.append("token", "dummy-because-api-expects-one");
        data.append("csrf_token", odoo.csrf_token);
        const response = await fetch(options.url, { method: "POST", body: data });
        const body = await response.text();
        const caught = document.createElement("div");
        caught.className = "o_sm_caught_download position-fixed bottom-0 start-0 bg-white";
        caught.dataset.status = String(response.status);
        caught.dataset.disposition = response.headers.get("Content-Disposition") || "";
        caught.textContent = new DOMParser().parseFromString(body, "text/html").body.textContent;
        document.body.appendChild(caught);
    };
}

registry.category("web_tour.tours").add("sales_motivation_my_commission", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: COMMISSIONS_APP,
            content: "Open Commissions",
            run: "click",
        },
        {
            trigger: menu("motivation_commission_line_menu"),
            content: "My Commission",
            run: "click",
        },
        {
            trigger:
                ".o_list_view .o_data_row:contains('Commission deal'):contains('Registrar'):contains('5,000.00')",
            content: "Sam's registrar share of the deal he registered",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('10,000.00')))",
            content: "not the closer's share, which is Sara's",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Commission deal') td[name=lead_id]",
            content: "Open the line",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Approved')",
            content: "The line is approved",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=amount]:contains('5,000.00')",
            content: "for 5,000",
        },
    ],
});

registry.category("web_tour.tours").add("sales_motivation_settle_and_print", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: COMMISSIONS_APP,
            content: "Open Commissions",
            run: "click",
        },
        {
            trigger: menu("motivation_settlement_wizard_menu"),
            content: "Settle Commission",
            run: "click",
        },
        {
            trigger:
                ".modal .alert-info:contains('2 approved commission lines of 2 beneficiaries are settled')",
            content: "The wizard says what settling the month does",
        },
        {
            trigger: ".modal button[name=action_settle]",
            content: "Settle",
            run: "click",
        },
        {
            trigger:
                ".o_notification:contains('2 approved commission lines settled in 2 draft settlements')",
            content: "A notification says what was done",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Sam'):contains('Draft') td[name=partner_id]",
            content: "The new settlements are listed: open Sam's",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_confirm]",
            content: "Confirm it",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Confirmed')",
            content: "Confirmed",
        },
        {
            trigger: ".o_form_view button[name=action_print_statement]",
            content: "Print the statement",
            run(helpers) {
                catchNextDownload();
                return helpers.click();
            },
        },
        {
            trigger:
                ".o_sm_caught_download[data-status='200'][data-disposition*='Commission%20statement']:contains('Commission statement'):contains('Sam'):contains('5,000.00')",
            content: "The statement is downloaded: Sam's, for 5,000",
        },
        {
            trigger: "body:not(:has(.o_error_dialog))",
            content: "without any error",
        },
    ],
});
