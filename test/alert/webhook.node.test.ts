/** Webhook sink against a real local HTTP server on 127.0.0.1: success, 500, hang. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertManager, type SinkFailure, scoreAbove, type WebhookPayload, webhookSink } from '../../src/index.js';

let server: Server;
let base = '';
const received: WebhookPayload[] = [];
let hits500 = 0;
let hitsHang = 0;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.url === '/ok') {
        received.push(JSON.parse(body) as WebhookPayload);
        res.writeHead(204).end();
      } else if (req.url === '/fail') {
        hits500++;
        res.writeHead(500).end('down');
      } else if (req.url === '/hang') {
        hitsHang++; // never answers
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('webhook sink on 127.0.0.1', () => {
  it('POSTs the documented JSON payload', async () => {
    const m = new AlertManager({ rules: [scoreAbove(0.5)], sinks: [webhookSink({ url: `${base}/ok` })] });
    await m.process({ row: 3, score: 0.9, record: { amount: 12 }, explanation: { contributions: [{ column: 'amount', contribution: 1 }] } });
    await m.flush();
    expect(m.failures).toEqual([]);
    expect(received.length).toBe(1);
    const p = received[0] as WebhookPayload;
    expect(p.type).toBe('tessera.alert');
    expect(p.version).toBe(1);
    expect(p.alert.rows[0]).toEqual({ row: 3, record: { amount: 12 }, score: 0.9, explanation: { contributions: [{ column: 'amount', contribution: 1 }] } });
  });

  it('500: bounded retries, failure reported, the loop goes on', async () => {
    const failures: SinkFailure[] = [];
    const m = new AlertManager({
      rules: [scoreAbove(0.5)],
      sinks: [webhookSink({ url: `${base}/fail`, retries: 2, backoffMs: 5 })],
      onSinkError: (f) => failures.push(f),
    });
    const fired = await m.process({ row: 1, score: 0.9 });
    expect(fired.length).toBe(1);
    await m.flush();
    expect(hits500).toBe(3);
    expect(failures.length).toBe(1);
    expect(failures[0]?.error.message).toMatch(/failed after 3 attempt\(s\): HTTP 500/);
  });

  it('hang: each attempt times out, bounded retries, failure reported', async () => {
    const failures: SinkFailure[] = [];
    const m = new AlertManager({
      rules: [scoreAbove(0.5)],
      sinks: [webhookSink({ url: `${base}/hang`, retries: 1, backoffMs: 5, timeoutMs: 150 })],
      onSinkError: (f) => failures.push(f),
    });
    await m.process({ row: 1, score: 0.9 });
    await m.flush();
    expect(hitsHang).toBe(2);
    expect(failures[0]?.error.message).toMatch(/timed out after 150 ms/);
  });

  it('connection refused is reported too', async () => {
    const failures: SinkFailure[] = [];
    const m = new AlertManager({
      rules: [scoreAbove(0.5)],
      sinks: [webhookSink({ url: 'http://127.0.0.1:1/x', retries: 1, backoffMs: 1 })],
      onSinkError: (f) => failures.push(f),
    });
    await m.process({ score: 1 });
    await m.flush();
    expect(failures.length).toBe(1);
  });
});
