// Entry point: theme first (no flash of the wrong one), then the app.

import { render } from 'preact';
import { App } from './App.js';
import { applyTheme, savedTheme } from './theme.js';
import './styles.css';

applyTheme(savedTheme(localStorage), document.documentElement);
const root = document.getElementById('app');
if (root) render(<App />, root);
