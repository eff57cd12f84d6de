/** `label=dir` arguments naming built dist directories to measure side by side (default: dist). */
export interface Build {
  label: string;
  dir: string;
}

export function parseBuilds(args: readonly string[]): Build[] {
  if (args.length === 0) return [{ label: 'working tree', dir: 'dist' }];
  return args.map((arg) => {
    const at = arg.indexOf('=');
    return at < 0 ? { label: arg, dir: arg } : { label: arg.slice(0, at), dir: arg.slice(at + 1) };
  });
}
