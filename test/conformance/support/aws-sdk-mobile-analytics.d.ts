/** The part of `aws-sdk-mobile-analytics` 0.9.2 (which ships no types) that the conformance test uses. */
declare module 'aws-sdk-mobile-analytics' {
  import type { AWSError } from 'aws-sdk';

  export interface ManagerOptions {
    appId: string;
    platform: string;
    clientId?: string;
    appTitle?: string;
    appVersionName?: string;
    appVersionCode?: string;
    appPackageName?: string;
    make?: string;
    model?: string;
    platformVersion?: string;
    locale?: string;
    autoSubmitEvents?: boolean;
    autoSubmitInterval?: number;
    submitCallback?: (err: AWSError | null, data: unknown, batchId: string) => void;
    /** Passed as they are to `new AWS.MobileAnalytics(...)`. */
    clientOptions?: Record<string, unknown>;
  }

  export class Manager {
    constructor(options: ManagerOptions);
    recordEvent(
      eventType: string,
      attributes?: Record<string, unknown>,
      metrics?: Record<string, number>,
    ): unknown;
    recordMonetizationEvent(
      details: { currency: string; productId: string; quantity: number; price: number | string },
      attributes?: Record<string, unknown>,
      metrics?: Record<string, number>,
    ): unknown;
    stopSession(): void;
    /** Ids of the batches sent; empty when it sends nothing (in flight, nothing to send, within 1 s of the last). */
    submitEvents(): string[];
    readonly outputs: {
      lastSubmitTimestamp?: number;
      timeoutReference?: ReturnType<typeof setTimeout>;
      session?: { sessionTimeoutReference?: ReturnType<typeof setTimeout> };
    };
  }
}
