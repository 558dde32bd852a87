// audio: record from the microphone (when the webview grants getUserMedia; VS Code usually does not, and then the
// Record button explains and goes away) or choose / drop an audio file. Sent as one data URL
// `data:<mime>;name=<file>;base64,…` like file and image. Over `max_size_mb` is refused with a message before
// anything is sent; a recording that grows past the limit is stopped and discarded.
import { custom, el, formatBytes } from '../../dom';
import type { ButtonElement } from '../../elements/types';
import { registerInput } from '../registry';
import { describeDataUrl, readAsDataUrl, refusal, withName, type ChosenFile } from './filePicker';

const MB = 1024 * 1024;

/** Whether this page offers recording at all (a webview may still refuse when asked). */
export function recordingOffered(): boolean {
  const devices = (navigator as Partial<Navigator>).mediaDevices;
  return typeof devices?.getUserMedia === 'function' && typeof (globalThis as { MediaRecorder?: unknown }).MediaRecorder === 'function';
}

function extensionFor(mime: string): string {
  const sub = mime.split('/')[1] ?? '';
  if (sub === 'mp4' || sub === 'x-m4a') return 'm4a';
  if (sub === 'mpeg') return 'mp3';
  return /^[a-z0-9]+$/.test(sub) ? sub : 'audio';
}

function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

registerInput({
  type: 'audio',
  create(spec, ctx) {
    const setup = { accept: ['audio/*'], maxSizeMb: spec.max_size_mb };
    let chosen: ChosenFile | undefined;
    let reading = 0;
    let recording: { recorder: MediaRecorder; started: number; timer: ReturnType<typeof setInterval> } | undefined;

    const native = el('input', { className: 'file-native', attrs: { type: 'file', accept: 'audio/*', tabindex: -1, 'aria-hidden': 'true' } });
    const choose = custom<ButtonElement>('vscode-button', { attrs: { id: ctx.controlId, 'aria-describedby': ctx.describedBy, 'aria-label': `${spec.label}: choose an audio file` } }, 'Choose audio…');
    choose.secondary = true;
    choose.icon = 'folder-opened';
    const record = custom<ButtonElement>('vscode-button', { className: 'audio-record', attrs: { 'aria-label': `${spec.label}: record from the microphone` } }, 'Record');
    record.secondary = true;
    record.icon = 'record';
    record.hidden = !recordingOffered();
    const stop = custom<ButtonElement>('vscode-button', { className: 'audio-stop', attrs: { 'aria-label': 'Stop recording' } }, 'Stop');
    stop.icon = 'debug-stop';
    stop.hidden = true;
    const elapsed = el('span', { className: 'audio-elapsed', attrs: { role: 'timer', 'aria-live': 'off' } });
    const limit = spec.max_size_mb !== null ? el('span', { className: 'file-limit', text: `up to ${spec.max_size_mb} MB` }) : null;
    const player = el('audio', { className: 'audio-player', attrs: { controls: true, preload: 'metadata' } });
    const name = el('span', { className: 'file-name' });
    const size = el('span', { className: 'file-size' });
    const remove = custom<ButtonElement>('vscode-button', { attrs: { 'aria-label': 'Remove the audio' } }, 'Remove');
    remove.secondary = true;
    const chosenRow = el('div', { className: 'audio-chosen' }, player, el('div', { className: 'audio-meta' }, name, size, remove));
    const message = el('div', { className: 'file-message', attrs: { role: 'alert' } });
    const zone = el('div', { className: 'file-picker audio-input' }, el('div', { className: 'file-actions' }, choose, record, stop, elapsed, limit), native, chosenRow, message);

    const render = (): void => {
      chosenRow.hidden = chosen === undefined;
      if (chosen) {
        if (player.getAttribute('src') !== chosen.dataUrl) player.setAttribute('src', chosen.dataUrl);
        name.textContent = chosen.name;
        size.textContent = formatBytes(chosen.size);
      } else {
        player.removeAttribute('src');
        name.textContent = '';
        size.textContent = '';
      }
    };

    const take = async (file: File | undefined): Promise<void> => {
      if (!file) return;
      const problem = refusal(file, setup);
      message.textContent = problem ?? '';
      if (problem) return;
      reading += 1;
      try {
        chosen = { name: file.name, mime: file.type, size: file.size, dataUrl: withName(await readAsDataUrl(file), file.name, file.type) };
      } catch (error) {
        message.textContent = `Could not read the audio: ${(error as Error).message}`;
      } finally {
        reading -= 1;
      }
      render();
      ctx.changed();
    };

    const showRecording = (on: boolean): void => {
      stop.hidden = !on;
      record.hidden = on || !recordingOffered();
      choose.disabled = on;
      if (!on) elapsed.textContent = '';
    };

    const startRecording = async (): Promise<void> => {
      message.textContent = '';
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        record.hidden = true;
        message.textContent = `Recording is not available here (${(error as Error).message || 'the microphone was refused'}); choose an audio file instead.`;
        return;
      }
      const recorder = new MediaRecorder(stream);
      const chunks: Blob[] = [];
      let bytes = 0;
      let tooBig = false;
      recorder.addEventListener('dataavailable', (event) => {
        if (event.data.size === 0) return;
        chunks.push(event.data);
        bytes += event.data.size;
        if (setup.maxSizeMb !== null && bytes > setup.maxSizeMb * MB && recorder.state === 'recording') {
          tooBig = true;
          recorder.stop();
        }
      });
      recorder.addEventListener('stop', () => {
        for (const track of stream.getTracks()) track.stop();
        if (recording) clearInterval(recording.timer);
        recording = undefined;
        showRecording(false);
        if (tooBig) {
          message.textContent = `The recording passed the ${setup.maxSizeMb} MB limit and was discarded.`;
          return;
        }
        const mime = (recorder.mimeType || chunks[0]?.type || 'audio/webm').split(';')[0].trim();
        const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
        void take(new File(chunks, `recording-${stamp}.${extensionFor(mime)}`, { type: mime }));
      });
      // A chunk a second: the size limit is checked while recording, not only at the end.
      recorder.start(1000);
      const started = Date.now();
      recording = { recorder, started, timer: setInterval(() => (elapsed.textContent = `Recording ${clock(Date.now() - started)}`), 500) };
      elapsed.textContent = 'Recording 0:00';
      showRecording(true);
      stop.focus();
    };

    choose.addEventListener('click', () => native.click());
    record.addEventListener('click', () => void startRecording());
    stop.addEventListener('click', () => {
      if (recording?.recorder.state === 'recording') recording.recorder.stop();
    });
    remove.addEventListener('click', () => {
      chosen = undefined;
      message.textContent = '';
      render();
      ctx.changed();
      choose.focus();
    });
    native.addEventListener('change', () => {
      void take(native.files?.[0]);
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
      void take(event.dataTransfer?.files[0]);
    });
    render();

    return {
      element: zone,
      read: () => chosen?.dataUrl,
      // While recording or reading, check() has the better message than "Required.".
      isEmpty: () => chosen === undefined && recording === undefined && reading === 0,
      write(value) {
        const url = Array.isArray(value) ? value[0] : value;
        chosen = typeof url === 'string' ? describeDataUrl(url) : undefined;
        message.textContent = '';
        render();
      },
      check() {
        if (recording) return 'Stop the recording first.';
        if (reading > 0) return 'Still reading the audio…';
        return chosen ? refusal({ name: chosen.name, size: chosen.size, type: chosen.mime }, setup) : undefined;
      },
      setInvalid(invalid) {
        zone.classList.toggle('invalid', invalid);
      },
      focus() {
        (recording ? stop : choose).focus();
      },
    };
  },
});
