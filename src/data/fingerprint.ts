/**
 * Content fingerprints: stable across reloads so persisted memo entries keyed
 * on them are still valid when the same data loads again.
 */

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of the bytes (WebCrypto: available in workers and Node ≥ 20), shortened to 32 hex digits. */
export async function fingerprintBytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return `sha256:${hex(digest).slice(0, 32)}`;
}

/**
 * A URL's fingerprint from its HTTP validators (ETag, else Last-Modified +
 * size). `undefined` when the server gave none: then hash the bytes.
 */
export function fingerprintUrl(url: string, headers: { get(name: string): string | null }): string | undefined {
  const etag = headers.get('etag');
  if (etag) return `url:${url}#etag=${etag}`;
  const modified = headers.get('last-modified');
  if (modified) return `url:${url}#modified=${modified}&size=${headers.get('content-length') ?? '?'}`;
  return undefined;
}
