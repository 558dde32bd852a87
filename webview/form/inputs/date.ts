// date: YYYY-MM-DD with optional min/max.
import { registerInput } from '../registry';
import { createDateTime } from './dateTimeField';

registerInput({
  type: 'date',
  create: (spec, ctx) => createDateTime(ctx, { type: 'date', pattern: /^\d{4}-\d{2}-\d{2}$/, hint: 'a date YYYY-MM-DD', min: spec.min, max: spec.max }),
});
