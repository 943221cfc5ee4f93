import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { SYNCED, addCard, awaitStatus, cardItem, closeContext, editCard, eventually, newUser, onlyCard, screenshotPath, signIn, sleep, browserPerFile } from "./harness.js";

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

async function resolvedCard(page: Page, token: string, title: string) {
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await awaitStatus(page, SYNCED);
  await cardItem(page, title).waitFor();
  return onlyCard(token);
}

describe("phase 4: versions and conflicts", () => {
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
});
