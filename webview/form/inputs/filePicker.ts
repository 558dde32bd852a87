// file and image inputs: a picker (button, or drop files on it) that reads the chosen files into data URLs
// `data:<mime>;name=<file>;base64,…`. A file over `max_size_mb` (or of a type `accept` rules out) is refused with a
// message before anything is read or sent.
import type { JsonValue } from '../../../src/protocol';
import { clear, custom, el, formatBytes } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import type { InputContext, InputControl } from '../registry';

const MB = 1024 * 1024;

export interface PickerSetup {
  label: string;
  /** Entries like `.csv`, `image/*`, `text/plain`; empty accepts anything. */
  accept: string[];
  multiple: boolean;
  maxSizeMb: number | null;
  /** Show thumbnails (image inputs). */
  preview: boolean;
}

export interface ChosenFile {
  name: string;
  mime: string;
  size: number;
  dataUrl: string;
}

/** Splits an HTML `accept` value (comma-separated string or list) into lower-case entries. */
export function acceptEntries(accept: string | string[] | null): string[] {
  if (accept === null) return [];
  return (Array.isArray(accept) ? accept : [accept]).flatMap((p) => p.split(',')).map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
}

/** Whether a file fits `accept`; an unknown type (the browser could not tell) is let through to the host's check. */
export function accepts(entries: readonly string[], mime: string, name: string): boolean {
  if (entries.length === 0) return true;
  const type = mime.toLowerCase();
  return entries.some((entry) => {
    if (entry.startsWith('.')) return name.toLowerCase().endsWith(entry);
    if (type === '' || type === 'application/octet-stream') return true;
    if (entry.endsWith('/*')) return type.startsWith(entry.slice(0, -1));
    return entry === type;
  });
}

/** The problem with a file before it is read, or undefined. */
export function refusal(file: { name: string; size: number; type: string }, setup: Pick<PickerSetup, 'accept' | 'maxSizeMb'>): string | undefined {
  if (setup.maxSizeMb !== null && file.size > setup.maxSizeMb * MB) {
    return `${file.name} is ${formatBytes(file.size)}; the limit is ${setup.maxSizeMb} MB.`;
  }
  if (!accepts(setup.accept, file.type, file.name)) return `${file.name} is not an accepted type (${setup.accept.join(', ')}).`;
  return undefined;
}

/** `data:<mime>;base64,…` from FileReader, with the file's name added as a parameter. */
export function withName(dataUrl: string, name: string, mime: string): string {
  const comma = dataUrl.indexOf(',');
  const body = comma >= 0 ? dataUrl.slice(comma + 1) : '';
  return `data:${mime || 'application/octet-stream'};name=${encodeURIComponent(name)};base64,${body}`;
}

/** What a stored data URL says about its file (for showing a past run's inputs). */
export function describeDataUrl(dataUrl: string): ChosenFile | undefined {
  if (!dataUrl.startsWith('data:')) return undefined;
  const comma = dataUrl.indexOf(',');
  if (comma < 0) return undefined;
  const params = dataUrl.slice(5, comma).split(';');
  const nameParam = params.find((p) => p.toLowerCase().startsWith('name='));
  let name = 'file';
  if (nameParam) {
    try {
      name = decodeURIComponent(nameParam.slice(5));
    } catch {
      name = nameParam.slice(5);
    }
  }
  const body = dataUrl.slice(comma + 1);
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return { name, mime: params[0] || 'application/octet-stream', size: Math.max(0, Math.floor(((body.length - padding) * 3) / 4)), dataUrl };
}

export function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

export function createFilePicker(ctx: InputContext, setup: PickerSetup): InputControl {
  let chosen: ChosenFile[] = [];
  let reading = 0;
  const native = el('input', {
    className: 'file-native',
    attrs: { type: 'file', accept: setup.accept.join(',') || undefined, multiple: setup.multiple, tabindex: -1, 'aria-hidden': 'true' },
  });
  const button = custom<ButtonElement>('vscode-button', {
    attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy, 'aria-label': `${setup.label}: choose ${setup.multiple ? 'files' : 'a file'}` },
  }, setup.multiple ? 'Choose files…' : 'Choose file…');
  button.secondary = true;
  button.icon = 'folder-opened';
  const limit = setup.maxSizeMb !== null ? el('span', { className: 'file-limit', text: `up to ${setup.maxSizeMb} MB` }) : null;
  const list = el('ul', { className: 'file-list', attrs: { 'aria-label': `${setup.label}: chosen files` } });
  const message = el('div', { className: 'file-message', attrs: { role: 'alert' } });
  const zone = el('div', { className: 'file-picker' }, el('div', { className: 'file-actions' }, button, limit), native, list, message);

  const render = (): void => {
    clear(list);
    for (const file of chosen) {
      const remove = custom<ButtonElement>('vscode-button', { attrs: { 'aria-label': `Remove ${file.name}` } }, 'Remove');
      remove.secondary = true;
      remove.addEventListener('click', () => {
        chosen = chosen.filter((f) => f !== file);
        render();
        ctx.changed();
      });
      const thumb = setup.preview && file.mime.startsWith('image/') ? el('img', { className: 'file-thumb', attrs: { src: file.dataUrl, alt: '' } }) : null;
      list.appendChild(
        el('li', { className: 'file-item' }, thumb, el('span', { className: 'file-name', text: file.name }), el('span', { className: 'file-size', text: formatBytes(file.size) }), remove),
      );
    }
  };

  const take = async (files: readonly File[]): Promise<void> => {
    const problems: string[] = [];
    const ok = files.filter((file) => {
      const problem = refusal(file, setup);
      if (problem) problems.push(problem);
      return problem === undefined;
    });
    const wanted = setup.multiple ? ok : ok.slice(0, 1);
    message.textContent = problems.join(' ');
    if (wanted.length === 0) return;
    reading += 1;
    try {
      const read = await Promise.all(
        wanted.map(async (file) => ({ name: file.name, mime: file.type, size: file.size, dataUrl: withName(await readAsDataUrl(file), file.name, file.type) })),
      );
      chosen = setup.multiple ? [...chosen, ...read] : read;
    } catch (error) {
      message.textContent = `Could not read the file: ${(error as Error).message}`;
    } finally {
      reading -= 1;
    }
    render();
    ctx.changed();
  };

  button.addEventListener('click', () => native.click());
  native.addEventListener('change', () => {
    void take([...(native.files ?? [])]);
    native.value = '';
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    void take([...(event.dataTransfer?.files ?? [])]);
  });

  return {
    element: zone,
    read(): JsonValue | undefined {
      if (chosen.length === 0) return undefined;
      return setup.multiple ? chosen.map((f) => f.dataUrl) : chosen[0].dataUrl;
    },
    isEmpty: () => chosen.length === 0,
    write(value) {
      const urls = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
      chosen = urls.map((v) => (typeof v === 'string' ? describeDataUrl(v) : undefined)).filter((f) => f !== undefined);
      if (!setup.multiple) chosen = chosen.slice(0, 1);
      message.textContent = '';
      render();
    },
    check() {
      if (reading > 0) return 'Still reading the file…';
      const over = chosen.find((f) => refusal({ name: f.name, size: f.size, type: f.mime }, setup));
      return over ? refusal({ name: over.name, size: over.size, type: over.mime }, setup) : undefined;
    },
    setInvalid(invalid) {
      zone.classList.toggle('invalid', invalid);
    },
    focus() {
      button.focus();
    },
  };
}
