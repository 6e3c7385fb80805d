// Complete: the error your tool throws when the kernel or the input says no. main.ts prints its message and
// exits with its code: 2 for bad input, 3 when the kernel or the machine refuses.
export class ToolError extends Error {
  constructor(
    message: string,
    readonly exitCode: 2 | 3 = 3,
  ) {
    super(message);
  }
}
