/**
 * Arrow → JS values people expect. Query results cross threads as Arrow IPC;
 * when the runtime or the table view iterates rows it gets:
 *
 * - BIGINT/UBIGINT → `number` when within ±2^53 (exact), else `bigint`
 * - HUGEINT/DECIMAL → `number` (DuckDB-WASM sends HUGEINT as DECIMAL(38,0);
 *   Arrow gives raw 32-bit words, which are useless to a person)
 * - DATE/TIMESTAMP/TIMESTAMPTZ → `Date`
 * - TIME → `"HH:MM:SS[.ffffff]"` string
 * - LIST → array, STRUCT/MAP → plain object (recursively converted)
 * - BLOB → `Uint8Array`; everything else as Arrow gives it.
 *
 * Rows are plain objects, so they survive structured cloning.
 */
import { DataType, Float64, Table, makeData, makeVector, type Field, type Vector } from 'apache-arrow';
import type { ColumnInfo } from '../runtime/protocol.ts';

type Convert = (value: unknown) => unknown;

const identity: Convert = (value) => value;

/** A 128/256-bit two's complement integer from little-endian 32-bit words. */
function wordsToBigInt(words: Uint32Array): bigint {
  let result = 0n;
  for (let i = words.length - 1; i >= 0; i--) result = (result << 32n) | BigInt(words[i]);
  const bits = BigInt(words.length * 32);
  return words.length > 0 && words[words.length - 1] & 0x80000000 ? result - (1n << bits) : result;
}

function bigintToNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function decimalToNumber(words: Uint32Array, scale: number): number {
  const raw = wordsToBigInt(words);
  if (scale === 0) return Number(raw);
  // Split into integer and fraction parts so large values keep their integer digits exact-ish.
  const divisor = 10n ** BigInt(scale);
  const whole = raw / divisor;
  const fraction = raw % divisor;
  return Number(whole) + Number(fraction) / Number(divisor);
}

function timeOfDay(value: unknown, unitsPerSecond: number): string {
  const units = typeof value === 'bigint' ? Number(value) : Number(value);
  const totalSeconds = Math.floor(units / unitsPerSecond);
  const fraction = units - totalSeconds * unitsPerSecond;
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = `${pad(Math.floor(totalSeconds / 3600))}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}`;
  if (fraction === 0 || unitsPerSecond === 1) return text;
  const digits = String(unitsPerSecond).length - 1;
  return `${text}.${String(fraction).padStart(digits, '0').replace(/0+$/, '')}`;
}

const TIME_UNITS = [1, 1e3, 1e6, 1e9]; // arrow TimeUnit: SECOND, MILLISECOND, MICROSECOND, NANOSECOND

/** A converter from the value Arrow gives for `type` to the value a person expects. */
function converterFor(type: DataType): Convert {
  if (DataType.isInt(type) && type.bitWidth === 64) {
    return (v) => (typeof v === 'bigint' ? bigintToNumber(v) : v);
  }
  if (DataType.isDecimal(type)) {
    const scale = type.scale;
    return (v) => (v instanceof Uint32Array ? decimalToNumber(v, scale) : v == null ? v : Number(v));
  }
  if (DataType.isDate(type) || DataType.isTimestamp(type)) {
    // apache-arrow 17 already gives epoch milliseconds for every unit.
    return (v) => (v == null ? v : new Date(typeof v === 'bigint' ? Number(v) : (v as number)));
  }
  if (DataType.isTime(type)) {
    const perSecond = TIME_UNITS[type.unit] ?? 1e6;
    return (v) => (v == null ? v : timeOfDay(v, perSecond));
  }
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    const child = converterFor(type.children[0].type);
    return (v) => {
      if (v == null) return v;
      const list = v as Vector;
      const out = new Array(list.length);
      for (let i = 0; i < list.length; i++) out[i] = child(list.get(i));
      return out;
    };
  }
  if (DataType.isStruct(type)) {
    const fields = type.children.map((f: Field) => [f.name, converterFor(f.type)] as const);
    return (v) => {
      if (v == null) return v;
      const row = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, convert] of fields) out[name] = convert(row[name]);
      return out;
    };
  }
  if (DataType.isMap(type)) {
    const entry = type.children[0].type;
    const valueConvert = converterFor(entry.children[1].type);
    return (v) => {
      if (v == null) return v;
      const out: Record<string, unknown> = {};
      for (const [key, value] of v as Iterable<[unknown, unknown]>) out[String(key)] = valueConvert(value);
      return out;
    };
  }
  if (DataType.isDictionary(type)) return converterFor(type.dictionary);
  if (DataType.isInterval(type)) {
    return (v) => (v instanceof Int32Array ? Array.from(v) : v);
  }
  return identity;
}

/** The DuckDB name of an Arrow type, as shown to people (`BIGINT`, `DECIMAL(10,2)`, `VARCHAR[]`, …). */
export function duckTypeName(type: DataType): string {
  if (DataType.isInt(type)) {
    const names: Record<number, string> = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' };
    return (type.isSigned ? '' : 'U') + names[type.bitWidth];
  }
  if (DataType.isFloat(type)) return type.precision === 2 ? 'DOUBLE' : type.precision === 1 ? 'FLOAT' : 'HALF';
  if (DataType.isDecimal(type)) return `DECIMAL(${type.precision},${type.scale})`;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'VARCHAR';
  if (DataType.isBool(type)) return 'BOOLEAN';
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) return 'BLOB';
  if (DataType.isDate(type)) return 'DATE';
  if (DataType.isTimestamp(type)) return type.timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP';
  if (DataType.isTime(type)) return 'TIME';
  if (DataType.isInterval(type) || DataType.isDuration(type)) return 'INTERVAL';
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) return `${duckTypeName(type.children[0].type)}[]`;
  if (DataType.isStruct(type)) return `STRUCT(${type.children.map((f: Field) => `${f.name} ${duckTypeName(f.type)}`).join(', ')})`;
  if (DataType.isMap(type)) {
    const [key, value] = type.children[0].type.children;
    return `MAP(${duckTypeName(key.type)}, ${duckTypeName(value.type)})`;
  }
  if (DataType.isDictionary(type)) return duckTypeName(type.dictionary);
  if (DataType.isNull(type)) return 'NULL';
  return String(type).toUpperCase();
}

/** The columns of an Arrow table, with DuckDB type names. */
export function columnsOf(table: Table): ColumnInfo[] {
  return table.schema.fields.map((field) => ({ name: field.name, type: duckTypeName(field.type) }));
}

/**
 * Rows `[offset, offset + limit)` of an Arrow table as plain objects with
 * converted values (see the module comment). Defaults to every row.
 */
export function rowsOf(table: Table, offset = 0, limit = Infinity): Record<string, unknown>[] {
  const end = Math.min(table.numRows, offset + limit);
  const columns = table.schema.fields.map((field, i) => ({
    name: field.name,
    vector: table.getChildAt(i),
    convert: converterFor(field.type),
  }));
  const rows: Record<string, unknown>[] = [];
  for (let r = Math.max(0, offset); r < end; r++) {
    const row: Record<string, unknown> = {};
    for (const column of columns) row[column.name] = column.convert(column.vector?.get(r) ?? null);
    rows.push(row);
  }
  return rows;
}

/** Whether every value of a 64-bit integer column is exactly a JS number. */
function int64FitsNumber(vector: Vector): boolean {
  for (const value of vector) {
    if (typeof value === 'bigint' && (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))) return false;
  }
  return true;
}

/**
 * A DOUBLE vector of `vector`'s values, nulls kept. Built from a typed array
 * and a validity bitmap, not with Arrow's builders: those compile a check
 * with `new Function`, which the network-blocked runtime (and the build's
 * snapshot run) removes.
 */
function doubleVector(vector: Vector, convert: (value: unknown) => unknown): Vector {
  const length = vector.length;
  const data = new Float64Array(length);
  const validity = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  for (let r = 0; r < length; r++) {
    const value = convert(vector.get(r));
    if (value == null) nullCount++;
    else {
      data[r] = Number(value);
      validity[r >> 3] |= 1 << (r & 7);
    }
  }
  return makeVector(makeData({ type: new Float64(), length, nullCount, data, nullBitmap: nullCount > 0 ? validity : undefined }));
}

/**
 * The table user code receives from `query`: still an Arrow table, but its
 * numeric columns give numbers everywhere (`table.get(0).n`, iteration,
 * `getChild("n").toArray()`): BIGINT columns whose values are all exact JS
 * numbers, and DECIMAL/HUGEINT columns, become DOUBLE vectors. BIGINT columns
 * that do not fit stay `bigint`. Dates stay Arrow dates (epoch milliseconds in
 * rows; Observable Plot reads them as dates). Other columns are untouched.
 */
export function numericTable(table: Table): Table {
  const fields = table.schema.fields;
  let changed = false;
  const vectors: Record<string, Vector> = {};
  fields.forEach((field, i) => {
    const vector = table.getChildAt(i)!;
    const type = field.type;
    const toDouble = (DataType.isInt(type) && type.bitWidth === 64 && int64FitsNumber(vector)) || DataType.isDecimal(type);
    if (!toDouble) {
      vectors[field.name] = vector;
      return;
    }
    changed = true;
    vectors[field.name] = doubleVector(vector, converterFor(type));
  });
  // Duplicate column names (e.g. a join without aliases) cannot be rebuilt by name: keep the table as it is.
  if (!changed || new Set(fields.map((f) => f.name)).size !== fields.length) return table;
  return new Table(vectors);
}
