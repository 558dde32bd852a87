// checkbox: true or false.
import { registerInput } from '../registry';
import { createCheckbox } from './checkboxLike';

registerInput({ type: 'checkbox', create: (spec, ctx) => createCheckbox(spec, ctx, false) });
