import { expect, test } from 'vitest';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';

test('images count against images per minute: dall-e-3 on the free tier allows one a minute', async () => {
  const requests = await withVirtualSdk(
    {
      tier: 'free',
      latency: { request: { kind: 'fixed', ms: 100 }, completion: { kind: 'fixed', ms: 1000 } },
    },
    async ({ client, mock }) => {
      const first = await client.images.generate({ model: 'dall-e-3', prompt: 'a hearing room' });
      expect(first.data).toHaveLength(1);
      await expect(client.images.generate({ model: 'dall-e-3', prompt: 'another' })).rejects.toMatchObject({
        status: 429,
      });
      return mock.requests;
    },
    { maxRetries: 0 },
  );
  expect(requests.map((r) => [r.route, r.status, r.rejectedBy])).toEqual([
    ['images.generate', 200, undefined],
    ['images.generate', 429, 'ipm'],
  ]);
});
