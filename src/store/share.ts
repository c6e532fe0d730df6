/**
 * Share links: the notebook source and current input values, carried in the
 * URL *hash* (`…#/s/<data>`). Browsers never send the hash to a server, so a
 * shared notebook travels from one reader's browser to another's without any
 * host seeing it.
 *
 * `<data>` is base64url(deflate(JSON)) with a one-character format version in
 * front, so the encoding can change without breaking old links.
 */
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';
import type { Result } from '../data/api.ts';

export interface SharePayload {
  source: string;
  inputs: Record<string, unknown>;
}

/** Format version, the first character of the data. */
const FORMAT = '1';

/**
 * Links longer than this are flagged: chat tools, mail clients and some
 * browsers' address bars truncate or refuse URLs of a few thousand characters
 * (Slack and Teams cut long messages, IE/old Edge stopped at 2,083; many
 * servers and proxies cap request lines at 8 KB, which matters when a link
 * passes through a redirector even though the hash is not sent).
 */
export const SHARE_URL_LIMIT = 8 * 1024;

/** Refuse to inflate more than this: a crafted link must not exhaust memory. */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

/** Encodes a payload as the URL-safe data that follows `#/s/`. */
export function encodeShare(payload: SharePayload): string {
  const json = JSON.stringify({ source: payload.source, inputs: payload.inputs });
  return FORMAT + toBase64Url(deflateSync(strToU8(json), { level: 9 }));
}

/**
 * Decodes share data: the part after `#/s/`, or a whole URL or hash holding it.
 * A malformed, truncated or tampered link gives an error with a clear message.
 */
export function decodeShare(fragment: string): Result<SharePayload> {
  const data = shareData(fragment);
  if (!data) return failure('This share link holds no notebook.');
  if (data[0] !== FORMAT) {
    return failure(`This share link uses a format this version of Brook does not read (format "${data[0]}").`);
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(data.slice(1));
  } catch {
    return failure('This share link is damaged (it contains characters a share link never has). Copy the whole link again.');
  }
  let json: string;
  try {
    json = strFromU8(inflateBounded(bytes));
  } catch (error) {
    const tooBig = error instanceof RangeError;
    return failure(
      tooBig
        ? 'This share link expands to more than 16 MB; it was not opened.'
        : 'This share link is incomplete or damaged (it may have been cut off when it was copied). Copy the whole link again.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return failure('This share link is damaged (its contents are not valid). Copy the whole link again.');
  }
  if (!isPlainObject(parsed) || typeof parsed.source !== 'string') {
    return failure('This share link does not hold a notebook (no source text).');
  }
  const inputs = parsed.inputs === undefined ? {} : parsed.inputs;
  if (!isPlainObject(inputs)) return failure('This share link is damaged (its input values are not an object).');
  return { ok: true, value: { source: parsed.source, inputs } };
}

/**
 * The share URL for `payload`, built on `base` (the page URL; its own hash is
 * replaced). `bytes` is the URL's length; `tooLong` when over `SHARE_URL_LIMIT`.
 */
export function shareUrl(base: string, payload: SharePayload): { url: string; bytes: number; tooLong: boolean } {
  const hashAt = base.indexOf('#');
  const page = hashAt === -1 ? base : base.slice(0, hashAt);
  const url = `${page}#/s/${encodeShare(payload)}`;
  // The URL is ASCII (base64url), so its length in characters is its size in bytes.
  return { url, bytes: url.length, tooLong: url.length > SHARE_URL_LIMIT };
}

// ─── internals ──────────────────────────────────────────────────────────────

function shareData(fragment: string): string {
  const trimmed = fragment.trim();
  const marker = trimmed.indexOf('#/s/');
  if (marker !== -1) return trimmed.slice(marker + 4);
  if (trimmed.startsWith('/s/')) return trimmed.slice(3);
  return trimmed;
}

function inflateBounded(bytes: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > MAX_DECODED_BYTES) throw new RangeError('share data too large');
    chunks.push(chunk);
    if (final) ended = true;
  });
  inflate.push(bytes, true);
  if (!ended) throw new Error('truncated deflate stream');
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep `String.fromCharCode` under the engine's argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function failure(message: string): Result<never> {
  return { ok: false, error: { name: 'ShareLinkError', message } };
}
