/**
 * Where finished report files go: an S3 bucket in AWS, the local data folder on a developer's machine.
 * The one seam between the reports and storage.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface ReportSink {
  /** Writes a file under `key` (`regional/2026/…csv`); a second write of the same key replaces it. */
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
}

/** The report bucket. Encryption (the bucket's KMS key) and retention are the bucket's. */
export function s3ReportSink(client: Pick<S3Client, 'send'>, bucket: string): ReportSink {
  return {
    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          // Integrity end to end: S3 refuses the object if the bytes arrive altered.
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    },
  };
}

/** A folder on disk (the local data folder's `reports/`). */
export function fileReportSink(folder: string): ReportSink {
  return {
    async put(key, body) {
      const path = join(folder, key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body);
    },
  };
}
