import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface IngestWebAclProps {
  /** The ingest API's stage the web ACL protects. */
  readonly stage: apigw.Stage;
  /** Web ACL name, also the prefix of its CloudWatch metric names. */
  readonly name: string;
  /** Requests one IP address may send in 5 minutes; more are answered 429. AWS WAF's minimum is 10. */
  readonly ipRateLimit: number;
  /** The largest body a door accepts; a request declaring a larger `Content-Length` is answered 413. */
  readonly maxBodyBytes: number;
}

/** AWS WAF rate-based rules count over this window, in seconds (60, 120, 300 or 600). */
const RATE_WINDOW_SECONDS = 300;

/**
 * A WAF regular expression that matches the decimal integers greater than `n` (leading zeros
 * allowed), e.g. a `Content-Length` over a limit. Written without groups, which AWS WAF does not
 * support, as one branch per way of being greater: more digits, or the same digits up to a
 * position and a greater digit there.
 */
export function integerAboveRegex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a whole number, got ${n}`);
  const digits = String(n);
  const branches = [`^0*[1-9][0-9]{${digits.length},}$`];
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[i]);
    if (digit === 9) continue;
    const greater = digit === 8 ? '9' : `[${digit + 1}-9]`;
    const rest = digits.length - i - 1;
    branches.push(`^0*${digits.slice(0, i)}${greater}${rest > 0 ? `[0-9]{${rest}}` : ''}$`);
  }
  return branches.join('|');
}

/** A door error as AWS answers it: the header the SDKs type errors by, and the body (docs/CONTRACT.md §2). */
function doorError(status: number, errorType: string, bodyKey: string): wafv2.CfnWebACL.RuleActionProperty {
  return {
    block: {
      customResponse: {
        responseCode: status,
        customResponseBodyKey: bodyKey,
        responseHeaders: [{ name: 'x-amzn-ErrorType', value: errorType }],
      },
    },
  };
}

const message = (text: string) => ({
  contentType: 'APPLICATION_JSON',
  content: JSON.stringify({ message: text, Message: text }),
});

/**
 * The web ACL of a public collector (`ingestAuth=none`, ADR 016), associated with the ingest
 * stage: a request declaring a body larger than any door accepts is answered 413 before it
 * reaches API Gateway's integration (above 6 MB the Lambda could not even be invoked, and API
 * Gateway would answer a 5xx), and an IP address sending more than `ipRateLimit` requests in 5
 * minutes is answered 429 until it slows down. Both answers are typed as the doors type theirs.
 * WAF inspects at most the first 16 KB of a body for API Gateway, so the size rule reads the
 * declared `Content-Length` header, not the body.
 */
export class IngestWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: IngestWebAclProps) {
    super(scope, id);
    if (!Number.isInteger(props.ipRateLimit) || props.ipRateLimit < 10) {
      throw new Error(
        `IngestWebAcl ipRateLimit: got ${props.ipRateLimit}; allowed: a whole number of requests, at least 10 (AWS WAF's minimum).`,
      );
    }
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      description: 'Public ingest doors: body size and per-IP request rate',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      customResponseBodies: {
        'payload-too-large': message(
          `The request body is over ${props.maxBodyBytes} bytes, more than any door accepts; send fewer events per request`,
        ),
        'too-many-requests': message(
          `More than ${props.ipRateLimit} requests from this address in ${RATE_WINDOW_SECONDS / 60} minutes; retry later`,
        ),
      },
      rules: [
        {
          name: 'body-too-large',
          priority: 0,
          statement: {
            regexMatchStatement: {
              fieldToMatch: { singleHeader: { Name: 'content-length' } },
              regexString: integerAboveRegex(props.maxBodyBytes),
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          action: doorError(413, 'PayloadTooLargeException', 'payload-too-large'),
          visibilityConfig: visibility(`${props.name}-body-too-large`),
        },
        {
          name: 'rate-per-ip',
          priority: 1,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.ipRateLimit,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
            },
          },
          action: doorError(429, 'TooManyRequestsException', 'too-many-requests'),
          visibilityConfig: visibility(`${props.name}-rate-per-ip`),
        },
      ],
    });
    const association = new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    association.node.addDependency(props.stage);
  }
}
