export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * The workbook's colour level. Off under NO_COLOR, --no-color, FORCE_COLOR=0 or TERM=dumb. chalk picks its
 * level when it is loaded and takes CI=true to mean "no colour"; the workbook runs in a terminal whatever CI
 * says, so the level is decided again here from the terminal's own variables.
 */
export function colorLevel(options: { noColor: boolean; env: NodeJS.ProcessEnv; current: ColorLevel }): ColorLevel {
  const { env } = options;
  if (options.noColor || env.NO_COLOR || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' || env.TERM === 'dumb') return 0;
  if (options.current > 0) return options.current;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  return /256/.test(env.TERM ?? '') ? 2 : 1;
}
