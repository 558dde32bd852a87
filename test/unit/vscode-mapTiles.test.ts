// The `pixie.maps.tileUrl` setting on the host side: which templates are used at all, and the img-src source the
// panel's CSP gains for them (html.ts imports vscode and cannot load here; it joins these sources after
// `img-src <cspSource> data: blob:`). Nothing that could end the directive or widen it beyond the tile host passes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tileImgSource, tileUrlSetting } from '../../src/vscode/panels/mapTiles';

describe('map tile setting', () => {
  it('is off unless set to an http(s) template with {z}, {x} and {y}', () => {
    for (const off of [undefined, null, 42, '', '   ', 'tile.example.org/{z}/{x}/{y}.png', 'https://tile.example.org/{z}/{x}.png', 'file:///tiles/{z}/{x}/{y}.png', 'javascript:alert(1)//{z}/{x}/{y}', 'data:image/png;base64,{z}{x}{y}']) {
      assert.equal(tileUrlSetting(off), null, String(off));
    }
    assert.equal(tileUrlSetting(' https://tile.example.org/{z}/{x}/{y}.png '), 'https://tile.example.org/{z}/{x}/{y}.png');
    assert.equal(tileUrlSetting('http://localhost:8080/{z}/{x}/{y}.png'), 'http://localhost:8080/{z}/{x}/{y}.png');
  });

  it('gives the CSP source of the tile host: scheme, host and port; {s} subdomains as *.', () => {
    assert.equal(tileImgSource('https://tile.example.org/{z}/{x}/{y}.png'), 'https://tile.example.org');
    assert.equal(tileImgSource('https://{s}.tile.example.org/{z}/{x}/{y}.png'), 'https://*.tile.example.org');
    assert.equal(tileImgSource('HTTP://LocalHost:8080/{z}/{x}/{y}.png'), 'http://localhost:8080');
    assert.equal(tileImgSource('http://[::1]:8080/{z}/{x}/{y}.png'), 'http://[::1]:8080');
    assert.equal(tileImgSource('https://tiles.example.org?key={z}'), 'https://tiles.example.org');
  });

  it('refuses hosts a CSP source cannot express or that would smuggle in another directive', () => {
    for (const bad of [
      'https://a.example.org; script-src */{z}/{x}/{y}.png',
      'https://a.example.org;script-src/{z}/{x}/{y}',
      'https://tiles{s}.example.org/{z}/{x}/{y}.png',
      'https://a.{s}.example.org/{z}/{x}/{y}.png',
      'https://user:pw@tiles.example.org/{z}/{x}/{y}.png',
      'https://*/{z}/{x}/{y}.png',
      'https://exa mple.org/{z}/{x}/{y}.png',
      "https://example.org'/{z}/{x}/{y}.png",
      'https:///{z}/{x}/{y}.png',
      'ftp://example.org/{z}/{x}/{y}.png',
    ]) {
      assert.equal(tileImgSource(bad), null, bad);
      assert.equal(tileUrlSetting(bad), null, `${bad} is not used either`);
    }
  });
});
