import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANTD_STYLED_COMPONENTS } from '../renderer/antdStyleComponents';

// The page runs antd without runtime CSS (zeroRuntime): the build writes the CSS of the components
// in ANTD_STYLED_COMPONENTS, so one the renderer imports but that list lacks would be unstyled.
const SRC = join(import.meta.dirname, '..', 'renderer', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [readFileSync(join(dir, entry.name), 'utf8')]
        : [],
  );
}

/** The values (not types) a file imports from 'antd' itself, by their exported names. */
function antdImports(text: string): string[] {
  return [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'antd'/g)].flatMap(([, names]) =>
    names!
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name && !name.startsWith('type '))
      .map((name) => name.split(/\s+as\s+/)[0]!),
  );
}

describe('antd components and the build-time stylesheet', () => {
  const imported = new Set(sources(SRC).flatMap(antdImports));

  it('finds the renderer importing antd components', () => {
    expect(imported).toContain('Button');
  });

  it('lists every antd component the renderer imports', () => {
    const listed = new Set<string>(ANTD_STYLED_COMPONENTS);
    expect([...imported].filter((name) => !listed.has(name)).sort()).toEqual([]);
  });

  it('imports nothing from antd subpaths but locales and types', () => {
    const deep = sources(SRC).flatMap((text) => [
      ...text.matchAll(/^import\s+(?!type\b)[^;]*from\s*'antd\/([^']+)'/gm),
    ]);
    expect(deep.map(([, path]) => path).filter((path) => !path!.startsWith('locale/'))).toEqual([]);
  });
});
