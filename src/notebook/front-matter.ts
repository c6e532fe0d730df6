/**
 * YAML front matter: a `---` line as the very first line, YAML, and a closing
 * `---` (or `...`) line. Parsed with the `yaml` package; every YAML error and
 * every invalid value becomes a diagnostic placed in the notebook file, and the
 * rest of the notebook still parses.
 */
import { isMap, isScalar, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { isBindableName } from './identifier.ts';
import type { LineIndex } from './position.ts';
import { ENGINE_AUTHS, ENGINE_TYPES, type Diagnostic, type EngineAuth, type EngineSpec, type EngineType, type FrontMatter } from './types.ts';

/** A remote result stays fresh this long unless the engine says `maxAge:` (5 minutes). */
export const DEFAULT_ENGINE_MAX_AGE_MS = 5 * 60_000;
/** Rows a remote result may have unless the engine says `rowLimit:`. */
export const DEFAULT_ENGINE_ROW_LIMIT = 100_000;

type Report = (code: string, message: string, range: readonly number[] | null | undefined, severity?: 'error' | 'warning') => void;

/** Where the front matter sits in the (normalized) notebook text. */
export interface FrontMatterBlock {
  /** Offset of the first YAML character (start of line 2). */
  yamlStart: number;
  /** Offset just past the YAML (start of the closing line). */
  yamlEnd: number;
  /** 0-based line of the first line after the closing delimiter. */
  bodyLine: number;
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

/** The default front matter of a notebook that has none. */
export function defaultFrontMatter(): FrontMatter {
  return { layout: 'centered', data: {}, extra: {} };
}

/**
 * Finds the front matter block. Returns `null` when the first line is not
 * `---`. An opening `---` that is never closed is reported and then treated as
 * ordinary Markdown (a thematic break), so no content disappears.
 */
export function findFrontMatter(index: LineIndex, diagnostics: Diagnostic[]): FrontMatterBlock | null {
  if (!OPEN.test(index.lineText(0))) return null;
  for (let line = 1; line < index.lineCount; line++) {
    if (CLOSE.test(index.lineText(line))) {
      return { yamlStart: index.lineStart(1), yamlEnd: index.lineStart(line), bodyLine: line + 1 };
    }
  }
  diagnostics.push({
    severity: 'error',
    code: 'unterminated-front-matter',
    message: 'Front matter starts with `---` on line 1 but has no closing `---` line; it is read as Markdown.',
    span: index.span(0, index.lineEnd(0)),
  });
  return null;
}

/** Parses and validates the YAML of a front matter block. Never throws. */
export function parseFrontMatter(block: FrontMatterBlock, index: LineIndex, diagnostics: Diagnostic[]): FrontMatter {
  const result = defaultFrontMatter();
  const yamlText = index.text.slice(block.yamlStart, block.yamlEnd);
  const at = (start: number, end: number) => index.span(block.yamlStart + start, block.yamlStart + Math.max(start, end));
  const report = (code: string, message: string, range: readonly number[] | null | undefined, severity: 'error' | 'warning' = 'error') => {
    const [s, e] = range ?? [0, 0];
    diagnostics.push({ severity, code, message, span: at(s, e) });
  };

  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  // yaml reports some errors (a missing closing quote or bracket) at the very end of
  // the YAML; point at its last character instead of the closing `---` line.
  const lastChar = Math.max(0, yamlText.trimEnd().length - 1);
  for (const error of doc.errors) {
    const start = Math.min(error.pos[0], lastChar);
    report('front-matter-yaml', `Front matter YAML: ${error.message}`, [start, Math.max(start, Math.min(error.pos[1], lastChar + 1))]);
  }
  if (doc.errors.length > 0) return result;

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return result;
  if (!isMap(root)) {
    report('front-matter-invalid', 'Front matter must be a YAML mapping (`key: value` lines).', root.range);
    return result;
  }

  for (const pair of root.items) {
    const keyNode = pair.key as YamlNode | null;
    const valueNode = pair.value as YamlNode | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : null;
    const valueRange = valueNode?.range ?? keyNode?.range;
    const value: unknown = valueNode ? valueNode.toJS(doc) : null;
    if (key === null) {
      report('front-matter-invalid', 'Front matter keys must be plain names.', keyNode?.range);
      continue;
    }
    switch (key) {
      case 'title':
      case 'id': {
        if (typeof value === 'string' && value.trim() !== '') result[key] = value;
        else if (typeof value === 'number') result[key] = String(value);
        else report('front-matter-invalid', `\`${key}\` must be a non-empty string.`, valueRange);
        break;
      }
      case 'layout': {
        if (value === 'centered' || value === 'wide') result.layout = value;
        else report('front-matter-invalid', '`layout` must be `centered` or `wide`.', valueRange);
        break;
      }
      case 'timeout': {
        if (typeof value === 'number' && Number.isFinite(value) && value > 0) result.timeout = value;
        else report('front-matter-invalid', '`timeout` must be a positive number of milliseconds.', valueRange);
        break;
      }
      case 'data': {
        if (value === null) break;
        if (!isMap(valueNode)) {
          report('front-matter-invalid', '`data` must map table names to paths or https URLs.', valueRange);
          break;
        }
        for (const entry of valueNode.items) {
          const nameNode = entry.key as YamlNode | null;
          const pathNode = entry.value as YamlNode | null;
          const name = isScalar(nameNode) ? String(nameNode.value) : '';
          const path = isScalar(pathNode) ? pathNode.value : undefined;
          if (!isBindableName(name)) {
            report('front-matter-invalid', `Table name \`${name}\` must be an identifier (letters, digits, _; not a reserved word).`, nameNode?.range);
          } else if (typeof path !== 'string' || path.trim() === '') {
            report('front-matter-invalid', `Table \`${name}\` needs a path or https URL.`, pathNode?.range ?? nameNode?.range);
          } else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) && !/^https:\/\//i.test(path)) {
            report('front-matter-invalid', `Table \`${name}\`: only relative paths and https URLs can be loaded.`, pathNode?.range);
          } else {
            result.data[name] = path;
          }
        }
        break;
      }
      case 'engines': {
        if (value === null) break;
        if (!isMap(valueNode)) {
          report('front-matter-invalid', '`engines` must map engine names to settings (`type`, `url`, `user`, …).', valueRange);
          break;
        }
        const engines = parseEngines(valueNode, doc, report);
        if (Object.keys(engines).length > 0) result.engines = engines;
        break;
      }
      default:
        result.extra[key] = value;
    }
  }
  return result;
}

const ENGINE_KEYS = new Set(['type', 'url', 'user', 'auth', 'maxAge', 'rowLimit']);

/**
 * `engines:` entries. Each must name a known `type` and an http(s) `url`
 * without credentials in it; a `password` key is refused outright (the
 * notebook is shared and shown to readers: a password is asked from the
 * reader instead). An invalid entry is left out, so the cells that pick it
 * say the engine is not declared.
 */
function parseEngines(map: YamlNode & { items: Array<{ key: unknown; value: unknown }> }, doc: Document, report: Report): Record<string, EngineSpec> {
  const engines: Record<string, EngineSpec> = {};
  for (const entry of map.items) {
    const nameNode = entry.key as YamlNode | null;
    const specNode = entry.value as YamlNode | null;
    const name = isScalar(nameNode) ? String(nameNode.value) : '';
    if (!isBindableName(name)) {
      report('front-matter-invalid', `Engine name \`${name}\` must be an identifier (letters, digits, _).`, nameNode?.range);
      continue;
    }
    if (!isMap(specNode)) {
      report('front-matter-invalid', `Engine \`${name}\` needs settings: \`type\`, \`url\` and usually \`user\`.`, specNode?.range ?? nameNode?.range);
      continue;
    }
    const fields = new Map<string, { value: unknown; range: readonly number[] | null | undefined }>();
    let valid = true;
    for (const item of specNode.items) {
      const keyNode = item.key as YamlNode | null;
      const valueNode = item.value as YamlNode | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      if (key === 'password') {
        report('front-matter-invalid', `Engine \`${name}\`: a password never goes in the notebook (it is shared and shown to readers); Brook asks the reader for it.`, keyNode?.range);
        valid = false;
      } else if (!ENGINE_KEYS.has(key)) {
        report('front-matter-invalid', `Engine \`${name}\`: unknown setting \`${key}\` (expected type, url, user, auth, maxAge, rowLimit); it is ignored.`, keyNode?.range, 'warning');
      } else {
        fields.set(key, { value: valueNode ? valueNode.toJS(doc) : null, range: valueNode?.range ?? keyNode?.range });
      }
    }
    const type = fields.get('type');
    if (!type || !(ENGINE_TYPES as readonly unknown[]).includes(type.value)) {
      report('front-matter-invalid', `Engine \`${name}\` needs \`type:\` ${ENGINE_TYPES.map((t) => `\`${t}\``).join(' or ')}${type ? ` (not \`${String(type.value)}\`)` : ''}.`, type?.range ?? nameNode?.range);
      valid = false;
    }
    const url = fields.get('url');
    const urlProblem = engineUrlProblem(url?.value);
    if (urlProblem) {
      report('front-matter-invalid', `Engine \`${name}\`: ${urlProblem}`, url?.range ?? nameNode?.range);
      valid = false;
    }
    const user = fields.get('user');
    if (user && (typeof user.value !== 'string' || user.value.trim() === '')) {
      report('front-matter-invalid', `Engine \`${name}\`: \`user\` must be a user name.`, user.range);
      valid = false;
    }
    const auth = fields.get('auth');
    if (auth && !(ENGINE_AUTHS as readonly unknown[]).includes(auth.value)) {
      report('front-matter-invalid', `Engine \`${name}\`: \`auth\` must be \`header\` (user and password in an Authorization header, the default) or \`url\` (in URL parameters, for servers that answer no CORS preflight).`, auth.range);
      valid = false;
    }
    const maxAge = fields.get('maxAge');
    const maxAgeMs = maxAge ? durationMs(maxAge.value) : DEFAULT_ENGINE_MAX_AGE_MS;
    if (maxAgeMs === undefined) {
      report('front-matter-invalid', `Engine \`${name}\`: \`maxAge\` must be a duration like \`30s\`, \`5m\`, \`2h\` or \`1d\` (a bare number is seconds; 0 = never reuse a result).`, maxAge?.range);
      valid = false;
    }
    const rowLimit = fields.get('rowLimit');
    if (rowLimit && !(typeof rowLimit.value === 'number' && Number.isSafeInteger(rowLimit.value) && rowLimit.value > 0)) {
      report('front-matter-invalid', `Engine \`${name}\`: \`rowLimit\` must be a positive whole number of rows.`, rowLimit.range);
      valid = false;
    }
    if (!valid) continue;
    engines[name] = {
      type: type!.value as EngineType,
      url: String(url!.value).trim(),
      ...(user ? { user: String(user.value).trim() } : {}),
      ...(auth ? { auth: auth.value as EngineAuth } : {}),
      maxAgeMs: maxAgeMs!,
      rowLimit: rowLimit ? (rowLimit.value as number) : DEFAULT_ENGINE_ROW_LIMIT,
    };
  }
  return engines;
}

/** Why `value` cannot be an engine URL, or `undefined` when it can. */
function engineUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return '`url` must be the engine\'s http(s) address, e.g. `https://warehouse.example.com:8443/`.';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return `\`${value}\` is not a URL (write it whole: \`https://host:port/\`).`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `\`url\` must be http(s), not ${url.protocol}`;
  if (url.username || url.password) return '`url` must not hold a user or password (write `user:` on its own; a password is asked from the reader).';
  if (url.search || url.hash) return '`url` must not hold a query string or fragment (Brook adds its own parameters).';
  return undefined;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `5m`, `2h`, `1d`, `500ms`, or a number of seconds → milliseconds; `undefined` when not a duration. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  return match ? Number(match[1]) * UNIT_MS[match[2]] : undefined;
}

/**
 * The 1-based line of the `data:` entry naming `table` in a notebook's front
 * matter, for messages about that table's data (`sales.md, line 4: …`).
 */
export function dataEntryLine(text: string, table: string): number | undefined {
  const lines = text.split(/\r\n|\n|\r/);
  if (!OPEN.test(lines[0] ?? '')) return undefined;
  const entry = new RegExp(`^\\s+["']?${table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`);
  let inData = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (CLOSE.test(line)) return undefined;
    if (/^data\s*:/.test(line)) inData = true;
    else if (/^\S/.test(line)) inData = false;
    else if (inData && entry.test(line)) return i + 1;
  }
  return undefined;
}
