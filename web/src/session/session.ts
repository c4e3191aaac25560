/** Who is signed in on this browser, and the bearer token the booking calls carry. */
export interface SignedIn {
  userId: string;
  token: string;
  /** What the token allows ("buyer", "admin"): the page offers the organiser's tools to admins only; the services check again. */
  roles: string[];
}

export interface Session {
  current(): SignedIn | undefined;
  /** Dev mode: POST /auth/token with a user name (and the admin role for an organiser). Throws with a readable message. */
  signIn(userId: string, roles?: string[]): Promise<SignedIn>;
  signOut(): void;
  onChange(listener: (signedIn: SignedIn | undefined) => void): void;
}

const STORAGE_KEY = "boxoffice.session";

export function createSession(storage: Storage = localStorage): Session {
  let signedIn = read(storage);
  const listeners = new Set<(signedIn: SignedIn | undefined) => void>();
  const set = (next: SignedIn | undefined) => {
    signedIn = next;
    if (next) storage.setItem(STORAGE_KEY, JSON.stringify(next));
    else storage.removeItem(STORAGE_KEY);
    for (const listener of listeners) listener(next);
  };
  // Signing in or out in another tab applies here too.
  window.addEventListener("storage", (event) => {
    if (event.key === STORAGE_KEY) {
      signedIn = read(storage);
      for (const listener of listeners) listener(signedIn);
    }
  });

  return {
    current: () => signedIn,
    async signIn(userId, roles) {
      const response = await fetch("/auth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(roles ? { userId, roles } : { userId }),
      });
      const body = (await response.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
      if (response.status === 404) throw new Error("This server does not offer development sign-in (it uses an identity provider).");
      if (!response.ok || !body.token) throw new Error(body.error?.message ?? `Sign-in failed (HTTP ${response.status}).`);
      const next = { userId, token: body.token, roles: rolesOf(body.token) };
      set(next);
      return next;
    },
    signOut: () => set(undefined),
    onChange: (listener) => void listeners.add(listener),
  };
}

function read(storage: Storage): SignedIn | undefined {
  try {
    const value = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null") as Partial<SignedIn> | null;
    return value?.userId && value.token ? { userId: value.userId, token: value.token, roles: rolesOf(value.token) } : undefined;
  } catch {
    return undefined;
  }
}

/** The roles claim of a JWT, read (not verified: the services verify) to choose what the page offers. */
export function rolesOf(token: string): string[] {
  try {
    const payload = token.split(".")[1] ?? "";
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === "string") : [];
  } catch {
    return [];
  }
}

export const isAdmin = (signedIn: SignedIn | undefined) => signedIn?.roles.includes("admin") === true;
