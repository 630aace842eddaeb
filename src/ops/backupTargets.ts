// Where copies of each scheduled backup go besides the backup folder: another folder (a NAS mount, a USB disk)
// or an S3-compatible bucket. Each target lists and deletes its own copies so rotation keeps the same set there.

import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface BackupTarget {
  /** For logs and errors: the folder, or s3://bucket/prefix. */
  readonly name: string;
  /** Stores the local file under `name` (a backup file name). */
  put(localFile: string, name: string): Promise<void>;
  /** Every file name the target holds (rotation keeps only backup names it recognises). */
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
}

export function folderTarget(dir: string): BackupTarget {
  return {
    name: dir,
    async put(localFile, name) {
      await mkdir(dir, { recursive: true });
      await copyFile(localFile, join(dir, name));
    },
    async list() {
      try {
        return await readdir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },
    async remove(name) {
      await rm(join(dir, name), { force: true });
    },
  };
}
