/**
 * A card's fields as the user edits them, the server's card as the API answers it, and the
 * patches between them. The vocabulary of the queue, of the optimistic view and of the merge.
 * Mirrors the Java client's CardFields/CardPatch/CardField (client/src/main/java/.../client/).
 */

export type CardType = "url" | "md-note" | "text-note";

/**
 * What a user edits on a card. `description` and `image` are `metadata.description` and
 * `metadata.image` on the wire; the rest of `metadata` is the enricher's, never the user's.
 */
export interface CardFields {
  type: CardType;
  url?: string | null;
  title?: string | null;
  notes?: string | null;
  content?: string | null;
  tags: string[];
  collections: string[];
  pinned: boolean;
  description?: string | null;
  image?: string | null;
}

/** The editable fields, in one place: patches, the merge and the wire mapping iterate over it. */
export const EDITABLE_FIELDS = [
  "url",
  "title",
  "notes",
  "content",
  "tags",
  "collections",
  "pinned",
  "description",
  "image",
] as const;

export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** Tags and collections are unordered labels: the merge adds and removes members. */
export const SET_FIELDS: ReadonlySet<EditableField> = new Set(["tags", "collections"]);

/**
 * A change to some fields (a JSON merge patch): only the fields named change; null clears one.
 */
export type CardPatch = { [F in EditableField]?: CardFields[F] | null };

/** Where fetching a url card's page metadata stands (the server's `metadataStatus`). */
export interface MetadataStatus {
  state: "pending" | "ok" | "failed" | string;
  reason?: string | null;
  fetchedAt?: string | null;
}

/** A card as the server sends it: a write's answer, a 409's `currentCard`, a change feed item. */
export interface ServerCard {
  id: string;
  type: CardType;
  url?: string | null;
  title?: string | null;
  notes?: string | null;
  content?: string | null;
  tags?: string[];
  collections?: string[];
  pinned?: boolean;
  metadata?: {
    description?: string | null;
    image?: string | null;
    title?: string | null;
    siteName?: string | null;
    favicon?: string | null;
  } | null;
  metadataStatus?: MetadataStatus | null;
  version: number;
  createdAt?: string;
  updatedAt?: string;
  deleted?: boolean;
}

/** A card's editable fields as the server has them. */
export function fieldsOf(card: ServerCard): CardFields {
  return {
    type: card.type,
    url: card.url ?? null,
    title: card.title ?? null,
    notes: card.notes ?? null,
    content: card.content ?? null,
    tags: [...(card.tags ?? [])],
    collections: [...(card.collections ?? [])],
    pinned: card.pinned ?? false,
    description: card.metadata?.description ?? null,
    image: card.metadata?.image ?? null,
  };
}

/** A field's value as a card reads it back: cleared labels are [], a cleared flag is false, absent text null. */
export function normalized(field: EditableField, value: unknown): unknown {
  if (value === undefined || value === null) {
    if (SET_FIELDS.has(field)) return [];
    if (field === "pinned") return false;
    return null;
  }
  return value;
}

/** Equality of two field values (labels compared in order, as the server keeps them). */
export function sameValue(field: EditableField, a: unknown, b: unknown): boolean {
  const x = normalized(field, a);
  const y = normalized(field, b);
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return x === y;
}

export function sameFields(a: CardFields, b: CardFields): boolean {
  return a.type === b.type && EDITABLE_FIELDS.every((f) => sameValue(f, a[f], b[f]));
}

/** The fields after a patch. */
export function applyPatch(fields: CardFields, patch: CardPatch): CardFields {
  const result: CardFields = { ...fields, tags: [...fields.tags], collections: [...fields.collections] };
  for (const field of patchedFields(patch)) {
    (result as unknown as Record<string, unknown>)[field] = normalized(field, patch[field]);
  }
  return result;
}

/** The part of a patch that would change `fields`: an edit back to the same value is no change. */
export function changesTo(patch: CardPatch, fields: CardFields): CardPatch {
  const effective: CardPatch = {};
  for (const field of patchedFields(patch)) {
    if (!sameValue(field, patch[field], fields[field])) {
      (effective as Record<string, unknown>)[field] = patch[field];
    }
  }
  return effective;
}

/** One patch after another: the later one's values win. */
export function combinePatches(first: CardPatch, second: CardPatch): CardPatch {
  return { ...first, ...second };
}

/** The fields a patch names, in field order. */
export function patchedFields(patch: CardPatch): EditableField[] {
  return EDITABLE_FIELDS.filter((f) => Object.prototype.hasOwnProperty.call(patch, f) && patch[f] !== undefined);
}

export function isEmptyPatch(patch: CardPatch): boolean {
  return patchedFields(patch).length === 0;
}

/** The body of `POST /api/cards`: the client-chosen id and the fields. */
export function createBody(cardId: string, fields: CardFields): Record<string, unknown> {
  const body: Record<string, unknown> = { id: cardId, type: fields.type };
  for (const field of ["url", "title", "notes", "content"] as const) {
    if (fields[field] !== undefined && fields[field] !== null) body[field] = fields[field];
  }
  body.tags = [...fields.tags];
  body.collections = [...fields.collections];
  body.pinned = fields.pinned;
  if ((fields.description ?? null) !== null || (fields.image ?? null) !== null) {
    const metadata: Record<string, unknown> = {};
    if (fields.description != null) metadata.description = fields.description;
    if (fields.image != null) metadata.image = fields.image;
    body.metadata = metadata;
  }
  return body;
}

/**
 * The body of `PATCH /api/cards/{id}`: the changed fields (null clears) and, when the card has
 * been on the server, the version the change was made on, so a stale change is a 409, never an
 * overwrite.
 */
export function patchBody(patch: CardPatch, baseVersion: number): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of patchedFields(patch)) {
    const value = patch[field] ?? null;
    if (field === "description" || field === "image") {
      const metadata = (body.metadata ?? {}) as Record<string, unknown>;
      metadata[field] = value;
      body.metadata = metadata;
    } else {
      body[field] = Array.isArray(value) ? [...value] : value;
    }
  }
  if (baseVersion > 0) body.version = baseVersion;
  return body;
}

/** What the server requires of every create, checked at once so the user hears it offline too. */
export function checkCreatable(fields: CardFields): void {
  if (fields.type !== "url" && fields.type !== "md-note" && fields.type !== "text-note") {
    throw new Error(`unknown card type ${String(fields.type)}`);
  }
  if (fields.type === "url" && (!fields.url || fields.url.trim() === "")) {
    throw new Error("a url card needs a url");
  }
}

/** A new card's fields with the defaults filled in. */
export function newFields(fields: Partial<CardFields> & { type: CardType }): CardFields {
  return {
    url: null,
    title: null,
    notes: null,
    content: null,
    description: null,
    image: null,
    ...fields,
    tags: [...(fields.tags ?? [])],
    collections: [...(fields.collections ?? [])],
    pinned: fields.pinned ?? false,
  };
}
