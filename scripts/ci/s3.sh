#!/usr/bin/env bash
# Starts an S3-compatible server for the lake's S3 tests and the postgres+s3 end-to-end runs:
# s3rver (a devDependency, so it comes with `npm ci`) on a loopback port, in the background, with
# one bucket. Waits until it answers, then prints the variables the tests read, last:
#   export TRADEML_TEST_S3_URL=s3://trademl-test   (tests add a fresh prefix per run)
#   export AWS_ENDPOINT_URL=… AWS_REGION=… AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…
# Idempotent: when a server already answers on the port, it is reused.
# Usage (from .ci/run):  eval "$(bash scripts/ci/s3.sh | grep '^export ')"
#
# About s3rver's fidelity, and why the lake does not depend on what it lacks:
# - s3rver 3.7 does NOT honour conditional writes (`If-None-Match: *` on PutObject): a second PUT
#   of the same key silently overwrites. The lake never relies on it: raw part keys are
#   `part-<ULID>-<content hash>.parquet`, unique per write, so two writers never race for one key,
#   and table files (curated, ledger) are whole deterministic replacements.
# - It encrypts ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 only allows
#   with the legacy provider: the server runs under `node --openssl-legacy-provider`, otherwise
#   every listing longer than 1000 keys fails with HTTP 500.
# - s3rver writes objects in place, so a GET racing a PUT of the same key can read a half-written
#   object (S3 itself never shows one): the launcher below makes its PUT write aside and rename,
#   and serialises PUT/GET/HEAD per key. Several workers replacing one table file need that.
# - The server must outlive this script (.ci/run reads the script's stdout through a pipe and waits
#   for it to close): it runs under setsid + nohup with every stream redirected to its log file.
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT="${TRADEML_S3_PORT:-4569}"
BUCKET="${TRADEML_S3_BUCKET:-trademl-test}"
DIR="${TRADEML_S3_DIR:-${TMPDIR:-/tmp}/trademl-s3rver-ci}"
LOG="${DIR}.log"
ACCESS_KEY=S3RVER
SECRET_KEY=S3RVER

log() { echo "s3.sh: $*" >&2; }

# Exit 0 when an HTTP server answers on the port (any status: s3rver lists buckets on GET /).
answers() {
  node -e '
    const req = require("http").get({ host: "127.0.0.1", port: Number(process.argv[1]), path: "/", timeout: 1000 }, (res) => { res.resume(); process.exit(0); });
    req.on("error", () => process.exit(1));
    req.on("timeout", () => { req.destroy(); process.exit(1); });
  ' "$PORT"
}

if answers; then
  log "a server already answers on 127.0.0.1:${PORT}; reusing it"
else
  if [ ! -f node_modules/s3rver/package.json ]; then
    log "node_modules/s3rver is missing: run npm ci first"
    exit 1
  fi
  mkdir -p "$DIR"
  log "starting s3rver on 127.0.0.1:${PORT} (data in ${DIR}, log in ${LOG})"
  export TRADEML_S3RVER_PORT="$PORT" TRADEML_S3RVER_DIR="$DIR" TRADEML_S3RVER_BUCKET="$BUCKET"
  setsid nohup node --openssl-legacy-provider -e '
    const crypto = require("crypto");
    const fsp = require("fs/promises");
    const path = require("path");
    const { AsyncLocalStorage } = require("async_hooks");
    const from = { paths: [process.cwd()] };
    const S3rver = require(require.resolve("s3rver", from));
    const Store = require(require.resolve("s3rver/lib/stores/filesystem.js", from));
    // S3 PUTs are atomic: a reader gets the old object or the new one, never a mix. s3rver writes
    // in place, so a GET racing a PUT of the same key (several workers replacing one table file)
    // can read a half-written object under the old ETag. Make PUT write aside and rename, and let
    // PUT, GET (up to opening the file) and HEAD of one key take turns.
    const held = new AsyncLocalStorage();
    const tails = new Map();
    const locked = (id, work) => {
      if (held.getStore() === id) return work();
      const run = (tails.get(id) || Promise.resolve()).then(() => held.run(id, work));
      const tail = run.then(() => undefined, () => undefined);
      tails.set(id, tail);
      tail.then(() => { if (tails.get(id) === tail) tails.delete(id); });
      return run;
    };
    const { getObject, getMetadata, deleteObject } = Store.prototype;
    let seq = 0;
    Store.prototype.getObject = function (bucket, key, options) { return locked(`${bucket}/${key}`, () => getObject.call(this, bucket, key, options)); };
    Store.prototype.getMetadata = function (bucket, key) { return locked(`${bucket}/${key}`, () => getMetadata.call(this, bucket, key)); };
    Store.prototype.deleteObject = function (bucket, key) { return locked(`${bucket}/${key}`, () => deleteObject.call(this, bucket, key)); };
    Store.prototype.putObject = async function (object) {
      const target = this.getResourcePath(object.bucket, object.key, "object");
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const chunks = [];
      if (Buffer.isBuffer(object.content)) chunks.push(object.content);
      else for await (const chunk of object.content) chunks.push(Buffer.from(chunk));
      const bytes = Buffer.concat(chunks);
      const md5 = crypto.createHash("md5").update(bytes).digest("hex");
      const temp = `${target}.tmp-${process.pid}-${++seq}`;
      await fsp.writeFile(temp, bytes);
      return locked(`${object.bucket}/${object.key}`, async () => {
        await fsp.rename(temp, target);
        await this.putMetadata(object.bucket, object.key, object.metadata, md5);
        return { size: bytes.length, md5 };
      });
    };
    new S3rver({
      port: Number(process.env.TRADEML_S3RVER_PORT), address: "127.0.0.1", silent: true,
      directory: process.env.TRADEML_S3RVER_DIR,
      configureBuckets: [{ name: process.env.TRADEML_S3RVER_BUCKET }],
    }).run().then(
      (info) => console.log(`s3rver listening on ${info.address}:${info.port}`),
      (error) => { console.error(String(error)); process.exit(1); },
    );
  ' >"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    if answers; then break; fi
    sleep 0.5
  done
  if ! answers; then
    log "s3rver did not answer on 127.0.0.1:${PORT} within 30 s; its log:"
    cat "$LOG" >&2 || true
    exit 1
  fi
fi

# The bucket must exist (a reused server may have been started without it): create it if missing.
AWS_ENDPOINT_URL="http://127.0.0.1:${PORT}" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY" \
  NODE_NO_WARNINGS=1 node --input-type=module -e '
    import { S3Client, HeadBucketCommand, CreateBucketCommand } from "@aws-sdk/client-s3";
    const client = new S3Client({ endpoint: process.env.AWS_ENDPOINT_URL, region: "us-east-1", forcePathStyle: true });
    const Bucket = process.argv[1];
    try { await client.send(new HeadBucketCommand({ Bucket })); }
    catch { await client.send(new CreateBucketCommand({ Bucket })); console.error(`s3.sh: created bucket ${Bucket}`); }
    client.destroy();
  ' "$BUCKET" >&2

log "ready: s3://${BUCKET} at http://127.0.0.1:${PORT}"
echo "export TRADEML_TEST_S3_URL=s3://${BUCKET}"
echo "export AWS_ENDPOINT_URL=http://127.0.0.1:${PORT}"
echo "export AWS_REGION=us-east-1"
echo "export AWS_ACCESS_KEY_ID=${ACCESS_KEY}"
echo "export AWS_SECRET_ACCESS_KEY=${SECRET_KEY}"
