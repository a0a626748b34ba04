import { BadRequestError } from '../../core/errors';
import { appIdAt } from './app-id';
import { InvalidEventError } from './invalid-event';
import { objectAt, optionalStringAt, requiredStringAt } from './json-fields';

/** The Mobile Analytics `x-amz-client-context` header, read. */
export interface ClientContext {
  /** The header's JSON text (decoded, when it came base64-encoded). */
  readonly text: string;
  readonly clientId: string;
  readonly appTitle: string;
  readonly appId: string;
  readonly platform: string;
  readonly appVersionName?: string;
  readonly appVersionCode?: string;
  readonly appPackageName?: string;
  readonly model?: string;
  readonly make?: string;
  readonly platformVersion?: string;
  readonly locale?: string;
  /** `services.mobile_analytics.sdk_name` / `sdk_version`, as the Mobile Analytics JS SDK sends them. */
  readonly sdkName?: string;
  readonly sdkVersion?: string;
}

const REQUIRED = 'client.client_id, client.app_title, env.platform and services.mobile_analytics.app_id';
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function invalid(reason: string): BadRequestError {
  return new BadRequestError(`The x-amz-client-context header ${reason}`);
}

function decode(header: string, encoding: string | undefined): string {
  const value = header.trim();
  if (encoding?.toLowerCase() !== 'base64' && value.startsWith('{')) return value;
  if (!BASE64.test(value)) throw invalid('is neither JSON nor base64-encoded JSON');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'base64'));
  } catch {
    throw invalid('is base64 but does not decode to UTF-8 text');
  }
}

function read(text: string, json: unknown): ClientContext {
  const context = objectAt(json, 'its value');
  const client = objectAt(context.client, 'client');
  const env = objectAt(context.env, 'env');
  const services = objectAt(context.services, 'services');
  const analytics = objectAt(services.mobile_analytics, 'services.mobile_analytics');
  return {
    text,
    clientId: requiredStringAt(client.client_id, 'client.client_id'),
    appTitle: requiredStringAt(client.app_title, 'client.app_title'),
    appId: appIdAt(analytics.app_id, 'services.mobile_analytics.app_id'),
    platform: requiredStringAt(env.platform, 'env.platform'),
    appVersionName: optionalStringAt(client.app_version_name, 'client.app_version_name'),
    appVersionCode: optionalStringAt(client.app_version_code, 'client.app_version_code'),
    appPackageName: optionalStringAt(client.app_package_name, 'client.app_package_name'),
    model: optionalStringAt(env.model, 'env.model'),
    make: optionalStringAt(env.make, 'env.make'),
    platformVersion: optionalStringAt(env.platform_version, 'env.platform_version'),
    locale: optionalStringAt(env.locale, 'env.locale'),
    sdkName: optionalStringAt(analytics.sdk_name, 'services.mobile_analytics.sdk_name'),
    sdkVersion: optionalStringAt(analytics.sdk_version, 'services.mobile_analytics.sdk_version'),
  };
}

/**
 * Reads the client context of a Mobile Analytics PutEvents request (docs/CONTRACT.md §2b): JSON, or
 * base64-encoded JSON (recognised by its first character, or told by
 * `x-amz-client-context-encoding: base64`). Missing or invalid: {@link BadRequestError}.
 */
export function parseClientContext(header: string | undefined, encoding?: string): ClientContext {
  if (header === undefined || header.trim() === '') {
    throw invalid(`is missing; send JSON (or base64-encoded JSON) with ${REQUIRED}`);
  }
  const text = decode(header, encoding);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(`is not valid JSON (${(err as Error).message}); it needs ${REQUIRED}`);
  }
  try {
    return read(text, json);
  } catch (err) {
    if (err instanceof InvalidEventError) throw invalid(`is invalid: ${err.message}`);
    throw err;
  }
}
