import { render } from 'preact';
import { browserConnector } from '../ui/browser-connector';
import { PopupApp } from './app';
import './popup.css';

const connector = browserConnector();
document.documentElement.lang = connector.locale;
document.documentElement.dir = connector.dir;
const root = document.getElementById('app');
if (root) render(<PopupApp connector={connector} />, root);
