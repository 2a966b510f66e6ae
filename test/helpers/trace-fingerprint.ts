/** What the transport tests compare a trace on: when, what, and how it ended, and for which client. */
export const traceFingerprint = (r: {
  atMs: number;
  route: string | undefined;
  status: number;
  client: string | undefined;
}): string => `${r.atMs} ${r.route} ${r.status} ${r.client}`;
