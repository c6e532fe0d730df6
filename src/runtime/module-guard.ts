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
 * Every `import()` in `body`, in source order: its URL (`null` when computed)
 * and body offset. A body that does not parse has none here (it will not run either).
 */
export function findImports(body: string): RemoteImport[] {
  let program: acorn.Program;
  try {
    program = acorn.parse(`${PREFIX}${body}\n})`, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch {
    return [];
  }
  const found: RemoteImport[] = [];
  walk.full(program, (node) => {
    if (node.type !== 'ImportExpression') return;
    const source = (node as acorn.ImportExpression).source;
    const url = source.type === 'Literal' && typeof source.value === 'string' ? source.value : null;
    found.push({ url, offset: Math.max(0, node.start - PREFIX.length) });
  });
  return found.sort((a, b) => a.offset - b.offset);
}

/**
 * The first `import()` in `body` that does not load a same-origin http(s)
 * module resolved against `base`, or `null` when there is none.
 */
export function findRemoteImport(body: string, base: string): RemoteImport | null {
  const origin = new URL(base).origin;
  return findImports(body).find(({ url }) => url === null || !sameOriginModule(url, base, origin)) ?? null;
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
