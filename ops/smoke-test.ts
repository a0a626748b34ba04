import { randomUUID } from 'node:crypto';
import { DescribeDeliveryStreamCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { formatDay, parseDay, utcDay } from '../lambdas/core/calendar-day';
import { ERRORS_PREFIX } from '../lambdas/core/lake-layout';
import { SECOND_MS } from '../lambdas/core/time';
import { awsError } from './aws-error';
import { parseErrorObject } from './error-documents';
import type { HttpCall } from './signed-fetch';

export interface SmokeStack {
  readonly IngestApiUrl: string;
  readonly KpiApiUrl: string;
  readonly DeliveryStreamName: string;
  readonly LakeBucketName: string;
  /** Present when the doors take an API key (`ingestAuth=apiKey`). */
  readonly IngestApiKeyId?: string;
}

export interface SmokeOptions {
  readonly stack: SmokeStack;
  /** Signed calls to the APIs. */
  readonly http: HttpCall;
  readonly firehose: FirehoseClient;
  readonly s3: S3Client;
  /** The app the test event is sent as (it counts in that app's KPIs). */
  readonly appId: string;
  /** The doors' API key, when they take one. */
  readonly apiKey?: string;
  /** How long to wait for the event to be counted. @default 1.5 × the stream's buffer interval + 5 minutes */
  readonly timeoutMs?: number;
  /** @default 30 s */
  readonly pollMs?: number;
  /** Each line of the report: `✔ ...` what worked, `✘ ...` what did not, `  ...` details. */
  readonly report: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default a random UUID */
  readonly id?: () => string;
}

/** What an API answered that was not the expected status: status, AWS error type, message, request id. */
async function failure(response: Response): Promise<string> {
  const type = response.headers.get('x-amzn-ErrorType');
  const requestId = response.headers.get('x-amzn-RequestId');
  const text = await response.text();
  let message = text;
  try {
    const body = JSON.parse(text) as { message?: string; Message?: string };
    message = body.message ?? body.Message ?? text;
  } catch {
    // not JSON: the text as it came
  }
  return `${response.status}${type ? ` ${type.split(':')[0]}` : ''}: ${message.slice(0, 500)}${requestId ? ` (request id ${requestId})` : ''}`;
}

/** The DAU of a day, asked as the last day of a range that starts `extraDays` earlier. */
async function dau(options: SmokeOptions, day: string, extraDays: number): Promise<number | string> {
  const start = formatDay((parseDay(day) ?? 0) - extraDays);
  const url = `${options.stack.KpiApiUrl}apps/${encodeURIComponent(options.appId)}/kpis/dau/count?startDate=${start}&endDate=${day}&timezone=UTC`;
  try {
    const response = await options.http(url, { method: 'GET' });
    if (response.status !== 200) return `GET ${url} answered ${await failure(response)}`;
    const body = (await response.json()) as { values: { date: string; value: number | null }[] };
    return body.values.find((v) => v.date === day)?.value ?? 0;
  } catch (err) {
    return `GET ${url} failed: ${awsError(err)}`;
  }
}

async function bufferSeconds(options: SmokeOptions): Promise<number | string> {
  try {
    const { DeliveryStreamDescription } = await options.firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: options.stack.DeliveryStreamName }),
    );
    const destination = DeliveryStreamDescription?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    return destination?.BufferingHints?.IntervalInSeconds ?? 300;
  } catch (err) {
    return awsError(err);
  }
}

/** Where the event went if not into the lake: error records written since it was sent. */
async function errorRecordsSince(options: SmokeOptions, sentAt: number): Promise<string[]> {
  try {
    const { Contents = [] } = await options.s3.send(
      new ListObjectsV2Command({ Bucket: options.stack.LakeBucketName, Prefix: ERRORS_PREFIX }),
    );
    const recent = Contents.filter((o) => o.Key && (o.LastModified?.getTime() ?? 0) >= sentAt).slice(0, 3);
    const lines: string[] = [];
    for (const o of recent) {
      const { Body } = await options.s3.send(
        new GetObjectCommand({ Bucket: options.stack.LakeBucketName, Key: o.Key }),
      );
      const first = parseErrorObject((await Body?.transformToString()) ?? '').find((p) => 'document' in p);
      const error = first && 'document' in first ? first.document : undefined;
      lines.push(`${o.Key}: ${error?.errorCode ?? 'no error code'}: ${error?.errorMessage ?? ''}`.trim());
    }
    return lines;
  } catch (err) {
    return [`cannot read the error prefix: ${awsError(err)}`];
  }
}

/**
 * A smoke test of a deployed stack: asks the KPI API for the test app's DAU today, sends one
 * signed `_session.start` from a new client through the Pinpoint door, waits for Firehose's
 * buffer, and asks again until the new client is counted. Every step reports what worked, or
 * the exact answer or AWS error that did not. Each poll asks a range one day longer than the
 * last, so that its SQL text differs and Athena's result reuse cannot answer with an older
 * result. Resolves true when every step worked.
 */
export async function smokeTest(options: SmokeOptions): Promise<boolean> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const { report, appId } = options;
  const id = `smoke-${(options.id ?? randomUUID)()}`;
  const sentAt = now();
  const day = utcDay(sentAt);
  let ok = true;

  const before = await dau(options, day, 0);
  if (typeof before === 'number') report(`✔ KPI API: DAU of ${appId} on ${day} is ${before}`);
  else {
    report(`✘ KPI API: ${before}`);
    ok = false;
  }

  if (options.stack.IngestApiKeyId !== undefined && options.apiKey === undefined) {
    report(
      `✘ ingest door: the doors take an API key; get it with \`aws apigateway get-api-key --api-key ${options.stack.IngestApiKeyId} --include-value --query value --output text\` and pass --api-key`,
    );
    return false;
  }
  const timestamp = new Date(sentAt).toISOString();
  const body = JSON.stringify({
    BatchItem: {
      [id]: {
        Endpoint: { Demographic: { Platform: 'smoke-test' } },
        Events: {
          [id]: {
            EventType: '_session.start',
            Timestamp: timestamp,
            Session: { Id: id, StartTimestamp: timestamp },
          },
        },
      },
    },
  });
  // IngestApiUrl is the stage's URL without a trailing slash (lib/ingest-api.ts).
  const url = `${options.stack.IngestApiUrl}/v1/apps/${encodeURIComponent(appId)}/events`;
  try {
    const response = await options.http(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
      },
    });
    if (response.status !== 202) {
      report(`✘ ingest door: POST ${url} answered ${await failure(response)}`);
      return false;
    }
    const text = await response.text();
    if (!text.includes('"StatusCode":202')) {
      report(`✘ ingest door: the event was refused: ${text.slice(0, 500)}`);
      return false;
    }
    report(`✔ ingest door: accepted a _session.start of client ${id} (${timestamp})`);
  } catch (err) {
    report(`✘ ingest door: POST ${url} failed: ${awsError(err)}`);
    return false;
  }
  if (typeof before !== 'number') {
    report('✘ delivery: not checked, the KPI API does not answer');
    return false;
  }

  const buffer = await bufferSeconds(options);
  if (typeof buffer === 'string')
    report(`  (cannot read the stream's buffer interval, assuming 300 s: ${buffer})`);
  const bufferS = typeof buffer === 'number' ? buffer : 300;
  const timeoutMs = options.timeoutMs ?? (1.5 * bufferS + 300) * SECOND_MS;
  const pollMs = options.pollMs ?? 30 * SECOND_MS;
  report(
    `  waiting for Firehose's buffer (${bufferS} s) and the KPI API, at most ${Math.round(timeoutMs / 1000)} s`,
  );
  let last: number | string = before;
  for (let poll = 1; now() - sentAt < timeoutMs; poll++) {
    await sleep(pollMs);
    last = await dau(options, day, poll);
    if (typeof last === 'number' && last > before) {
      report(
        `✔ delivery: counted after ${Math.round((now() - sentAt) / 1000)} s: DAU of ${appId} on ${day} is ${last}`,
      );
      return ok;
    }
  }
  report(
    `✘ delivery: not counted after ${Math.round((now() - sentAt) / 1000)} s: ${typeof last === 'number' ? `DAU still ${last}` : last}`,
  );
  const errors = await errorRecordsSince(options, sentAt);
  if (errors.length > 0) for (const line of errors) report(`  error record: ${line}`);
  else
    report(
      `  no error record since it was sent: Firehose may still be buffering; see the stack's alarms and DeliveryToS3.DataFreshness`,
    );
  return false;
}
