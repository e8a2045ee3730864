import { render } from 'preact';
import { browserConnector } from '../ui/browser-connector';
import { PopupApp } from './app';
import './popup.css';

const connector = browserConnector();
document.documentElement.lang = connector.locale;
document.documentElement.dir = connector.dir;
// The rest of the popup (the way out, details, legend) loads on demand, once the first answer is up.
const extras = () => import('./extras').then((m) => m.popupExtras);
const root = document.getElementById('app');
if (root) render(<PopupApp connector={connector} extras={extras} />, root);
