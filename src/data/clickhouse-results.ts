/**
 * ClickHouse's `JSONCompact` answer → an Arrow IPC stream, typed by the
 * column types ClickHouse reports (`meta`). Brook reads JSONCompact rather
 * than `ArrowStream`: every ClickHouse version has it (ArrowStream arrived in
 * 20.x), and ClickHouse's Arrow output gives strings as binary unless a
 * setting a read-only user may not change says otherwise.
 *
 * Types: (U)Int8–32 → Int/Uint 8–32; (U)Int64 → Int64/Uint64 (ClickHouse
 * quotes them; read as bigint, so no digit is lost); wider integers,
 * Float32/64, Decimal → Float64; String, FixedString, Enum, UUID, IPs →
 * Utf8; Date → Date (days); DateTime/DateTime64 → Timestamp (ms, UTC:
 * ClickHouse prints the wall clock of the column's or the server's time
 * zone, converted back here); Bool → Bool; Array(T) → List; Nothing → Null;
 * anything else (Tuple, Map, …) → its JSON text. `Nullable` and
 * `LowCardinality` wrappers are unwrapped. Pure.
 */
import {
  Bool, DateDay, Field, Float64, Int16, Int32, Int64, Int8, List, makeBuilder, makeData, Null, RecordBatch, Schema, Struct, Table,
  tableToIPC, TimestampMillisecond, Uint16, Uint32, Uint64, Uint8, Utf8, type DataType,
} from 'apache-arrow';

/** The part of a `FORMAT JSONCompact` answer this reads. */
export interface JsonCompactAnswer {
  meta: { name: string; type: string }[];
  data: unknown[][];
}

/** A ClickHouse type, read into what Brook converts by. */
interface ColumnReader {
  arrow: DataType;
  convert: (value: unknown) => unknown;
}

/** `Name(args)` → `args` (the text between the outer parentheses), when `type` is that wrapper. */
function unwrap(type: string, name: string): string | undefined {
  return type.startsWith(`${name}(`) && type.endsWith(')') ? type.slice(name.length + 1, -1).trim() : undefined;
}

/** The quoted time zone argument of `DateTime('Zone')` / `DateTime64(3, 'Zone')`, if any. */
function zoneArgument(args: string | undefined): string | undefined {
  return args ? /'([^']+)'/.exec(args)?.[1] : undefined;
}

const toNumber = (value: unknown): unknown => (value === null || value === undefined ? null : typeof value === 'number' ? value : Number(value));
const toBigInt = (value: unknown): unknown => (value === null || value === undefined ? null : BigInt(value as string | number));
const toText = (value: unknown): unknown => (value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value));

/** `YYYY-MM-DD` → its midnight UTC in ms (Arrow's Date builder stores whole days of it; ClickHouse's zero date `0000-00-00` is 1970-01-01). */
function dayStart(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  if (!match || match[1] === '0000') return 0;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** How a column of ClickHouse type `type` becomes an Arrow column; `serverZone` is where plain DateTime is printed. */
function readerFor(type: string, serverZone: string): ColumnReader {
  const inner = unwrap(type, 'Nullable') ?? unwrap(type, 'LowCardinality');
  if (inner !== undefined) return readerFor(inner, serverZone);
  const element = unwrap(type, 'Array');
  if (element !== undefined) {
    const item = readerFor(element, serverZone);
    return {
      arrow: new List(new Field('item', item.arrow, true)),
      convert: (value) => (Array.isArray(value) ? value.map(item.convert) : null),
    };
  }
  switch (type) {
    case 'Int8': return { arrow: new Int8(), convert: toNumber };
    case 'Int16': return { arrow: new Int16(), convert: toNumber };
    case 'Int32': return { arrow: new Int32(), convert: toNumber };
    case 'UInt8': return { arrow: new Uint8(), convert: toNumber };
    case 'UInt16': return { arrow: new Uint16(), convert: toNumber };
    case 'UInt32': return { arrow: new Uint32(), convert: toNumber };
    case 'Int64': return { arrow: new Int64(), convert: toBigInt };
    case 'UInt64': return { arrow: new Uint64(), convert: toBigInt };
    case 'Int128': case 'Int256': case 'UInt128': case 'UInt256':
    case 'Float32': case 'Float64':
      return { arrow: new Float64(), convert: toNumber };
    case 'Bool': return { arrow: new Bool(), convert: (v) => (v === null || v === undefined ? null : Boolean(v)) };
    case 'Date': case 'Date32': return { arrow: new DateDay(), convert: dayStart };
    case 'Nothing': return { arrow: new Null(), convert: () => null };
    case 'String': case 'UUID': case 'IPv4': case 'IPv6':
      return { arrow: new Utf8(), convert: toText };
  }
  if (/^Decimal(32|64|128|256)?\(/.test(type)) return { arrow: new Float64(), convert: toNumber };
  if (/^(FixedString|Enum8|Enum16)\(/.test(type)) return { arrow: new Utf8(), convert: toText };
  if (type === 'DateTime' || type.startsWith('DateTime(') || type.startsWith('DateTime64(')) {
    const zone = zoneArgument(unwrap(type, 'DateTime') ?? unwrap(type, 'DateTime64')) ?? serverZone;
    const instant = wallClockReader(zone);
    return { arrow: new TimestampMillisecond(), convert: (v) => (v === null || v === undefined ? null : instant(String(v))) };
  }
  // Tuple, Map, Nested, JSON, …: shown as their JSON text rather than refused.
  return { arrow: new Utf8(), convert: toText };
}

/**
 * `YYYY-MM-DD hh:mm:ss[.fff]` as the wall clock of IANA time zone `zone` →
 * milliseconds since 1970 (UTC). Offsets come from `Intl` and are cached per
 * hour, so a column of a hundred thousand times costs a few lookups.
 */
export function wallClockReader(zone: string): (text: string) => number {
  const utc = /^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal)$/i.test(zone);
  let format: Intl.DateTimeFormat | undefined;
  if (!utc) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new Error(`ClickHouse answered times in the time zone ${zone}, which this browser does not know.`);
    }
  }
  const offsets = new Map<number, number>();
  /** How far the zone's wall clock is ahead of UTC at instant `ms`. */
  const offsetAt = (ms: number): number => {
    const hour = Math.floor(ms / 3_600_000);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      const parts = Object.fromEntries(format!.formatToParts(new Date(hour * 3_600_000)).map((p) => [p.type, p.value]));
      const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
      offset = wall - hour * 3_600_000;
      offsets.set(hour, offset);
    }
    return offset;
  };
  return (text) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?/.exec(text);
    if (!match || match[1] === '0000') return 0;
    const [, y, mo, d, h, mi, s, fraction] = match;
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + (fraction ? Math.floor(Number(fraction) * 1000) : 0);
    if (utc) return wall;
    // The offset at the wall time read as UTC is right except within hours of a change: check once more.
    const guess = wall - offsetAt(wall);
    return wall - offsetAt(guess);
  };
}

/** The answer as an Arrow IPC stream (column order and names as ClickHouse gave them, duplicates kept). */
export function jsonCompactToArrow(answer: JsonCompactAnswer, serverZone = 'UTC'): Uint8Array {
  const readers = answer.meta.map((column) => readerFor(column.type, serverZone));
  const fields = answer.meta.map((column, i) => new Field(column.name, readers[i].arrow, true));
  const columns = readers.map((reader, i) => {
    const builder = makeBuilder({ type: reader.arrow, nullValues: [null, undefined] });
    for (const row of answer.data) builder.append(reader.convert(row[i]));
    return builder.finish().flush();
  });
  const schema = new Schema(fields);
  const length = answer.data.length;
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length, children: columns, nullCount: 0 }));
  return tableToIPC(new Table(schema, [batch]), 'stream');
}
