import { Annotations, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as pinpoint from 'aws-cdk-lib/aws-pinpoint';
import { Construct } from 'constructs';

export interface PinpointEventStreamProps {
  readonly deliveryStream: firehose.IDeliveryStream;
  /** An existing Pinpoint project (application) id. Give this or `createAppNamed`. */
  readonly applicationId?: string;
  /** Create a Pinpoint project with this name and stream its events. */
  readonly createAppNamed?: string;
}

/** What every synthesis with a Pinpoint option prints. */
const PINPOINT_END_OF_SUPPORT_WARNING =
  'Amazon Pinpoint reaches end of support on 2026-10-30: after that date no Pinpoint project or event stream can be created or used, and this stack fails to deploy with pinpointAppId or createPinpointApp. Send events to the ingest doors instead (README, "Why Pinpoint is off").';

/**
 * Streams a Pinpoint project's events into the delivery stream (opt-in: Amazon Pinpoint reaches
 * end of support on 2026-10-30, which every synthesis with it says as a warning). The role
 * Pinpoint assumes may only put records into this stream, and only on behalf of this project.
 */
export class PinpointEventStream extends Construct {
  readonly applicationId: string;
  readonly app?: pinpoint.CfnApp;

  constructor(scope: Construct, id: string, props: PinpointEventStreamProps) {
    super(scope, id);
    if ((props.applicationId === undefined) === (props.createAppNamed === undefined)) {
      throw new Error(
        `PinpointEventStream: got applicationId ${JSON.stringify(props.applicationId)} and createAppNamed ${JSON.stringify(props.createAppNamed)}; allowed: exactly one of them.`,
      );
    }
    if (props.createAppNamed !== undefined) {
      this.app = new pinpoint.CfnApp(this, 'App', { name: props.createAppNamed });
    }
    this.applicationId = this.app?.ref ?? (props.applicationId as string);
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'Role', {
      description: 'Lets Amazon Pinpoint put the events of this project into the events delivery stream',
      assumedBy: new iam.ServicePrincipal('pinpoint.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'mobiletargeting',
              resource: 'apps',
              resourceName: `${this.applicationId}*`,
            }),
          },
        },
      }),
      inlinePolicies: {
        PutRecords: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              // As AWS documents for Pinpoint event streams: describe to validate the stream, then batch puts.
              actions: ['firehose:PutRecordBatch', 'firehose:DescribeDeliveryStream'],
              resources: [props.deliveryStream.deliveryStreamArn],
            }),
          ],
        }),
      },
    });
    new pinpoint.CfnEventStream(this, 'EventStream', {
      applicationId: this.applicationId,
      destinationStreamArn: props.deliveryStream.deliveryStreamArn,
      roleArn: role.roleArn,
    });
    Annotations.of(this).addWarningV2('mobile-kpi:pinpoint-end-of-support', PINPOINT_END_OF_SUPPORT_WARNING);
    Validations.of(this).acknowledge({
      id: 'CloudFormation-Validate::W3696',
      reason:
        'The service shutdown this finding reports is printed on every synthesis as the warning annotation mobile-kpi:pinpoint-end-of-support; Pinpoint is opt-in, for accounts that still have it.',
    });
  }
}
