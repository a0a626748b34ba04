import { S3Client } from '@aws-sdk/client-s3';
import {
  type ImportRunSummary,
  type ImportSummaryInput,
  summariseImportRun,
} from '../import/import-run-summary';
import { readImportEnvironment } from './environment';

const { reportBucket } = readImportEnvironment(process.env);
const s3 = new S3Client({});

/** Lambda entry of the import's last step: adds up the Map run's results. */
export const handler = (input: ImportSummaryInput): Promise<ImportRunSummary> =>
  summariseImportRun(input, { s3, reportBucket });
