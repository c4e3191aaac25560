import type { Schema } from "./schema-views.js";

/**
 * The few shapes of CEL rule our contracts write, as JSON Schema keywords; undefined for any
 * other expression, whose message then only describes it. A predefined rule's `!rule || …`
 * guard is dropped when the rule is on (true) — off, the rule asks nothing.
 */
export function celRuleKeywords(expression: string, ruleValue?: unknown): Schema | undefined {
  let text = expression.trim();
  if (text.startsWith("!rule ||")) {
    if (ruleValue !== true) return {};
    text = text.slice("!rule ||".length).trim();
  }
  const matches = /^this\.matches\('((?:[^'\\]|\\.)*)'\)$/.exec(text);
  if (matches) return { pattern: celString(matches[1]!) };
  const emptyOrMatches = /^this == '' \|\| this\.matches\('((?:[^'\\]|\\.)*)'\)$/.exec(text);
  if (emptyOrMatches) return { pattern: `^$|${celString(emptyOrMatches[1]!)}` };
  const matchesNot = /^!this\.matches\('((?:[^'\\]|\\.)*)'\)$/.exec(text);
  if (matchesNot) return { not: { pattern: celString(matchesNot[1]!) } };
  if (text === "this != ''") return { minLength: 1 };
  if (text === "this != 0") return { not: { const: 0 } };
  if (text === "this.unique()") return { uniqueItems: true };
  return undefined;
}

/**
 * A CEL single-quoted string literal as a regular expression: quotes and backslashes unescaped;
 * the other escapes (\x1f, \u00e9, \n, \t) are left as they are, meaning the same in the pattern.
 */
function celString(literal: string): string {
  return literal.replace(/\\([\\'"`?])/g, "$1");
}
