// Says whether gen/ still matches the contracts, on a machine with nothing but Node.js (npm start
// there cannot regenerate: the proto build needs Maven for validate.proto).
//   node scripts/proto/gen-digest.mjs write [GEN_DIR]   after buf generate (scripts/proto/generate.sh)
//   node scripts/proto/gen-digest.mjs check             before npm run build (prebuild)
// The record, gen/generated-from.json, holds two digests: of what the code is generated from
// (proto/**/*.proto, buf.gen.yaml, the grpc health protos, the protoc-gen-es version, and the
// OpenAPI generator with the REST table and access policy it reads) and of gen/ itself, so a
// changed contract, generator or hand-edited generated file are all caught.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const RECORD = "generated-from.json";

function filesUnder(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** sha256 over a preamble, then each file's path (relative to base) and bytes, in path order. */
function digestOf(files, base, preamble = "") {
  const hash = createHash("sha256").update(`${preamble}\0`);
  for (const file of files) {
    hash.update(`${relative(base, file)}\0`);
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return `sha256:${hash.digest("hex")}`;
}

function pluginVersion() {
  return JSON.parse(readFileSync(join(root, "node_modules/@bufbuild/protoc-gen-es/package.json"), "utf8")).version;
}

/** What gen/openapi/ is written by (scripts/openapi, buf.gen.yaml's second plugin). */
const OPENAPI_GENERATOR = ["scripts/openapi", "services/edge/gate/access-policy.ts"];

function inputsDigest(version) {
  const isProto = (name) => name.endsWith(".proto");
  const isSource = (name) => name.endsWith(".ts") && !name.endsWith(".test.ts");
  const files = [
    join(root, "buf.gen.yaml"),
    ...filesUnder(join(root, "proto"), isProto),
    ...filesUnder(join(root, "node_modules/grpc-health-check/proto"), isProto),
    ...OPENAPI_GENERATOR.flatMap((path) => (path.endsWith(".ts") ? [join(root, path)] : filesUnder(join(root, path), isSource))),
  ];
  return digestOf(files, root, `protoc-gen-es ${version}`);
}

function outputDigest(genDir) {
  return digestOf(filesUnder(genDir, (name) => name !== RECORD), genDir);
}

function write(genDir) {
  const protocGenEs = pluginVersion();
  const record = {
    note: "Written by npm run generate; npm run build fails when gen/ no longer matches (scripts/proto/gen-digest.mjs).",
    protocGenEs,
    inputs: inputsDigest(protocGenEs),
    output: outputDigest(genDir),
  };
  writeFileSync(join(genDir, RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

function check(genDir) {
  const fail = (why) => {
    console.error(`gen/ is stale: ${why}. Run npm run generate (it needs Maven) and commit gen/.`);
    process.exit(1);
  };
  const recordFile = join(genDir, RECORD);
  if (!existsSync(recordFile)) fail(`gen/${RECORD} is missing`);
  const record = JSON.parse(readFileSync(recordFile, "utf8"));
  const version = pluginVersion();
  if (record.protocGenEs !== version) fail(`it was generated with protoc-gen-es ${record.protocGenEs}, this checkout has ${version}`);
  if (record.inputs !== inputsDigest(version)) fail(`proto/, buf.gen.yaml, the health protos or the OpenAPI generator (${OPENAPI_GENERATOR.join(", ")}) changed since it was generated`);
  if (record.output !== outputDigest(genDir)) fail("its files differ from what npm run generate wrote (edited by hand?)");
  console.log("gen/ matches the contracts");
}

const [mode, genDir = join(root, "gen")] = process.argv.slice(2);
if (mode === "write") write(resolve(genDir));
else if (mode === "check") check(resolve(genDir));
else {
  console.error("usage: node scripts/proto/gen-digest.mjs write [GEN_DIR] | check");
  process.exit(2);
}
