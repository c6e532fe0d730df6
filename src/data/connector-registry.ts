/**
 * Which connector answers each front-matter engine `type`. Apart from
 * `connector.ts` so that a connector file can use the seam's types and errors
 * without the seam importing every connector back.
 */
import type { EngineSpec, EngineType } from '../notebook/types.ts';
import { clickhouseConnector } from './clickhouse.ts';
import type { Connector, ConnectorContext } from './connector.ts';

/** Connector factories by engine type: one line per connector file. */
const CONNECTORS: Record<EngineType, (spec: EngineSpec, context: ConnectorContext) => Connector> = {
  clickhouse: clickhouseConnector,
};

/** The connector for a front matter engine. */
export function connectorFor(spec: EngineSpec, context: ConnectorContext): Connector {
  return CONNECTORS[spec.type](spec, context);
}
