/**
 * The page loads the TypeScript transpiler on demand (only notebooks with
 * `ts` cells need it); unit tests compile such cells directly, so it is
 * loaded once before them. `test/compile/transpile-loading.test.ts` covers
 * the not-loaded case in a fresh module.
 */
import { loadTypeScript } from '../../src/compile/transpile.ts';

await loadTypeScript();
