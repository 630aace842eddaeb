// An S3-compatible bucket (AWS S3, MinIO, Backblaze B2, Cloudflare R2, ...) as a backup target, through the AWS
// SDK, loaded only when a bucket is configured. Credentials come from the SDK's usual chain (AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, a profile, an instance role): they are never part of pi5's own config.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Pi5Error } from '../core/errors.js';
import type { BackupTarget } from './backupTargets.js';

export interface S3TargetOptions {
  /** s3://bucket or s3://bucket/prefix */
  readonly url: string;
  /** For a non-AWS service (MinIO, R2, ...): its endpoint; addressing is then path-style. */
  readonly endpoint?: string;
  readonly region?: string;
}

export interface S3Location {
  readonly bucket: string;
  /** '' or a prefix ending in '/'. */
  readonly prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (m === null) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `backupS3Url: expected s3://bucket or s3://bucket/prefix (bucket names: 3-63 lowercase letters, digits, dots, hyphens), got ${JSON.stringify(url)}`);
  const rest = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: m[1] as string, prefix: rest === '' ? '' : `${rest}/` };
}

export async function s3Target(opts: S3TargetOptions): Promise<BackupTarget> {
  const { bucket, prefix } = parseS3Url(opts.url);
  const s3 = await import('@aws-sdk/client-s3');
  const client = new s3.S3Client({
    region: opts.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint, forcePathStyle: true }),
  });
  return {
    name: `s3://${bucket}/${prefix}`,
    async put(localFile, name) {
      const { size } = await stat(localFile);
      await client.send(new s3.PutObjectCommand({ Bucket: bucket, Key: prefix + name, Body: createReadStream(localFile), ContentLength: size }));
    },
    async list() {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token === undefined ? {} : { ContinuationToken: token }) }));
        for (const o of page.Contents ?? []) if (o.Key !== undefined) names.push(o.Key.slice(prefix.length));
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return names;
    },
    async remove(name) {
      await client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: prefix + name }));
    },
  };
}
