import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The image installs `npm ci --omit=dev` and runs the compiled services/ and gen/ (Dockerfile).
// No Docker engine runs here to prove that image starts, so this proves the part that breaks
// silently: every package the shipped code loads at run time is a production dependency. A
// devDependency imported by a service works in every test and fails only in the image.

const root = resolve(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const builtins = new Set(builtinModules);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/**
 * Module specifiers that stay in the emitted JavaScript. With `verbatimModuleSyntax` (tsconfig)
 * only `import type` / `export type` are erased; `import { type A }` still loads its module.
 */
function runtimeSpecifiers(source: string, fileName = "file.ts"): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  return builtins.has(name) ? undefined : name;
}

describe("the image's code loads only production dependencies", () => {
  it("reads what a file loads at run time, not what it imports for types", () => {
    const source = [
      'import type { Knex } from "knex";',
      'import { type Redis } from "ioredis";',
      'import pg from "pg";',
      'export type { Logger } from "pino";',
      'export { z } from "zod";',
      'const later = () => import("@opensearch-project/opensearch/aws");',
      'import { readFileSync } from "node:fs";',
      'import { helper } from "./helper.js";',
    ].join("\n");
    const packages = runtimeSpecifiers(source).map(packageOf).filter(Boolean);
    expect(packages).toEqual(["ioredis", "pg", "zod", "@opensearch-project/opensearch"]);
  });

  it("every package that services/ and gen/ load at run time is in dependencies, not devDependencies", () => {
    const users = new Map<string, string[]>();
    for (const file of [...sourceFiles("services"), ...sourceFiles("gen")]) {
      for (const specifier of runtimeSpecifiers(readFileSync(join(root, file), "utf8"), file)) {
        const name = packageOf(specifier);
        if (name) users.set(name, [...(users.get(name) ?? []), file]);
      }
    }
    // The scan sees the code: a broken scan that finds nothing must not pass.
    expect(users.has("@connectrpc/connect")).toBe(true);
    expect(users.has("@bufbuild/protobuf")).toBe(true);

    const missing = [...users]
      .filter(([name]) => !(name in manifest.dependencies))
      .map(([name, files]) => `${name}${name in manifest.devDependencies ? " (a devDependency)" : ""}: ${files.slice(0, 3).join(", ")}`);
    expect(missing, "move these to dependencies, or keep them out of services/ and gen/").toEqual([]);
  });
});
