// The webview's connection to the extension host: VS Code's webview API for posting and state, window `message`
// events in, the protocol client for request/reply, and the ready handshake.
import { ProtocolClient, type WebviewToHost } from '../src/protocol';
import { App, type WebviewState } from './app';

/** The part of `acquireVsCodeApi()` the app uses. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}

export function startApp(root: HTMLElement, api: VsCodeApi, target: Window = window): { app: App; client: ProtocolClient } {
  const client = new ProtocolClient((message: WebviewToHost) => api.postMessage(message));
  const app = new App(root, {
    request: (method, params) => client.request(method, params),
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  });
  target.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!client.receive(event.data)) app.receive(event.data);
  });
  target.addEventListener('pagehide', () => {
    client.close();
    app.dispose();
  });
  api.postMessage({ kind: 'ready' } satisfies WebviewToHost);
  return { app, client };
}
