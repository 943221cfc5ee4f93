import { describe, expect, it } from "vitest";
import { type ServerCard, newFields } from "../src/card.js";
import { type Conflict, keepMine, mergePatch, mergeSets, threeWayMerge, useServer } from "../src/merge.js";

const base = newFields({ type: "url", url: "https://example.com", title: "Base", notes: "n", tags: ["a", "b"] });

function server(changes: Partial<ServerCard>): ServerCard {
  return { id: "c1", type: "url", url: "https://example.com", title: "Base", notes: "n", tags: ["a", "b"], collections: [], pinned: false, version: 5, ...changes };
}

describe("mergeSets", () => {
  it("applies both sides' additions and removals", () => {
    expect(mergeSets(["a", "b"], ["a", "c"], ["a", "b", "d"])).toEqual(["a", "d", "c"]);
    expect(mergeSets([], ["x"], ["x"])).toEqual(["x"]);
  });
});

describe("three-way merge", () => {
  it("keeps my field where only I changed it, theirs where only they did", async () => {
    const patch = await mergePatch("c1", base, { title: "Mine" }, { ...base, notes: "theirs" });
    expect(patch).toEqual({ title: "Mine" });
  });

  it("sends nothing where both made the same change or I did not really change it", async () => {
    expect(await mergePatch("c1", base, { title: "Same" }, { ...base, title: "Same" })).toEqual({});
    expect(await mergePatch("c1", base, { title: "Base" }, { ...base, title: "Theirs" })).toEqual({});
  });

  it("asks the chooser where both changed a field differently", async () => {
    const theirs = { ...base, title: "Theirs" };
    const asked: string[] = [];
    const mine = await mergePatch("c1", base, { title: "Mine" }, theirs, { chooseField: (c) => (asked.push(`${c.field}:${String(c.base)}/${String(c.mine)}/${String(c.theirs)}`), "mine") });
    expect(mine).toEqual({ title: "Mine" });
    expect(asked).toEqual(["title:Base/Mine/Theirs"]);
    expect(await mergePatch("c1", base, { title: "Mine" }, theirs, { chooseField: () => "theirs" })).toEqual({});
  });

  it("merges tags as sets", async () => {
    expect(await mergePatch("c1", base, { tags: ["a", "c"] }, { ...base, tags: ["a", "b", "d"] })).toEqual({ tags: ["a", "d", "c"] });
  });

  it("resolves an update conflict as a merge patch against the server's card", async () => {
    const conflict: Conflict = { type: "UPDATE_CARD", cardId: "c1", base, mine: { title: "Mine", tags: ["a", "b", "mine"] }, theirs: server({ notes: "theirs", tags: ["a", "b", "theirs"] }) };
    expect(await threeWayMerge()(conflict)).toEqual({ kind: "merge", patch: { title: "Mine", tags: ["a", "b", "theirs", "mine"] } });
  });

  it("deletes a card untouched since I saw it, and asks about one edited meanwhile", async () => {
    const untouched: Conflict = { type: "DELETE_CARD", cardId: "c1", base, mine: null, theirs: server({ version: 9 }) };
    expect(await threeWayMerge({ chooseField: () => "theirs", chooseDeletion: () => "theirs" })(untouched)).toEqual({ kind: "keep-mine" });
    const edited = { ...untouched, theirs: server({ title: "Edited" }) };
    expect(await threeWayMerge({ chooseField: () => "theirs", chooseDeletion: () => "theirs" })(edited)).toEqual({ kind: "use-server" });
    expect(await threeWayMerge()(edited)).toEqual({ kind: "keep-mine" });
  });

  it("has the two fixed policies", async () => {
    const conflict: Conflict = { type: "UPDATE_CARD", cardId: "c1", base, mine: { title: "Mine" }, theirs: server({}) };
    expect(await keepMine(conflict)).toEqual({ kind: "keep-mine" });
    expect(await useServer(conflict)).toEqual({ kind: "use-server" });
  });
});
