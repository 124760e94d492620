/** minimist (Yeoman's own option parser, used the same way by the fast bin) ships no types. */
declare module 'minimist' {
  export interface ParsedArgs {
    _: string[];
    [key: string]: unknown;
  }
  export default function minimist(
    args: string[],
    options?: { boolean?: string[]; string?: string[]; alias?: Record<string, string>; default?: Record<string, unknown> },
  ): ParsedArgs;
}
