// time: HH:MM (or HH:MM:SS).
import { registerInput } from '../registry';
import { createDateTime } from './dateTimeField';

registerInput({
  type: 'time',
  create: (_spec, ctx) => createDateTime(ctx, { type: 'time', pattern: /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, hint: 'a time HH:MM' }),
});
