// The app shell's entry: the NL Design System styles (Voorbeeld theme, the municipality's
// overrides) and the app. Everything else loads from here; editor, preview and kantoor lazily.
import { render } from 'preact';
import { App } from './App';
import './styles/index.css';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
