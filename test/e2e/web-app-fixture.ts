import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser } from "playwright-core";
import { loadPlatformConfig } from "../../services/platform/config.js";
import { startEmbeddedPlatform, type EmbeddedPlatform } from "../../services/platform/embedded-platform.js";
import { createLogger } from "../../services/shared/logging/logger.js";

const run = promisify(execFile);
export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots a person can look at after the run; .services/ is gitignored. */
export const ARTEFACTS_DIR = join(REPO_ROOT, ".services", "e2e");

export const chromiumInstalled = () => existsSync(CHROMIUM_PATH);

/** The web app built by Vite into a private folder, so a stale web/dist never decides a run. */
export async function buildWebApp(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "boxoffice-web-"));
  await run("npx", ["vite", "build", "--config", "web/vite.config.ts", "--outDir", dir, "--emptyOutDir"], { cwd: REPO_ROOT });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export type PlatformWithWebApp = EmbeddedPlatform & { baseUrl: string };

/** The embedded platform on free ports serving the given web app build; env overrides its settings. */
export async function startPlatformWithWebApp(webRoot: string, env: Record<string, string> = {}): Promise<PlatformWithWebApp> {
  const config = loadPlatformConfig({
    PORT: "0",
    ADMIN_PORT: "0",
    CATALOG_PORT: "0",
    SEARCH_PORT: "0",
    BOOKING_PORT: "0",
    QUEUE_PORT: "0",
    BOXOFFICE_DATA_DIR: "memory",
    DEMO_EVENTS: "40",
    EDGE_WEB_ROOT: webRoot,
    ...env,
  });
  const platform = await startEmbeddedPlatform(config, createLogger("e2e", process.env.E2E_LOG_LEVEL ?? "silent"));
  return Object.assign(platform, { baseUrl: `http://127.0.0.1:${platform.edgePort}` });
}

/**
 * Debian's Chromium driven by playwright-core. The flags keep it from reaching for Google's
 * services, which this machine's closed network refuses; Playwright gives it a fresh profile.
 */
export async function launchChromium(): Promise<Browser> {
  await mkdir(ARTEFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** What a browser suite runs against: a fresh build, the platform serving it, and Chromium. */
export interface BrowserSuite {
  platform: PlatformWithWebApp;
  browser: Browser;
  close(): Promise<void>;
}

export async function startBrowserSuite(env: Record<string, string> = {}): Promise<BrowserSuite> {
  const webApp = await buildWebApp();
  let platform: PlatformWithWebApp | undefined;
  try {
    platform = await startPlatformWithWebApp(webApp.dir, env);
    const browser = await launchChromium();
    const started = platform;
    return {
      platform: started,
      browser,
      async close() {
        await browser.close();
        await started.close();
        await webApp.remove();
      },
    };
  } catch (error) {
    await platform?.close();
    await webApp.remove();
    throw error;
  }
}
