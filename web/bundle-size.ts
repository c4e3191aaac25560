// What a browser downloads for the web app: every file of a build (web/dist after
// `npm run build:web`, or the folder given), raw and gzipped, and the totals per kind.
//
//   npm run build:web && node --import tsx web/bundle-size.ts [build-folder]
//
// kB are 1000 bytes, as Vite reports them; gzip at zlib's default level, as a web server
// compresses on the fly (Vite's own report, `vite build --logLevel info`, agrees within 1%).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";

interface Measured {
  file: string;
  kind: string;
  bytes: number;
  gzipped: number;
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

const KINDS: Record<string, string> = { ".js": "JavaScript", ".css": "CSS", ".html": "HTML" };
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

const buildDir = resolve(process.argv[2] ?? join(import.meta.dirname, "dist"));
let files: string[];
try {
  files = filesBelow(buildDir);
} catch {
  console.error(`no build in ${buildDir}: run npm run build:web first, or give the build folder`);
  process.exit(1);
}

const measured: Measured[] = files
  .filter((file) => extname(file) in KINDS)
  .map((file) => {
    const content = readFileSync(file);
    return { file: relative(buildDir, file), kind: KINDS[extname(file)]!, bytes: content.length, gzipped: gzipSync(content).length };
  })
  .sort((a, b) => b.gzipped - a.gzipped);

for (const { file, bytes, gzipped } of measured) console.log(`${file.padEnd(40)} ${kB(bytes).padStart(10)}   gzip ${kB(gzipped).padStart(9)}`);
console.log("");
for (const kind of new Set(Object.values(KINDS))) {
  const ofKind = measured.filter((entry) => entry.kind === kind);
  if (ofKind.length === 0) continue;
  const sum = (pick: (entry: Measured) => number) => ofKind.reduce((total, entry) => total + pick(entry), 0);
  console.log(`${kind.padEnd(40)} ${kB(sum((e) => e.bytes)).padStart(10)}   gzip ${kB(sum((e) => e.gzipped)).padStart(9)}`);
}
