/**
 * Runs `load` (the import of the TUI's chunk) in the environment an interactive session needs, then puts the
 * environment back as it was, so the learner's shell and the checks still see their own values.
 *
 * - `CI`: ink reads it once, when it is imported (is-in-ci), and then prints only the last frame and ignores
 *   resizes. A learner's shell may have CI set (and CI itself tests the TUI with CI=true); a terminal is a
 *   terminal, so ink must not see it.
 * - `NODE_ENV`: React picks its development or production build when it is first loaded; unset means
 *   development, which is slower to start and to render.
 */
export async function withInteractiveEnv<T>(load: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const saved = { CI: env.CI, CONTINUOUS_INTEGRATION: env.CONTINUOUS_INTEGRATION, NODE_ENV: env.NODE_ENV };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  env.NODE_ENV ??= 'production';
  try {
    return await load();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
  }
}
