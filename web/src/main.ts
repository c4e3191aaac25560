import "./styles.css";
import { createApi } from "./api/clients.js";
import { checkoutConfigLoader } from "./api/checkout-config.js";
import type { AppContext } from "./app-context.js";
import { mountSessionBar } from "./components/session-bar.js";
import { askToSignIn } from "./components/sign-in-dialog.js";
import { createAdmissionStore, forgetAllAdmissions } from "./session/admission-store.js";
import { startRouter, type Navigator } from "./router.js";
import { createSession } from "./session/session.js";
import { adminView } from "./views/admin-view.js";
import { bookingView } from "./views/booking-view.js";
import { bookingsView } from "./views/bookings-view.js";
import { eventView } from "./views/event-view.js";
import { notFoundView } from "./views/not-found-view.js";
import { searchView } from "./views/search-view.js";

const session = createSession();
const api = createApi(session);
// Set once the router starts; pages only navigate after that.
let router: Navigator | undefined;
const app: AppContext = {
  api,
  session,
  admissions: createAdmissionStore(sessionStorage),
  get navigator() {
    return router!;
  },
  checkout: checkoutConfigLoader(),
  requireSignIn: (reason) => askToSignIn(session, reason),
};

mountSessionBar(document.getElementById("session-bar")!, session, () => void askToSignIn(session, "Sign in to reserve seats and see your bookings."));
router = startRouter(
  document.getElementById("main")!,
  [
    { path: /^\/$/, render: (_params, url) => searchView(app, url) },
    { path: /^\/event\/([^/]+)$/, render: ([eventId]) => eventView(app, eventId!) },
    { path: /^\/my-bookings$/, render: () => bookingsView(app) },
    { path: /^\/my-bookings\/([^/]+)$/, render: ([bookingId], url) => bookingView(app, bookingId!, url) },
    { path: /^\/admin$/, render: (_params, url) => adminView(app, url) },
  ],
  notFoundView,
);

// Signing out (here or in another tab) must not leave someone's bookings on screen.
session.onChange((signedIn) => {
  // Admissions were signed for the buyer who signed out; the next one queues for their own.
  if (!signedIn) forgetAllAdmissions(sessionStorage);
  if (!signedIn && location.pathname.startsWith("/my-bookings")) router?.navigate(location.pathname + location.search, { replace: true });
});
