import {
  type CardFields,
  type Conflict,
  type ConflictResolver,
  type EditableField,
  type Resolution,
  applyPatch,
  fieldsOf,
  mergePatch,
  sameValue,
} from "../src/index.js";
import { el } from "./dom.js";

const SHOWN: EditableField[] = ["title", "url", "notes", "content", "tags", "collections", "pinned", "description"];

/**
 * The library's resolver as a dialog: both versions side by side, and the user's choice. Conflicts
 * come one at a time (each waits for the dialog before it), and the dialog cannot be dismissed
 * without a choice, so a change is never dropped by closing it. Every tab of the user shows it;
 * once one of them has chosen, the library aborts the others' `signal` and their dialogs close.
 */
export function conflictDialog(): ConflictResolver {
  let previous: Promise<unknown> = Promise.resolve();
  return (conflict, context) => {
    const next = previous.then(() => {
      if (context?.signal.aborted) throw new Error("decided in another tab");
      return ask(conflict, context?.signal);
    });
    previous = next.catch(() => undefined);
    return next;
  };
}

function ask(conflict: Conflict, signal?: AbortSignal): Promise<Resolution> {
  const theirs = fieldsOf(conflict.theirs);
  const base = conflict.base ?? theirs;
  const mine: CardFields | null = conflict.mine === null ? null : applyPatch(base, conflict.mine);
  const dialog = el("dialog", { "aria-labelledby": "conflict-title", "aria-describedby": "conflict-help" });
  const chosen = new Promise<Resolution>((resolve, reject) => {
    const button = (label: string, resolution: () => Promise<Resolution> | Resolution) => {
      const b = el("button", { type: "button" }, label);
      b.addEventListener("click", async () => {
        try {
          resolve(await resolution());
        } catch (e) {
          // The library keeps the change, failed, for Retry All: nothing is lost by closing here.
          reject(e);
        } finally {
          dialog.close();
          dialog.remove();
        }
      });
      return b;
    };
    signal?.addEventListener("abort", () => {
      dialog.close();
      dialog.remove();
      reject(new Error("decided in another tab"));
    });
    const patch = conflict.mine;
    dialog.append(
      el("h2", { id: "conflict-title" }, "This card was changed somewhere else"),
      el("p", { id: "conflict-help" }, `Version ${conflict.theirs.version} on the server differs from the one your change was made on. Choose what to keep.`),
      el("div", { class: "sides" }, side("Your Changes", mine, theirs), side("Server Version", theirs, mine)),
      el(
        "div",
        { class: "actions" },
        button("Keep My Changes", () => ({ kind: "keep-mine" })),
        button("Use Server Version", () => ({ kind: "use-server" })),
        // A deletion has no fields to merge. Otherwise: fields only one side changed, tags and
        // collections as sets; where both changed a field, mine (the library's default chooser).
        patch === null ? null : button("Merge Both", async () => ({ kind: "merge", patch: await mergePatch(conflict.cardId, conflict.base, patch, theirs) })),
      ),
    );
  });
  // Escape would close the dialog with nothing chosen, and the change would wait for an answer forever.
  dialog.addEventListener("cancel", (event) => event.preventDefault());
  document.body.append(dialog);
  dialog.showModal();
  return chosen;
}

function side(title: string, fields: CardFields | null, other: CardFields | null): HTMLElement {
  const section = el("section", { "aria-label": title }, el("h3", {}, title));
  if (fields === null) {
    section.append(el("p", {}, "Deleted"));
    return section;
  }
  const list = el("dl");
  for (const f of SHOWN) {
    const value = fields[f];
    if ((value === null || value === undefined || (Array.isArray(value) && value.length === 0)) && (other === null || sameValue(f, other[f], value))) continue;
    const differs = other !== null && !sameValue(f, value, other[f]);
    list.append(el("dt", differs ? { class: "differs" } : {}, f), el("dd", differs ? { class: "differs" } : {}, show(value)));
  }
  section.append(list);
  return section;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.join(", ");
  if (value === null || value === undefined) return "—";
  return String(value);
}
