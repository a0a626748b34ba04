import { parseDashboardCommand } from '../../../local/cli/dashboard-config';

const URL_EU = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/';

const config = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const command = parseDashboardCommand(argv, env);
  if (command.help) throw new Error('help');
  return command.config;
};

describe('npm run dashboard options', () => {
  it('takes the region from the API URL, port 3001 and the default credential chain by default', () => {
    expect(config(['--api', URL_EU])).toEqual({ api: new URL(URL_EU), region: 'eu-west-1', port: 3001 });
  });

  it('takes --region, --profile, --port, and the URL from KPI_API_URL', () => {
    expect(
      config(['--region', 'us-east-2', '--profile', 'analytics', '--port', '0'], { KPI_API_URL: URL_EU }),
    ).toEqual({ api: new URL(URL_EU), region: 'us-east-2', profile: 'analytics', port: 0 });
  });

  it('falls back to AWS_REGION for a custom domain', () => {
    expect(config(['--api', 'https://kpi.example.com/'], { AWS_REGION: 'ap-south-1' }).region).toBe(
      'ap-south-1',
    );
  });

  it.each([
    [['--api', 'not a url'], '--api must be a URL such as'],
    [['--api', 'ftp://x.example/'], '--api must be an https URL'],
    [
      ['--api', URL_EU, '--region', 'Europe'],
      '--region must name an AWS region such as eu-west-1; got "Europe"',
    ],
    [['--api', URL_EU, '--port', 'eighty'], '--port must be a whole number from 0 to 65535; got "eighty"'],
    [['--api', URL_EU, '--host', '0.0.0.0'], "Unknown option '--host'"],
  ])('refuses %j, saying what is allowed', (argv, message) => {
    expect(() => parseDashboardCommand(argv, {})).toThrow(message);
  });

  it('has a --help', () => {
    expect(parseDashboardCommand(['--help'], {})).toEqual({ help: true });
  });
});
