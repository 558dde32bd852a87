// The validator's sample inputs (reference §3.2): each input's default, else a per-type sample value.
// Differences from the original, where its sample could not pass the input's own rules: audio gets a
// silent WAV (not a PNG), a polygon gets a small triangle (not one point), numbers and dates stay
// within their min/max.
import type { InputSpec, JsonValue, LatLng, ToolSpec } from './model';
import { setOwn } from './ownKeys';

const PNG_1X1 =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** 8 samples of 16-bit mono silence at 8 kHz. */
function silentWav(): string {
  const samples = 8;
  const data = samples * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28); // byte rate
  b.writeUInt16LE(2, 32); // block align
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  return `data:audio/wav;base64,${b.toString('base64')}`;
}

export const SAMPLE_PNG_DATA_URL = PNG_1X1;
export const SAMPLE_WAV_DATA_URL = silentWav();
const SAMPLE_DATE = '2026-01-01';

/** The fixed probe a chat-layout tool receives instead of its declared inputs. */
export const CHAT_SAMPLE_INPUTS: { [key: string]: JsonValue } = {
  messages: [{ role: 'user', content: 'Validation probe message' }],
  history: [],
};

export function sampleInputs(spec: ToolSpec): { [key: string]: JsonValue } {
  if (spec.layout === 'chat') return structuredClone(CHAT_SAMPLE_INPUTS);
  const out: { [key: string]: JsonValue } = {};
  for (const input of spec.inputs) setOwn(out, input.key, sampleFor(input));
  return out;
}

/** The body of the validator's sample `/run`: `{run_id, inputs}` plus the inputs again at top level. */
export function samplePayload(spec: ToolSpec, runId: string): { [key: string]: JsonValue } {
  const inputs = sampleInputs(spec);
  const payload: { [key: string]: JsonValue } = { run_id: runId, inputs };
  // Older tools read their inputs from the top level; keys that would clash with the envelope are left out.
  for (const [key, value] of Object.entries(inputs)) if (!(key in payload)) payload[key] = value;
  return payload;
}

export function sampleFor(input: InputSpec): JsonValue {
  if (input.default !== null) return structuredClone(input.default);
  switch (input.type) {
    case 'text':
    case 'textarea':
    case 'code':
    case 'markdown':
    case 'autocomplete':
      return '';
    case 'checkbox':
    case 'toggle':
      return false;
    case 'number':
      if (input.min !== null && input.max !== null) return (input.min + input.max) / 2;
      if (input.min !== null) return input.min;
      return input.max !== null && input.max < 0 ? input.max : 0;
    case 'slider': {
      const mid = (input.min + input.max) / 2;
      return input.range ? [input.min, mid] : mid;
    }
    case 'select':
    case 'radio':
      return input.options.length > 0 ? input.options[0].value : null;
    case 'multiselect':
    case 'tags':
    case 'table':
      return [];
    case 'date': {
      if (input.min !== null && SAMPLE_DATE < input.min) return input.min;
      if (input.max !== null && SAMPLE_DATE > input.max) return input.max;
      return SAMPLE_DATE;
    }
    case 'time':
      return '12:00';
    case 'datetime':
      return '2026-01-01T12:00:00';
    case 'date_range':
      return ['2026-01-01', '2026-01-08'];
    case 'file':
    case 'image':
      return input.multiple ? [PNG_1X1] : PNG_1X1;
    case 'audio':
      return SAMPLE_WAV_DATA_URL;
    case 'colour':
      return '#000000';
    case 'json':
      return {};
    case 'map_point':
      return [...centre(input.default_center)];
    case 'map_bbox': {
      const [lat, lng] = centre(input.default_center);
      return [lat - 0.01, lng - 0.01, lat + 0.01, lng + 0.01];
    }
    case 'map_polygon': {
      const [lat, lng] = centre(input.default_center);
      return [[lat - 0.01, lng - 0.01], [lat - 0.01, lng + 0.01], [lat + 0.01, lng]];
    }
    case 'map_multipoint':
      return [[...centre(input.default_center)]];
    case 'hidden':
      return null;
  }
}

function centre(c: LatLng | null): LatLng {
  return c ?? [0, 0];
}
