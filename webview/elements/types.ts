// The parts of @vscode-elements components this app uses, as plain interfaces (the package's own classes are ESM-only
// types, and the app needs only these properties).

interface Invalidatable extends HTMLElement {
  invalid: boolean;
  disabled: boolean;
}

export interface TextfieldElement extends Invalidatable {
  value: string;
  type: string;
  placeholder: string | undefined;
  min: number | undefined;
  max: number | undefined;
  step: number | undefined;
  maxLength: number | undefined;
}

export interface TextareaElement extends Invalidatable {
  value: string;
  placeholder: string | undefined;
  monospace: boolean;
  rows: number | undefined;
  resize: 'both' | 'horizontal' | 'vertical' | 'none';
  spellcheck: boolean;
}

export interface SelectOptionItem {
  label: string;
  value: string;
  description: string;
  selected: boolean;
  disabled: boolean;
}

export interface SingleSelectElement extends Invalidatable {
  value: string;
  options: SelectOptionItem[];
  combobox: boolean;
}

export interface MultiSelectElement extends Invalidatable {
  value: string[];
  options: SelectOptionItem[];
  combobox: boolean;
}

export interface CheckboxElement extends Invalidatable {
  checked: boolean;
  toggle: boolean;
  label: string;
}

export interface RadioElement extends Invalidatable {
  checked: boolean;
  value: string;
  name: string;
  label: string;
}

export interface ButtonElement extends HTMLElement {
  disabled: boolean;
  secondary: boolean;
  icon: string;
}

export interface CollapsibleElement extends HTMLElement {
  open: boolean;
  heading: string;
}

export function setSelectOptions(select: SingleSelectElement | MultiSelectElement, items: { label: string; value: string; description?: string }[]): void {
  select.options = items.map((item) => ({ label: item.label, value: item.value, description: item.description ?? '', selected: false, disabled: false }));
}
