#!/usr/bin/env node
// The npm registry mirror on our machines lacks some other-platform builds (e.g. darwin/win32
// binaries of biome and rollup), so `npm install` writes a package-lock.json without their
// entries and `npm ci` then refuses it ("Missing: … from lock file"). This adds the missing
// optional entries with their os/cpu/libc, which npm ci skips on a non-matching platform, as it
// would skip a complete lockfile's. Run after `npm install` changes the lockfile.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const out = spawnSync('npm', ['ci', '--dry-run', '--no-audit', '--no-fund'], { encoding: 'utf8' });
const missing = [...`${out.stdout}${out.stderr}`.matchAll(/Missing: (.+?)@\S* from lock file/g)].map((m) => m[1]);
if (missing.length === 0) {
  console.log('package-lock.json is complete');
  process.exit(0);
}
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
const OS = ['android', 'darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'openharmony', 'sunos', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el'];
for (const name of new Set(missing)) {
  const parent = Object.values(packages).find((p) => p.optionalDependencies?.[name]);
  if (!parent) throw new Error(`no package in the lockfile depends on ${name}`);
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) throw new Error(`cannot tell the platform of ${name}; add its entry by hand`);
  const entry = { version: parent.optionalDependencies[name], ...(parent.dev ? { dev: true } : {}), optional: true, cpu: [cpu], os: [os] };
  if (name.includes('musl')) entry.libc = ['musl'];
  else if (os === 'linux' && name.includes('gnu')) entry.libc = ['glibc'];
  packages[`node_modules/${name}`] = entry;
}
const sorted = { '': packages[''] };
for (const key of Object.keys(packages).filter((k) => k !== '').sort()) sorted[key] = packages[key];
lock.packages = sorted;
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${new Set(missing).size} optional platform entries to package-lock.json`);
