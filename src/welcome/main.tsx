import { render } from 'preact';
import { browserConnector } from '../ui/browser-connector';
import { WelcomeApp } from './app';
import './welcome.css';

const connector = browserConnector();
document.documentElement.lang = connector.locale;
document.documentElement.dir = connector.dir;
document.title = connector.t('welcomeTitle');
const root = document.getElementById('app');
if (root) render(<WelcomeApp connector={connector} />, root);
