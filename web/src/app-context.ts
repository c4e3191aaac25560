import type { Api } from "./api/clients.js";
import type { Navigator } from "./router.js";
import type { Session } from "./session/session.js";

/** What every page may use: the API, the session, navigation, and the sign-in prompt. */
export interface AppContext {
  api: Api;
  session: Session;
  navigator: Navigator;
  /** Asks the buyer to sign in; resolves false when they cancel. */
  requireSignIn(reason: string): Promise<boolean>;
}
