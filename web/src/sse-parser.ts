/**
 * A server-sent events parser for a stream read with fetch. Hand-written because the browser's
 * EventSource cannot send an Authorization header, and this API authenticates every request with
 * a bearer token. Follows the HTML standard's "event stream interpretation": lines end in CRLF,
 * LF or CR; a line starting with ":" is a comment (the server's heartbeats); "field: value" with
 * one optional space after the colon; data lines joined with LF; an event is dispatched at a
 * blank line, never before (so a half-received event is never applied); "id" without NUL sets
 * the last event id, which persists across events; "retry" with digits only sets the reconnect
 * delay.
 */
export interface SseEvent {
  /** The event type ("message" when none was given). */
  event: string;
  data: string;
  /** The last event id as of this event (the stream's resume position), null if none yet. */
  id: string | null;
}

export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private eventType = "";
  private lastEventId: string | null = null;
  private sawCarriageReturn = false;
  private started = false;
  /** The reconnect delay the server asked for ("retry:"), null until it does. */
  retryMs: number | null = null;

  constructor(initialLastEventId: string | null = null) {
    this.lastEventId = initialLastEventId;
  }

  /** Feeds decoded text (any split: mid-line, mid-CRLF); returns the events it completed. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.sawCarriageReturn && text.startsWith("\n")) {
      // The LF of a CRLF split across chunks: its line already ended at the CR.
      text = text.slice(1);
    }
    this.sawCarriageReturn = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    while (true) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (match === null) break;
      if (match[0] === "\r" && match.index === this.buffer.length - 1) {
        // A CR at the end of what arrived may be the start of a CRLF: end the line, skip a LF that follows.
        this.sawCarriageReturn = true;
      }
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event !== null) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
      // Unknown fields are ignored, as the standard says.
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const data = this.data;
    const eventType = this.eventType;
    this.data = [];
    this.eventType = "";
    if (data.length === 0) return null;
    return { event: eventType === "" ? "message" : eventType, data: data.join("\n"), id: this.lastEventId };
  }
}

/** Reads a response body as events, decoding UTF-8 across chunk boundaries. */
export async function* readEvents(body: ReadableStream<Uint8Array>, parser: SseParser): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    // What is left without a blank line after it is an unfinished event: dropped, as the standard says.
    parser.push(decoder.decode());
  } finally {
    reader.releaseLock();
  }
}
