import { describe, expect, it } from "vitest";
import { SseParser, readEvents } from "../src/sse-parser.js";

const STREAM = ": stream of alice\nretry: 1000\n\nid: c1\nevent: changes\ndata: {\"items\":[1]}\n\n: heartbeat\n\n";

describe("SseParser", () => {
  it("reads the server's stream: comments ignored, retry kept, events at blank lines with their ids", () => {
    const parser = new SseParser();
    expect(parser.push(STREAM)).toEqual([{ event: "changes", data: '{"items":[1]}', id: "c1" }]);
    expect(parser.retryMs).toBe(1000);
  });

  it("gives the same events however the text is split, CRLF split between chunks included", () => {
    const text = STREAM.replace(/\n/g, "\r\n") + "id: c2\r\nevent: changes\r\ndata: a\r\ndata: b\r\n\r\n";
    const whole = new SseParser().push(text);
    expect(whole).toHaveLength(2);
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
      expect(events).toEqual(whole);
    }
    expect(whole[1]).toEqual({ event: "changes", data: "a\nb", id: "c2" });
  });

  it("reads CR alone as a line end, one optional space after the colon, a field without a colon", () => {
    const events = new SseParser().push("data:x\rdata:  y\rdata\r\r");
    expect(events).toEqual([{ event: "message", data: "x\n y\n", id: null }]);
  });

  it("keeps the last id across events and starts from the one it is given", () => {
    const parser = new SseParser("c0");
    expect(parser.push("data: 1\n\nid: c5\n\ndata: 2\n\n")).toEqual([
      { event: "message", data: "1", id: "c0" },
      { event: "message", data: "2", id: "c5" },
    ]);
  });

  it("dispatches nothing before the blank line, ignores a non-numeric retry and a leading BOM", () => {
    const parser = new SseParser();
    expect(parser.push("\uFEFFretry: soon\nevent: changes\ndata: half")).toEqual([]);
    expect(parser.retryMs).toBeNull();
    expect(parser.push("\n\n")).toEqual([{ event: "changes", data: "half", id: null }]);
  });
});

describe("readEvents", () => {
  it("decodes UTF-8 split inside a character and drops an unfinished last event", async () => {
    const bytes = new TextEncoder().encode('id: c1\nevent: changes\ndata: {"title":"Café 🐾"}\n\ndata: never finished');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readEvents(body, new SseParser())) events.push(event);
    expect(events).toEqual([{ event: "changes", data: '{"title":"Café 🐾"}', id: "c1" }]);
  });
});
