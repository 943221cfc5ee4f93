import { describe, expect, test } from "vitest";
import { SYNCED, addCard, awaitStatus, baseUrl, cardItem, closeContext, newUser, serverCards, signIn, browserPerFile } from "./harness.js";

// The app's own features beyond the seed's checklists: search, and where a visitor without a session lands.
const browser = browserPerFile();

describe("the app", () => {
  test("search filters the list by title, notes and tags, and changes nothing", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("search"));
    await addCard(page, { title: "Kafka notes", notes: "exactly once" });
    await addCard(page, { title: "Recipes", tags: "food, weekend" });
    await addCard(page, { title: "Reading list", notes: "a book on Kafka streams" });
    await awaitStatus(page, SYNCED);
    const titles = async () => (await page.getByRole("list", { name: "Cards" }).getByRole("heading").allTextContents()).sort();

    await page.getByLabel("Search").fill("kafka");
    await expectSoon(titles, ["Kafka notes", "Reading list"]);
    await page.getByLabel("Search").fill("WEEKEND");
    await expectSoon(titles, ["Recipes"]);
    await page.getByLabel("Search").fill("");
    await expectSoon(titles, ["Kafka notes", "Reading list", "Recipes"]);
    expect((await serverCards(token)).map((c) => `${c.title} v${c.version}`).sort()).toEqual(["Kafka notes v1", "Reading list v1", "Recipes v1"]);
    expect(await cardItem(page, "Recipes").count()).toBe(1);
    await closeContext(context);
  });

  test("without a session the page asks for a user, and signing out ends the session", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(baseUrl);
    expect(await page.getByRole("form", { name: "Sign in" }).isVisible()).toBe(true);
    await signIn(page, newUser("signout"));
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("pawkit-session"))).toBeNull();
    await closeContext(context);
  });
});

async function expectSoon(read: () => Promise<string[]>, expected: string[]): Promise<void> {
  const deadline = Date.now() + 5000;
  let actual = await read();
  while (JSON.stringify(actual) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    actual = await read();
  }
  expect(actual).toEqual(expected);
}
