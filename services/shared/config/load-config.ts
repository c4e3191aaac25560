import { z } from "zod";

/** Thrown at start-up when the environment does not describe a runnable process. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const SECRET_NAME = /SECRET|PASSWORD|_KEY$/;

/**
 * Parses the process environment once, at start-up, so a bad variable stops the process with
 * a message naming it instead of failing later inside a request.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    const value = typeof issue.path[0] === "string" ? env[issue.path[0]] : undefined;
    // A secret is never echoed: the message lands in logs and CI output.
    const shown = value === undefined ? "unset" : SECRET_NAME.test(name) ? "set, not shown" : JSON.stringify(value);
    return `  ${name} (${shown}): ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration:\n${problems.join("\n")}`);
}
