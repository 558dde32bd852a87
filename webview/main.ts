// Entry of the webview bundle (dist/webview/main.js + main.css): styles, components, the input and output modules,
// then the app. Everything is bundled: the panel's CSP lets nothing load from the network.
import '@vscode/codicons/dist/codicon.css';
import './styles/app.css';
import './styles/highlight.css';
import './elements/register';
import './form/inputs';
import './outputs/renderers';
import { startApp, type VsCodeApi } from './host';

declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('app');
if (root) startApp(root, acquireVsCodeApi());
