import { render } from 'preact';
import { browserConnector } from '../ui/browser-connector';
import { OptionsApp } from './app';
import './options.css';

const connector = browserConnector();
document.documentElement.lang = connector.locale;
document.documentElement.dir = connector.dir;
document.title = connector.t('optionsTitle');
const root = document.getElementById('app');
if (root) render(<OptionsApp connector={connector} />, root);
