import { signedFetch } from '../../ops/signed-fetch';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

function recorder() {
  const seen: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response('{}', { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  return { seen, fetch };
}

describe('signed calls to API Gateway', () => {
  it('sign for execute-api in the region of the API’s host, body and query included', async () => {
    const { seen, fetch } = recorder();
    const call = signedFetch({ credentials, fetch });
    await call('https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1/apps/x/events?a=1', {
      method: 'POST',
      body: '{"BatchItem":{}}',
      headers: { 'content-type': 'application/json' },
    });
    const [request] = seen;
    const headers = request?.init.headers as Record<string, string>;
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers).not.toHaveProperty('host');
    expect(request?.init.body).toBe('{"BatchItem":{}}');
    expect(request?.url).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1/apps/x/events?a=1');
  });

  it('needs a region for a custom domain', async () => {
    const { seen, fetch } = recorder();
    await expect(
      signedFetch({ credentials, fetch })('https://kpi.example.com/apps', { method: 'GET' }),
    ).rejects.toThrow('Cannot tell the AWS region of kpi.example.com; give --region');
    await signedFetch({ credentials, fetch, region: 'us-east-2' })('https://kpi.example.com/apps', {
      method: 'GET',
    });
    expect((seen[0]!.init.headers as Record<string, string>).authorization).toContain(
      '/us-east-2/execute-api/',
    );
  });
});
