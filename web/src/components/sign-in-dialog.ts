import { h } from "../dom.js";
import type { Session } from "../session/session.js";

/**
 * Development sign-in in a modal dialog: any user name gets a token from POST /auth/token.
 * Resolves true once signed in, false when the buyer cancels.
 */
export function askToSignIn(session: Session, reason: string): Promise<boolean> {
  return new Promise((resolve) => {
    const input = h("input", { id: "sign-in-name", name: "username", autocomplete: "username", required: true, pattern: "[A-Za-z0-9._@-]{1,64}", maxlength: 64, "aria-describedby": "sign-in-hint sign-in-error" });
    const error = h("p", { id: "sign-in-error", class: "field-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "button primary" }, "Sign in");
    const organiser = h("input", { id: "sign-in-admin", type: "checkbox", name: "admin" });
    let signedIn = false;
    const dialog = h(
      "dialog",
      { class: "sign-in-dialog", "aria-labelledby": "sign-in-title" },
      h(
        "form",
        {
          onsubmit: async (event: SubmitEvent) => {
            event.preventDefault();
            submit.disabled = true;
            error.textContent = "";
            try {
              await session.signIn(input.value.trim(), organiser.checked ? ["buyer", "admin"] : undefined);
              signedIn = true;
              dialog.close();
            } catch (failure) {
              error.textContent = (failure as Error).message;
              input.setAttribute("aria-invalid", "true");
              input.focus();
            } finally {
              submit.disabled = false;
            }
          },
        },
        h("h2", { id: "sign-in-title" }, "Sign in"),
        h("p", {}, reason),
        h(
          "div",
          { class: "field" },
          h("label", { for: "sign-in-name" }, "User name"),
          input,
          h("small", { id: "sign-in-hint" }, "Development sign-in: pick any name (letters, digits, . _ @ -)."),
          error,
        ),
        h("div", { class: "field field-check" }, organiser, h("label", { for: "sign-in-admin" }, "Organiser (admin role): cancel events and refund bookings")),
        h("div", { class: "button-row" }, submit, h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel")),
      ),
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(signedIn);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
