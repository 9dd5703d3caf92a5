export { Lake, type CompactOptions, type CompactResult, type LakeOptions, type QueryOptions, type WriteResult } from './lake.js';
export { encodePathSegment, decodePathSegment, MAX_SEGMENT_LENGTH } from './path-segment.js';
export { LakeError, LakePathError, LakeWriteError } from './errors.js';
export type { ObjectStore, ObjectBody, StagedObject } from './object-store.js';
export { FileObjectStore } from './file-store.js';
export type { QuarantineListing } from './quarantine.js';
// Types only: the S3 store (and the AWS SDK) is loaded by Lake.open when a root is s3://.
export type { S3StoreOptions, S3Location } from './s3-store.js';
export { fileList as sqlFileList, type ParquetCompression } from './duck.js';
export { writeDatasetRows, type RowsWritten } from './write-rows.js';
