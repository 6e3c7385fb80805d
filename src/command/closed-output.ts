import { errnoCode, ExitCode } from '../errors/index.js';

/**
 * `isolab list | head -1`: once the reader has gone, a write to the pipe fails with EPIPE. Node ignores SIGPIPE, so
 * the write does not end the process as it would a C program's; the stream's unhandled 'error' event does, with a
 * stack trace and exit 1. A reader that stops reading is not a failure: end at once, quietly, with exit 0, as
 * most command-line tools do (`set -o pipefail` scripts included). `runMain` calls this first thing.
 */
export function endQuietlyWhenOutputCloses(
  streams: readonly NodeJS.WritableStream[] = [process.stdout, process.stderr],
  exit: (code: number) => void = process.exit,
): void {
  for (const stream of streams) {
    stream.on('error', (error: unknown) => {
      if (errnoCode(error) !== 'EPIPE') throw error;
      exit(ExitCode.ok);
    });
  }
}
