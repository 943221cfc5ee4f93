import { PawkitSync } from "../src/index.js";
import { CardsView } from "./cards-view.js";
import { conflictDialog } from "./conflict-dialog.js";
import { el, field } from "./dom.js";
import { type Session, clearSession, loadSession, saveSession, signIn } from "./session.js";

// The app: the development sign-in, then the cards of that user, synced by @pawkit/sync.
const root = document.getElementById("app")!;

const session = loadSession();
if (session === null) showSignIn();
else void showCards(session);

function showSignIn(): void {
  const user = el("input", { name: "user", autocomplete: "username", required: true, maxlength: "100" });
  const submit = el("button", { type: "submit", class: "primary" }, "Sign in");
  const alert = el("p", { role: "alert" });
  const form = el("form", { "aria-label": "Sign in" }, field("User", user), submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    alert.textContent = "";
    try {
      saveSession(await signIn(user.value));
      location.reload();
    } catch (e) {
      alert.textContent = e instanceof Error ? e.message : String(e);
      submit.disabled = false;
    }
  });
  root.replaceChildren(
    el("h1", {}, "Pawkit"),
    el("p", {}, "Development sign-in: works only on a local stack running with the development secret."),
    form,
    alert,
  );
  user.focus();
}

async function showCards(current: Session): Promise<void> {
  const sync = await PawkitSync.open({
    baseUrl: "",
    token: () => current.token,
    // One database per user: another user signing in on this browser never sees these cards.
    databaseName: `pawkit-sync-${current.user}`,
    resolver: conflictDialog(),
  });
  new CardsView(sync, root, current.user, () => {
    sync.close();
    clearSession();
    location.reload();
  });
  sync.start();
}
