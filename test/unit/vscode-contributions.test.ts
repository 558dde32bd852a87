// package.json "contributes" against the code: every command has a handler and a category, context-only ones are
// hidden from the palette, menus name real commands, every setting of src/vscode/settings.ts is contributed with
// the default of src/core/config.ts, views have icons and welcome content.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BOOL_KEYS, NUMBER_KEYS, PATH_KEYS } from '../../src/core/config';

import { COMMANDS, CONTEXT_KEYS, VIEW_IDS } from '../../src/vscode/commands/ids';

const ROOT = path.resolve(__dirname, '../..');
interface Pkg {
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] }; virtualWorkspaces: boolean };
  contributes: {
    commands: Array<{ command: string; title: string; category: string; icon?: string }>;
    menus: Record<string, Array<{ command: string; when?: string; group?: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    views: Record<string, Array<{ id: string; name: string; icon: string }>>;
    viewsWelcome: Array<{ view: string; when: string; contents: string }>;
    colors: Array<{ id: string; defaults: Record<string, string> }>;
    configuration: { properties: Record<string, { type: string; default: unknown; scope: string; description: string; minimum?: number; maximum?: number }> };
  };
}
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Pkg;
const c = pkg.contributes;

/** SETTING_KEYS of src/vscode/settings.ts, read from its source (the module imports vscode, so it cannot be loaded here). */
function settingKeys(): Record<string, string> {
  const source = fs.readFileSync(path.join(ROOT, 'src/vscode/settings.ts'), 'utf8');
  const body = /const SETTING_KEYS[^{]*\{([\s\S]*?)\n\};/.exec(source)?.[1];
  assert.ok(body, 'SETTING_KEYS found in settings.ts');
  const out: Record<string, string> = {};
  for (const [, name, key] of body.matchAll(/^\s*'?([\w.]+)'?:\s*'(\w+)',?$/gm)) out[name!] = key!;
  return out;
}

describe('package.json contributions', () => {
  it('contributes every command of the command table, each with category Pixie and its title', () => {
    const contributed = new Map(c.commands.map((x) => [x.command, x]));
    for (const [id, info] of Object.entries(COMMANDS)) {
      assert.equal(contributed.get(id)?.title, info.title, id);
    }
    for (const command of c.commands) assert.equal(command.category, 'Pixie', command.command);
  });

  it('commands contributed by other parts (panel, sweeps) are registered somewhere in src/', () => {
    const sources: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) sources.push(fs.readFileSync(full, 'utf8'));
      }
    };
    walk(path.join(ROOT, 'src'));
    const all = sources.join('\n');
    for (const command of c.commands) {
      if (command.command in COMMANDS) continue;
      assert.ok(all.includes(`'${command.command}'`), `${command.command} is contributed but never registered`);
    }
  });

  it('every command has a handler registered in src/vscode/commands (pixie.showLog: in extension.ts)', () => {
    const dir = path.join(ROOT, 'src/vscode/commands');
    const source = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const registered = new Set([...source.matchAll(/(?:register\(ctx, |flag\(|write\()'([\w.]+)'/g)].map((m) => m[1]));
    const extension = fs.readFileSync(path.join(ROOT, 'src/extension.ts'), 'utf8');
    for (const id of Object.keys(COMMANDS)) {
      if (id === 'pixie.showLog') assert.match(extension, /registerCommand\('pixie\.showLog'/);
      else assert.ok(registered.has(id), `${id} has a handler`);
    }
  });

  it('hides context-only commands from the palette and conditions toggles', () => {
    const palette = new Map((c.menus.commandPalette ?? []).map((entry) => [entry.command, entry.when]));
    for (const [id, info] of Object.entries(COMMANDS)) {
      if (info.palette === true) assert.equal(palette.has(id), false, `${id} shows in the palette`);
      else if (info.palette === false) assert.equal(palette.get(id), 'false', `${id} hidden`);
      else assert.equal(palette.get(id), info.palette, `${id} when`);
    }
  });

  it('menus name contributed commands; inline actions have icons; toggles come in pairs', () => {
    const known = new Set(c.commands.map((x) => x.command));
    const withIcon = new Set(c.commands.filter((x) => x.icon).map((x) => x.command));
    for (const [menu, entries] of Object.entries(c.menus)) {
      for (const entry of entries) {
        assert.ok(known.has(entry.command), `${menu}: ${entry.command}`);
        if (entry.group?.startsWith('inline') || (menu === 'view/title' && entry.group?.startsWith('navigation'))) {
          assert.ok(withIcon.has(entry.command), `${entry.command} needs an icon in ${menu}`);
        }
        if (menu.startsWith('view/') && entry.command in COMMANDS) assert.match(entry.when ?? '', /view == pixie\.(tools|runs|artefacts)/, entry.command);
      }
    }
    const title = c.menus['view/title'];
    for (const [on, off, key] of [['pixie.tools.showArchived', 'pixie.tools.hideArchived', 'pixie.showArchived'], ['pixie.runs.groupByTool', 'pixie.runs.showFlat', 'pixie.runsGrouped'], ['pixie.artefacts.showDeleted', 'pixie.artefacts.hideDeleted', 'pixie.showDeleted']]) {
      assert.match(title.find((e) => e.command === on)!.when!, new RegExp(`!${key.replace('.', '\\.')}`));
      assert.doesNotMatch(title.find((e) => e.command === off)!.when!, new RegExp(`!${key.replace('.', '\\.')}`));
    }
  });

  it('uses only context keys the extension sets (plus VS Code’s own)', () => {
    const builtIn = new Set(['view', 'viewItem', 'isWorkspaceTrusted', 'workbenchState', 'false']);
    const ours = new Set<string>(CONTEXT_KEYS);
    const mine = (e: { command: string }): boolean => e.command in COMMANDS;
    const whens = [...Object.values(c.menus).flat().filter(mine).map((e) => e.when ?? ''), ...c.viewsWelcome.map((w) => w.when)];
    for (const when of whens) {
      for (const [, key] of when.replace(/\/(?:[^/\\]|\\.)+\//g, '').matchAll(/!?([a-zA-Z][\w.]*)/g)) {
        if (key === 'empty' || key.startsWith('pixie.') === false) {
          assert.ok(builtIn.has(key!) || key === 'empty' || /^pixie\.(tools|runs|artefacts)$/.test(key!), `unknown key ${key} in ${when}`);
        } else assert.ok(ours.has(key!) || /^pixie\.(tools|runs|artefacts)$/.test(key!), `unknown context key ${key} in ${when}`);
      }
    }
  });

  it('one Pixie container with Tools, Runs, Artefacts, each with an icon file that exists', () => {
    const [container] = c.viewsContainers.activitybar;
    assert.equal(container!.id, 'pixie');
    assert.ok(fs.existsSync(path.join(ROOT, container!.icon)));
    const views = c.views.pixie!;
    assert.deepEqual(views.map((v) => v.id), [VIEW_IDS.tools, VIEW_IDS.runs, VIEW_IDS.artefacts]);
    for (const view of views) {
      const svg = fs.readFileSync(path.join(ROOT, view.icon), 'utf8');
      assert.match(svg, /^<svg [^>]*viewBox="0 0 16 16"/, view.icon);
    }
  });

  it('welcome content: no folder, untrusted (with Manage Workspace Trust), no tools (Create Tool…), no runs', () => {
    const of = (view: string): string => c.viewsWelcome.filter((w) => w.view === view).map((w) => `${w.when} => ${w.contents}`).join('\n');
    assert.match(of(VIEW_IDS.tools), /workbenchState == empty =>/);
    assert.match(of(VIEW_IDS.tools), /!isWorkspaceTrusted[^\n]*Restricted Mode[^\n]*\n?\[Manage Workspace Trust\]\(command:workbench\.trust\.manage\)/);
    assert.match(of(VIEW_IDS.tools), /!pixie\.hasTools[^\n]*\n\[Create Tool…\]\(command:pixie\.createTool\)/);
    assert.match(of(VIEW_IDS.runs), /!pixie\.hasRuns[^\n]*No runs yet/);
    assert.match(of(VIEW_IDS.artefacts), /!pixie\.hasArtefacts/);
  });

  it('contributes every setting of settings.ts with the core default, a description and a scope', () => {
    const keys = settingKeys();
    assert.ok(Object.keys(keys).length >= 14, JSON.stringify(keys));
    const props = c.configuration.properties;
    // Settings read by the panel only (not core config): the map tile URL (see webview-maps / vscode-mapTiles tests).
    const panelOnly = ['pixie.maps.tileUrl'];
    assert.deepEqual(Object.keys(props).filter((k) => !panelOnly.includes(k)).sort(), Object.keys(keys).map((k) => `pixie.${k}`).sort());
    const tiles = props['pixie.maps.tileUrl']!;
    assert.equal(tiles.default, '', 'no tiles unless the user asks');
    assert.equal(tiles.scope, 'application', 'a workspace cannot turn on remote tiles');
    assert.match(tiles.description, /privacy/i);
    for (const [name, key] of Object.entries(keys)) {
      const prop = props[`pixie.${name}`]!;
      assert.ok(prop.description.length > 20, `${name} has a description`);
      assert.ok(['window', 'machine-overridable', 'resource', 'machine'].includes(prop.scope), `${name} scope`);
      if (key in NUMBER_KEYS) {
        const spec = NUMBER_KEYS[key as keyof typeof NUMBER_KEYS];
        assert.equal(prop.default, spec.default, `${name} default`);
        assert.equal(prop.type, spec.integer ? 'integer' : 'number', `${name} type`);
        assert.equal(prop.minimum, spec.min, `${name} minimum`);
      } else if (key in BOOL_KEYS) {
        assert.equal(prop.default, BOOL_KEYS[key as keyof typeof BOOL_KEYS].default);
      } else {
        assert.ok(key in PATH_KEYS, `${name} → ${key} is a known key`);
        assert.equal(prop.default, PATH_KEYS[key as keyof typeof PATH_KEYS].defaultName);
        assert.equal(prop.scope, 'machine-overridable', `${name}: paths are machine-overridable`);
      }
    }
    for (const quota of ['maxArtefactBytesPerRun', 'maxArtefactsPerRun', 'retention.maxArtefactBytes']) assert.equal(props[`pixie.${quota}`]!.scope, 'machine-overridable');
  });

  it('Workspace Trust: limited support, execution settings restricted, no virtual workspaces', () => {
    const trust = pkg.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    for (const key of ['pixie.toolsDir', 'pixie.dbPath', 'pixie.artefactsRoot']) assert.ok(trust.restrictedConfigurations.includes(key), key);
    for (const key of trust.restrictedConfigurations) assert.ok(key in c.configuration.properties, `${key} is a setting`);
    assert.equal(pkg.capabilities.virtualWorkspaces, false);
    assert.ok(pkg.activationEvents.includes('workspaceContains:tools/*/tool.json'));
  });

  it('validation colours with light, dark and high-contrast defaults', () => {
    const ids = c.colors.map((x) => x.id).sort();
    assert.deepEqual(ids, ['pixie.validation.failForeground', 'pixie.validation.passForeground', 'pixie.validation.warnForeground']);
    for (const colour of c.colors) for (const theme of ['light', 'dark', 'highContrast']) assert.ok(colour.defaults[theme], `${colour.id} ${theme}`);
  });
});
