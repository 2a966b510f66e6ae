/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command that runs a study again at one seed: `npm run sim -- ARGS --seed N`, each word quoted for
 * a POSIX shell. `studyArgs` are the study's flags without `--seed` (see `studyArgs` in sim-flags).
 * @param seed - a seed, or a placeholder such as `N`
 */
export function replayCommand(studyArgs: readonly string[], seed: number | string): string {
  return ['npm run sim --', ...[...studyArgs, '--seed', String(seed)].map(shellWord)].join(' ');
}
