/** @odoo-module **/
// The agent's flow in the portal, and the team leader's review.
import { registry } from "@web/core/registry";

// A dealer's employee registers a deal.
registry.category("web_tour.tours").add("sales_motivation_agent_register", {
    steps: () => [
        {
            trigger: "a.o_sm_register",
            content: "Register a deal",
            run: "click",
        },
        { trigger: "input[name=client]", content: "The client", run: "edit Tour Client" },
        { trigger: "input[name=contact]", content: "The contact", run: "edit Tina Tour" },
        { trigger: "input[name=email]", content: "An e-mail", run: "edit tina@tour.example.com" },
        { trigger: "textarea[name=need]", content: "The need", run: "edit Twelve pumps" },
        {
            trigger: ".o_sm_registration_form button[type=submit]",
            content: "Register",
            run: "click",
        },
        {
            trigger: ".o_sm_outcome:contains('Pending review')",
            content: "Registered, waiting for the team leader",
        },
        {
            trigger: ".o_sm_need:contains('Twelve pumps')",
            content: "The need as registered",
        },
    ],
});

// The team leader accepts it: the salesperson is set first.
registry.category("web_tour.tours").add("sales_motivation_registration_review", {
    steps: () => [
        {
            trigger: ".o_data_row td:contains('Tour Client')",
            content: "The registration to review",
            run: "click",
        },
        {
            trigger: ".o_form_view .alert-info:contains('An agent registered this deal')",
            content: "The form says what to do",
        },
        {
            trigger: ".o_field_widget[name=user_id] input",
            content: "A salesperson",
            run: "edit Tour Sam",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Sam')",
            content: "picked",
            run: "click",
        },
        {
            trigger: "button[name=action_sm_accept_registration]",
            content: "Accept",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(button[name=action_sm_accept_registration]))",
            content: "Accepted: nothing left to review",
        },
    ],
});

// The agent sees it accepted, reads the salesperson's message meant for
// them and answers.
registry.category("web_tour.tours").add("sales_motivation_agent_accepted", {
    steps: () => [
        {
            trigger: ".o_sm_registration_row:contains('Tour Client') .o_sm_outcome:contains('Accepted')",
            content: "The registration is accepted",
        },
        {
            trigger: ".o_sm_registration_row a:contains('Tour Client')",
            content: "Open it",
            run: "click",
        },
        {
            trigger: ".o_sm_message:contains('Tour Sam') .o_sm_message_body:contains('Call me about the pumps')",
            content: "The salesperson's message meant for the agent",
        },
        {
            trigger: ".o_sm_messages:not(:contains('Internal tour note'))",
            content: "The salesperson's internal note is not shown",
        },
        {
            trigger: "textarea[name=message]",
            content: "Answer",
            run: "edit Tomorrow at ten",
        },
        {
            trigger: ".o_sm_message_form button[type=submit]",
            content: "Send",
            run: "click",
        },
        {
            trigger: ".o_sm_message_mine .o_sm_message_body:contains('Tomorrow at ten')",
            content: "The answer is on the registration",
        },
    ],
});

// The agent sees it won, and downloads the statement.
registry.category("web_tour.tours").add("sales_motivation_agent_follow", {
    steps: () => [
        {
            trigger: ".o_sm_registration_row:contains('Tour Client') .o_sm_outcome:contains('Won')",
            content: "The registration is won",
        },
        {
            trigger: ".o_sm_registration_row a:contains('Tour Client')",
            content: "Open it",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_sm_outcome:contains('Won')",
            content: "Won",
        },
        {
            trigger: ".o_portal_submenu a[href='/my/home']",
            content: "Back to the portal",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "a[href='/my/commission']",
            content: "Commission",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_sm_commission_row:contains('Tour Client')",
            content: "The registrar share of the deal",
        },
        {
            trigger: "a.o_sm_statement_download",
            content: "Download the statement",
            async run() {
                const link = document.querySelector("a.o_sm_statement_download");
                const response = await fetch(link.href);
                if (!response.ok) {
                    throw new Error(`The statement did not download: ${response.status}`);
                }
                document.body.classList.add("o_sm_statement_downloaded");
            },
        },
        {
            trigger: "body.o_sm_statement_downloaded",
            content: "Downloaded",
        },
    ],
});
