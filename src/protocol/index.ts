// The tool panel protocol: message types, their guards, the webview's request client and the host's request router.
export * from './model';
export * from './messages';
export * from './guards';
export * from './messageGuards';
export { ProtocolClient, RequestError } from './client';
export { answerRequest, ProtocolError, type RequestHandlers } from './server';
