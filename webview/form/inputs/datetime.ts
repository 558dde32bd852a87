// datetime: a local date and time, YYYY-MM-DDTHH:MM[:SS] (what a datetime-local picker sends).
import { registerInput } from '../registry';
import { createDateTime } from './dateTimeField';

const LOCAL_PART = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?/;

registerInput({
  type: 'datetime',
  create: (_spec, ctx) =>
    createDateTime(ctx, {
      type: 'datetime-local',
      pattern: /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/,
      hint: 'a date and time YYYY-MM-DDTHH:MM',
      // The picker has no time zone (or fractions): keep the local part of a stored "…:00.000Z".
      normalise: (text) => LOCAL_PART.exec(text)?.[0] ?? text,
    }),
});
