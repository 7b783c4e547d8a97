import { describe, expect, it } from 'vitest';
import { tensorCount } from '../../src/nn/index.js';
import { startBackend } from '../helpers/nn.js';

describe('tessera/nn backend', () => {
  it('starts the WASM backend (Node and Chromium) and reports live tensors', async () => {
    expect(await startBackend()).toBe('wasm');
    expect(tensorCount()).toBeGreaterThanOrEqual(0);
  });
});
