// The tool HTTP client's public surface.
export { postRun, getSchema, postCancel, healthz, buildRunBody, buildRunHeaders, runBodyJson } from './toolClient';
export type { PostRunOptions, RunRequestBody } from './toolClient';
export { streamRun } from './sse';
export type { StreamRunOptions, StreamSummary } from './sse';
export { normaliseSseMessage } from './sseNormalise';
export type { StreamEvent, RawSseMessage, NormaliseContext, NormalisedMessage } from './sseNormalise';
export { ToolHttpError, ToolRequestError, ToolStreamError, isConnectionRefused } from './errors';
export type { ToolRequestFailure } from './errors';
export { formatFastApiDetail, describeErrorBody, truncateText, MAX_ERROR_BODY_CHARS } from './errorBody';
export type { RequestLimits } from './request';
