import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { parseS3Url, s3ClientFromEnv } from '../s3-store.js';

/**
 * Test-only: an S3 endpoint for the lake's S3 tests. By default the test starts s3rver itself on a
 * loopback port with a fresh directory; when TRADEML_TEST_S3_URL (`s3://bucket[/prefix]`) is set,
 * that endpoint is used instead (AWS_ENDPOINT_URL and the AWS credential variables configure it),
 * under a fresh prefix that is emptied on close.
 */
export interface TestS3 {
  /** `s3://bucket/<fresh prefix>` for this test run. */
  readonly url: string;
  /** The variables a client for this endpoint is built from (endpoint, region, credentials). */
  readonly env: Record<string, string | undefined>;
  readonly external: boolean;
  /** A new client (each with its own middleware stack) for this endpoint. */
  client(): S3Client;
  close(): Promise<void>;
}

export async function startTestS3(): Promise<TestS3> {
  const external = process.env.TRADEML_TEST_S3_URL;
  if (external !== undefined && external !== '') return externalS3(external);
  const directory = await mkdtemp(join(tmpdir(), 'trademl-s3rver-'));
  const server = await spawnS3rver(directory);
  const env = {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${server.port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const clients: S3Client[] = [];
  return {
    url: `s3://test-bucket/run-${ulid().toLowerCase()}`,
    env,
    external: false,
    client: () => {
      const client = s3ClientFromEnv(env);
      clients.push(client);
      return client;
    },
    close: async () => {
      clients.forEach((c) => c.destroy());
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver in a child Node process on a loopback port. Not in-process: s3rver 3.7 encrypts its
 * ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 refuses unless the legacy
 * provider is enabled at startup — in-process, every truncated listing (over 1000 keys) fails with
 * HTTP 500. The child exits when its stdin closes, so it cannot outlive the test process.
 */
async function spawnS3rver(directory: string): Promise<{ port: number; stop(): Promise<void> }> {
  const entry = createRequire(import.meta.url).resolve('s3rver');
  const script = `
    const S3rver = require(${JSON.stringify(entry)});
    new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: ${JSON.stringify(directory)},
      configureBuckets: [{ name: 'test-bucket' }] }).run().then((info) => {
      process.stdout.write(JSON.stringify({ port: info.port }) + '\\n');
      process.stdin.on('end', () => process.exit(0)).resume();
    }, (error) => { process.stderr.write(String(error)); process.exit(1); });`;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.on('exit', (code) => reject(new Error(`s3rver exited (${String(code)}): ${stderr.slice(0, 500)}`)));
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

function externalS3(base: string): TestS3 {
  const env = { ...process.env };
  const url = `${base.replace(/\/+$/, '')}/trademl-test-${ulid().toLowerCase()}`;
  const clients: S3Client[] = [];
  return {
    url,
    env,
    external: true,
    client: () => {
      const client = s3ClientFromEnv(env);
      clients.push(client);
      return client;
    },
    close: async () => {
      const cleaner = s3ClientFromEnv(env);
      await emptyPrefix(cleaner, url).finally(() => cleaner.destroy());
      clients.forEach((c) => c.destroy());
    },
  };
}

async function emptyPrefix(client: S3Client, url: string): Promise<void> {
  const { bucket, prefix } = parseS3Url(url);
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length > 0) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}
