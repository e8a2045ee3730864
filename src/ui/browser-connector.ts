import { browserConnectorExtras } from './browser-connector-extras';
import { browserCoreConnector } from './browser-core-connector';
import type { Connector } from './connector';

/** The real connector: state from storage, actions through the typed message protocol to the background. */
export function browserConnector(): Connector {
  return { ...browserCoreConnector(), ...browserConnectorExtras() };
}
