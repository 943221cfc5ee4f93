/** Who is signed in: the user and the bearer token, kept in localStorage so a reload stays signed in. */
export interface Session {
  user: string;
  token: string;
  expiresAt: string;
}

const KEY = "pawkit-session";

export function loadSession(): Session | null {
  try {
    const session = JSON.parse(localStorage.getItem(KEY) ?? "null") as Session | null;
    // An expired token would only earn 401s: ask for a new one instead.
    if (session === null || Date.parse(session.expiresAt) <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

/** The stack's development sign-in (POST /dev/sign-in); throws the server's problem detail when refused. */
export async function signIn(user: string): Promise<Session> {
  const response = await fetch("/dev/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ user }),
  });
  const body = (await response.json().catch(() => null)) as (Session & { detail?: string }) | null;
  if (!response.ok || body === null) {
    throw new Error(body?.detail ?? `sign-in refused (${response.status})`);
  }
  return { user: body.user, token: body.token, expiresAt: body.expiresAt };
}
