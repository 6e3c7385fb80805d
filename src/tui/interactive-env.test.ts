import { describe, expect, it } from 'vitest';
import { withInteractiveEnv } from './interactive-env.js';
import { withNodeRequire } from './node-require.js';

describe('withInteractiveEnv', () => {
  it('hides CI from the import and sets NODE_ENV, then restores the environment', async () => {
    const env: NodeJS.ProcessEnv = { CI: 'true', CONTINUOUS_INTEGRATION: '1', PATH: '/bin' };
    const seen = await withInteractiveEnv(async () => ({ ...env }), env);
    expect(seen).toEqual({ PATH: '/bin', NODE_ENV: 'production' });
    expect(env).toEqual({ CI: 'true', CONTINUOUS_INTEGRATION: '1', PATH: '/bin' });
  });

  it('keeps a NODE_ENV the learner set, and restores even when the import fails', async () => {
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'development', CI: '1' };
    await expect(withInteractiveEnv(async () => Promise.reject(new Error('no chunk')), env)).rejects.toThrow('no chunk');
    expect(env).toEqual({ NODE_ENV: 'development', CI: '1' });
  });
});

describe('withNodeRequire', () => {
  it('offers a global require only while loading', async () => {
    const scope = globalThis as { require?: NodeJS.Require };
    const had = scope.require;
    const during = await withNodeRequire(async () => typeof scope.require);
    expect(during).toBe('function');
    expect(scope.require).toBe(had);
  });
});
