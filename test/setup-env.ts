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
// The real AWS clients of the conformance tests: no Node-version warning (v3 on Node 20) and no
// end-of-support notice (v2), which would otherwise be printed by every test file that loads them.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
