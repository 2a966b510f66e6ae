import type { ResolvedLimits } from './resolve-model.ts';

/**
 * "`/vector_stores/{id}/files` and `/vector_stores/{id}/file_batches` share a limit of 300 requests per
 * minute for each vector store" (rate-limits guide, facts §4). The same at every tier. Whether polls
 * (`GET …/file_batches/{batch_id}`) count is not said; like every other poll, they do by default.
 */
export const VECTOR_STORE_RPM = 300;

/** A limit that is not a model's: an endpoint's own, such as a vector store's. */
export interface EndpointBucket {
  readonly limits: ResolvedLimits;
  /**
   * How a 429 names it ("Rate limit reached for vector store vs_… in organization …"): OpenAI's
   * wording for endpoint limits is not known, so this follows the model limits' message.
   */
  readonly subject: string;
}

/** What a vector store's bucket is called where a model's name would stand (traces, records). */
export function vectorStoreGroup(vectorStoreId: string): string {
  return `vector_store:${vectorStoreId}`;
}

/** The bucket of one vector store, at `rpm` requests a minute. */
export function vectorStoreBucket(vectorStoreId: string, rpm: number): EndpointBucket {
  return {
    limits: { group: vectorStoreGroup(vectorStoreId), limits: { rpm } },
    subject: `vector store ${vectorStoreId}`,
  };
}
