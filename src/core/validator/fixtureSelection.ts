// Which fixtures `--fixture NAME` and `--tag TAG` pick. A name matches a file `fixture_<name>.json`, its
// stem, the file name itself, or the fixture's own "name"; `*` and `?` work as globs on any of those.
import type { FixtureFile } from '../tools/fixtures';

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function candidates(file: FixtureFile): string[] {
  const stem = file.fileName.replace(/\.json$/i, '');
  const short = stem.replace(/^fixture_/, '');
  const names = [file.fileName, stem, short];
  if (file.fixture) names.push(file.fixture.name);
  return names;
}

export function matchesName(file: FixtureFile, pattern: string): boolean {
  const wanted = pattern.trim();
  if (wanted === '') return false;
  const names = candidates(file);
  if (/[*?]/.test(wanted)) {
    const re = globToRegExp(wanted);
    return names.some((n) => re.test(n));
  }
  return names.some((n) => n === wanted);
}

/** Applies both filters (a fixture must pass each given one); files that failed to parse match by file name only. */
export function selectFixtures(files: readonly FixtureFile[], names: readonly string[], tags: readonly string[]): FixtureFile[] {
  return files.filter((file) => {
    if (names.length > 0 && !names.some((n) => matchesName(file, n))) return false;
    if (tags.length > 0) {
      const own = file.fixture?.tags ?? [];
      if (!tags.some((t) => own.includes(t))) return false;
    }
    return true;
  });
}
