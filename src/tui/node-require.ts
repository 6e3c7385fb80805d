import { createRequire } from 'node:module';

/**
 * Runs `load` with a global `require`. ink depends on CommonJS packages (signal-exit, stack-utils) that
 * require Node built-ins (assert, events, module) when they are loaded; in an ES module bundle esbuild turns
 * those calls into a shim that uses a global `require` if one exists, and throws "Dynamic require of … is not
 * supported" otherwise. The global exists only while the TUI's chunk is imported.
 */
export async function withNodeRequire<T>(load: () => Promise<T>): Promise<T> {
  const scope = globalThis as { require?: NodeJS.Require };
  if (scope.require) return load();
  scope.require = createRequire(import.meta.url);
  try {
    return await load();
  } finally {
    delete scope.require;
  }
}
