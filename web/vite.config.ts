import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const edge = process.env.BOXOFFICE_EDGE_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: webRoot,
  // Quiet by default: `npm start` builds the app on every start.
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
  resolve: {
    alias: {
      // The generated descriptors import protovalidate's (~85 kB) only for the rules in proto
      // options, which the browser never evaluates: a descriptor with just its name stands in.
      "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js": fileURLToPath(new URL("src/api/validate-descriptor-stub.ts", import.meta.url)),
    },
  },
  // `npm run dev:web`: Vite's dev server with the API of a running edge (npm start) behind it.
  server: {
    proxy: {
      "^/(boxoffice\\.|grpc\\.health\\.)": edge,
      "^/(auth|events|booking|bookings)(/|$|\\?)": edge,
    },
  },
});
