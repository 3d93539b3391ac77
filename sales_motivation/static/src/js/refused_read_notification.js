/** @odoo-module **/
// A record the addon's rules refuse to read (a colleague's deal opened by its
// URL) is said in a notification that stays until closed, not in a dialog: the
// web client then shows the previous view again, and doing so closes every
// dialog (action_service's _updateUI calls dialog.closeAll), the message with
// it. The server marks these errors (ir.rule._make_access_error).
import { registry } from "@web/core/registry";
import { RPCError } from "@web/core/network/rpc";
import { UncaughtPromiseError } from "@web/core/errors/error_service";
import { _t } from "@web/core/l10n/translation";

export function refusedReadHandler(env, error, originalError) {
    if (
        !(error instanceof UncaughtPromiseError) ||
        !(originalError instanceof RPCError) ||
        !originalError.data?.context?.sm_refused_read
    ) {
        return false;
    }
    error.unhandledRejectionEvent.preventDefault();
    env.services.notification.add(originalError.data.message, {
        title: _t("Access refused"),
        type: "danger",
        sticky: true,
    });
    return true;
}

// before Odoo's rpcErrorHandler (sequence 97), which opens a dialog
registry
    .category("error_handlers")
    .add("smRefusedReadHandler", refusedReadHandler, { sequence: 96 });
