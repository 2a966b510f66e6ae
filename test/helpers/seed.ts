/** The fast-check seed of this test file (see fast-check-setup.ts), for suite titles. */
export function fcSeed(): number {
  return (globalThis as { __fcSeed?: number }).__fcSeed ?? 0;
}
