/**
 * The generic Brook app (index.html + assets) that every built notebook ships.
 * It is the same for every notebook, so the CLI builds it once with Vite into
 * `dist/app` and reuses it until a source file changes.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressTree } from './compressed-assets.ts';

/** The repository root (where `vite.config.ts` and `index.html` live). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What decides whether the bundle is stale, relative to the project root. */
const BUNDLE_INPUTS = ['src', 'workers', 'public', 'index.html', 'vite.config.ts', 'package.json'];

export interface AppBundleOptions {
  /** Project root; defaults to this repository. */
  projectRoot?: string;
  /** Where the bundle goes; defaults to `<projectRoot>/dist/app`. */
  outDir?: string;
  /** Build even when the bundle is newer than every input. */
  rebuild?: boolean;
  /** Progress messages ("building the app…"). */
  log?: (message: string) => void;
}

export interface AppBundle {
  /** The directory holding `index.html` and `assets/`. */
  dir: string;
  /** Whether this call ran Vite. */
  built: boolean;
}

/** Newest modification time of a file or, recursively, of anything in a directory. */
function newestMtime(path: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Whether `dir` holds a bundle built after the last change to any input
 * (`src/`, `workers/`, `public/`, `index.html`, `vite.config.ts`, `package.json`).
 */
export function appBundleIsFresh(projectRoot: string, dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const builtAt = statSync(index).mtimeMs;
  return BUNDLE_INPUTS.every((input) => newestMtime(join(projectRoot, input)) <= builtAt);
}

/**
 * Returns the app bundle, building it with Vite's JS API first when it is
 * missing, stale or `rebuild` is set. Vite writes to a temporary sibling that
 * replaces the old bundle only when the build succeeded, so a failed build
 * never leaves a half-written `dist/app` behind.
 */
export async function ensureAppBundle(options: AppBundleOptions = {}): Promise<AppBundle> {
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const dir = options.outDir ?? join(projectRoot, 'dist', 'app');
  if (!options.rebuild && appBundleIsFresh(projectRoot, dir)) return { dir, built: false };

  options.log?.(`Building the Brook app into ${dir} (once; reused until its sources change)…`);
  const staging = `${dir}.building-${process.pid}`;
  const { build } = await import('vite');
  try {
    await build({
      root: projectRoot,
      configFile: join(projectRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    options.log?.('Compressing the app (.br, .gz; once per bundle)…');
    await compressTree(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { dir, built: true };
}
