import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { getFreePort } from '../../src/core/runner/launcher/freePort';

test('returns a port in 1024–65535 that can be bound on 127.0.0.1 right away', async () => {
  const port = await getFreePort();
  assert.ok(Number.isInteger(port) && port >= 1024 && port <= 65535, `port ${port}`);
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('successive calls are usually different', async () => {
  const ports = await Promise.all(Array.from({ length: 10 }, () => getFreePort()));
  assert.ok(new Set(ports).size >= 8, `ports: ${ports.join(',')}`);
});

test('fails for an address this machine does not have', async () => {
  await assert.rejects(getFreePort('192.0.2.1'));
});
