import { render } from 'preact';
import { formatNumber } from '../core/format';
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
// The app has asked storage for the state (componentDidMount runs inside render). While that answer
// travels, load the browser's locale data: the first Intl formatter in a fresh page process costs
// about 15 ms (measured), which the first paint would otherwise wait for after the answer.
formatNumber(0, connector.locale);
