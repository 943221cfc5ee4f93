import { defineConfig } from "vite";

// The app (app/), built into target/classes/static: Maven packs it into the web jar, which is on
// the local stack's classpath, so Spring Boot serves it at http://127.0.0.1:8080/.
export default defineConfig({
  root: "app",
  build: {
    outDir: "../target/classes/static",
    emptyOutDir: true,
  },
});
