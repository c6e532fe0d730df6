/**
 * "Run without network" for modules. `import()` is syntax, so the worker's
 * lockdown cannot delete it, and a static host cannot give the runtime worker
 * a Content-Security-Policy. So a network-blocked notebook's cell bodies are
 * checked before they become functions: every `import()` must name a literal
 * http(s) URL of the app's own origin. Code built from strings at run time
 * (`eval`, `Function`, string timers) is removed by the lockdown in the same
 * mode, so the bodies checked here are the only code that runs.
 * Pure: acorn only.
 */
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

/** An `import()` that would load code from elsewhere: its URL (or `null` when computed) and body offset. */
export interface RemoteImport {
  url: string | null;
  offset: number;
}

/** The cell-body wrapper acorn parses (bodies use `await` and `return` at top level). */
const PREFIX = '(async function () {\n';

/**
 * The first `import()` in `body` that does not load a same-origin http(s)
 * module resolved against `base`, or `null` when there is none. A body that
 * does not parse is left to the engine (it will not run either).
 */
export function findRemoteImport(body: string, base: string): RemoteImport | null {
  let program: acorn.Program;
  try {
    program = acorn.parse(`${PREFIX}${body}\n})`, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch {
    return null;
  }
  const origin = new URL(base).origin;
  let found: RemoteImport | null = null;
  walk.full(program, (node) => {
    if (found || node.type !== 'ImportExpression') return;
    const source = (node as acorn.ImportExpression).source;
    const offset = Math.max(0, node.start - PREFIX.length);
    if (source.type !== 'Literal' || typeof source.value !== 'string') {
      found = { url: null, offset };
      return;
    }
    if (!sameOriginModule(source.value, base, origin)) found = { url: source.value, offset };
  });
  return found;
}

function sameOriginModule(specifier: string, base: string, origin: string): boolean {
  try {
    const url = new URL(specifier, base);
    // `blob:` URLs carry the page's origin but hold whatever code made them.
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
  } catch {
    return false;
  }
}
