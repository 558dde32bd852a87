// date: YYYY-MM-DD with optional min/max. Bounds that are not dates themselves are ignored, as the host ignores them.
import { registerInput } from '../registry';
import { createDateTime } from './dateTimeField';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const bound = (value: string | null): string | null => (value !== null && DATE.test(value) ? value : null);

registerInput({
  type: 'date',
  create: (spec, ctx) => createDateTime(ctx, { type: 'date', pattern: DATE, hint: 'a date YYYY-MM-DD', min: bound(spec.min), max: bound(spec.max) }),
});
