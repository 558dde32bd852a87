// file: one file (or several with `multiple`) as data URLs; `accept` and `max_size_mb` are checked before reading.
import { registerInput } from '../registry';
import { acceptEntries, createFilePicker } from './filePicker';

registerInput({
  type: 'file',
  create: (spec, ctx) =>
    createFilePicker(ctx, { label: spec.label, accept: acceptEntries(spec.accept), multiple: spec.multiple, maxSizeMb: spec.max_size_mb, preview: false }),
});
