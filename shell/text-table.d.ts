/** text-table (the table Yeoman's `--help` is laid out with) ships no types. */
declare module 'text-table' {
  export default function table(rows: string[][], options?: { hsep?: string; align?: string[] }): string;
}
