import { render } from 'preact';
import { browserCoreConnector } from '../ui/browser-core-connector';
import { PopupApp } from './app';
import styles from './popup.css?inline';

// The styles travel inside this module: one file to load instead of two (each costs an extension page
// about 7 ms before its first paint).
document.head.append(Object.assign(document.createElement('style'), { textContent: styles }));

const connector = browserCoreConnector();
document.documentElement.lang = connector.locale;
document.documentElement.dir = connector.dir;
// The rest of the popup (the way out, details, legend) and the rest of the connector they use load
// on demand, once the first answer is up.
const extras = () =>
  Promise.all([import('./extras'), import('../ui/browser-connector-extras')]).then(async ([parts, more]) => {
    await parts.stylesReady;
    return { extras: parts.popupExtras, connector: { ...connector, ...more.browserConnectorExtras() } };
  });
const root = document.getElementById('app');
if (root) render(<PopupApp connector={connector} extras={extras} />, root);
