// Unit tests synthesise stacks many times: skip cdk-nag's validation pass for speed.
// The nag test and the real `cdk synth` keep validation on.
process.env.CDK_VALIDATION ??= 'false';
// Never let a test reach AWS for credentials or a region.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.POWERTOOLS_DEV ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
