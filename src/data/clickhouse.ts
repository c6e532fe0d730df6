/**
 * ClickHouse over its HTTP interface, as a `Connector`.
 *
 * The SQL travels in a POST body. The user and password travel in an
 * `Authorization: Basic` header (UTF-8, so a password with "ü" works; the
 * `X-ClickHouse-Key` header cannot carry it), never in the URL, where the
 * browser's network log and the server's request log would show them. The
 * header makes the request non-simple: the browser first sends a CORS
 * preflight (`OPTIONS`), which ClickHouse answers from 21.10 on
 * (`http_options_response`, in its default configuration since 23.11). For
 * older servers the front matter says `auth: url`: user and password go as
 * URL parameters, and the request stays simple (no preflight). Brook changes
 * no setting (a read-only user may not): the server sends CORS headers by its
 * own configuration (`add_http_cors_header = 1` for the reader's profile; see
 * docs/security.md).
 *
 * The first query a page sends learns what the server can do, once: its
 * version, its time zone (plain `DateTime` is printed in it), and, from
 * 19.x on, whether this user may send query parameters (`{p1:Type}` +
 * `param_p1=…`); without them, `${}` values are bound as escaped literals
 * (`clickhouse-params.ts`). Queries are wrapped as
 * `SELECT * FROM (…) LIMIT rowLimit + 1 FORMAT JSONCompact`: the wrap bounds
 * what travels, and lets only a SELECT through. Results are converted to
 * Arrow (`clickhouse-results.ts`).
 */
import type { EngineSpec } from '../notebook/types.ts';
import { bindClickHouse, writtenOffset, type BoundSql } from './clickhouse-params.ts';
import { jsonCompactToArrow, type JsonCompactAnswer } from './clickhouse-results.ts';
import { EngineError, type Connector, type ConnectorContext, type ConnectorQuery } from './connector.ts';

/** What the first request learned about the server. */
interface ServerFacts {
  version: string;
  zone: string;
  serverParams: boolean;
}

/** Error codes ClickHouse uses for a refused login (unknown user, wrong password, required password, authentication failed). */
const AUTH_CODES = new Set([192, 193, 194, 195, 516]);

/** `Code: 62, e.displayText() = DB::Exception: …, e.what() = …` (18.x) or `Code: 62. DB::Exception: … (SYNTAX_ERROR) (version …)` (later). */
export function clickhouseMessage(text: string): { code?: number; message: string } {
  const trimmed = text.trim();
  const code = /Code:\s*(\d+)/.exec(trimmed)?.[1];
  let message = trimmed
    .replace(/^[\s\S]*?Code:\s*\d+[.,]\s*(e\.displayText\(\)\s*=\s*)?/, '')
    .replace(/^DB::Exception:\s*/, '')
    .replace(/,\s*e\.what\(\)\s*=\s*DB::Exception\s*$/, '')
    .replace(/\s*\(version [^)]*\)\s*$/, '')
    .trim();
  // 18.x lists every statement it could have parsed: keep a short list, drop a long one.
  const expected = /\.?\s*Expected one of:([\s\S]*)$/.exec(message);
  if (expected && expected[1].split(',').length > 6) message = message.slice(0, expected.index).trim();
  if (message === '') message = trimmed;
  return { code: code === undefined ? undefined : Number(code), message };
}

/** The UTF-16 offset of UTF-8 byte `byteOffset` in `text`. */
function charOffset(text: string, byteOffset: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    if (bytes >= byteOffset) return i;
    const code = text.codePointAt(i)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (code >= 0x10000) i++;
  }
  return text.length;
}

/** 1-based line and column of `offset` in `text`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** `Basic base64(user:password)` of the UTF-8 bytes (as ClickHouse decodes it; `btoa` alone takes Latin-1). */
export function basicAuthorization(user: string, password: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${user}:${password}`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** A browser's no-cors probe: an opaque answer means the server is there (and only CORS hid the real one). */
function browserReachable(url: string): Promise<boolean> {
  const inBrowser = typeof document !== 'undefined' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
  // Outside a browser nothing hides an answer: a failed request means the server is not there.
  if (!inBrowser) return Promise.resolve(false);
  return fetch(new URL('ping', url), { mode: 'no-cors', credentials: 'omit', cache: 'no-store' }).then(() => true, () => false);
}

/** The origin this code runs on, for messages about CORS. */
function pageOrigin(): string {
  const location = (globalThis as { location?: { origin?: string } }).location;
  return location?.origin && location.origin !== 'null' ? location.origin : 'this page';
}

export function clickhouseConnector(spec: EngineSpec, context: ConnectorContext): Connector {
  const fetcher = context.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const reachable = context.reachable ?? browserReachable;
  const where = `the engine ${context.name} (${spec.url})`;
  let facts: Promise<ServerFacts> | undefined;

  /** One POST of `body`; the answer text, or a classified `EngineError`. */
  async function post(body: string, params: Record<string, string> = {}): Promise<string> {
    const url = new URL(spec.url);
    const password = context.password();
    const headers: Record<string, string> = {};
    if (spec.auth === 'url') {
      if (spec.user) url.searchParams.set('user', spec.user);
      if (password) url.searchParams.set('password', password);
    } else if (spec.user || password) {
      headers.authorization = basicAuthorization(spec.user ?? 'default', password ?? '');
    }
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    let response: Response;
    const send = () => fetcher(url, { method: 'POST', body, headers, credentials: 'omit', cache: 'no-store' });
    try {
      // Once more on a network failure: a kept-alive connection the server closed fails the first try (a SELECT is safe to repeat).
      response = await send().catch(send);
    } catch {
      // The browser says only "failed": find out whether the server is there at all.
      if (await reachable(spec.url).catch(() => false)) {
        throw new EngineError(
          'cors',
          `The engine ${context.name} (${spec.url}) answered, but the browser may not let ${pageOrigin()} read its answers (CORS).`,
          `The server must send Access-Control-Allow-Origin to this page, also on errors (see docs/security.md).${
            spec.user ? ` ClickHouse before 22.10 sends no CORS headers when it refuses a user or password, so a wrong password for ${spec.user} looks like this too.` : ''
          }${
            spec.auth !== 'url' && (spec.user || password)
              ? ' The password travels in a header, which needs the server to answer the browser\'s preflight (OPTIONS): ClickHouse before 21.10 does not; for such a server write `auth: url` under the engine.'
              : ''
          }`,
        );
      }
      throw new EngineError('unreachable', `Could not reach ${where}.`, 'Is the server running, is the address right, and can this computer reach it?');
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return text;
    const { code, message } = clickhouseMessage(text);
    if (response.status === 401 || response.status === 403 || (code !== undefined && AUTH_CODES.has(code))) {
      throw new EngineError('auth', `The engine ${context.name} (${spec.url}) refused ${spec.user ? `the user ${spec.user}` : 'the request'}: ${message}`, 'Enter the password for this engine.');
    }
    throw Object.assign(new EngineError('query', `ClickHouse: ${message || `HTTP ${response.status}`}`), { code });
  }

  /** Version, time zone, and whether query parameters work for this user: learned once (a failure is not kept). */
  function serverFacts(): Promise<ServerFacts> {
    facts ??= (async () => {
      const answer = parseAnswer(await post('SELECT version() AS version, timezone() AS zone FORMAT JSONCompact'));
      const [version, zone] = (answer.data[0] ?? []) as [string, string];
      let serverParams = false;
      // Query parameters arrived in 19.x; a server that refuses them for this user (they were settings once,
      // and a read-only user may change none) does so without CORS headers, so any failure means "no".
      if (Number(/^(\d+)\./.exec(String(version))?.[1] ?? 0) >= 19) {
        serverParams = await post('SELECT {p:UInt8} AS p FORMAT JSONCompact', { param_p: '1' }).then(
          (text) => parseAnswer(text).data[0]?.[0] === 1,
          () => false,
        );
      }
      return { version: String(version), zone: String(zone || 'UTC'), serverParams };
    })();
    facts.catch(() => {
      facts = undefined;
    });
    return facts;
  }

  function parseAnswer(text: string): JsonCompactAnswer {
    try {
      const answer = JSON.parse(text) as JsonCompactAnswer;
      if (!Array.isArray(answer.meta) || !Array.isArray(answer.data)) throw new Error('no meta or data');
      return answer;
    } catch {
      // An error after the answer started streaming ends the body with ClickHouse's exception text.
      if (/Code:\s*\d+/.test(text)) throw new EngineError('query', `ClickHouse: ${clickhouseMessage(text.slice(text.search(/Code:\s*\d+/))).message}`);
      throw new EngineError('answer', `${where} did not answer with JSON (is the URL ClickHouse's HTTP interface?).`);
    }
  }

  return {
    kind: 'clickhouse',
    identity: `clickhouse ${spec.url} ${spec.user ?? ''}`,
    reset() {
      facts = undefined;
    },
    async run(query: ConnectorQuery) {
      const server = await serverFacts();
      const bound: BoundSql = bindClickHouse(query.sql, query.placeholders ?? [], query.params, server.serverParams ? 'server' : 'literal');
      const inner = bound.sql.replace(/[\s;]+$/, '');
      const prefix = 'SELECT * FROM (\n';
      const body = `${prefix}${inner}\n) LIMIT ${spec.rowLimit + 1} FORMAT JSONCompact`;
      let text: string;
      try {
        text = await post(body, bound.params);
      } catch (error) {
        throw placed(error, body, prefix.length, bound, query.sql);
      }
      const answer = parseAnswer(text);
      if (answer.data.length > spec.rowLimit) {
        throw new EngineError(
          'too-large',
          `The result has more than ${spec.rowLimit.toLocaleString('en')} rows, the row limit of ${where}.`,
          `Aggregate or filter in the SQL (GROUP BY, WHERE, LIMIT), or raise rowLimit for ${context.name} in the front matter.`,
        );
      }
      return { ipc: jsonCompactToArrow(answer, server.zone) };
    },
  };
}

/**
 * A server error with "at position N" (a byte offset in the body sent, which
 * wraps the cell's SQL and has its values bound) says where that is in the
 * SQL as written in the cell instead: "at line 3, column 22 of the cell's
 * SQL: <the text there>", or "at the end of the cell's SQL".
 */
function placed(error: unknown, body: string, prefixLength: number, bound: BoundSql, written: string): unknown {
  if (!(error instanceof EngineError) || error.kind !== 'query') return error;
  const position = /at position (\d+)(?: \(line \d+, col \d+\))?(?::[\s\S]*)?$/.exec(error.message);
  if (!position) return error;
  const inBound = charOffset(body, Number(position[1]) - 1) - prefixLength;
  if (inBound < 0) return error;
  let where: string;
  if (inBound >= bound.sql.replace(/[\s;]+$/, '').length) {
    where = "at the end of the cell's SQL";
  } else {
    const offset = writtenOffset(bound, inBound);
    const { line, column } = lineColumn(written, offset);
    const excerpt = written.slice(offset).split('\n')[0].slice(0, 40);
    where = `at line ${line}, column ${column} of the cell's SQL: ${excerpt}`;
  }
  return new EngineError('query', error.message.slice(0, position.index) + where, error.hint);
}
