import { describe, expect, test } from 'vitest';
import { Router } from '../../src/server/router.ts';
import { jobRoutes } from '../../src/server/routes/job-routes.ts';
import type { Route } from '../../src/server/routes/route.ts';

const router = () => new Router(jobRoutes);
const describeMatch = (match: ReturnType<Router<Route>['match']>) =>
  match.kind === 'found' ? `${match.route.id} ${JSON.stringify(match.params)}` : match.kind;

describe('Router', () => {
  test('matches a pattern, decodes its parameters, and tells a wrong method from an unknown path', () => {
    const r = router();
    expect(describeMatch(r.match('GET', '/responses/resp_a%20b'))).toBe(
      'responses.retrieve {"response_id":"resp_a b"}',
    );
    expect(describeMatch(r.match('POST', '/responses/resp_1/cancel'))).toBe(
      'responses.cancel {"response_id":"resp_1"}',
    );
    // A malformed escape is kept as sent: an id that names nothing, not a throw.
    expect(describeMatch(r.match('GET', '/responses/%zz'))).toBe('responses.retrieve {"response_id":"%zz"}');
    expect(r.match('DELETE', '/batches').kind).toBe('wrong-method');
    expect(r.match('GET', '/nothing/here').kind).toBe('not-found');
    expect(r.match('GET', '/responses/').kind).toBe('not-found');
  });

  test('a remembered path keeps one answer per method', () => {
    const r = router();
    // Asked in both orders: whichever method comes first must not answer for the other.
    expect(r.match('GET', '/responses/resp_1').kind).toBe('found');
    expect(r.match('PUT', '/responses/resp_1').kind).toBe('wrong-method');
    expect(r.match('PUT', '/responses/resp_2').kind).toBe('wrong-method');
    expect(r.match('GET', '/responses/resp_2').kind).toBe('found');
    expect(describeMatch(r.match('GET', '/responses/resp_1'))).toBe(
      'responses.retrieve {"response_id":"resp_1"}',
    );
  });

  test('answers stay right past the number of paths it remembers', () => {
    const r = router();
    const paths = 70_000; // more than it remembers (65,536), so the memory starts afresh once
    for (let i = 0; i < paths; i++) r.match('GET', `/responses/resp_${i}`);
    for (const i of [0, 1, 65_535, 65_536, 69_999]) {
      expect(describeMatch(r.match('GET', `/responses/resp_${i}`))).toBe(
        `responses.retrieve {"response_id":"resp_${i}"}`,
      );
    }
    expect(r.match('POST', '/responses/resp_0').kind).toBe('wrong-method');
  });
});
