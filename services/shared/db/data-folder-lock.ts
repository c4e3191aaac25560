import lockfile from 'proper-lockfile';
import { ConfigError } from '../config/load-config.js';

/** The data folder named by the configuration is held by another running process. */
export class DataFolderInUseError extends ConfigError {
  override name = 'DataFolderInUseError';
}

/**
 * Holds a PGlite data folder for this process alone: two PostgreSQL engines writing the same
 * files corrupt them. proper-lockfile keeps `<folder>.lock` fresh while we run and releases it
 * on exit; a lock left by a process that died goes stale after 10 s and is taken over.
 * Returns the release.
 */
export function lockDataFolder(dataDir: string): () => void {
  try {
    return lockfile.lockSync(dataDir, { stale: 10_000, update: 2_000, realpath: false });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    throw new DataFolderInUseError(
      `the data folder ${dataDir} is in use by another running boxoffice process (npm start): stop that one, ` +
        'or give this one another folder with BOXOFFICE_DATA_DIR (BOXOFFICE_DATA_DIR=memory keeps nothing)',
    );
  }
}
