// Entry of the webview bundle (dist/webview/main.js + main.css): styles, components, the input and output modules,
// then the app. Everything is bundled: the panel's CSP lets nothing load from the network.
import '@vscode/codicons/dist/codicon.css';
import './styles/app.css';
import './styles/highlight.css';
// KaTeX's stylesheet and its fonts (latex outputs).
import 'katex/dist/katex.min.css';
import './styles/outputs-more.css';
import './styles/inputs-more.css';
import './styles/layouts.css';
import './styles/chat.css';
import './styles/charts.css';
// Leaflet's stylesheet, then the maps' theme overrides (map inputs and outputs).
import 'leaflet/dist/leaflet.css';
import './styles/maps.css';
import './elements/register';
import './form/inputs';
import './outputs/renderers';
import { startApp, type VsCodeApi } from './host';

declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('app');
if (root) startApp(root, acquireVsCodeApi());
