/** Example credentials (AWS's documentation's) for signing tests. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};

/**
 * The environment of a child process that uses the default AWS credential chain: none of this
 * machine's AWS configuration (a fresh home, no config files, no instance or container
 * metadata), and the example credentials in the environment when asked for.
 */
export function awsTestEnv(home: string, credentials: boolean): NodeJS.ProcessEnv {
  return {
    HOME: home,
    AWS_CONFIG_FILE: `${home}/none`,
    AWS_SHARED_CREDENTIALS_FILE: `${home}/none`,
    AWS_PROFILE: '',
    AWS_REGION: '',
    AWS_DEFAULT_REGION: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
    AWS_WEB_IDENTITY_TOKEN_FILE: '',
    AWS_ACCESS_KEY_ID: credentials ? TEST_CREDENTIALS.accessKeyId : '',
    AWS_SECRET_ACCESS_KEY: credentials ? TEST_CREDENTIALS.secretAccessKey : '',
    AWS_SESSION_TOKEN: credentials ? TEST_CREDENTIALS.sessionToken : '',
  };
}
