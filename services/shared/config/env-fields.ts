import { z } from "zod";

/** Reusable environment fields; every process composes its own schema from these. */

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export const logLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .default("info");

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A postgres:// URL. */
export const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// URL");

/** Comma-separated redis:// URLs, e.g. the independent Redlock masters. */
export const redisUrlList = z
  .string()
  .transform((value) => value.split(",").map((url) => url.trim()).filter(Boolean))
  .refine((urls) => urls.length > 0, "must list at least one redis:// URL")
  .refine((urls) => urls.every((url) => /^rediss?:\/\//.test(url)), "every entry must be a redis:// URL");

/** host:port of another service (Online Boutique style: one variable per dependency). */
export const serviceAddress = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d+$/, "must be host:port, e.g. catalog:50051");

export const authFields = {
  AUTH_MODE: z.enum(["dev", "jwks"]).default("dev"),
  /** HS256 secret for tokens minted in dev mode; production verifies against the IdP's JWKS. */
  AUTH_DEV_SECRET: z.string().min(16).default("boxoffice-dev-secret-not-for-production"),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_ISSUER: z.string().default("boxoffice-dev"),
  AUTH_AUDIENCE: z.string().default("boxoffice"),
};
