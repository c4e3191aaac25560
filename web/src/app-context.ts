import type { Api } from "./api/clients.js";
import type { CheckoutConfig } from "./api/checkout-config.js";
import type { AdmissionStore } from "./session/admission-store.js";
import type { Navigator } from "./router.js";
import type { Session } from "./session/session.js";

/** What every page may use: the API, the session, navigation, and the sign-in prompt. */
export interface AppContext {
  api: Api;
  session: Session;
  navigator: Navigator;
  /** Admissions to high-demand events, which reserve and confirm carry. */
  admissions: AdmissionStore;
  /** How this deployment takes payment (the edge's GET /payments/config), read once. */
  checkout(): Promise<CheckoutConfig>;
  /** Asks the buyer to sign in; resolves false when they cancel. */
  requireSignIn(reason: string): Promise<boolean>;
}
