/**
 * The runtime worker's channel to the data worker: two message kinds, and
 * nothing else. Notebook code runs in the runtime worker, so whatever arrives
 * on this port may be forged (a cell that captured the port could otherwise
 * drive every method of the data worker — `ingestUrl` of any URL, `dropTable`
 * — as generic Comlink RPC). The data worker parses each message with
 * {@link parseDataChannelRequest} and ignores anything else. Pure.
 */
import type { QueryRequest, QueryResponse, Result } from '../data/api.ts';

/** What the runtime may ask the data worker. */
export type DataChannelRequest =
  | { kind: 'brook:query'; id: number; request: QueryRequest }
  | { kind: 'brook:cancelBefore'; generation: number };

/** The data worker's answer to a `brook:query` of the same `id`. */
export interface DataChannelReply {
  kind: 'brook:queryResult';
  id: number;
  result: Result<QueryResponse>;
}

/** Longest SQL accepted over the channel (a cell's SQL is far shorter; this bounds a flood). */
const MAX_SQL_LENGTH = 1 << 20;

/**
 * A well-formed request, rebuilt from only the fields it may carry, or `null`
 * for anything else (other kinds, extra methods, wrong types).
 */
export function parseDataChannelRequest(data: unknown): DataChannelRequest | null {
  if (data === null || typeof data !== 'object') return null;
  const message = data as Record<string, unknown>;
  if (message.kind === 'brook:cancelBefore') {
    return isGeneration(message.generation) ? { kind: 'brook:cancelBefore', generation: message.generation } : null;
  }
  if (message.kind !== 'brook:query' || !Number.isSafeInteger(message.id)) return null;
  const request = message.request as Record<string, unknown> | null;
  if (request === null || typeof request !== 'object') return null;
  const { sql, params, generation, engine, as, placeholders, prepare } = request;
  if (typeof sql !== 'string' || sql.length > MAX_SQL_LENGTH || !Array.isArray(params)) return null;
  if (generation !== undefined && !isGeneration(generation)) return null;
  const rebuilt: QueryRequest = { sql, params: [...params], generation };
  // A hint (which parameters follow a brush): indexes of `params`, or it is left out.
  if (Array.isArray(prepare) && prepare.length <= params.length && prepare.every((i) => Number.isSafeInteger(i) && i >= 0 && i < params.length)) {
    rebuilt.prepare = [...(prepare as number[])];
  }
  // An engine query names its engine (the data worker checks it is declared), its cell, and where its parameters go.
  if (engine !== undefined) {
    if (typeof engine !== 'string' || (as !== undefined && typeof as !== 'string')) return null;
    if (!Array.isArray(placeholders) || !placeholders.every((at) => Number.isSafeInteger(at))) return null;
    Object.assign(rebuilt, { engine, placeholders: [...(placeholders as number[])] }, as === undefined ? {} : { as });
  }
  return { kind: 'brook:query', id: message.id as number, request: rebuilt };
}

/** True for a reply this channel sends (checked by the runtime side). */
export function isDataChannelReply(data: unknown): data is DataChannelReply {
  if (data === null || typeof data !== 'object') return false;
  const reply = data as Record<string, unknown>;
  return reply.kind === 'brook:queryResult' && Number.isSafeInteger(reply.id) && typeof reply.result === 'object' && reply.result !== null;
}

function isGeneration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
