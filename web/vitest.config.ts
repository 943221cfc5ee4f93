import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // IndexedDB in Node: fake-indexeddb installs indexedDB and IDBKeyRange as globals.
    setupFiles: ["fake-indexeddb/auto"],
    environment: "node",
  },
});
