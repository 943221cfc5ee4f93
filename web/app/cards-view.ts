import type { CardType, LocalCard, PawkitSync, SyncStatus } from "../src/index.js";
import { el, field, parseTags } from "./dom.js";

/**
 * The signed-in page: sync status with "Retry All", the add form, search, and the card list with
 * edit, delete and "Refresh Metadata". Everything it shows is read from the library (cards(),
 * status()) after each change it hears of; everything it does is a library call, so the
 * queue is the only place a change lives until the server has it.
 */
export class CardsView {
  private readonly statusText = el("div", { role: "status", "aria-label": "Sync status" });
  private readonly retryAll = el("button", { type: "button" }, "Retry All");
  private readonly list = el("ul", { class: "cards", "aria-label": "Cards" });
  private readonly search = el("input", { type: "search", name: "search" });
  private readonly alert = el("p", { role: "alert" });
  private editing: { id: string; item: HTMLLIElement } | null = null;
  private renders = 0;
  private renderQueued = false;

  constructor(
    private readonly sync: PawkitSync,
    root: HTMLElement,
    user: string,
    onSignOut: () => void,
  ) {
    const signOut = el("button", { type: "button" }, "Sign out");
    signOut.addEventListener("click", onSignOut);
    this.retryAll.addEventListener("click", () => void this.sync.retryAll());
    this.search.addEventListener("input", () => this.render());
    root.replaceChildren(
      el("header", {}, el("h1", {}, "Pawkit"), el("span", {}, `Signed in as ${user}`), signOut),
      el("div", { class: "sync" }, this.statusText, this.retryAll),
      this.addForm(),
      this.alert,
      field("Search", this.search),
      this.list,
    );
    sync.subscribe((event) => {
      if (event.type === "error") console.warn("pawkit sync:", event.error);
      this.render();
    });
    this.render();
  }

  /** Renders at most once per frame, however many changes arrive. */
  render(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      void this.renderNow();
    });
  }

  private async renderNow(): Promise<void> {
    // Renders read the database asynchronously and may finish out of order: only the newest one
    // may write the DOM, or an older read (a card before its delete, a title before its edit)
    // would be drawn last and stay, with no event left to redraw it.
    const generation = ++this.renders;
    const [cards, status] = await Promise.all([this.sync.cards(), this.sync.status()]);
    if (generation !== this.renders) return;
    this.showStatus(status);
    const query = this.search.value.trim().toLowerCase();
    const shown = cards.filter((card) => query === "" || searchText(card).includes(query));
    shown.sort((a, b) => (a.fields.title ?? "").localeCompare(b.fields.title ?? "") || a.id.localeCompare(b.id));
    // The card being edited keeps its form (and what was typed in it) across renders.
    if (this.editing !== null && !cards.some((card) => card.id === this.editing!.id)) this.editing = null;
    this.list.replaceChildren(...shown.map((card) => (this.editing?.id === card.id ? this.editing.item : this.item(card))));
  }

  private showStatus(status: SyncStatus): void {
    this.statusText.replaceChildren(
      ...present(el("span", { class: "pending" }, `Pending: ${status.pending}`),
      el("span", { class: "retrying" }, `Retrying: ${status.retrying}`),
      el("span", { class: "failed" }, `Failed: ${status.failed}`),
      status.conflicts > 0 ? el("span", { class: "conflicts" }, `Conflicts: ${status.conflicts}`) : null,
      status.offline ? el("span", {}, "Offline") : null),
    );
    this.retryAll.disabled = status.failed === 0;
  }

  private addForm(): HTMLFormElement {
    const type = el("select", { name: "type" },
      el("option", { value: "url" }, "Link"), el("option", { value: "md-note" }, "Note"), el("option", { value: "text-note" }, "Text"));
    const title = el("input", { name: "title" });
    const url = el("input", { name: "url", type: "url" });
    const notes = el("textarea", { name: "notes", rows: "2" });
    const tags = el("input", { name: "tags", placeholder: "comma, separated" });
    const add = el("button", { type: "submit", class: "primary" }, "Add Card");
    const form = el("form", { "aria-label": "Add card" }, field("Type", type), field("Title", title), field("URL", url), field("Notes", notes), field("Tags", tags), add);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      // Disabled before anything is awaited: a second click of a double-click finds no button to
      // press, so one submit is one card however slow the network.
      if (add.disabled) return;
      if ([title, url, notes].every((input) => input.value.trim() === "")) {
        this.alert.textContent = "Type a title, a URL or notes first.";
        return;
      }
      add.disabled = true;
      this.alert.textContent = "";
      try {
        await this.sync.create({
          type: type.value as CardType,
          title: blankToNull(title.value),
          url: blankToNull(url.value),
          notes: blankToNull(notes.value),
          tags: parseTags(tags.value),
        });
        form.reset();
      } catch (e) {
        this.alert.textContent = e instanceof Error ? e.message : String(e);
      } finally {
        add.disabled = false;
      }
    });
    return form;
  }

  private item(card: LocalCard): HTMLLIElement {
    const f = card.fields;
    const title = f.title ?? card.server?.metadata?.title ?? f.url ?? "(untitled)";
    const item = el("li", { "data-card-id": card.id });
    const edit = el("button", { type: "button" }, "Edit");
    const remove = el("button", { type: "button" }, "Delete");
    edit.addEventListener("click", () => this.edit(card, item));
    remove.addEventListener("click", () => void this.sync.delete(card.id));
    const actions = el("div", { class: "actions" }, edit, remove);
    if (f.type === "url") {
      const refresh = el("button", { type: "button" }, "Refresh Metadata");
      refresh.addEventListener("click", () => void this.sync.refreshMetadata(card.id));
      actions.append(refresh);
    }
    item.append(...present(
      el("h3", {}, title),
      f.url ? el("a", { href: f.url, rel: "noopener noreferrer", target: "_blank" }, f.url) : null,
      f.notes ? el("p", { class: "notes" }, f.notes) : null,
      f.tags.length > 0 ? el("p", { class: "tags" }, ...f.tags.map((tag) => el("span", {}, tag))) : null,
      metadataLine(card),
      el("p", { class: `state ${card.syncState}` }, `${card.syncState}${card.version > 0 ? ` · version ${card.version}` : ""}`),
      actions,
    ));
    return item;
  }

  private edit(card: LocalCard, item: HTMLLIElement): void {
    const f = card.fields;
    const title = el("input", { name: "title", value: f.title ?? "" });
    const url = el("input", { name: "url", type: "url", value: f.url ?? "" });
    const notes = el("textarea", { name: "notes", rows: "2" });
    notes.value = f.notes ?? "";
    const tags = el("input", { name: "tags", value: f.tags.join(", ") });
    const save = el("button", { type: "submit", class: "primary" }, "Save");
    const cancel = el("button", { type: "button" }, "Cancel");
    const form = el("form", { "aria-label": "Edit card" }, field("Title", title), f.type === "url" ? field("URL", url) : null, field("Notes", notes), field("Tags", tags), el("div", { class: "actions" }, save, cancel));
    const done = () => {
      this.editing = null;
      this.render();
    };
    cancel.addEventListener("click", done);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      save.disabled = true;
      try {
        await this.sync.update(card.id, {
          title: blankToNull(title.value),
          ...(f.type === "url" ? { url: blankToNull(url.value) } : {}),
          notes: blankToNull(notes.value),
          tags: parseTags(tags.value),
          // The card as the form showed it: only what the user changed is sent, on the version
          // shown, so a change that arrived from another device meanwhile is a conflict (the
          // dialog), not overwritten with the form's older values.
        }, { base: card });
        done();
      } catch (e) {
        this.alert.textContent = e instanceof Error ? e.message : String(e);
        save.disabled = false;
      }
    });
    item.replaceChildren(form);
    this.editing = { id: card.id, item };
    title.focus();
  }
}

function metadataLine(card: LocalCard): HTMLElement | null {
  if (card.fields.type !== "url" || card.metadataStatus === null) return null;
  const meta = card.server?.metadata;
  const parts = [`Metadata: ${card.metadataStatus.state}`];
  if (meta?.siteName) parts.push(meta.siteName);
  if (meta?.title) parts.push(meta.title);
  if (card.metadataStatus.reason) parts.push(card.metadataStatus.reason);
  return el("p", { class: "meta" }, parts.join(" · "));
}

function searchText(card: LocalCard): string {
  const f = card.fields;
  return [f.title, f.url, f.notes, f.content, card.server?.metadata?.title, ...f.tags].filter(Boolean).join(" ").toLowerCase();
}

function present(...nodes: (HTMLElement | null)[]): HTMLElement[] {
  return nodes.filter((node): node is HTMLElement => node !== null);
}

function blankToNull(value: string): string | null {
  return value.trim() === "" ? null : value.trim();
}
