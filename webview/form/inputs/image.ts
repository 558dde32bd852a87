// image: image files only, with a thumbnail; sent as data URLs like file.
import { registerInput } from '../registry';
import { createFilePicker } from './filePicker';

registerInput({
  type: 'image',
  create: (spec, ctx) => createFilePicker(ctx, { label: spec.label, accept: ['image/*'], multiple: spec.multiple, maxSizeMb: spec.max_size_mb, preview: true }),
});
