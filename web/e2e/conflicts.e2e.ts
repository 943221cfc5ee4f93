import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { SYNCED, addCard, awaitStatus, baseUrl, cardItem, closeContext, editCard, eventually, newUser, onlyCard, screenshotPath, signIn, sleep, browserPerFile } from "./harness.js";

// Phase 4 of the seed's plan, "Testing Checklist": versions, conflicts detected, the user decides.

const browser = browserPerFile();

/**
 * Two devices of one user (two browser contexts: separate IndexedDB). Desktop edits the shared
 * card while Mobile is offline; Mobile edits the same card at the old version, then comes online,
 * so its change is a 409 and Mobile shows the dialog. Returns once the dialog is open, having
 * checked that nothing was overwritten meanwhile.
 */
async function conflictOnTwoDevices(name: string) {
  const user = newUser(name);
  const desktopContext = await browser().newContext();
  const mobileContext = await browser().newContext();
  const desktop = await desktopContext.newPage();
  const mobile = await mobileContext.newPage();
  const token = await signIn(desktop, user);
  await addCard(desktop, { title: "Shared", notes: "first notes", tags: "base" });
  await awaitStatus(desktop, SYNCED);
  // Offline emulation does not cut a connection already open, so Mobile never gets a live stream:
  // it learns of the card from the change feed at start-up only, like a device that was asleep.
  await mobile.route("**/api/cards/changes/stream**", (route) => route.abort("connectionrefused"));
  await signIn(mobile, user);
  await cardItem(mobile, "Shared").waitFor();

  const conflicts: number[] = [];
  mobile.on("response", (r) => {
    if (r.request().method() === "PATCH" && r.status() === 409) conflicts.push(r.status());
  });
  await mobileContext.setOffline(true);
  await editCard(desktop, "Shared", { title: "Desktop title", tags: "base, desktop" });
  await awaitStatus(desktop, SYNCED);
  await editCard(mobile, "Shared", { title: "Mobile title", notes: "mobile notes", tags: "base, mobile" });
  await mobileContext.setOffline(false);

  const dialog = mobile.getByRole("dialog");
  await dialog.waitFor();
  expect(conflicts).toEqual([409]);
  await dialog.getByRole("region", { name: "Your Changes" }).getByText("Mobile title").waitFor();
  await dialog.getByRole("region", { name: "Server Version" }).getByText("Desktop title").waitFor();
  // No silent overwrite: while the user decides, the server keeps Desktop's version.
  await sleep(500);
  expect(await onlyCard(token)).toMatchObject({ title: "Desktop title", notes: "first notes", version: 2 });
  const close = async () => {
    await closeContext(desktopContext);
    await closeContext(mobileContext);
  };
  return { token, desktop, mobile, dialog, close };
}

/**
 * The versions of the cards this page's library has cached from the server (IndexedDB "cards"):
 * how a test knows another device's change has arrived while an edit form hides the list.
 */
async function cachedVersions(page: Page, user: string): Promise<number[]> {
  return page.evaluate((name) => new Promise<number[]>((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const all = open.result.transaction("cards").objectStore("cards").getAll();
      all.onerror = () => reject(all.error);
      all.onsuccess = () => {
        resolve((all.result as { version: number }[]).map((card) => card.version));
        open.result.close();
      };
    };
  }), `pawkit-sync-${user}`);
}

async function resolvedCard(page: Page, token: string, title: string) {
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await awaitStatus(page, SYNCED);
  await cardItem(page, title).waitFor();
  return onlyCard(token);
}

describe("phase 4: versions and conflicts", () => {
  test("an edit form open while another device's change arrives: no silent overwrite on Save", async () => {
    // Both devices online, both streams open: Desktop's change reaches Mobile while Mobile's edit
    // form, opened before it, still shows version 1. Saving that form must not send its older
    // fields on version 2 (reverting Desktop's title and tag unseen): it is a conflict.
    const user = newUser("open-form");
    const desktopContext = await browser().newContext();
    const mobileContext = await browser().newContext();
    const desktop = await desktopContext.newPage();
    const mobile = await mobileContext.newPage();
    const token = await signIn(desktop, user);
    await addCard(desktop, { title: "Shared", notes: "first notes", tags: "base" });
    await awaitStatus(desktop, SYNCED);
    await signIn(mobile, user);
    await cardItem(mobile, "Shared").waitFor();
    const patches: { version: unknown; status: number }[] = [];
    mobile.on("response", (r) => {
      if (r.request().method() === "PATCH") patches.push({ version: r.request().postDataJSON()?.version, status: r.status() });
    });

    await cardItem(mobile, "Shared").getByRole("button", { name: "Edit" }).click();
    const form = mobile.getByRole("form", { name: "Edit card" });
    await form.getByLabel("Title").fill("Mobile title");
    await form.getByLabel("Notes").fill("mobile notes");
    await form.getByLabel("Tags").fill("base, mobile");
    await editCard(desktop, "Shared", { title: "Desktop title", tags: "base, desktop" });
    await awaitStatus(desktop, SYNCED);
    // Mobile's library has Desktop's version 2 (by its live stream) before Mobile saves.
    await eventually(async () => expect(await cachedVersions(mobile, user)).toEqual([2]), 15_000);
    await form.getByRole("button", { name: "Save" }).click();

    const dialog = mobile.getByRole("dialog");
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole("region", { name: "Your Changes" }).getByText("Mobile title").waitFor();
    await dialog.getByRole("region", { name: "Server Version" }).getByText("Desktop title").waitFor();
    expect(patches).toEqual([{ version: 1, status: 409 }]);
    expect(await onlyCard(token)).toMatchObject({ title: "Desktop title", notes: "first notes", tags: ["base", "desktop"], version: 2 });
    await dialog.getByRole("button", { name: "Merge Both" }).click();
    // Desktop's tag kept; the title both changed: Mobile's (mine wins); notes only Mobile changed.
    const card = await resolvedCard(mobile, token, "Mobile title");
    expect(card).toMatchObject({ title: "Mobile title", notes: "mobile notes", tags: ["base", "desktop", "mobile"], version: 3 });
    expect(patches).toEqual([{ version: 1, status: 409 }, { version: 2, status: 200 }]);
    await eventually(() => cardItem(desktop, "Mobile title").waitFor({ timeout: 1000 }), 15_000);
    await closeContext(desktopContext);
    await closeContext(mobileContext);
  });

  test("the version increments once per update", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("versions"));
    await addCard(page, { title: "Versioned" });
    await awaitStatus(page, SYNCED);
    expect((await onlyCard(token)).version).toBe(1);
    let title = "Versioned";
    for (let version = 2; version <= 4; version++) {
      await editCard(page, title, { title: `Versioned ${version}` });
      title = `Versioned ${version}`;
      await awaitStatus(page, SYNCED);
      expect(await onlyCard(token)).toMatchObject({ title, version });
      await cardItem(page, title).getByText(`version ${version}`).waitFor();
    }
    // An edit that changes nothing is no update.
    await editCard(page, title, { title });
    await sleep(500);
    expect((await onlyCard(token)).version).toBe(4);
    await closeContext(context);
  });

  test("editing one card on two devices: conflict detected, Keep My Changes", async () => {
    const { token, mobile, dialog, close } = await conflictOnTwoDevices("keep");
    await dialog.getByRole("button", { name: "Keep My Changes" }).click();
    const card = await resolvedCard(mobile, token, "Mobile title");
    expect(card).toMatchObject({ title: "Mobile title", notes: "mobile notes", tags: ["base", "mobile"], version: 3 });
    await close();
  });

  test("editing one card on two devices: conflict detected, Use Server Version", async () => {
    const { token, desktop, mobile, dialog, close } = await conflictOnTwoDevices("server");
    await dialog.getByRole("button", { name: "Use Server Version" }).click();
    const card = await resolvedCard(mobile, token, "Desktop title");
    expect(card).toMatchObject({ title: "Desktop title", notes: "first notes", tags: ["base", "desktop"], version: 2 });
    expect(await cardItem(mobile, "Mobile title").count()).toBe(0);
    await cardItem(desktop, "Desktop title").waitFor();
    await close();
  });

  test("editing one card on two devices: conflict detected, Merge Both", async () => {
    const { token, desktop, mobile, dialog, close } = await conflictOnTwoDevices("merge");
    await dialog.screenshot({ path: screenshotPath("conflict-dialog.png") });
    await dialog.getByRole("button", { name: "Merge Both" }).click();
    // Fields only Mobile changed (notes) and tags of both; the title both changed: Mobile's (mine wins).
    const card = await resolvedCard(mobile, token, "Mobile title");
    expect(card).toMatchObject({ title: "Mobile title", notes: "mobile notes", tags: ["base", "desktop", "mobile"], version: 3 });
    // The other device gets the merged card from the live stream.
    await eventually(() => cardItem(desktop, "Mobile title").waitFor({ timeout: 1000 }), 15_000);
    await close();
  });

  test("two windows of one browser: the dialog shows in the window where the edit was made; choosing there closes the other's", async () => {
    // One profile (one IndexedDB), two pages: the first leads (drains), the second is where the
    // user edits. Desktop changes the card while the profile is offline; the profile's edit is
    // then a 409, met by the leading page's drain. The choice is made in the editing window.
    const user = newUser("windows");
    const desktopContext = await browser().newContext();
    const profile = await browser().newContext();
    const desktop = await desktopContext.newPage();
    const token = await signIn(desktop, user);
    await addCard(desktop, { title: "Shared", notes: "first notes", tags: "base" });
    await awaitStatus(desktop, SYNCED);
    // As in the two-device tests: no live stream, so Desktop's edit does not reach the profile first.
    await profile.route("**/api/cards/changes/stream**", (route) => route.abort("connectionrefused"));
    const leading = await profile.newPage();
    await signIn(leading, user);
    await cardItem(leading, "Shared").waitFor();
    const editing = await profile.newPage();
    await editing.goto(baseUrl);
    await cardItem(editing, "Shared").waitFor();

    await profile.setOffline(true);
    await editCard(desktop, "Shared", { title: "Desktop title", tags: "base, desktop" });
    await awaitStatus(desktop, SYNCED);
    await editCard(editing, "Shared", { title: "Window title", notes: "window notes" });
    await profile.setOffline(false);

    const dialog = editing.getByRole("dialog");
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole("region", { name: "Your Changes" }).getByText("Window title").waitFor();
    await dialog.getByRole("region", { name: "Server Version" }).getByText("Desktop title").waitFor();
    await editing.getByRole("status").getByText("Conflicts: 1").waitFor();
    // Every window of the profile shows it; the server keeps Desktop's version meanwhile.
    await leading.getByRole("dialog").waitFor();
    expect(await onlyCard(token)).toMatchObject({ title: "Desktop title", notes: "first notes", version: 2 });
    await dialog.getByRole("button", { name: "Keep My Changes" }).click();
    await leading.getByRole("dialog").waitFor({ state: "detached" });
    const card = await resolvedCard(editing, token, "Window title");
    // Only what the window changed is sent: Desktop's tag stays.
    expect(card).toMatchObject({ title: "Window title", notes: "window notes", tags: ["base", "desktop"], version: 3 });
    await cardItem(leading, "Window title").waitFor();
    await closeContext(desktopContext);
    await closeContext(profile);
  });
});
