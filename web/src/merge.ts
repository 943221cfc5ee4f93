import {
  type CardFields,
  type CardPatch,
  type EditableField,
  type ServerCard,
  SET_FIELDS,
  fieldsOf,
  normalized,
  patchedFields,
  sameFields,
  sameValue,
} from "./card.js";

/**
 * A queued change the server refused with 409 version-conflict: the card moved on since the
 * change was made. Handed to the ConflictResolver.
 */
export interface Conflict {
  type: "UPDATE_CARD" | "DELETE_CARD";
  cardId: string;
  /** The fields the user saw when making the change (null if unknown). */
  base: CardFields | null;
  /** The change (null for a deletion). */
  mine: CardPatch | null;
  /** The card as the server has it now (`currentCard`). */
  theirs: ServerCard;
}

/** A resolver's answer. */
export type Resolution =
  /** "Keep My Changes": apply my change (or deletion) as it is, on the server's current version. */
  | { kind: "keep-mine" }
  /** "Use Server Version": drop my change and take the server's card. */
  | { kind: "use-server" }
  /** "Merge Both": apply this patch instead, on the server's current version (empty: nothing to send). Updates only. */
  | { kind: "merge"; patch: CardPatch };

/**
 * Decides a conflict; may ask the user (a dialog), hence a promise. Every tab's resolver is asked;
 * the first answer counts, and `signal` aborts in the other tabs (close the dialog there).
 */
export type ConflictResolver = (conflict: Conflict, context?: { signal: AbortSignal }) => Resolution | Promise<Resolution>;

/** Both sides changed one field to different values. */
export interface FieldConflict {
  cardId: string;
  field: EditableField;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export type Side = "mine" | "theirs";

/** Asked by the three-way merge which side wins where both changed the same thing. */
export interface TrueConflictChooser {
  chooseField(conflict: FieldConflict): Side | Promise<Side>;
  /** I deleted the card, the server's was edited meanwhile: delete anyway (mine) or keep it (theirs). */
  chooseDeletion?(cardId: string, base: CardFields | null, theirs: ServerCard): Side | Promise<Side>;
}

export const keepMine: ConflictResolver = () => ({ kind: "keep-mine" });

export const useServer: ConflictResolver = () => ({ kind: "use-server" });

/** My side wins true conflicts: the default, as in the Java client. */
export const MINE_WINS: TrueConflictChooser = { chooseField: () => "mine", chooseDeletion: () => "mine" };

/**
 * Merge field by field against the base the change was made on: a field only I changed takes my
 * value, one only the server changed keeps the server's, tags and collections merge as sets; where
 * both changed a field to different values the chooser decides. Pure apart from the chooser.
 */
export function threeWayMerge(chooser: TrueConflictChooser = MINE_WINS): ConflictResolver {
  return async (conflict) => {
    if (conflict.type === "DELETE_CARD") {
      // A deletion conflicts only with real edits; a card untouched since I saw it is simply deleted.
      const edited = conflict.base === null || !sameFields(conflict.base, fieldsOf(conflict.theirs));
      if (!edited) return { kind: "keep-mine" };
      const side = chooser.chooseDeletion ? await chooser.chooseDeletion(conflict.cardId, conflict.base, conflict.theirs) : "mine";
      return side === "mine" ? { kind: "keep-mine" } : { kind: "use-server" };
    }
    return { kind: "merge", patch: await mergePatch(conflict.cardId, conflict.base, conflict.mine ?? {}, fieldsOf(conflict.theirs), chooser) };
  };
}

/** The patch that puts my changes on top of `theirs`; empty when the server already has them. */
export async function mergePatch(
  cardId: string,
  base: CardFields | null,
  mine: CardPatch,
  theirs: CardFields,
  chooser: TrueConflictChooser = MINE_WINS,
): Promise<CardPatch> {
  const result: Record<string, unknown> = {};
  for (const field of patchedFields(mine)) {
    const b = base === null ? undefined : base[field];
    const m = normalized(field, mine[field]);
    const t = theirs[field];
    let merged: unknown;
    if (SET_FIELDS.has(field)) {
      merged = mergeSets(labels(b), labels(m), labels(t));
    } else if (sameValue(field, m, t) || (base !== null && sameValue(field, m, b))) {
      // Both sides agree, or I did not really change it: the server's value stands.
      continue;
    } else if (base !== null && sameValue(field, t, b)) {
      merged = m;
    } else if ((await chooser.chooseField({ cardId, field, base: b, mine: m, theirs: t })) === "mine") {
      merged = m;
    } else {
      continue;
    }
    if (!sameValue(field, merged, t)) result[field] = merged;
  }
  return result as CardPatch;
}

/** The server's members, less what I removed, plus what I added (in the server's order, then mine). */
export function mergeSets(base: string[], mine: string[], theirs: string[]): string[] {
  const removedByMe = new Set(base.filter((x) => !mine.includes(x)));
  const addedByMe = mine.filter((x) => !base.includes(x));
  const result = theirs.filter((x) => !removedByMe.has(x));
  for (const x of addedByMe) if (!result.includes(x)) result.push(x);
  return result;
}

function labels(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]) : [];
}
