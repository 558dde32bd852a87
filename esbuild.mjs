// Builds the three bundles: the extension host (node/cjs, `vscode` external), the `pixie` CLI (node/cjs)
// and the webview app (browser/esm). `--production` minifies and drops source maps; `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, chmodSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'linked',
};

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Prefer packages' ESM builds: jsonc-parser's UMD build loads its parts with require() calls a bundle cannot resolve.
  mainFields: ['module', 'main'],
  // sql.js probes for these optional node modules; the wasm file is copied next to the bundle instead.
  external: ['vscode'],
  // execa and friends are ESM; esbuild turns them into CJS. import.meta.url is shimmed for them.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

// KaTeX's stylesheet offers every font as woff2, woff and ttf; the webview (Chromium) always takes woff2, so the other
// two are dropped from the stylesheet and never copied into dist/webview.
const katexWoff2Only = {
  name: 'katex-woff2-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]katex[\\/]dist[\\/]katex(\.min)?\.css$/ }, async (args) => {
      const css = await readFile(args.path, 'utf8');
      const contents = css.replace(/,\s*url\([^)]*\.(?:woff|ttf)\)\s*format\("(?:woff|truetype)"\)/g, '');
      return { contents, loader: 'css', resolveDir: path.dirname(args.path) };
    });
  },
};

const builds = [
  { ...nodeCommon, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  {
    ...nodeCommon,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: "#!/usr/bin/env node\nconst importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  },
];
if (existsSync('webview/main.ts')) {
  builds.push({
    ...common,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    entryPoints: { main: 'webview/main.ts' },
    outdir: 'dist/webview',
    // .png: the images Leaflet's stylesheet names (layer switcher, default marker); the maps use neither, but the
    // stylesheet must resolve.
    loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file', '.png': 'file' },
    plugins: [katexWoff2Only],
  });
}
for (const extra of ['test/host/index.ts']) {
  if (existsSync(extra)) {
    builds.push({ ...nodeCommon, entryPoints: [extra], outfile: 'dist/test/host/index.js', external: ['vscode', 'mocha'] });
  }
}

function copyAssets() {
  mkdirSync('dist', { recursive: true });
  const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
  copyFileSync(wasm, path.join('dist', 'sql-wasm.wasm'));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  copyAssets();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  copyAssets();
}
