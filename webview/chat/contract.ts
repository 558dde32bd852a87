// The chat contract (reference §3.2 sample inputs, §4 llm-tool-use-agent): a chat tool receives
//   messages: every turn so far as {role, content}, in order, ending with the new user message;
//   history:  the same turns without that new message (the conversation before this request).
// Both are sent because the original's tools read either: the agent reads `messages` as "the full list of
// {role, content} entries"; the validator's probe sends `{messages: [the user message], history: []}`.
// Replies go back into the conversation as {role: "assistant", content: <the reply output's text>}.
import type { JsonValue, OutputSpec } from '../../src/protocol';
import { isJsonRecord, textOf, unwrap } from '../outputs/values';

/** Inputs the conversation fills; a chat tool's other inputs are its settings. */
export const CHAT_INPUT_KEYS: readonly string[] = ['messages', 'history'];

/** Output types that can be the reply shown in the conversation (the first one declared is). */
const REPLY_TYPES: readonly string[] = ['stream_text', 'text', 'markdown'];

// Type aliases (not interfaces) so they are JSON values the request can carry.
export type ChatMessage = {
  role: string;
  content: string;
};

export type ChatRequest = {
  messages: ChatMessage[];
  history: ChatMessage[];
};

export function chatRequest(conversation: readonly ChatMessage[], text: string): ChatRequest {
  const history = conversation.map((m) => ({ role: m.role, content: m.content }));
  return { messages: [...history, { role: 'user', content: text }], history };
}

/** The output shown as the tool's reply; the others go under it as details. */
export function replyOutputOf(outputs: readonly OutputSpec[]): OutputSpec | undefined {
  return outputs.find((o) => REPLY_TYPES.includes(o.type));
}

/** The reply as it goes back to the tool in the next request (raw or `{value}`; "" when there is none). */
export function replyText(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  const inner = unwrap(value).value;
  return inner === null ? '' : textOf(inner);
}

/** The conversation stored in a run's inputs (`messages`), or [] when they hold none. */
export function messagesOf(inputs: Readonly<Record<string, JsonValue>> | null | undefined): ChatMessage[] {
  const list = inputs && Array.isArray(inputs.messages) ? inputs.messages : [];
  const out: ChatMessage[] = [];
  for (const item of list) {
    if (!isJsonRecord(item) || typeof item.role !== 'string') continue;
    const content = item.content === undefined || item.content === null ? '' : textOf(item.content);
    out.push({ role: item.role, content });
  }
  return out;
}

/** Splits a run's conversation into the turns before it and the user message it answered (the last one). */
export function splitLastUserMessage(messages: readonly ChatMessage[]): { before: ChatMessage[]; asked: ChatMessage | undefined } {
  const last = messages.at(-1);
  if (last?.role === 'user') return { before: messages.slice(0, -1), asked: last };
  return { before: [...messages], asked: undefined };
}
