import { h } from "../dom.js";
import { isAdmin, type Session } from "../session/session.js";

/** "Signed in as alice · Sign out", or a Sign in button; follows the session. */
export function mountSessionBar(container: HTMLElement, session: Session, signIn: () => void): void {
  const render = () => {
    const signedIn = session.current();
    container.replaceChildren(
      ...(signedIn
        ? [
            ...(isAdmin(signedIn) ? [h("a", { href: "/admin", class: "session-admin" }, "Organiser")] : []),
            h("span", { class: "session-user" }, "Signed in as ", h("strong", {}, signedIn.userId)),
            h("button", { type: "button", class: "button link-button", onclick: () => session.signOut() }, "Sign out"),
          ]
        : [h("button", { type: "button", class: "button link-button", onclick: signIn }, "Sign in")]),
    );
  };
  session.onChange(render);
  render();
}
